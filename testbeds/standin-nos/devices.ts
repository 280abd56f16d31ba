// Stand-in devices: they answer what a vendor's switch or an FRR router answers, from recorded
// outputs, so the suites' routing checks and the EOS / SR Linux dialects run end to end without
// the devices. A request with no recording is refused the way the device refuses an unknown
// command. Recordings: one JSON object per device, request (a CLI command, a YANG path) → answer.
import { createServer as createHttps, type Server as HttpsServer } from 'node:https';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export type Recordings = Record<string, unknown>;
export type DeviceFace = 'eos' | 'srlinux';

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

type Rpc = { id?: unknown; method?: string; params?: Record<string, unknown> };
type RpcAnswer = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

/** eAPI's runCmds: every command must be recorded, else the whole request fails as EOS fails it. */
// fidelity: NOS-EAPI-001
function eapi(rec: Recordings, rpc: Rpc): RpcAnswer {
  if (rpc.method !== 'runCmds') return { error: { code: -32601, message: `Method not found: ${rpc.method}` } };
  const cmds = Array.isArray(rpc.params?.cmds) ? (rpc.params.cmds as unknown[]).map(String) : [];
  const text = rpc.params?.format === 'text';
  const result: unknown[] = [];
  for (const [i, cmd] of cmds.entries()) {
    if (!Object.hasOwn(rec, cmd)) {
      const message = `CLI command ${i + 1} of ${cmds.length} '${cmd}' failed: invalid command`;
      return { error: { code: 1002, message, data: [...result, { errors: ['Invalid input'] }] } };
    }
    result.push(text ? { output: JSON.stringify(rec[cmd], null, 2) } : rec[cmd]);
  }
  return { result };
}

/** SR Linux's get: one result per command's path. */
// fidelity: NOS-SRL-001
function srlinux(rec: Recordings, rpc: Rpc): RpcAnswer {
  if (rpc.method !== 'get') return { error: { code: -32601, message: `Method not found: ${rpc.method}` } };
  const commands = Array.isArray(rpc.params?.commands) ? (rpc.params.commands as Array<{ path?: string }>) : [];
  const result: unknown[] = [];
  for (const c of commands) {
    if (!c.path || !Object.hasOwn(rec, c.path))
      return { error: { code: -1, message: `Path not valid - unknown element ${c.path}` } };
    result.push(rec[c.path]);
  }
  return { result };
}

export interface DeviceOptions {
  face: DeviceFace;
  recordings: Recordings;
  cert: Buffer;
  key: Buffer;
  user: string;
  password: string;
}

/** An HTTPS JSON-RPC device (eAPI at /command-api, SR Linux at /jsonrpc) with basic authentication. */
export function jsonRpcDevice(o: DeviceOptions): HttpsServer {
  const [answer, path] = o.face === 'eos' ? [eapi, '/command-api'] : [srlinux, '/jsonrpc'];
  const expected = `Basic ${Buffer.from(`${o.user}:${o.password}`).toString('base64')}`;
  return createHttps(
    { cert: o.cert, key: o.key },
    (req, res) =>
      void (async () => {
        if (req.method !== 'POST' || req.url !== path) return send(res, 404, { error: `no ${req.method} ${req.url}` });
        if (req.headers.authorization !== expected) return send(res, 401, { error: 'Unauthorized' });
        let rpc: Rpc;
        try {
          rpc = JSON.parse(await body(req)) as Rpc;
        } catch {
          return send(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } });
        }
        send(res, 200, { jsonrpc: '2.0', id: rpc.id ?? null, ...answer(o.recordings, rpc) });
      })(),
  );
}

/** The embedded controller's object API (GET only), answering recorded objects per cluster. */
export function clusterApi(objects: Record<string, Array<{ kind: string; metadata: { name: string } }>>): Server {
  return createHttp((req, res) => {
    const m = /^\/clusters\/([^/]+)\/objects(?:\/([^/]+)\/([^/]+))?$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) return send(res, 400, { error: 'the stand-in cluster API answers GET only' });
    const cluster = decodeURIComponent(m[1]!);
    const list = objects[cluster] ?? [];
    if (!m[2]) return send(res, 200, { items: list });
    const [kind, name] = [decodeURIComponent(m[2]), decodeURIComponent(m[3]!)];
    const o = list.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) return send(res, 404, { error: `${kind} ${name} not found in cluster ${cluster}` });
    send(res, 200, o);
  });
}

/** Listens on a unix socket, replacing a stale one. */
export function listenSocket(server: Server, socket: string): Promise<void> {
  rmSync(socket, { force: true });
  return new Promise((resolve) => server.listen(socket, resolve));
}

/** What FRR's vtysh prints for these commands, or the error it prints for an unknown one. */
export function vtyshAnswer(rec: Recordings, commands: string[]): { stdout: string; exitCode: number } {
  let stdout = '';
  for (const cmd of commands) {
    if (!Object.hasOwn(rec, cmd)) return { stdout: `${stdout}% Unknown command: ${cmd}\n`, exitCode: 1 };
    const a = rec[cmd];
    stdout += typeof a === 'string' ? a : `${JSON.stringify(a, null, 2)}\n`;
  }
  return { stdout, exitCode: 0 };
}

/** A device of this process on 127.0.0.1 at a free port, with the PKI's certificate: its URL, to close after. */
export async function localDevice(
  face: DeviceFace,
  recordings: Recordings,
  pki: { certFile: string; keyFile: string },
  password: string,
): Promise<{ url: string; server: HttpsServer }> {
  const server = jsonRpcDevice({
    face,
    recordings,
    cert: readFileSync(pki.certFile),
    key: readFileSync(pki.keyFile),
    user: 'admin',
    password,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// JSON-RPC 2.0 over HTTPS, the management API of Arista EOS (eAPI, POST /command-api, method
// runCmds) and of Nokia SR Linux (POST /jsonrpc, method get). The server's certificate is verified
// against a CA file or the system's CAs; skipping verification is an explicit opt-out that is
// logged once per device. Credentials come from the environment or a file, never from the testbed
// file, and no message this module writes carries them (every one passes through the redaction).
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { redact } from '../../reports/redact.ts';
import { DEFAULT_EXEC_TIMEOUT_MS, ExecError } from './exec.ts';

/** Where the password is: an environment variable's name or a file's path (its first line). */
export type SecretSource = { env: string } | { file: string };

export interface JsonRpcTarget {
  /** https://host[:port]: the API path is the dialect's. */
  url: string;
  user: string;
  password: SecretSource;
  /** PEM file of the CA that signed the device's certificate; without it, the system's CAs. */
  caFile?: string;
  /** Skip certificate verification (lab devices with self-signed certificates); logged. */
  insecure?: boolean;
  /** The certificate's name when it is not the URL's host (a lab reached by address). */
  serverName?: string;
  timeoutMs?: number;
}

/** The device answered with a JSON-RPC error, or not with JSON-RPC: the check cannot read it. */
export class JsonRpcError extends ExecError {
  override name = 'JsonRpcError';
}

export function readSecret(member: string, s: SecretSource): string {
  if ('env' in s) {
    const v = process.env[s.env];
    if (!v) throw new ExecError(member, 'credentials', `environment variable ${s.env} (its password) is not set`);
    return v;
  }
  let text: string;
  try {
    text = readFileSync(s.file, 'utf8');
  } catch (e) {
    throw new ExecError(member, 'credentials', `cannot read the password file ${s.file}: ${(e as Error).message}`);
  }
  const first = text.split(/\r?\n/)[0] ?? '';
  if (!first) throw new ExecError(member, 'credentials', `the password file ${s.file} is empty`);
  return first;
}

const warnedInsecure = new Set<string>();

/** One JSON-RPC call; returns `result`. `what` names the request in errors (a command, a path). */
export async function jsonRpcCall(
  member: string,
  target: JsonRpcTarget,
  path: string,
  method: string,
  params: unknown,
  what: string,
): Promise<unknown> {
  const url = new URL(path, target.url);
  if (url.protocol !== 'https:') throw new ExecError(member, what, `${target.url}: only https is supported`);
  if (target.insecure && !warnedInsecure.has(`${member} ${url.host}`)) {
    warnedInsecure.add(`${member} ${url.host}`);
    console.warn(
      `l2stretch: ${member}: certificate verification of ${url.host} is OFF (insecure: true in the testbed file)`,
    );
  }
  const ca = target.caFile ? readFileSync(target.caFile) : undefined;
  const auth = Buffer.from(`${target.user}:${readSecret(member, target.password)}`).toString('base64');
  const body = JSON.stringify({ jsonrpc: '2.0', id: `l2stretch-${Date.now()}`, method, params });
  const fail = (cls: typeof ExecError, msg: string): never => {
    throw new cls(member, `${method} ${what} (${url.origin}${url.pathname})`, redact(msg));
  };
  const raw = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Basic ${auth}`,
        },
        ca,
        rejectUnauthorized: !target.insecure,
        ...(target.serverName ? { servername: target.serverName } : {}),
        timeout: target.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${target.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  }).catch((e: Error & { code?: string }) => fail(ExecError, `${e.code ? `${e.code}: ` : ''}${e.message}`));
  if (raw.status === 401 || raw.status === 403)
    fail(ExecError, `HTTP ${raw.status}: the device refused user ${target.user}'s credentials`);
  let answer: unknown;
  try {
    answer = JSON.parse(raw.text);
  } catch {
    fail(JsonRpcError, `HTTP ${raw.status}, not JSON: ${raw.text.slice(0, 200).trim() || '(empty)'}`);
  }
  const a = answer as { result?: unknown; error?: { code?: number; message?: string; data?: unknown } };
  if (a && typeof a === 'object' && a.error)
    fail(JsonRpcError, `JSON-RPC error ${a.error.code ?? '?'}: ${a.error.message ?? JSON.stringify(a.error)}`);
  if (!a || typeof a !== 'object' || !('result' in a))
    fail(JsonRpcError, `HTTP ${raw.status}: no JSON-RPC result (${raw.text.slice(0, 200).trim()})`);
  return a.result;
}

/** Arista eAPI: runs the commands in order, one JSON answer each (`show …` without `| json`). */
export async function eapiRun(member: string, target: JsonRpcTarget, cmds: string[]): Promise<unknown[]> {
  const result = await jsonRpcCall(
    member,
    target,
    '/command-api',
    'runCmds',
    { version: 1, cmds, format: 'json' },
    cmds.join('; '),
  );
  if (!Array.isArray(result) || result.length !== cmds.length)
    throw new JsonRpcError(member, cmds.join('; '), `eAPI answered ${JSON.stringify(result)?.slice(0, 200)}`);
  return result;
}

/** SR Linux JSON-RPC `get` of state paths: one result per path, in order. */
export async function srlGet(member: string, target: JsonRpcTarget, paths: string[]): Promise<unknown[]> {
  const result = await jsonRpcCall(
    member,
    target,
    '/jsonrpc',
    'get',
    { commands: paths.map((path) => ({ path, datastore: 'state' })) },
    paths.join(', '),
  );
  if (!Array.isArray(result) || result.length !== paths.length)
    throw new JsonRpcError(member, paths.join(', '), `JSON-RPC get answered ${JSON.stringify(result)?.slice(0, 200)}`);
  return result;
}

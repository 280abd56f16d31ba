// An `existing` testbed made of stand-ins: the multicluster topology with an EOS spine and
// leaves and SR Linux ToRs (each an HTTPS JSON-RPC server in its own network namespace, reached
// over a veth, its certificate signed by a CA made for the run), FRR node routers answering
// recorded vtysh JSON, and the clusters' recorded VMIs behind the embedded controller's API.
// It proves the dialects, transports and judges end to end; it forwards no packet, so only the
// routing suites (bgp-sessions, evpn-routes) run on it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, type NetConnectOpts } from 'node:net';
import { execa, type ResultPromise } from 'execa';
import { parse, stringify } from 'yaml';
import { bundle } from '../../helpers/programs.ts';
import { eventually } from '../../helpers/wait.ts';
import { makePki } from './pki.ts';
import { VENDOR_FABRIC } from './record.ts';
import type { Recordings } from './devices.ts';
import type { TestbedFileInput } from '../../helpers/testbed.ts';

export const STANDIN_PASSWORD_ENV = 'L2STRETCH_STANDIN_PASSWORD';

export interface StandinTestbed {
  runId: string;
  testbedFile: string;
  down(): Promise<void>;
}

/** Reads a recordings directory (one JSON per router, clusters.json), with per-router edits on top. */
export function readRecordings(
  dir: string,
  edits: Record<string, (r: Recordings) => void> = {},
): { routers: Record<string, Recordings>; clusters: Record<string, unknown[]> } {
  const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as never;
  const names = [...Object.keys(VENDOR_FABRIC), ...NODE_ROUTERS];
  const routers = Object.fromEntries(names.map((n) => [n, json(`${n}.json`) as Recordings]));
  for (const [n, edit] of Object.entries(edits)) edit(routers[n]!);
  return { routers, clusters: json('clusters.json') };
}

const NODE_ROUTERS = ['pe-kind-a-control-plane', 'pe-kind-a-worker', 'pe-kind-b-control-plane', 'pe-kind-b-worker'];
const ip = (...args: string[]) => execa('ip', args, { stdin: 'ignore' });

/** Stands the stand-ins up; `down()` kills what it started and removes its namespaces and files. */
export async function upStandinTestbed(
  recordings: { routers: Record<string, Recordings>; clusters: Record<string, unknown[]> },
  topologyFile: string,
): Promise<StandinTestbed> {
  const tag = randomBytes(3).toString('hex');
  const runId = `l2s-sn${tag}`;
  const dir = mkdtempSync(join(tmpdir(), `${runId}-`));
  const namespaces: string[] = [];
  const children: ResultPromise[] = [];
  const password = randomBytes(12).toString('hex');
  const down = async () => {
    for (const c of children) c.kill();
    await Promise.allSettled(children);
    for (const ns of namespaces) await ip('netns', 'del', ns).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const program = await bundle('standin-nos');
    const devices = Object.entries(VENDOR_FABRIC);
    const address = (i: number) => `198.19.${i + 1}`;
    const pki = await makePki(
      dir,
      devices.map((_, i) => `${address(i)}.2`),
    );
    writeFileSync(join(dir, 'topology.yaml'), topologyWithNos(topologyFile));
    const env = { ...process.env, [STANDIN_PASSWORD_ENV]: password };
    const routers: TestbedFileInput['routers'] = {};
    for (const [i, [name, nos]] of devices.entries()) {
      const ns = `${runId}-${name}`;
      const veth = `l2sn${tag}${i}`;
      await ip('netns', 'add', ns);
      namespaces.push(ns);
      await ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('addr', 'add', `${address(i)}.1/24`, 'dev', veth);
      await ip('link', 'set', veth, 'up');
      await ip('-n', ns, 'addr', 'add', `${address(i)}.2/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      const rec = join(dir, `${name}.json`);
      writeFileSync(rec, JSON.stringify(recordings.routers[name]));
      children.push(
        execa(
          'ip',
          [
            'netns',
            'exec',
            ns,
            process.execPath,
            program,
            nos,
            '--listen',
            `${address(i)}.2:443`,
            '--cert',
            pki.certFile,
            '--key',
            pki.keyFile,
            '--user',
            'admin',
            '--password-env',
            STANDIN_PASSWORD_ENV,
            '--recordings',
            rec,
          ],
          { env, stdin: 'ignore', buffer: false },
        ),
      );
      routers[name] = {
        nos,
        api: {
          url: `https://${address(i)}.2`,
          user: 'admin',
          password: { env: STANDIN_PASSWORD_ENV },
          caFile: pki.caFile,
        },
      };
    }
    for (const name of NODE_ROUTERS) {
      const ns = `${runId}-${name}`;
      await ip('netns', 'add', ns);
      namespaces.push(ns);
      const rec = join(dir, `${name}.json`);
      writeFileSync(rec, JSON.stringify(recordings.routers[name]));
      routers[name] = {
        nos: 'frr',
        exec: { type: 'netns', netns: ns },
        vtysh: [process.execPath, program, 'vtysh', '--recordings', rec],
      };
    }
    // The VMs greet their gateway before the route checks: namespaces with nothing to reach.
    for (const vm of ['vm-1', 'vm-2']) {
      await ip('netns', 'add', `${runId}-${vm}`);
      namespaces.push(`${runId}-${vm}`);
    }
    const socket = join(dir, 'clusters.sock');
    writeFileSync(join(dir, 'clusters.json'), JSON.stringify(recordings.clusters));
    const api = execa(
      process.execPath,
      [program, 'cluster', '--socket', socket, '--recordings', join(dir, 'clusters.json')],
      { stdin: 'ignore', buffer: false },
    );
    children.push(api);
    const file: TestbedFileInput = {
      kind: 'existing',
      runId,
      topology: join(dir, 'topology.yaml'),
      routers,
      workloads: {},
      vms: { type: 'netns', netnsPrefix: `${runId}-` },
      clusters: Object.fromEntries(
        Object.keys(recordings.clusters).map((c) => [c, { api: { type: 'embedded', socket } }]),
      ),
      // Routing facts only: no workload answers, no migration.
      features: ['l2vni', 'l3vni'],
      info: { 'stand-ins': 'recorded answers (test/data/standin-nos); no packet is forwarded' },
    };
    process.env[STANDIN_PASSWORD_ENV] = password;
    const testbedFile = join(dir, 'testbed.json');
    writeFileSync(testbedFile, JSON.stringify(file, null, 2), { mode: 0o600 });
    await waitListening([...devices.map((_, i) => `${address(i)}.2:443`)], socket);
    return { runId, testbedFile, down };
  } catch (e) {
    await down();
    throw e;
  }
}

/** The topology with each fabric router's NOS set to the vendor fabric's. */
function topologyWithNos(file: string): string {
  const t = parse(readFileSync(file, 'utf8')) as { fabric: { routers: Record<string, { nos?: string }> } };
  for (const [name, nos] of Object.entries(VENDOR_FABRIC)) t.fabric.routers[name]!.nos = nos;
  return stringify(t);
}

const listening = (o: NetConnectOpts) =>
  new Promise<boolean>((resolve) => {
    const s = connect(o, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

async function waitListening(hostPorts: string[], socket: string): Promise<void> {
  const targets: Array<[string, NetConnectOpts]> = [
    ...hostPorts.map((hp): [string, NetConnectOpts] => [
      hp,
      { host: hp.split(':')[0]!, port: Number(hp.split(':')[1]) },
    ]),
    [socket, { path: socket }],
  ];
  await eventually(
    async () => {
      const down = (await Promise.all(targets.map(async ([n, o]) => ((await listening(o)) ? [] : [n])))).flat();
      return down.length ? `stand-in devices not listening: ${down.join(', ')}` : undefined;
    },
    10_000,
    100,
  );
}

// The ports and the FRR dialect behind them: which vtysh command each fact asks,
// that the answer becomes the normalized records with the raw answer as evidence,
// and that a testbed file binds each router to a dialect its topology agrees with.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Executor } from '../helpers/ports.ts';
import { FrrRouter, frr } from '../helpers/nos/frr/dialect.ts';
import { UnrecognizedJson } from '../helpers/nos/records.ts';
import { openTestbed, testbedFileSchema } from '../helpers/testbed.ts';
import { dataJson } from './shared.ts';

/** An FRR router whose vtysh prints what the table holds for each command (JSON-encoded unless a string). */
function vtyshAnswering(answers: Record<string, unknown>): FrrRouter & { asked: string[][] } {
  const asked: string[][] = [];
  const exec: Executor = {
    member: 'leafA',
    via: 'a table',
    async run(argv) {
      asked.push(argv);
      const command = argv.at(-1)!;
      if (!(command in answers)) return { exitCode: 1, stdout: '', stderr: `% Unknown command: ${command}` };
      const a = answers[command];
      return { exitCode: 0, stdout: typeof a === 'string' ? a : JSON.stringify(a), stderr: '' };
    },
  };
  return Object.assign(new FrrRouter('leafA', exec, ['vtysh', '--vty_socket', '/run/x']), { asked });
}

const e84 = (f: string) => dataJson('frr-8.4-prototype', f);

describe('the FRR dialect', () => {
  it('asks one vtysh command per fact and keeps its answer as the evidence', async () => {
    const cases: Array<[string, (r: FrrRouter) => Promise<{ evidence: Array<{ command: string }> }>]> = [
      ['show bgp summary json', (r) => r.sessions()],
      ['show bgp neighbors json', (r) => r.neighbors()],
      ['show bgp l2vpn evpn route json', (r) => r.evpnRoutes()],
      ['show bgp l2vpn evpn route type macip json', (r) => r.evpnRoutes({ type: 2 })],
      ['show bgp l2vpn evpn route type multicast json', (r) => r.evpnRoutes({ type: 3 })],
      ['show bgp l2vpn evpn route type prefix json', (r) => r.evpnRoutes({ type: 5 })],
      ['show bgp l2vpn evpn route detail json', (r) => r.evpnRoutes({ detail: true })],
      ['show bgp l2vpn evpn route vni 110 json', (r) => r.vniRoutes(110)],
      ['show bgp vrf red ipv4 unicast json', (r) => r.vrfRoutes('red')],
      ['show evpn vni json', (r) => r.vnis()],
      ['show evpn vni 110 json', (r) => r.vnis(110)],
      ['show evpn mac vni 110 json', (r) => r.macs(110)],
      ['show evpn mac vni 110 mac 02:00:00:00:01:03 json', (r) => r.macs(110, '02:00:00:00:01:03')],
      ['show evpn arp-cache vni 110 json', (r) => r.arpCache(110)],
      ['show evpn arp-cache vni 110 ip 192.170.1.3 json', (r) => r.arpCache(110, '192.170.1.3')],
      ['show interface json', (r) => r.interfaces()],
      ['show interface vrf red json', (r) => r.interfaces('red')],
    ];
    for (const [command, ask] of cases) {
      const none = command.includes(' vrf red ipv4 ') ? { routes: {} } : {};
      const r = vtyshAnswering({ [command]: none });
      const fact = await ask(r);
      expect(r.asked, command).toEqual([['vtysh', '--vty_socket', '/run/x', '-c', command]]);
      expect(fact.evidence, command).toEqual([{ router: 'leafA', command, raw: JSON.stringify(none), data: none }]);
    }
  });

  it('normalizes the answer into the records the judges read', async () => {
    const r = vtyshAnswering({
      'show bgp l2vpn evpn route type multicast json': e84('evpn-type3-leafA.json'),
      'show evpn json': { isDuplicateAddrDetection: true, maxMoves: 5, detectionTime: 180 },
    });
    const imet = await r.evpnRoutes({ type: 3 });
    expect(imet.router).toBe('leafA');
    expect(imet.value.map((x) => x.ip).sort()).toEqual(['100.65.0.1', '100.65.1.1']);
    expect((await r.duplicateDetection()).value).toEqual({ enabled: true, maxMoves: 5, detectionTimeS: 180 });
  });

  it('refuses an answer of a shape it does not know, naming router, command and keys', async () => {
    const r = vtyshAnswering({ 'show evpn vni 110 json': { surprise: 1 } });
    await expect(r.vnis(110)).rejects.toThrow(UnrecognizedJson);
    await expect(r.vnis(110)).rejects.toThrow('leafA: `show evpn vni 110 json` printed JSON of a shape');
    await expect(r.vnis(110)).rejects.toThrow('top-level keys: surprise');
  });

  it('says which command failed and what vtysh printed; reads the version from show version', async () => {
    const r = vtyshAnswering({ 'show version': 'FRRouting 8.4.4 (leafA) on Linux(6.1.0).\n' });
    expect((await r.version()).value).toBe('8.4.4');
    await expect(r.sessions()).rejects.toThrow(
      "leafA: `vtysh --vty_socket /run/x -c 'show bgp summary json'` exited 1 (a table): % Unknown command",
    );
    const garbled = vtyshAnswering({ 'show version': 'Hello' });
    await expect(garbled.version()).rejects.toThrow('leafA: `show version` printed no "FRRouting <version>": Hello');
  });

  it('names its diagnostics commands and shows each as vtysh would be typed', async () => {
    const r = vtyshAnswering({ 'show evpn vni': 'VNI 110\n' });
    expect(r.diagnosticCommands).toContain('show running-config');
    expect(await r.show('show evpn vni')).toEqual({
      router: 'leafA',
      command: "vtysh -c 'show evpn vni'",
      raw: 'VNI 110\n',
    });
  });
});

describe('routers in the testbed file', () => {
  const base = {
    kind: 'existing',
    runId: 'lab',
    topology: 'multicluster',
    workloads: {},
    clusters: {},
  };
  const spine = { exec: { type: 'netns', netns: 'lab-spine' }, vtysh: ['vtysh'] };

  it('default to FRR and open as FRR routers', () => {
    const file = testbedFileSchema.parse({ ...base, routers: { spine } });
    expect(file.routers.spine).toEqual({ nos: 'frr', ...spine });
    const tb = openTestbed(file);
    expect(tb.router('spine').nos).toBe('frr');
    expect(frr(tb.router('spine')).vtyshArgv).toEqual(['vtysh']);
  });

  it('refuse a dialect l2stretch does not speak, naming the router', () => {
    const r = testbedFileSchema.safeParse({ ...base, routers: { spine: { ...spine, nos: 'ios' } } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain('"routers","spine","nos"');
  });

  it('open when the topology names the same NOS for the router', () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-ports-'));
    const topo = join(dir, 'topo.yaml');
    writeFileSync(
      topo,
      'name: t\nfabric:\n  routers:\n    spine: { nos: frr, role: spine, asn: 65000, interfaces: {} }\n' +
        'clusters: {}\nlinks: []\n',
    );
    const file = testbedFileSchema.parse({ ...base, topology: topo, routers: { spine } });
    expect(openTestbed(file).router('spine').nos).toBe('frr');
  });
});

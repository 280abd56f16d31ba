// The judges of issue #13's checks on small hand-made states: each names the router,
// the session or route, what was expected and what was seen.
import { describe, it, expect } from 'vitest';
import { stabilityProblems, type RouterState, type Watched } from '../suites/stability/checks.ts';
import { anycastProblems } from '../suites/l2-stretch/gateway.ts';
import { vniImportProblems } from '../suites/evpn-routes/checks.ts';
import type { EvpnRoute } from '../helpers/nos/records.ts';

const T0 = Date.UTC(2026, 11, 1, 15, 0, 0);
const epoch = (sec: number) => T0 / 1000 + sec;
const session = {
  address: '192.168.1.3',
  hostname: 'leafB',
  state: 'Established',
  established: 1,
  dropped: 0,
  upSince: epoch(-60),
};
const imet = {
  key: '10.0.1.2:3 [3]:[0]:[32]:[100.65.1.1]',
  type: 3,
  ip: '100.65.1.1',
  nexthop: '100.65.1.1',
  version: 4,
  lastUpdate: epoch(-60),
};
const vm2 = {
  key: '100.65.1.0:2 [2]:[0]:[48]:[02:aa:66:4a:f2:d5]',
  type: 2,
  mac: '02:aa:66:4a:f2:d5',
  nexthop: '100.65.1.0',
  version: 9,
  lastUpdate: epoch(-50),
};
const start: RouterState = { router: 'spine', at: T0, sessions: [session], routes: [imet, vm2] };
const watched: Watched = {
  vteps: new Map([['100.65.1.1', 'pe-kind-b-worker']]),
  vmMacs: new Map([['02:aa:66:4a:f2:d5', 'vm-2']]),
};
const end = (edit: Partial<RouterState>): RouterState => ({ ...start, at: T0 + 40_000, ...edit });

describe('stability', () => {
  it("nothing changed, or FRR's readings wandered by a second: no problem", () => {
    expect(
      stabilityProblems(
        start,
        end({ sessions: [{ ...session, upSince: epoch(-59) }], routes: [imet, { ...vm2, lastUpdate: epoch(-51) }] }),
        watched,
      ),
    ).toEqual([]);
  });

  it('a session that reset names the session and how often', () => {
    const flapped = end({ sessions: [{ ...session, established: 5, dropped: 4, upSince: epoch(38) }] });
    expect(stabilityProblems(start, flapped, watched)).toEqual([
      'spine: session to leafB (192.168.1.3): expected no reset since the run started (15:00:00 UTC), seen 4 ' +
        'resets (connections established 1 → 5, dropped 0 → 4; up since 15:00:38 UTC)',
    ]);
  });

  it('a dynamic neighbor re-created (counters restarted) or gone, a session down at the end', () => {
    expect(stabilityProblems(start, end({ sessions: [{ ...session, upSince: epoch(20) }] }), watched)[0]).toContain(
      'seen a reset (the neighbor was re-created, its counters restarted)',
    );
    expect(stabilityProblems(start, end({ sessions: [] }), watched)[0]).toContain(
      'expected Established throughout, seen gone',
    );
    expect(
      stabilityProblems(start, end({ sessions: [{ ...session, state: 'Active', dropped: 1 }] }), watched)[0],
    ).toContain('seen 1 reset (connections established 1 → 1, dropped 0 → 1; now Active)');
  });

  it('a route not yet through best-path selection at the start (table version 0) may be processed once', () => {
    const fresh = { ...vm2, version: 0, lastUpdate: epoch(-50) };
    expect(
      stabilityProblems({ ...start, routes: [imet, fresh] }, end({ routes: [imet, { ...vm2, version: 1 }] }), watched),
    ).toEqual([]);
    expect(stabilityProblems({ ...start, routes: [imet, fresh] }, end({ routes: [imet] }), watched)).toHaveLength(1);
    const readvertised = { ...vm2, version: 12, lastUpdate: epoch(30) };
    expect(
      stabilityProblems({ ...start, routes: [imet, fresh] }, end({ routes: [imet, readvertised] }), watched),
    ).toHaveLength(1);
  });

  it('a watched route withdrawn or re-advertised (table version or last update moved); unwatched ones unjudged', () => {
    expect(stabilityProblems(start, end({ routes: [vm2] }), watched)).toEqual([
      'spine: type-3 route of VTEP 100.65.1.1 (pe-kind-b-worker) 10.0.1.2:3 [3]:[0]:[32]:[100.65.1.1]: ' +
        'expected held throughout, seen withdrawn since the run started (15:00:00 UTC)',
    ]);
    expect(
      stabilityProblems(start, end({ routes: [imet, { ...vm2, version: 12, lastUpdate: epoch(30) }] }), watched),
    ).toEqual([
      'spine: type-2 MAC route of vm-2 (02:aa:66:4a:f2:d5) 100.65.1.0:2 [2]:[0]:[48]:[02:aa:66:4a:f2:d5]: ' +
        'expected unchanged since the run started (15:00:00 UTC), seen withdrawn and re-advertised or replaced ' +
        '(table version 9 → 12, last update 14:59:10 → 15:00:30 UTC)',
    ]);
    expect(stabilityProblems(start, end({ routes: [imet] }), { ...watched, vmMacs: new Map() })).toEqual([]);
  });
});

describe('anycast gateway', () => {
  const node = (n: string, mac: string, addresses = ['192.170.1.1/24']) => ({
    node: n,
    svi: 'br-pe-110',
    mac,
    addresses,
  });
  it('one MAC everywhere passes; another MAC on an SVI, no gateway address, a VM that learned another MAC fail', () => {
    const a = '00:f3:00:00:00:6f';
    expect(anycastProblems(110, '192.170.1.1', [node('n1', a), node('n2', a)], [{ vm: 'vm-1', mac: a }])).toEqual([]);
    expect(
      anycastProblems(
        110,
        '192.170.1.1',
        [node('n1', a), node('n2', a), node('n3', '00:f3:00:00:00:99')],
        [{ vm: 'vm-1', mac: a }],
      ),
    ).toEqual([
      'n3: VNI 110 gateway 192.170.1.1: expected the anycast MAC 00:f3:00:00:00:6f on SVI br-pe-110, seen ' +
        '00:f3:00:00:00:99',
    ]);
    expect(anycastProblems(110, '192.170.1.1', [node('n1', a, ['fe80::1/64'])], [{ vm: 'vm-2' }], a)).toEqual([
      'n1: VNI 110 gateway 192.170.1.1: expected on SVI br-pe-110, seen br-pe-110 with fe80::1/64',
      'vm-2: gateway 192.170.1.1: expected a neighbor entry at 00:f3:00:00:00:6f after pinging it, seen none',
    ]);
    expect(
      anycastProblems(110, '192.170.1.1', [{ node: 'n4', missing: 'no VNI 110 in zebra', addresses: [] }], []),
    ).toEqual(['n4: VNI 110 gateway 192.170.1.1: expected an SVI answering it, seen no VNI 110 in zebra']);
  });
});

describe('VNI import', () => {
  const route = (type: number, o: Partial<EvpnRoute>, nexthop: string): EvpnRoute => ({
    prefix: `[${type}]`,
    type,
    ...o,
    paths: [
      { valid: true, best: true, nexthop, asPath: '', extendedCommunity: '', macMobilitySeq: 0, routeTargets: [] },
    ],
  });
  const vm = {
    vm: 'vm-2',
    mac: '02:aa:66:4a:f2:d5',
    ip: '192.170.1.30',
    vtep: '100.65.1.0',
    node: 'pe-kind-b-control-plane',
    routeTarget: '64518:110',
  };
  const vteps = [{ vtep: '100.65.1.0', node: 'pe-kind-b-control-plane' }];
  it('imported: no problem; not imported (a route-target that keeps them out): each route named', () => {
    const all = [
      route(2, { mac: vm.mac }, vm.vtep),
      route(2, { mac: vm.mac, ip: vm.ip }, vm.vtep),
      route(3, { ip: '100.65.1.0' }, '100.65.1.0'),
    ];
    expect(vniImportProblems('pe-kind-a-worker', 110, all, [vm], vteps)).toEqual([]);
    expect(vniImportProblems('pe-kind-a-worker', 110, [], [vm], vteps)).toEqual([
      'pe-kind-a-worker: VNI 110: type-2 MAC route of vm-2 (02:aa:66:4a:f2:d5) via 100.65.1.0 ' +
        '(pe-kind-b-control-plane): expected imported, seen no route for that MAC in the VNI',
      'pe-kind-a-worker: VNI 110: type-2 MAC+IP route of vm-2 (02:aa:66:4a:f2:d5 192.170.1.30) via 100.65.1.0 ' +
        '(pe-kind-b-control-plane): expected imported, seen no route for that MAC in the VNI',
      'pe-kind-a-worker: VNI 110: type-3 route of VTEP 100.65.1.0 (pe-kind-b-control-plane): expected ' +
        'imported, seen no type-3 route in the VNI',
    ]);
    expect(
      vniImportProblems('n', 110, [all[0]!, route(2, { mac: vm.mac, ip: vm.ip }, '100.65.0.0'), all[2]!], [vm], vteps),
    ).toEqual([
      'n: VNI 110: type-2 MAC+IP route of vm-2 (02:aa:66:4a:f2:d5 192.170.1.30) via 100.65.1.0 ' +
        '(pe-kind-b-control-plane): expected imported with that next hop, seen [2] via 100.65.0.0',
    ]);
  });
});

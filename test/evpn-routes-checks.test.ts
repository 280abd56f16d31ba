// The EVPN judges at their edges, on small routes written out here: routes of other
// types or MACs in the table, routes with no best path or no next hop, several
// candidates, and every part of their failure messages.
import { describe, it, expect } from 'vitest';
import {
  imetProblems,
  macIpProblems,
  vniImportProblems,
  vrfTableProblems,
  remoteVtepProblems,
  remoteMacProblems,
  checkMacIp,
} from '../suites/evpn-routes/checks.ts';
import type { EvpnPath, EvpnRoute, UnicastRoute } from '../helpers/nos/records.ts';
import type { Evidence, Executor } from '../helpers/ports.ts';
import { FrrRouter } from '../helpers/nos/frr/dialect.ts';

const path = (nexthop: string | undefined, rts: string[], best = true): EvpnPath => ({
  valid: true,
  best,
  nexthop,
  asPath: '64512 64514',
  extendedCommunity: rts.map((t) => `RT:${t}`).join(' '),
  macMobilitySeq: 0,
  routeTargets: rts,
});
const route = (prefix: string, fields: Partial<EvpnRoute>, ...paths: EvpnPath[]): EvpnRoute => ({
  rd: '100.65.1.0:3',
  prefix,
  type: Number(prefix[1]),
  ...fields,
  paths,
});

const MAC = '02:aa:66:4a:f2:d5';
const vm2 = {
  vm: 'vm-2',
  mac: MAC,
  ip: '192.170.1.30',
  vtep: '100.65.1.0',
  node: 'pe-kind-b-control-plane',
  routeTarget: '64518:110',
};
const macRoute = (...paths: EvpnPath[]) => route(`[2]:[0]:[48]:[${MAC}]`, { mac: MAC }, ...paths);
const macIpRoute = (...paths: EvpnPath[]) =>
  route(`[2]:[0]:[48]:[${MAC}]:[32]:[192.170.1.30]`, { mac: MAC, ip: '192.170.1.30' }, ...paths);
const imet = (vtep: string, ...paths: EvpnPath[]) => route(`[3]:[0]:[32]:[${vtep}]`, { ip: vtep }, ...paths);

describe('imetProblems', () => {
  const expected = [{ vni: 110, vtep: '100.65.1.0', node: 'pe-kind-b-control-plane', routeTarget: '64518:110' }];
  const what = 'spine: type-3 (IMET) route for VNI 110 from VTEP 100.65.1.0 (pe-kind-b-control-plane)';

  it('several routes of that VTEP, none with the RT: each is named', () => {
    const routes = [
      imet('100.65.1.0', path('100.65.1.0', ['64518:120'])),
      { ...imet('100.65.1.0', path('100.65.1.0', ['64518:130'])), rd: '100.65.1.0:4' },
    ];
    expect(imetProblems('spine', routes, expected)).toEqual([
      `${what}: expected RT:64518:110, seen [3]:[0]:[32]:[100.65.1.0] via 100.65.1.0 (RT:64518:120), ` +
        '[3]:[0]:[32]:[100.65.1.0] via 100.65.1.0 (RT:64518:130)',
    ]);
  });

  it('the best path with the RT but no next hop; a second route of the VTEP with the RT', () => {
    expect(imetProblems('spine', [imet('100.65.1.0', path(undefined, ['64518:110']))], expected)).toEqual([
      `${what}: expected next hop 100.65.1.0, seen none`,
    ]);
    const routes = [
      imet('100.65.1.0', path('100.65.1.0', ['64518:120'])),
      imet('100.65.1.0', path('100.65.1.0', ['64518:110'])),
    ];
    expect(imetProblems('spine', routes, expected)).toEqual([]);
  });
});

describe('macIpProblems', () => {
  const mac = 'leafA: type-2 MAC route of vm-2 (02:aa:66:4a:f2:d5)';
  const macIp = 'leafA: type-2 MAC+IP route of vm-2 (02:aa:66:4a:f2:d5 192.170.1.30)';

  it('only type-2 routes with that MAC count: another type, another MAC, a type-2 route with no MAC', () => {
    const others = [
      route('[4]:[03:44:38:39:ff:ff:01:00:00:01]:[32]:[100.65.1.0]', { mac: MAC }, path(vm2.vtep, ['64518:110'])),
      route('[2]:[0]:[48]:[02:aa:66:4a:f2:d6]', { mac: '02:aa:66:4a:f2:d6' }, path(vm2.vtep, ['64518:110'])),
      route('[2]:[0]:[48]:[]', {}, path(vm2.vtep, ['64518:110'])),
    ];
    expect(macIpProblems('leafA', others, vm2)).toEqual([
      `${mac}: absent; type-2 routes for that MAC: none`,
      `${macIp}: absent; type-2 routes for that MAC: none`,
    ]);
  });

  it('the MAC+IP route absent names every type-2 route of that MAC', () => {
    const routes = [
      macRoute(path(vm2.vtep, ['64518:110'])),
      { ...macRoute(path('100.65.0.1', ['64514:110'])), rd: '100.65.0.1:3' },
    ];
    expect(macIpProblems('leafA', routes, vm2)).toEqual([
      `${macIp}: absent; type-2 routes for that MAC: [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.1.0 ` +
        '(RT:64518:110), [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.0.1 (RT:64514:110)',
    ]);
  });

  it('the first route of the MAC with a best path is judged; routes with none are skipped or named', () => {
    const undecided = macRoute(path(vm2.vtep, ['64518:110'], false), path('100.65.0.1', ['64518:110'], false));
    const good = [macRoute(path(vm2.vtep, ['64518:110'])), macIpRoute(path(vm2.vtep, ['64518:110']))];
    expect(macIpProblems('leafA', [undecided, ...good], vm2)).toEqual([]);
    expect(macIpProblems('leafA', [undecided, good[1]!], vm2)).toEqual([
      `${mac}: expected RT:64518:110 (its segment), seen [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via ? (no RT)`,
    ]);
  });

  it('routes of the MAC in another segment are each named; a best path with no next hop', () => {
    const routes = [
      macRoute(path(vm2.vtep, ['64518:120'])),
      { ...macRoute(path(vm2.vtep, ['64518:130'])), rd: '100.65.1.0:4' },
      macIpRoute(path(undefined, ['64518:110'])),
    ];
    expect(macIpProblems('leafA', routes, vm2)).toEqual([
      `${mac}: expected RT:64518:110 (its segment), seen [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.1.0 ` +
        '(RT:64518:120), [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.1.0 (RT:64518:130)',
      `${macIp}: expected next hop 100.65.1.0 (pe-kind-b-control-plane, hosting the VM), seen no best path`,
    ]);
  });
});

describe('vniImportProblems', () => {
  const vteps = [{ vtep: '100.65.1.0', node: 'pe-kind-b-control-plane' }];
  const what = (kind: string) => `pe-kind-a-worker: VNI 110: type-2 ${kind} via 100.65.1.0 (pe-kind-b-control-plane)`;
  const mac = what('MAC route of vm-2 (02:aa:66:4a:f2:d5)');
  const macIp = what('MAC+IP route of vm-2 (02:aa:66:4a:f2:d5 192.170.1.30)');
  const judge = (routes: EvpnRoute[]) => vniImportProblems('pe-kind-a-worker', 110, routes, [vm2], vteps);
  const type3 = imet('100.65.1.0', path('100.65.1.0', ['64518:110']));

  it("another VM's routes, another type's, are not that MAC's", () => {
    const others = [
      route('[2]:[0]:[48]:[02:aa:66:4a:f2:d6]', { mac: '02:aa:66:4a:f2:d6' }, path(vm2.vtep, [])),
      route('[1]:[03:44:38:39:ff:ff:01:00:00:01]:[4294967295]', { mac: MAC }, path(vm2.vtep, [])),
      route('[2]:[0]:[48]:[]', {}, path(vm2.vtep, [])),
      type3,
    ];
    expect(judge(others)).toEqual([
      `${mac}: expected imported, seen no route for that MAC in the VNI`,
      `${macIp}: expected imported, seen no route for that MAC in the VNI`,
    ]);
  });

  it('the MAC route imported but not the MAC+IP one names what the VNI has of that MAC', () => {
    const routes = [macRoute(path(vm2.vtep, [])), macRoute(path(undefined, [], false), path(vm2.vtep, [], false))];
    expect(judge([...routes, type3])).toEqual([
      `${macIp}: expected imported, seen only [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.1.0, ` +
        '[2]:[0]:[48]:[02:aa:66:4a:f2:d5] via ?',
    ]);
  });

  it('one of several routes with that next hop is enough; none with it names each', () => {
    const right = [macRoute(path(vm2.vtep, [])), macIpRoute(path(vm2.vtep, []))];
    const stale = [macRoute(path('100.65.0.1', [])), macIpRoute(path(undefined, [], false), path('x', [], false))];
    expect(judge([stale[0]!, right[0]!, stale[1]!, right[1]!, type3])).toEqual([]);
    expect(judge([...stale, { ...stale[0]!, rd: '100.65.0.0:3' }, type3])).toEqual([
      `${mac}: expected imported with that next hop, seen [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.0.1, ` +
        '[2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.0.1',
      `${macIp}: expected imported with that next hop, seen [2]:[0]:[48]:[02:aa:66:4a:f2:d5]:[32]:[192.170.1.30] via ?`,
    ]);
  });

  it("a VTEP's type-3 route absent names the type-3 routes the VNI has; another type is not one", () => {
    const vm = [macRoute(path(vm2.vtep, [])), macIpRoute(path(vm2.vtep, []))];
    const other3 = [imet('100.65.0.0', path('100.65.0.0', [])), imet('100.65.0.1', path('100.65.0.1', []))];
    const asType5 = route('[5]:[0]:[32]:[100.65.1.0]', { ip: '100.65.1.0' }, path('100.65.1.0', []));
    expect(judge([...vm, ...other3, asType5])).toEqual([
      'pe-kind-a-worker: VNI 110: type-3 route of VTEP 100.65.1.0 (pe-kind-b-control-plane): expected imported, ' +
        'seen type-3 of 100.65.0.0, 100.65.0.1 only',
    ]);
  });
});

describe('vrfTableProblems', () => {
  const u = (prefix: string, best: boolean, nexthop?: string): UnicastRoute =>
    ({ prefix, paths: [{ best, nexthop }] }) as unknown as UnicastRoute;
  const red = { prefix: '192.168.20.0/24', nexthop: '100.64.0.1', host: 'hostA_red' };
  const blue = { prefix: '192.168.21.0/24', host: 'hostA_blue' };

  it('an empty table; a route with no best path, present or leaked', () => {
    expect(vrfTableProblems('pe-a', 'red', [], [red], [])).toEqual([
      'pe-a: VRF red lacks 192.168.20.0/24 (subnet of hostA_red); it has: nothing',
    ]);
    expect(vrfTableProblems('pe-a', 'red', [u(red.prefix, false, '100.64.0.1')], [red], [])).toEqual([
      'pe-a: VRF red route 192.168.20.0/24 (hostA_red): expected next hop 100.64.0.1, seen no best path',
    ]);
    expect(vrfTableProblems('pe-a', 'red', [u(blue.prefix, false, '100.64.0.1')], [], [blue])).toEqual([
      'pe-a: VRF red must not have 192.168.21.0/24 (subnet of hostA_blue, another VRF) but has it via ?',
    ]);
  });
});

describe('remoteVtepProblems', () => {
  const vni = (remoteVteps: string[]) => [{ vni: 110, type: 'L2', remoteVteps }];

  it('every part of the message: what was seen, each missing and each unexpected VTEP', () => {
    expect(remoteVtepProblems('pe-a', 110, vni([]), ['100.65.1.0', '100.65.1.1'])).toEqual([
      'pe-a: VNI 110 remote VTEPs: expected 100.65.1.0, 100.65.1.1, seen none (missing 100.65.1.0, 100.65.1.1)',
    ]);
    expect(remoteVtepProblems('pe-a', 110, vni(['100.65.2.0', '100.65.1.0', '100.65.2.1']), ['100.65.1.0'])).toEqual([
      'pe-a: VNI 110 remote VTEPs: expected 100.65.1.0, seen 100.65.2.0, 100.65.1.0, 100.65.2.1 ' +
        '(unexpected 100.65.2.0, 100.65.2.1)',
    ]);
  });
});

describe('remoteMacProblems', () => {
  it('a MAC learnt locally, on an interface or with nothing named', () => {
    const local = { mac: MAC, type: 'local', intf: 'veth-vm2', isDuplicate: false };
    expect(remoteMacProblems('pe-b', 110, [local] as never, vm2)).toEqual([
      'pe-b: VNI 110 MAC 02:aa:66:4a:f2:d5 of vm-2: expected remote via 100.65.1.0 (pe-kind-b-control-plane), ' +
        'seen local on veth-vm2',
    ]);
    expect(remoteMacProblems('pe-b', 110, [{ ...local, intf: undefined }] as never, vm2)).toEqual([
      'pe-b: VNI 110 MAC 02:aa:66:4a:f2:d5 of vm-2: expected remote via 100.65.1.0 (pe-kind-b-control-plane), ' +
        'seen local',
    ]);
  });
});

describe('checkMacIp with the L2VNIs a node imported', () => {
  it("asks for each VNI's table and judges it; every answer is evidence", async () => {
    const bgpPath = (routeType: number, nexthop: string) => ({
      valid: true,
      bestpath: true,
      routeType,
      extendedCommunity: { string: 'RT:64518:110 ET:8' },
      nexthops: [{ ip: nexthop }],
    });
    const answers: Record<string, unknown> = {
      'show bgp l2vpn evpn route type macip json': {},
      'show bgp l2vpn evpn route vni 110 json': {
        [`[2]:[0]:[48]:[${MAC}]`]: { paths: [[bgpPath(2, '100.65.1.0')]] },
        '[3]:[0]:[32]:[100.65.1.0]': { paths: [[bgpPath(3, '100.65.1.0')]] },
      },
      'show bgp l2vpn evpn route vni 120 json': {},
    };
    const asked: string[] = [];
    const vtysh: Executor = {
      member: 'pe-kind-a-worker',
      via: 'a table',
      async run(argv) {
        const command = argv.at(-1)!;
        asked.push(command);
        if (!(command in answers)) throw new Error(`unexpected command ${command}`);
        return { exitCode: 0, stdout: JSON.stringify(answers[command]), stderr: '' };
      },
    };
    const router = new FrrRouter('pe-kind-a-worker', vtysh, ['vtysh']);
    const vteps = [{ vtep: '100.65.1.0', node: 'pe-kind-b-control-plane' }];
    const got = await checkMacIp(
      router,
      [],
      [
        { vni: 110, vms: [vm2], vteps },
        { vni: 120, vms: [], vteps },
      ],
    );
    expect(got.problem).toBe(
      [
        'pe-kind-a-worker: VNI 110: type-2 MAC+IP route of vm-2 (02:aa:66:4a:f2:d5 192.170.1.30) via 100.65.1.0 ' +
          '(pe-kind-b-control-plane): expected imported, seen only [2]:[0]:[48]:[02:aa:66:4a:f2:d5] via 100.65.1.0',
        'pe-kind-a-worker: VNI 120: type-3 route of VTEP 100.65.1.0 (pe-kind-b-control-plane): expected imported, ' +
          'seen no type-3 route in the VNI',
      ].join('\n'),
    );
    expect(asked).toEqual([
      'show bgp l2vpn evpn route type macip json',
      'show bgp l2vpn evpn route vni 110 json',
      'show bgp l2vpn evpn route vni 120 json',
    ]);
    expect((got.evidence as Evidence[]).map((e) => e.command)).toEqual(asked);
  });
});

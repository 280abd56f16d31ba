// The judges that ask a router themselves (checkImet, checkMacIp, checkVrfTable,
// checkZebraVni, checkRouterSessions), over the FRR dialect of a router whose vtysh
// answers with captured JSON: they must ask the right command, judge what it answered
// and hand back that answer as evidence.
import { describe, it, expect } from 'vitest';
import type { Executor } from '../helpers/ports.ts';
import { FrrRouter } from '../helpers/nos/frr/dialect.ts';
import { checkImet, checkMacIp, checkVrfTable, checkZebraVni } from '../suites/evpn-routes/checks.ts';
import { checkRouterSessions, sessionProblems } from '../suites/bgp-sessions/checks.ts';
import type { BgpPeer } from '../helpers/nos/records.ts';
import type { AddressFamily } from '../topology/expectations.ts';
import { dataJson, fixtureJson } from './shared.ts';

/** A router answering `show …` commands from a table; any other command fails the test. */
function capturedRouter(name: string, answers: Record<string, unknown>): FrrRouter & { asked: string[] } {
  const asked: string[] = [];
  const vtysh: Executor = {
    member: name,
    via: 'captured JSON',
    async run(argv) {
      const command = argv.at(-1)!;
      asked.push(command);
      if (!(command in answers)) throw new Error(`${name}: unexpected command ${command}`);
      return { exitCode: 0, stdout: JSON.stringify(answers[command]), stderr: '' };
    },
  };
  return Object.assign(new FrrRouter(name, vtysh, ['vtysh']), { asked });
}

const e84 = (f: string) => dataJson('frr-8.4-prototype', f);
const vm1 = {
  vm: 'vm-1',
  mac: '02:00:00:00:01:03',
  ip: '192.170.1.3',
  vtep: '100.65.0.1',
  node: 'pe-kind-a-worker',
  routeTarget: '64514:110',
};

describe('EVPN judges asking a router', () => {
  it('checkImet asks for type-3 routes and passes or names what is missing', async () => {
    const leafA = capturedRouter('leafA', {
      'show bgp l2vpn evpn route type multicast json': e84('evpn-type3-leafA.json'),
    });
    const ok = await checkImet(leafA, [
      { vni: 110, vtep: '100.65.1.1', node: 'pe-kind-b-worker', routeTarget: '64518:110' },
    ]);
    expect(ok.problem).toBeUndefined();
    expect(leafA.asked).toEqual(['show bgp l2vpn evpn route type multicast json']);
    expect(ok.evidence.map((a) => a.router)).toEqual(['leafA']);
    const two = await checkImet(leafA, [
      { vni: 110, vtep: '100.65.0.9', node: 'a', routeTarget: '64514:110' },
      { vni: 110, vtep: '100.65.1.9', node: 'b', routeTarget: '64518:110' },
    ]);
    const seen =
      'type-3 routes seen: [3]:[0]:[32]:[100.65.0.1] via 100.65.0.1 (RT:64514:110), [3]:[0]:[32]:[100.65.1.1] ' +
      'via 100.65.1.1 (RT:64518:110)';
    expect(two.problem).toBe(
      [
        `leafA: type-3 (IMET) route for VNI 110 from VTEP 100.65.0.9 (a): absent; ${seen}`,
        `leafA: type-3 (IMET) route for VNI 110 from VTEP 100.65.1.9 (b): absent; ${seen}`,
      ].join('\n'),
    );
  });

  it('checkMacIp asks for MAC/IP routes and judges every expected VM', async () => {
    const leafA = capturedRouter('leafA', {
      'show bgp l2vpn evpn route type macip json': e84('evpn-type2-leafA.json'),
    });
    expect((await checkMacIp(leafA, [vm1])).problem).toBeUndefined();
    expect(leafA.asked).toEqual(['show bgp l2vpn evpn route type macip json']);
    const vm2 = {
      vm: 'vm-2',
      mac: '02:00:00:00:01:1e',
      ip: '192.170.1.30',
      vtep: '100.65.1.1',
      node: 'pe-kind-b-worker',
      routeTarget: '64518:110',
    };
    expect((await checkMacIp(leafA, [vm1, vm2])).problem).toBeUndefined();
    expect(
      (await checkMacIp(leafA, [vm1, { ...vm2, vtep: '100.65.1.0', node: 'pe-kind-b-control-plane' }])).problem,
    ).toBe(
      [
        'leafA: type-2 MAC route of vm-2 (02:00:00:00:01:1e): expected next hop 100.65.1.0 ' +
          '(pe-kind-b-control-plane, hosting the VM), seen 100.65.1.1',
        'leafA: type-2 MAC+IP route of vm-2 (02:00:00:00:01:1e 192.170.1.30): expected next hop 100.65.1.0 ' +
          '(pe-kind-b-control-plane, hosting the VM), seen 100.65.1.1',
      ].join('\n'),
    );
  });

  it("checkVrfTable asks for the VRF's table", async () => {
    const peA = capturedRouter('peA', { 'show bgp vrf red ipv4 unicast json': e84('bgp-vrf-red-ipv4-peA.json') });
    const present = [{ prefix: '192.168.20.0/24', nexthop: '100.64.0.1', host: 'hostA_red' }];
    expect(
      (await checkVrfTable(peA, 'red', present, [{ prefix: '192.168.21.0/24', host: 'hostA_blue' }])).problem,
    ).toBeUndefined();
    expect((await checkVrfTable(peA, 'red', [{ prefix: '192.168.99.0/24', host: 'x' }], [])).problem).toBe(
      'peA: VRF red lacks 192.168.99.0/24 (subnet of x); it has: 192.168.20.0/24, 192.170.1.0/24, 192.170.1.30/32',
    );
    await expect(checkVrfTable(peA, 'blue', [], [])).rejects.toThrow(
      'peA: unexpected command show bgp vrf blue ipv4 unicast json',
    );
  });

  it('checkZebraVni asks for the VNI and its MACs, and reports both kinds of problem', async () => {
    const peB = capturedRouter('peB', {
      'show evpn vni 110 json': e84('evpn-vni-110-peB.json'),
      'show evpn mac vni 110 json': e84('evpn-mac-110-peB.json'),
    });
    const ok = await checkZebraVni(peB, 110, ['100.65.0.1'], [vm1]);
    expect(ok.problem).toBeUndefined();
    expect(ok.evidence.map((a) => a.command)).toEqual(['show evpn vni 110 json', 'show evpn mac vni 110 json']);
    expect((await checkZebraVni(peB, 110, ['100.65.0.2'], [{ ...vm1, vtep: '100.65.0.2' }])).problem).toBe(
      [
        'peB: VNI 110 remote VTEPs: expected 100.65.0.2, seen 100.65.0.1 (missing 100.65.0.2) (unexpected 100.65.0.1)',
        'peB: VNI 110 MAC 02:00:00:00:01:03 of vm-1: expected remote via 100.65.0.2 (pe-kind-a-worker), seen ' +
          'remote via 100.65.0.1',
      ].join('\n'),
    );
  });
});

describe('BGP session judge', () => {
  const families: AddressFamily[] = ['ipv4Unicast', 'l2VpnEvpn'];
  const spine = [
    { router: 'spine', peer: 'leafA', peerAddress: '192.168.1.1', peerAsn: 64520, dynamic: false, families },
  ];
  const peer = (p: Partial<BgpPeer>): BgpPeer => ({
    vrf: 'default',
    afi: 'ipv4Unicast',
    address: '192.168.1.1',
    state: 'Established',
    remoteAs: 64520,
    dynamic: false,
    ...p,
  });
  const both = new Map([
    [
      '192.168.1.1',
      new Map([
        ['ipv4Unicast', 'both' as const],
        ['l2VpnEvpn', 'both' as const],
      ]),
    ],
  ]);

  it('checkRouterSessions asks for the summary and the neighbors and joins the problems', async () => {
    const r = capturedRouter('spine', {
      'show bgp summary json': fixtureJson('frr-8.4', 'bgp-summary-spine-leafkind-a-shutdown.json'),
      'show bgp neighbors json': fixtureJson('frr-8.4', 'bgp-neighbors-spine.json'),
    });
    const res = await checkRouterSessions(r, [
      { router: 'spine', peer: 'leafkind-a', peerAddress: '192.168.1.5', peerAsn: 64512, dynamic: false, families },
    ]);
    expect(res.problem).toBe(
      'spine: session to leafkind-a (192.168.1.5, AS 64512) in IPv4 unicast: expected Established, seen Idle ' +
        '(Admin)\nspine: session to leafkind-a (192.168.1.5, AS 64512) in L2VPN EVPN: expected Established, seen ' +
        'Idle (Admin)',
    );
    expect(res.evidence?.map((a) => a.command)).toEqual(['show bgp summary json', 'show bgp neighbors json']);
    expect((await checkRouterSessions(r, [])).problem).toBeUndefined();
  });

  it('a session counts only in the default VRF and in its own family', () => {
    const evpnOnly = [peer({ afi: 'l2VpnEvpn' })];
    expect(sessionProblems('spine', spine, evpnOnly, both)).toEqual([
      'spine: session to leafA (192.168.1.1, AS 64520) in IPv4 unicast: expected Established, seen no such ' +
        'neighbor in IPv4 unicast',
    ]);
    const otherVrf = [peer({ vrf: 'red' }), peer({ vrf: 'red', afi: 'l2VpnEvpn' })];
    expect(sessionProblems('spine', spine, otherVrf, both)).toHaveLength(2);
    const otherPeer = [peer({ address: '192.168.1.3' }), peer({ address: '192.168.1.3', afi: 'l2VpnEvpn' })];
    expect(sessionProblems('spine', spine, otherPeer, both)).toHaveLength(2);
    expect(sessionProblems('spine', spine, [peer({}), peer({ afi: 'l2VpnEvpn' })], both)).toEqual([]);
  });

  it('an unknown remote AS is not a mismatch; a family not negotiated names the side that did not advertise it', () => {
    const ok = [peer({ remoteAs: undefined }), peer({ afi: 'l2VpnEvpn', remoteAs: undefined })];
    expect(sessionProblems('spine', spine, ok, both)).toEqual([]);
    const up = [peer({}), peer({ afi: 'l2VpnEvpn' })];
    const neg = (n?: 'local only' | 'peer only') =>
      new Map([
        ['192.168.1.1', new Map([['ipv4Unicast', 'both' as const], ...(n ? [['l2VpnEvpn', n] as const] : [])])],
      ]);
    const what =
      'spine: session to leafA (192.168.1.1, AS 64520) in L2VPN EVPN: expected Established with the family ' +
      'negotiated, seen Established but not negotiated (NoNeg): ';
    expect(sessionProblems('spine', spine, up, neg('local only'))).toEqual([`${what}leafA did not advertise it`]);
    expect(sessionProblems('spine', spine, up, neg('peer only'))).toEqual([`${what}spine did not advertise it`]);
    expect(sessionProblems('spine', spine, up, neg())).toEqual([`${what}neither side advertised it`]);
    expect(sessionProblems('spine', spine, up, new Map())).toHaveLength(2);
  });
});

import { describe, it, expect, beforeEach } from 'vitest';
import { imetProblems, macIpProblems, vrfTableProblems, remoteVtepProblems, remoteMacProblems } from '../suites/evpn-routes/checks.ts';
import { sourceIpProblem } from '../suites/l2-stretch/checks.ts';
import { parseEvpnRoutes, parseBgpRoutes, parseEvpnVnis, parseEvpnMacs } from '../helpers/frr-json.ts';
import { needsShared, sharedJson } from './shared.ts';

// The FRR 8.4 captures of ../shared come from a prototype where vm-1 (02:00:00:00:01:03,
// 192.170.1.3) ran behind VTEP 100.65.0.1 and vm-2 (02:00:00:00:01:1e) behind 100.65.1.1.
const e84 = (f: string) => sharedJson('frr-json', 'frr-8.4-embedded', f);
const vm1 = { vm: 'vm-1', mac: '02:00:00:00:01:03', ip: '192.170.1.3', vtep: '100.65.0.1', node: 'pe-kind-a-worker', routeTarget: '64514:110' };

describe('evpn-routes checks on captured FRR 8.4 JSON', () => {
  beforeEach((ctx) => needsShared(ctx));

  it('type-2: pass where the VM is, name the next hop seen where it is not', () => {
    const routes = parseEvpnRoutes(e84('evpn-type2-leafA.json'));
    expect(macIpProblems('leafA', routes, vm1)).toEqual([]);
    expect(macIpProblems('leafA', routes, { ...vm1, vtep: '100.65.1.1', node: 'pe-kind-b-worker' })).toEqual([
      'leafA: type-2 MAC route of vm-1 (02:00:00:00:01:03): expected next hop 100.65.1.1 (pe-kind-b-worker, hosting the VM), seen 100.65.0.1',
      'leafA: type-2 MAC+IP route of vm-1 (02:00:00:00:01:03 192.170.1.3): expected next hop 100.65.1.1 (pe-kind-b-worker, hosting the VM), seen 100.65.0.1',
    ]);
    expect(macIpProblems('leafA', routes, { ...vm1, routeTarget: '64514:111' })).toEqual([
      'leafA: type-2 MAC route of vm-1 (02:00:00:00:01:03): expected RT:64514:111 (its segment), seen [2]:[0]:[48]:[02:00:00:00:01:03] via 100.65.0.1 (RT:64514:110)',
      'leafA: type-2 MAC+IP route of vm-1 (02:00:00:00:01:03 192.170.1.3): expected RT:64514:111 (its segment), seen [2]:[0]:[48]:[02:00:00:00:01:03]:[32]:[192.170.1.3] via 100.65.0.1 (RT:64514:100 RT:64514:110)',
    ]);
    expect(macIpProblems('leafA', routes, { ...vm1, ip: '192.170.1.99' })[0]).toMatch(/^leafA: type-2 MAC\+IP route of vm-1 \(02:00:00:00:01:03 192\.170\.1\.99\): absent; type-2 routes for that MAC: \[2\]/);
  });

  it('type-3: pass with the right RT and next hop, fail naming the missing VTEP and what was seen', () => {
    const routes = parseEvpnRoutes(e84('evpn-type3-leafA.json'));
    const vteps = [...new Set(routes.filter((r) => r.type === 3).map((r) => r.ip!))];
    expect(vteps.length).toBeGreaterThan(0);
    const rtOf = (ip: string) => routes.find((r) => r.ip === ip)!.paths[0]!.routeTargets[0]!;
    expect(imetProblems('leafA', routes, vteps.map((v) => ({ vni: 110, vtep: v, node: 'n', routeTarget: rtOf(v) })))).toEqual([]);
    const [missing] = imetProblems('leafA', routes, [{ vni: 110, vtep: '100.65.9.9', node: 'ghost', routeTarget: '64514:110' }]);
    expect(missing).toMatch(/^leafA: type-3 \(IMET\) route for VNI 110 from VTEP 100\.65\.9\.9 \(ghost\): absent; type-3 routes seen: \[3\]/);
    expect(imetProblems('leafA', routes, [{ vni: 110, vtep: vteps[0]!, node: 'n', routeTarget: '1:111' }])[0]).toContain('expected RT:1:111, seen');
  });

  it('type-5 in VRF red: red subnets present with their leaf VTEP, blue absent', () => {
    const routes = parseBgpRoutes(e84('bgp-vrf-red-ipv4-peA.json'));
    const present = [{ prefix: '192.168.20.0/24', nexthop: '100.64.0.1', host: 'hostA_red' }];
    const absent = [{ prefix: '192.168.21.0/24', host: 'hostA_blue' }];
    expect(vrfTableProblems('peA', 'red', routes, present, absent)).toEqual([]);
    expect(vrfTableProblems('peA', 'red', routes, [], [{ prefix: '192.168.20.0/24', host: 'pretend-blue' }])).toEqual([
      'peA: VRF red must not have 192.168.20.0/24 (subnet of pretend-blue, another VRF) but has it via 100.64.0.1',
    ]);
    expect(vrfTableProblems('peA', 'red', routes, [{ prefix: '192.168.20.0/24', nexthop: '100.64.0.2', host: 'hostA_red' }], [])).toEqual([
      'peA: VRF red route 192.168.20.0/24 (hostA_red): expected next hop 100.64.0.2, seen 100.64.0.1',
    ]);
  });

  it('zebra: remote VTEPs exactly, and the remote MAC at its VTEP', () => {
    const vnis = parseEvpnVnis(e84('evpn-vni-110-peB.json'));
    expect(remoteVtepProblems('peB', 110, vnis, ['100.65.0.1'])).toEqual([]);
    expect(remoteVtepProblems('peB', 110, vnis, ['100.65.0.1', '100.65.0.7'])).toEqual(['peB: VNI 110 remote VTEPs: expected 100.65.0.1, 100.65.0.7, seen 100.65.0.1 (missing 100.65.0.7)']);
    expect(remoteVtepProblems('peB', 111, vnis, [])).toEqual(['peB: zebra has no VNI 111 (show evpn vni)']);
    const macs = parseEvpnMacs(e84('evpn-mac-110-peB.json'));
    expect(remoteMacProblems('peB', 110, macs, vm1)).toEqual([]);
    expect(remoteMacProblems('peB', 110, macs, { ...vm1, mac: '02:00:00:00:01:1e', vm: 'vm-2' })).toEqual(['peB: VNI 110 MAC 02:00:00:00:01:1e of vm-2: expected remote via 100.65.0.1 (pe-kind-a-worker), seen local on pe-110']);
  });
});

describe('l2-stretch source address check', () => {
  it('accepts the caller\'s own address and names a NATed one', () => {
    const a = { name: 'vm-1', ip: '192.170.1.3' };
    const b = { name: 'vm-2', ip: '192.170.1.30' };
    expect(sourceIpProblem(a, b, 8090, '192.170.1.3:40022')).toBeUndefined();
    expect(sourceIpProblem(a, b, 8090, '192.170.1.1:40022')).toBe('vm-1 → vm-2 (192.170.1.30:8090/clientip): expected the caller\'s address 192.170.1.3, the server saw "192.170.1.1:40022"');
  });
});

import { describe, it, expect } from 'vitest';
import {
  imetProblems,
  macIpProblems,
  vrfTableProblems,
  remoteVtepProblems,
  remoteMacProblems,
} from '../suites/evpn-routes/checks.ts';
import { sourceIpProblem } from '../suites/l2-stretch/checks.ts';
import { parseEvpnRoutes, parseBgpRoutes, parseEvpnVnis, parseEvpnMacs } from '../helpers/nos/frr/json.ts';
import type { EvpnRoute } from '../helpers/nos/records.ts';
import { dataJson } from './shared.ts';

// FRR 8.4 captures from a prototype of the embedded testbed (test/data/SOURCES.md), where
// vm-1 (02:00:00:00:01:03, 192.170.1.3) ran behind VTEP 100.65.0.1 and vm-2
// (02:00:00:00:01:1e) behind 100.65.1.1. Expected values are written out from the
// captures by hand, never taken from the parser under test.
const e84 = (f: string) => dataJson('frr-8.4-prototype', f);
const vm1 = {
  vm: 'vm-1',
  mac: '02:00:00:00:01:03',
  ip: '192.170.1.3',
  vtep: '100.65.0.1',
  node: 'pe-kind-a-worker',
  routeTarget: '64514:110',
};

describe('evpn-routes checks on captured FRR 8.4 JSON', () => {
  it('type-2: pass where the VM is, name the next hop seen where it is not', () => {
    const routes = parseEvpnRoutes(e84('evpn-type2-leafA.json'));
    expect(macIpProblems('leafA', routes, vm1)).toEqual([]);
    expect(macIpProblems('leafA', routes, { ...vm1, vtep: '100.65.1.1', node: 'pe-kind-b-worker' })).toEqual([
      'leafA: type-2 MAC route of vm-1 (02:00:00:00:01:03): expected next hop 100.65.1.1 (pe-kind-b-worker, ' +
        'hosting the VM), seen 100.65.0.1',
      'leafA: type-2 MAC+IP route of vm-1 (02:00:00:00:01:03 192.170.1.3): expected next hop 100.65.1.1 ' +
        '(pe-kind-b-worker, hosting the VM), seen 100.65.0.1',
    ]);
    expect(macIpProblems('leafA', routes, { ...vm1, routeTarget: '64514:111' })).toEqual([
      'leafA: type-2 MAC route of vm-1 (02:00:00:00:01:03): expected RT:64514:111 (its segment), seen ' +
        '[2]:[0]:[48]:[02:00:00:00:01:03] via 100.65.0.1 (RT:64514:110)',
      'leafA: type-2 MAC+IP route of vm-1 (02:00:00:00:01:03 192.170.1.3): expected RT:64514:111 (its ' +
        'segment), seen [2]:[0]:[48]:[02:00:00:00:01:03]:[32]:[192.170.1.3] via 100.65.0.1 (RT:64514:100 ' +
        'RT:64514:110)',
    ]);
    expect(macIpProblems('leafA', routes, { ...vm1, ip: '192.170.1.99' })[0]).toMatch(
      /^leafA: type-2 MAC\+IP route of vm-1 \(02:00:00:00:01:03 192\.170\.1\.99\): absent; type-2 routes for that MAC: \[2\]/,
    );
  });

  it('type-3: pass with the right RT and next hop, fail naming the missing VTEP and what was seen', () => {
    const routes = parseEvpnRoutes(e84('evpn-type3-leafA.json'));
    const both = [
      { vni: 110, vtep: '100.65.0.1', node: 'pe-kind-a-worker', routeTarget: '64514:110' },
      { vni: 110, vtep: '100.65.1.1', node: 'pe-kind-b-worker', routeTarget: '64518:110' },
    ];
    expect(imetProblems('leafA', routes, both)).toEqual([]);
    expect(
      imetProblems('leafA', routes, [{ vni: 110, vtep: '100.65.9.9', node: 'ghost', routeTarget: '64514:110' }]),
    ).toEqual([
      'leafA: type-3 (IMET) route for VNI 110 from VTEP 100.65.9.9 (ghost): absent; type-3 routes seen: ' +
        '[3]:[0]:[32]:[100.65.0.1] via 100.65.0.1 (RT:64514:110), [3]:[0]:[32]:[100.65.1.1] via 100.65.1.1 ' +
        '(RT:64518:110)',
    ]);
    expect(imetProblems('leafA', routes, [{ ...both[0]!, routeTarget: '64514:111' }])).toEqual([
      'leafA: type-3 (IMET) route for VNI 110 from VTEP 100.65.0.1 (pe-kind-a-worker): expected RT:64514:111, ' +
        'seen [3]:[0]:[32]:[100.65.0.1] via 100.65.0.1 (RT:64514:110)',
    ]);
    expect(imetProblems('leafA', [], both.slice(0, 1))).toEqual([
      'leafA: type-3 (IMET) route for VNI 110 from VTEP 100.65.0.1 (pe-kind-a-worker): absent; type-3 routes ' +
        'seen: none',
    ]);
  });

  it('type-3: an IMET route of the right VTEP and RT carried by another next hop fails', () => {
    const imet = (nexthop: string, ip = '100.65.0.1'): EvpnRoute => ({
      rd: `${ip}:3`,
      prefix: `[3]:[0]:[32]:[${ip}]`,
      type: 3,
      ip,
      paths: [
        {
          valid: true,
          best: true,
          nexthop,
          asPath: '64612 64512 64514',
          extendedCommunity: 'RT:64514:110 ET:8',
          macMobilitySeq: 0,
          routeTargets: ['64514:110'],
        },
      ],
    });
    const e = { vni: 110, vtep: '100.65.0.1', node: 'pe-kind-a-worker', routeTarget: '64514:110' };
    expect(imetProblems('spine', [imet('192.168.1.2')], [e])).toEqual([
      'spine: type-3 (IMET) route for VNI 110 from VTEP 100.65.0.1 (pe-kind-a-worker): expected next hop ' +
        '100.65.0.1, seen 192.168.1.2',
    ]);
    expect(imetProblems('spine', [{ ...imet('x'), paths: [] }], [e])).toEqual([
      'spine: type-3 (IMET) route for VNI 110 from VTEP 100.65.0.1 (pe-kind-a-worker): expected RT:64514:110, ' +
        'seen [3]:[0]:[32]:[100.65.0.1] via ? (no RT)',
    ]);
    // A type-2 route with the VTEP's address is not an IMET route.
    expect(imetProblems('spine', [{ ...imet('100.65.0.1'), type: 2 }], [e])[0]).toMatch(
      /: absent; type-3 routes seen: none$/,
    );
    expect(imetProblems('spine', [imet('100.65.0.1')], [e])).toEqual([]);
  });

  it('type-5 in VRF red: red subnets present with their leaf VTEP, blue absent', () => {
    const routes = parseBgpRoutes(e84('bgp-vrf-red-ipv4-peA.json'));
    const present = [{ prefix: '192.168.20.0/24', nexthop: '100.64.0.1', host: 'hostA_red' }];
    const absent = [{ prefix: '192.168.21.0/24', host: 'hostA_blue' }];
    expect(vrfTableProblems('peA', 'red', routes, present, absent)).toEqual([]);
    expect(vrfTableProblems('peA', 'red', routes, [], [{ prefix: '192.168.20.0/24', host: 'pretend-blue' }])).toEqual([
      'peA: VRF red must not have 192.168.20.0/24 (subnet of pretend-blue, another VRF) but has it via 100.64.0.1',
    ]);
    expect(
      vrfTableProblems(
        'peA',
        'red',
        routes,
        [{ prefix: '192.168.20.0/24', nexthop: '100.64.0.2', host: 'hostA_red' }],
        [],
      ),
    ).toEqual(['peA: VRF red route 192.168.20.0/24 (hostA_red): expected next hop 100.64.0.2, seen 100.64.0.1']);
  });

  it('zebra: remote VTEPs exactly, and the remote MAC at its VTEP', () => {
    const vnis = parseEvpnVnis(e84('evpn-vni-110-peB.json'));
    expect(remoteVtepProblems('peB', 110, vnis, ['100.65.0.1'])).toEqual([]);
    expect(remoteVtepProblems('peB', 110, vnis, ['100.65.0.1', '100.65.0.7'])).toEqual([
      'peB: VNI 110 remote VTEPs: expected 100.65.0.1, 100.65.0.7, seen 100.65.0.1 (missing 100.65.0.7)',
    ]);
    expect(remoteVtepProblems('peB', 110, vnis, [])).toEqual([
      'peB: VNI 110 remote VTEPs: expected , seen 100.65.0.1 (unexpected 100.65.0.1)',
    ]);
    expect(remoteVtepProblems('peB', 110, vnis, ['100.65.0.2'])).toEqual([
      'peB: VNI 110 remote VTEPs: expected 100.65.0.2, seen 100.65.0.1 (missing 100.65.0.2) (unexpected 100.65.0.1)',
    ]);
    expect(remoteVtepProblems('peB', 110, [{ ...vnis[0]!, remoteVteps: [] }], ['100.65.0.1'])).toEqual([
      'peB: VNI 110 remote VTEPs: expected 100.65.0.1, seen none (missing 100.65.0.1)',
    ]);
    expect(remoteVtepProblems('peB', 111, vnis, [])).toEqual(['peB: zebra has no VNI 111']);
    const macs = parseEvpnMacs(e84('evpn-mac-110-peB.json'));
    expect(remoteMacProblems('peB', 110, macs, vm1)).toEqual([]);
    expect(remoteMacProblems('peB', 110, macs, { ...vm1, mac: '02:00:00:00:01:1e', vm: 'vm-2' })).toEqual([
      'peB: VNI 110 MAC 02:00:00:00:01:1e of vm-2: expected remote via 100.65.0.1 (pe-kind-a-worker), seen ' +
        'local on pe-110',
    ]);
    expect(remoteMacProblems('peB', 110, macs, { ...vm1, vtep: '100.65.0.2' })).toEqual([
      'peB: VNI 110 MAC 02:00:00:00:01:03 of vm-1: expected remote via 100.65.0.2 (pe-kind-a-worker), seen ' +
        'remote via 100.65.0.1',
    ]);
    expect(remoteMacProblems('peB', 110, macs, { ...vm1, mac: '02:00:00:00:01:99' })).toEqual([
      "peB: VNI 110 MAC 02:00:00:00:01:99 of vm-1: not in zebra's MAC table",
    ]);
    expect(
      remoteMacProblems(
        'peB',
        110,
        [{ mac: '02:00:00:00:01:03', type: 'remote', localSequence: 0, remoteSequence: 0, isDuplicate: false }],
        vm1,
      ),
    ).toEqual([
      'peB: VNI 110 MAC 02:00:00:00:01:03 of vm-1: expected remote via 100.65.0.1 (pe-kind-a-worker), seen remote',
    ]);
  });

  it('zebra: a MAC frozen by duplicate address detection fails, read from a table that marks it', () => {
    const macs = parseEvpnMacs(dataJson('frr-10-shape', 'evpn-mac-110-duplicate.json'));
    const moved = { ...vm1, mac: '02:03:04:05:06:07' };
    expect(remoteMacProblems('pe-kind-b-worker', 110, macs, moved)).toEqual([
      'pe-kind-b-worker: VNI 110 MAC 02:03:04:05:06:07 of vm-1: marked duplicate (EVPN duplicate address ' +
        'detection froze it)',
    ]);
  });
});

describe('l2-stretch source address check', () => {
  it("accepts the caller's own address and names a NATed one", () => {
    const a = { name: 'vm-1', ip: '192.170.1.3' };
    const b = { name: 'vm-2', ip: '192.170.1.30' };
    expect(sourceIpProblem(a, b, 8090, '192.170.1.3:40022')).toBeUndefined();
    expect(sourceIpProblem(a, b, 8090, '192.170.1.1:40022')).toBe(
      "vm-1 → vm-2 (192.170.1.30:8090/clientip): expected the caller's address 192.170.1.3, the server saw " +
        '"192.170.1.1:40022"',
    );
  });
});

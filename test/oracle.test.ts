// The oracle: what a healthy multicluster testbed must show, derived from the topology.
// Every expected value below is written out from topology/multicluster.yaml and
// openperouter's allocation rules (VTEP = host #index of vtepcidr, router-id = host
// #(index+1) of routeridcidr, RT = <node AS>:<VNI>), not computed by the code under test.
import { describe, it, expect } from 'vitest';
import { loadTopology } from '../topology/load.ts';
import {
  nodeVteps,
  nodeVtep,
  nodeRouterId,
  hostSubnets,
  expectedSessions,
  routerNames,
  ownerOfAddress,
  clusterOfNode,
} from '../topology/expectations.ts';
import { imetExpected, macIpExpected, vrfTableExpected } from '../suites/evpn-routes/expected.ts';
import { segments, requireOverlay } from '../suites/overlay.ts';
import type { Testbed } from '../helpers/testbed.ts';

const t = loadTopology('multicluster');
const A = t.clusters['pe-kind-a']!;

describe('the oracle of the multicluster topology', () => {
  it('node VTEPs and router IDs as openperouter allocates them', () => {
    expect(nodeVteps(t)).toEqual([
      { cluster: 'pe-kind-a', node: 'pe-kind-a-control-plane', vtep: '100.65.0.0' },
      { cluster: 'pe-kind-a', node: 'pe-kind-a-worker', vtep: '100.65.0.1' },
      { cluster: 'pe-kind-b', node: 'pe-kind-b-control-plane', vtep: '100.65.1.0' },
      { cluster: 'pe-kind-b', node: 'pe-kind-b-worker', vtep: '100.65.1.1' },
    ]);
    expect(nodeRouterId(A, 'pe-kind-a-control-plane')).toBe('10.0.0.1');
    expect(nodeRouterId(t.clusters['pe-kind-b']!, 'pe-kind-b-worker')).toBe('10.0.1.2');
    expect(() => nodeVtep(A, 'pe-kind-b-worker')).toThrow('cluster has no node pe-kind-b-worker');
    expect(() => nodeRouterId(A, 'ghost')).toThrow('cluster has no node ghost');
  });

  it('every router, fabric first, then one per node', () => {
    expect(routerNames(t)).toEqual([
      'spine',
      'leafA',
      'leafB',
      'leafkind-a',
      'leafkind-b',
      'pe-kind-a-control-plane',
      'pe-kind-a-worker',
      'pe-kind-b-control-plane',
      'pe-kind-b-worker',
    ]);
    expect(clusterOfNode(t, 'pe-kind-b-control-plane')).toBe('pe-kind-b');
    expect(() => clusterOfNode(t, 'spine')).toThrow('topology multicluster has no cluster node spine');
  });

  it('every session from both sides: fabric neighbors by owner, node sessions dynamic on the ToR', () => {
    const s = expectedSessions(t);
    expect(s).toHaveLength(16);
    expect(s.filter((x) => x.router === 'spine').map((x) => [x.peer, x.peerAddress, x.peerAsn, x.dynamic])).toEqual([
      ['leafA', '192.168.1.1', 64520, false],
      ['leafB', '192.168.1.3', 64520, false],
      ['leafkind-a', '192.168.1.5', 64512, false],
      ['leafkind-b', '192.168.1.7', 64516, false],
    ]);
    expect(s.filter((x) => x.router === 'leafkind-a')).toEqual([
      { router: 'leafkind-a', peer: 'spine', peerAddress: '192.168.1.4', peerAsn: 64612, dynamic: false },
      {
        router: 'leafkind-a',
        peer: 'pe-kind-a-control-plane',
        peerAddress: '192.168.11.3',
        peerAsn: 64514,
        dynamic: true,
      },
      { router: 'leafkind-a', peer: 'pe-kind-a-worker', peerAddress: '192.168.11.4', peerAsn: 64514, dynamic: true },
    ]);
    expect(s.filter((x) => x.router === 'pe-kind-b-worker')).toEqual([
      { router: 'pe-kind-b-worker', peer: 'leafkind-b', peerAddress: '192.168.12.2', peerAsn: 64516, dynamic: false },
    ]);
    expect([
      ownerOfAddress(t, '192.168.11.4'),
      ownerOfAddress(t, '192.168.1.0'),
      ownerOfAddress(t, '192.168.1.8'),
    ]).toEqual(['pe-kind-a-worker', 'spine', undefined]);
  });

  it("a node outside its ToR's subnets is an error, not a session to nowhere", () => {
    const bad = structuredClone(t);
    bad.clusters['pe-kind-a']!.nodes['pe-kind-a-worker']!.ipv4 = '10.9.9.9/24';
    expect(() => expectedSessions(bad)).toThrow('leafkind-a has no interface in the subnet of 10.9.9.9');
  });

  it('host subnets with the VTEP of their leaf', () => {
    expect(hostSubnets(t)).toEqual([
      { host: 'hostA_red', vrf: 'red', prefix: '192.168.20.0/24', leafVtep: '100.64.0.1' },
      { host: 'hostA_blue', vrf: 'blue', prefix: '192.168.21.0/24', leafVtep: '100.64.0.1' },
      { host: 'hostA_default', vrf: 'default', prefix: '192.168.22.0/24', leafVtep: '100.64.0.1' },
      { host: 'hostB_red', vrf: 'red', prefix: '192.169.20.0/24', leafVtep: '100.64.0.2' },
      { host: 'hostB_blue', vrf: 'blue', prefix: '192.169.21.0/24', leafVtep: '100.64.0.2' },
    ]);
    const noVtep = structuredClone(t);
    delete noVtep.fabric.routers.leafB!.vtep;
    expect(hostSubnets(noVtep).find((h) => h.host === 'hostB_red')).toEqual({
      host: 'hostB_red',
      vrf: 'red',
      prefix: '192.169.20.0/24',
      leafVtep: undefined,
    });
  });
});

describe('what the EVPN checks expect', () => {
  const seg = { name: 'layer2', vni: 110, vrf: 'red', gateway: '192.170.1.1/24' };

  it("the overlay's segments", () => {
    expect(segments(t.overlay!)).toEqual([seg]);
    expect(requireOverlay({ topology: t } as Testbed)).toBe(t.overlay);
    expect(() => requireOverlay({ topology: { ...t, overlay: undefined } } as Testbed)).toThrow(
      'topology multicluster declares no overlay: nothing to check',
    );
  });

  it('one IMET route per node VTEP, with the route target of its cluster', () => {
    expect(imetExpected(t, seg)).toEqual([
      { vni: 110, vtep: '100.65.0.0', node: 'pe-kind-a-control-plane', routeTarget: '64514:110' },
      { vni: 110, vtep: '100.65.0.1', node: 'pe-kind-a-worker', routeTarget: '64514:110' },
      { vni: 110, vtep: '100.65.1.0', node: 'pe-kind-b-control-plane', routeTarget: '64518:110' },
      { vni: 110, vtep: '100.65.1.1', node: 'pe-kind-b-worker', routeTarget: '64518:110' },
    ]);
  });

  it("a VM's MAC+IP route: its declared address, its node's VTEP, its cluster's RT", () => {
    const vm = {
      vm: 'vm-2',
      cluster: 'pe-kind-b',
      node: 'pe-kind-b-worker',
      mac: '02:00:00:00:01:1e',
      ip: '192.170.1.30',
      declaredIp: '192.170.1.30',
      network: 'layer2',
      port: 8090,
      vtep: '100.65.1.1',
    };
    expect(macIpExpected(t, vm)).toEqual({
      vm: 'vm-2',
      mac: '02:00:00:00:01:1e',
      ip: '192.170.1.30',
      vtep: '100.65.1.1',
      node: 'pe-kind-b-worker',
      routeTarget: '64518:110',
    });
  });

  it("VRF red holds the red hosts' subnets via their leaf and none of blue or default", () => {
    expect(vrfTableExpected(t, 'red')).toEqual({
      present: [
        { prefix: '192.168.20.0/24', nexthop: '100.64.0.1', host: 'hostA_red' },
        { prefix: '192.169.20.0/24', nexthop: '100.64.0.2', host: 'hostB_red' },
      ],
      absent: [
        { prefix: '192.168.21.0/24', host: 'hostA_blue' },
        { prefix: '192.168.22.0/24', host: 'hostA_default' },
        { prefix: '192.169.21.0/24', host: 'hostB_blue' },
      ],
    });
  });
});

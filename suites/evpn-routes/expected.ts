// What the EVPN checks expect, from the topology and from where the VMs run.
import type { Topology } from '../../topology/schema.ts';
import { nodeVteps, hostSubnets } from '../../topology/expectations.ts';
import type { L2Segment, PlacedVm } from '../overlay.ts';
import type { ExpectedImet, ExpectedMacIp, ExpectedPrefix } from './checks.ts';

/** One IMET route per node VTEP, with the route target openperouter's FRR derives (<node AS>:<VNI>). */
export function imetExpected(t: Topology, seg: L2Segment): ExpectedImet[] {
  return nodeVteps(t).map((v) => ({ vni: seg.vni, vtep: v.vtep, node: v.node, routeTarget: `${t.clusters[v.cluster]!.asn}:${seg.vni}` }));
}

export function macIpExpected(vm: PlacedVm): ExpectedMacIp {
  return { vm: vm.vm, mac: vm.mac, ip: vm.declaredIp, vtep: vm.vtep, node: vm.node };
}

/** The VRF's own host subnets (next hop: their leaf's VTEP) must be there; other VRFs' must not. */
export function vrfTableExpected(t: Topology, vrf: string): { present: ExpectedPrefix[]; absent: ExpectedPrefix[] } {
  const subnets = hostSubnets(t);
  return {
    present: subnets.filter((s) => s.vrf === vrf).map((s) => ({ prefix: s.prefix, nexthop: s.leafVtep, host: s.host })),
    absent: subnets.filter((s) => s.vrf !== vrf).map((s) => ({ prefix: s.prefix, host: s.host })),
  };
}

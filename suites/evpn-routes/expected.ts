// What the EVPN checks expect, from the topology and from where the VMs run.
import type { Topology } from '../../topology/schema.ts';
import { nodeVteps, hostSubnets } from '../../topology/expectations.ts';
import type { L2Segment, PlacedVm } from '../overlay.ts';
import type { ExpectedImet, ExpectedMacIp, ExpectedPrefix } from './checks.ts';

/** The route target openperouter's FRR derives for a VNI in a cluster: <node AS>:<VNI>. */
const routeTarget = (t: Topology, cluster: string, vni: number) => `${t.clusters[cluster]!.asn}:${vni}`;

/** One IMET route per node VTEP. */
export function imetExpected(t: Topology, seg: L2Segment): ExpectedImet[] {
  return nodeVteps(t).map((v) => ({
    vni: seg.vni,
    vtep: v.vtep,
    node: v.node,
    routeTarget: routeTarget(t, v.cluster, seg.vni),
  }));
}

export function macIpExpected(t: Topology, vm: PlacedVm): ExpectedMacIp {
  const vni = t.overlay!.l2vnis[vm.network]!.vni;
  return {
    vm: vm.vm,
    mac: vm.mac,
    ip: vm.declaredIp,
    vtep: vm.vtep,
    node: vm.node,
    routeTarget: routeTarget(t, vm.cluster, vni),
  };
}

/** The VRF's own host subnets (next hop: their leaf's VTEP) must be there; other VRFs' must not. */
export function vrfTableExpected(t: Topology, vrf: string): { present: ExpectedPrefix[]; absent: ExpectedPrefix[] } {
  const subnets = hostSubnets(t);
  return {
    present: subnets.filter((s) => s.vrf === vrf).map((s) => ({ prefix: s.prefix, nexthop: s.leafVtep, host: s.host })),
    absent: subnets.filter((s) => s.vrf !== vrf).map((s) => ({ prefix: s.prefix, host: s.host })),
  };
}

import { describe, it, beforeAll } from 'vitest';
import { testbed, expectEventually, stageGate } from '../context.ts';
import { placedVms, greetGateway, requireOverlay, segments, type PlacedVm } from '../overlay.ts';
import { nodeVteps, hostSubnets, clusterOfNode } from '../../topology/expectations.ts';
import { parseEvpnRoutes, parseBgpRoutes, parseEvpnVnis, parseEvpnMacs } from '../../helpers/frr-json.ts';
import { imetProblems, macIpProblems, vrfTableProblems, remoteVtepProblems, remoteMacProblems, type ExpectedMacIp } from './checks.ts';

const tb = testbed();
const gate = stageGate('evpn-routes', ['bgp-sessions']);
const overlay = requireOverlay(tb);
const fabric = Object.keys(tb.topology.fabric.routers);
const torsAndSpine = Object.entries(tb.topology.fabric.routers).filter(([, r]) => r.role !== 'leaf').map(([n]) => n);
const vteps = nodeVteps(tb.topology);
const nodes = vteps.map((v) => v.node);
const l3vrfs = new Set(Object.values(overlay.l3vnis).map((v) => v.vrf));

let vms: PlacedVm[] = [];
const macIp = (vm: PlacedVm): ExpectedMacIp => ({ vm: vm.vm, mac: vm.mac, ip: vm.declaredIp, vtep: vm.vtep, node: vm.node });
const problems = (list: string[]) => (list.length ? list.join('\n') : undefined);

describe('evpn-routes: EVPN routes are where the overlay needs them', () => {
  beforeAll(async () => {
    if (gate.blocked) return;
    vms = await placedVms(tb);
    // Type-2 routes exist once a VM has talked; a guest does so when it reaches its gateway.
    await Promise.all(vms.map((vm) => greetGateway(tb, vm)));
  });

  for (const seg of segments(overlay)) {
    for (const router of [...torsAndSpine, ...nodes]) {
      it(`${router}: type-3 route for VNI ${seg.vni} from every node VTEP`, async (ctx) => {
        gate.check(ctx);
        const expected = vteps.map((v) => ({ vni: seg.vni, vtep: v.vtep, node: v.node, routeTarget: `${tb.topology.clusters[v.cluster]!.asn}:${seg.vni}` }));
        await expectEventually(ctx, 'evpnRoutes', async () => {
          const a = await tb.router(router).json('show bgp l2vpn evpn route type multicast json');
          return { problem: problems(imetProblems(router, parseEvpnRoutes(a.data), expected)), evidence: a };
        });
      });
    }
  }

  for (const router of [...fabric, ...nodes]) {
    it(`${router}: type-2 MAC and MAC+IP routes of every remote VM, next hop its node's VTEP`, async (ctx) => {
      gate.check(ctx);
      // On a node router, the VMs of its own cluster are learned locally or from its sibling; the
      // fabric and the other cluster must carry every VM.
      const wanted = nodes.includes(router) ? vms.filter((vm) => vm.cluster !== clusterOfNode(tb.topology, router)) : vms;
      await expectEventually(ctx, 'evpnRoutes', async () => {
        const a = await tb.router(router).json('show bgp l2vpn evpn route type macip json');
        const routes = parseEvpnRoutes(a.data);
        return { problem: problems(wanted.flatMap((vm) => macIpProblems(router, routes, macIp(vm)))), evidence: a };
      });
    });
  }

  for (const node of nodes) {
    for (const vrf of l3vrfs) {
      it(`${node}: VRF ${vrf} has the type-5 routes of its hosts' subnets and none of other VRFs`, async (ctx) => {
        gate.check(ctx);
        const subnets = hostSubnets(tb.topology);
        const present = subnets.filter((s) => s.vrf === vrf).map((s) => ({ prefix: s.prefix, nexthop: s.leafVtep, host: s.host }));
        const absent = subnets.filter((s) => s.vrf !== vrf).map((s) => ({ prefix: s.prefix, host: s.host }));
        await expectEventually(ctx, 'evpnRoutes', async () => {
          const a = await tb.router(node).json(`show bgp vrf ${vrf} ipv4 unicast json`);
          return { problem: problems(vrfTableProblems(node, vrf, parseBgpRoutes(a.data), present, absent)), evidence: a };
        });
      });
    }

    for (const seg of segments(overlay)) {
      it(`${node}: zebra floods VNI ${seg.vni} to every other VTEP and knows each remote VM's MAC at its VTEP`, async (ctx) => {
        gate.check(ctx);
        const own = vteps.find((v) => v.node === node)!.vtep;
        const others = vteps.map((v) => v.vtep).filter((v) => v !== own);
        const remote = vms.filter((vm) => vm.network === seg.name && vm.node !== node);
        await expectEventually(ctx, 'evpnRoutes', async () => {
          const [v, m] = await Promise.all([tb.router(node).json(`show evpn vni ${seg.vni} json`), tb.router(node).json(`show evpn mac vni ${seg.vni} json`)]);
          const list = [
            ...remoteVtepProblems(node, seg.vni, parseEvpnVnis(v.data), others),
            ...remote.flatMap((vm) => remoteMacProblems(node, seg.vni, parseEvpnMacs(m.data), macIp(vm))),
          ];
          return { problem: problems(list), evidence: [v, m] };
        });
      });
    }
  }
});

import { describe, beforeAll } from 'vitest';
import { testbed, expectEventually, conformanceSuite } from '../context.ts';
import { greetedVms, requireOverlay, segments, type PlacedVm } from '../overlay.ts';
import { nodeVteps, clusterOfNode } from '../../topology/expectations.ts';
import { checkImet, checkMacIp, checkVrfTable, checkZebraVni } from './checks.ts';
import { imetExpected, macIpExpected, vrfTableExpected } from './expected.ts';

const tb = testbed();
const suite = conformanceSuite('evpn-routes', ['bgp-sessions']);
const overlay = requireOverlay(tb);
const fabric = Object.keys(tb.topology.fabric.routers);
const torsAndSpine = Object.entries(tb.topology.fabric.routers)
  .filter(([, r]) => r.role !== 'leaf')
  .map(([n]) => n);
const vteps = nodeVteps(tb.topology);
const nodes = vteps.map((v) => v.node);
const l3vrfs = new Set(Object.values(overlay.l3vnis).map((v) => v.vrf));

let vms: PlacedVm[] = [];

// Read-only and independent: run side by side, so a broken network costs one deadline, not one per check.
describe.concurrent('evpn-routes: EVPN routes are where the overlay needs them', () => {
  beforeAll(async () => {
    if (suite.blocked) return;
    // Type-2 routes exist once a VM has talked; a guest does so when it reaches its gateway.
    vms = await greetedVms(tb);
  });

  for (const seg of segments(overlay)) {
    for (const router of [...torsAndSpine, ...nodes]) {
      suite.check('L2S-EVPN-001', { router, vni: seg.vni }, async (ctx) => {
        await expectEventually(ctx, 'evpnRoutes', () => checkImet(tb.router(router), imetExpected(tb.topology, seg)));
      });
    }
  }

  for (const router of [...fabric, ...nodes]) {
    const isNode = nodes.includes(router);
    suite.check(
      'L2S-EVPN-002',
      { router },
      async (ctx) => {
        // A node router learns its own cluster's VMs locally or from its sibling; the fabric
        // and the other cluster must carry every VM. Its L2VNI must import every VM it does not host.
        const wanted = isNode ? vms.filter((vm) => vm.cluster !== clusterOfNode(tb.topology, router)) : vms;
        const imports = isNode
          ? segments(overlay).map((seg) => ({
              vni: seg.vni,
              vms: vms
                .filter((vm) => vm.network === seg.name && vm.node !== router)
                .map((vm) => macIpExpected(tb.topology, vm)),
              vteps: vteps.filter((v) => v.node !== router),
            }))
          : [];
        await expectEventually(ctx, 'evpnRoutes', () =>
          checkMacIp(
            tb.router(router),
            wanted.map((vm) => macIpExpected(tb.topology, vm)),
            imports,
          ),
        );
      },
      { title: { imports: isNode ? ", imported into its L2VNIs with every other VTEP's type-3" : '' } },
    );
  }

  for (const node of nodes) {
    for (const vrf of l3vrfs) {
      suite.check('L2S-EVPN-003', { router: node, vrf }, async (ctx) => {
        const { present, absent } = vrfTableExpected(tb.topology, vrf);
        await expectEventually(ctx, 'evpnRoutes', () => checkVrfTable(tb.router(node), vrf, present, absent));
      });
    }

    for (const seg of segments(overlay)) {
      suite.check('L2S-EVPN-004', { router: node, vni: seg.vni }, async (ctx) => {
        const own = vteps.find((v) => v.node === node)!.vtep;
        const others = vteps.map((v) => v.vtep).filter((v) => v !== own);
        const remote = vms
          .filter((vm) => vm.network === seg.name && vm.node !== node)
          .map((vm) => macIpExpected(tb.topology, vm));
        await expectEventually(ctx, 'evpnRoutes', () => checkZebraVni(tb.router(node), seg.vni, others, remote));
      });
    }
  }
});

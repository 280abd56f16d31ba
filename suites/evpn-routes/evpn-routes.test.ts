import { describe } from 'vitest';
import { testbed, expectEventually, conformanceSuite } from '../context.ts';
import { placedState, requireOverlay } from '../overlay.ts';
import { expectedState } from '../../topology/expectations.ts';
import { checkImet, checkMacIp, checkVrfTable, checkZebraVni } from './checks.ts';

const tb = testbed();
const suite = conformanceSuite('evpn-routes', ['bgp-sessions']);
requireOverlay(tb);
// The oracle names the check instances; once the VMs are placed, it gives what each expects.
const plan = expectedState(tb.topology);

// Read-only and independent: run side by side, so a broken network costs one deadline, not one per check.
describe.concurrent('evpn-routes: EVPN routes are where the overlay needs them', () => {
  for (const e of plan.imet) {
    suite.check('L2S-EVPN-001', { router: e.router, vni: e.vni }, async ({}, ctx) => {
      await expectEventually(ctx, 'evpnRoutes', () => checkImet(tb.router(e.router), e.routes));
    });
  }

  for (const e of plan.type2) {
    const isNode = plan.nodeVteps.some((v) => v.node === e.router);
    suite.check(
      'L2S-EVPN-002',
      { router: e.router },
      async ({ vms }, ctx) => {
        // Type-2 routes exist once a VM has talked: the `vms` fixture greets every VM first.
        const state = placedState(tb, [...vms.values()]);
        const { routes, imports } = state.type2.find((x) => x.router === e.router)!;
        await expectEventually(ctx, 'evpnRoutes', () => checkMacIp(tb.router(e.router), routes!, imports));
      },
      { title: { imports: isNode ? ", imported into its L2VNIs with every other VTEP's type-3" : '' } },
    );
  }

  for (const e of plan.vrfTables) {
    suite.check('L2S-EVPN-003', { router: e.router, vrf: e.vrf }, async ({}, ctx) => {
      await expectEventually(ctx, 'evpnRoutes', () => checkVrfTable(tb.router(e.router), e.vrf, e.present, e.absent));
    });
  }

  for (const e of plan.zebra) {
    suite.check('L2S-EVPN-004', { router: e.router, vni: e.vni }, async ({ vms }, ctx) => {
      const state = placedState(tb, [...vms.values()]);
      const { remote } = state.zebra.find((x) => x.router === e.router && x.vni === e.vni)!;
      await expectEventually(ctx, 'evpnRoutes', () => checkZebraVni(tb.router(e.router), e.vni, e.floodTo, remote!));
    });
  }
});

import { describe, afterAll } from 'vitest';
import { testbed, expectEventually, conformanceSuite } from '../context.ts';
import { expectedState } from '../../topology/expectations.ts';
import { checkRouterSessions } from './checks.ts';
import { refreshStart } from '../stability/checks.ts';

const tb = testbed();
const plan = expectedState(tb.topology);
const { check } = conformanceSuite('bgp-sessions', []);

// Read-only and independent: run side by side, so a broken network costs one deadline, not one per check.
describe.concurrent('bgp-sessions: every underlay and EVPN session is Established', () => {
  afterAll(() => refreshStart(tb, process.env.L2STRETCH_REPORT_DIR!));

  for (const name of plan.routers) {
    const mine = plan.sessions.filter((s) => s.router === name);
    check(
      'L2S-BGP-001',
      { router: name },
      async ({}, ctx) => {
        await expectEventually(ctx, 'bgpEstablished', () => checkRouterSessions(tb.router(name), mine));
      },
      { title: { peers: mine.map((s) => s.peer).join(', ') } },
    );
  }
});

import { describe, it } from 'vitest';
import { testbed, expectEventually, stageGate } from '../context.ts';
import { expectedSessions, routerNames } from '../../topology/expectations.ts';
import { checkRouterSessions } from './checks.ts';

const tb = testbed();
const expected = expectedSessions(tb.topology);
stageGate('bgp-sessions', []);

describe('bgp-sessions: every underlay and EVPN session is Established', () => {
  for (const name of routerNames(tb.topology)) {
    const mine = expected.filter((s) => s.router === name);
    it(`${name}: ${mine.map((s) => s.peer).join(', ')} Established in IPv4 unicast and L2VPN EVPN`, async (ctx) => {
      await expectEventually(ctx, 'bgpEstablished', () => checkRouterSessions(tb.router(name), mine));
    });
  }
});

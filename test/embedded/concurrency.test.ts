// Two runs on one machine at the same time: both testbeds come up, both pass, and
// neither sees the other's routers.
import { describe, it, expect } from 'vitest';
import { upEmbedded } from '../../testbeds/embedded/testbed.ts';
import { leftoversOf, isClean } from '../../testbeds/embedded/cleanup.ts';
import { listNamespaces } from '../../testbeds/embedded/netns.ts';
import { checkRouterSessions } from '../../suites/bgp-sessions/checks.ts';
import { expectedSessions, routerNames } from '../../topology/expectations.ts';
import { eventually } from '../../helpers/wait.ts';
import type { Testbed } from '../../helpers/ports.ts';
import { frr } from '../../helpers/nos/frr/dialect.ts';

async function allSessionsUp(tb: Testbed): Promise<void> {
  const expected = expectedSessions(tb.topology);
  await Promise.all(
    routerNames(tb.topology).map((r) =>
      eventually(
        async () =>
          (
            await checkRouterSessions(
              tb.router(r),
              expected.filter((s) => s.router === r),
            )
          ).problem,
        30_000,
      ),
    ),
  );
}

describe('two runs at once', () => {
  it('both pass and each ToR peers with its own two nodes only', async () => {
    const [a, b] = await Promise.all([upEmbedded(), upEmbedded()]);
    try {
      expect(a!.runId).not.toBe(b!.runId);
      await Promise.all([allSessionsUp(a!.testbed), allSessionsUp(b!.testbed)]);
      for (const tb of [a!.testbed, b!.testbed]) {
        const peers = (await tb.router('leafkind-a').sessions()).value.filter((p) => p.afi === 'l2VpnEvpn');
        expect(peers.map((p) => p.address).sort()).toEqual(['192.168.1.4', '192.168.11.3', '192.168.11.4']);
        // Same addresses in both testbeds, so the run id in the vty socket path tells whose router answered.
        expect(frr(tb.router('spine')).vtyshArgv.join(' ')).toContain(tb.runId);
      }
      const namespaces = await listNamespaces();
      const ofA = namespaces.filter((n) => n.startsWith(`${a!.runId}-`));
      const ofB = namespaces.filter((n) => n.startsWith(`${b!.runId}-`));
      expect(ofA.length).toBe(ofB.length);
      expect(ofA.length).toBeGreaterThan(20);
    } finally {
      await Promise.all([a!.down(), b!.down()]);
    }
    expect(isClean(await leftoversOf(a!.runId))).toBe(true);
    expect(isClean(await leftoversOf(b!.runId))).toBe(true);
  });
});

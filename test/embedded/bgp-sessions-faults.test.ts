// Proves on a real embedded testbed (root, FRR) that the bgp-sessions checks fail,
// naming the right session, when a session is broken, and only where it is broken.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { upEmbedded, type RunningTestbed } from '../../fixtures/embedded/testbed.ts';
import { leftoversOf, isClean } from '../../fixtures/embedded/cleanup.ts';
import { checkRouterSessions } from '../../suites/bgp-sessions/checks.ts';
import { expectedSessions, routerNames } from '../../topology/expectations.ts';
import { eventually } from '../../helpers/wait.ts';

let tb: RunningTestbed;

/** Runs the suite's check on every router; each entry is undefined (passes) or the failure message. */
async function verdicts(deadlineMs: number): Promise<Record<string, string | undefined>> {
  const expected = expectedSessions(tb.testbed.topology);
  const names = routerNames(tb.testbed.topology);
  const results = await Promise.all(
    names.map(async (name) => {
      const mine = expected.filter((s) => s.router === name);
      try {
        await eventually(async () => (await checkRouterSessions(tb.testbed.router(name), mine)).problem, deadlineMs);
        return [name, undefined] as const;
      } catch (e) {
        return [name, (e as Error).message] as const;
      }
    }),
  );
  return Object.fromEntries(results);
}

const healthy = (v: Record<string, string | undefined>) => Object.entries(v).filter(([, m]) => m !== undefined);

describe('embedded testbed: bgp-sessions catches broken sessions', () => {
  beforeAll(async () => {
    tb = await upEmbedded();
  });
  afterAll(async () => {
    const runId = tb?.runId;
    await tb?.down();
    if (runId) expect(isClean(await leftoversOf(runId))).toBe(true);
  });

  it('passes on the healthy testbed', async () => {
    expect(healthy(await verdicts(30_000))).toEqual([]);
  });

  it('a spine session shut down fails exactly the spine and that leaf, naming peer, family and state', async () => {
    const spine = tb.testbed.router('spine');
    await spine.vtysh('configure terminal', 'router bgp 64612', 'neighbor 192.168.1.5 shutdown');
    try {
      const v = await verdicts(3000);
      expect(Object.keys(v).filter((r) => v[r] !== undefined).sort()).toEqual(['leafkind-a', 'spine']);
      expect(v.spine).toContain('spine: session to leafkind-a (192.168.1.5, AS 64512) in IPv4 unicast: expected Established, seen Idle (Admin)');
      expect(v.spine).toContain('spine: session to leafkind-a (192.168.1.5, AS 64512) in L2VPN EVPN: expected Established, seen Idle (Admin)');
      expect(v['leafkind-a']).toMatch(/leafkind-a: session to spine \(192\.168\.1\.4, AS 64612\) in IPv4 unicast: expected Established, seen (Active|Connect|Idle)/);
    } finally {
      await spine.vtysh('configure terminal', 'router bgp 64612', 'no neighbor 192.168.1.5 shutdown');
    }
    expect(healthy(await verdicts(30_000))).toEqual([]);
  });

  it('a node router that stops peering fails the node and its ToR (dynamic neighbor gone)', async () => {
    const node = tb.testbed.router('pe-kind-b-worker');
    await node.vtysh('configure terminal', 'router bgp 64518', 'neighbor 192.168.12.2 shutdown');
    try {
      const v = await verdicts(3000);
      expect(Object.keys(v).filter((r) => v[r] !== undefined).sort()).toEqual(['leafkind-b', 'pe-kind-b-worker']);
      expect(v['leafkind-b']).toContain('leafkind-b: session to pe-kind-b-worker (192.168.12.4, AS 64518, dynamic neighbor) in L2VPN EVPN: expected Established, seen no connection from the peer');
      expect(v['pe-kind-b-worker']).toContain('pe-kind-b-worker: session to leafkind-b (192.168.12.2, AS 64516) in IPv4 unicast: expected Established, seen Idle (Admin)');
    } finally {
      await node.vtysh('configure terminal', 'router bgp 64518', 'no neighbor 192.168.12.2 shutdown');
    }
    expect(healthy(await verdicts(30_000))).toEqual([]);
  });

  it('EVPN not activated towards one peer fails only that address family', async () => {
    const spine = tb.testbed.router('spine');
    await spine.vtysh('configure terminal', 'router bgp 64612', 'address-family l2vpn evpn', 'no neighbor 192.168.1.1 activate');
    try {
      const v = await verdicts(3000);
      expect(v.spine).toContain('spine: session to leafA (192.168.1.1, AS 64520) in L2VPN EVPN: expected Established, seen no such neighbor in L2VPN EVPN');
      expect(v.spine).not.toContain('in IPv4 unicast');
    } finally {
      await spine.vtysh('configure terminal', 'router bgp 64612', 'address-family l2vpn evpn', 'neighbor 192.168.1.1 activate');
    }
  });
});

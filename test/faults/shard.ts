// One group of the fault catalogue (npm run test:faults): each fault is injected into
// a healthy embedded testbed (the group's own, or a fresh one per fault), the
// group's suites run against it as a user runs them (every stage, no gating, short
// deadlines), and exactly the checks the fault breaks must fail while every other
// check passes. Groups in different files run side by side, as two users' runs
// may; their rows end in one table.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { upEmbedded, type RunningTestbed } from '../../testbeds/embedded/testbed.ts';
import { runSuites } from './run-suites.ts';
import { untilHeard, hostARedReachesVm2, type Fault, type FaultGroup } from './catalogue.ts';
import { SHARD_DIR } from './table.ts';
import { checkRouterSessions } from '../../suites/bgp-sessions/checks.ts';
import { checkHttpSourceIp } from '../../suites/l2-stretch/checks.ts';
import { expectedSessions, routerNames } from '../../topology/expectations.ts';
import { eventually } from '../../helpers/wait.ts';
import { selectedOpenPERouter } from '../../topology/openperouter.ts';

/** Healthy: sessions up, VMs heard, L2 and L3 paths answering. */
async function settle(tb: RunningTestbed): Promise<void> {
  const t = tb.testbed;
  const expected = expectedSessions(t.topology);
  await Promise.all(
    routerNames(t.topology).map((r) =>
      eventually(
        async () =>
          (
            await checkRouterSessions(
              t.router(r),
              expected.filter((s) => s.router === r),
            )
          ).problem,
        60_000,
      ),
    ),
  );
  await untilHeard(tb, () =>
    checkHttpSourceIp(
      t.workload('vm-1'),
      { name: 'vm-1', ip: '192.170.1.3' },
      { name: 'vm-2', ip: '192.170.1.30' },
      8090,
    ),
  );
  await hostARedReachesVm2(tb);
}

async function healthyTestbed(): Promise<RunningTestbed> {
  const tb = await upEmbedded();
  try {
    await settle(tb);
    return tb;
  } catch (e) {
    await tb.down();
    throw e;
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(0);

/**
 * L2STRETCH_FAULT_ROWS=<fragment>[,<fragment>…] runs only the rows whose fault name
 * contains one of the fragments (and no healthy baseline): for measuring a row.
 */
const ROW_FILTER = (process.env.L2STRETCH_FAULT_ROWS ?? '')
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
const selected = (f: Fault) => !ROW_FILTER.length || ROW_FILTER.some((x) => f.name.includes(x));

/** The group's faults after a healthy run; its rows go to `<SHARD_DIR>/<order>.md`. */
export function faultShard(order: number, group: FaultGroup): void {
  let shared: RunningTestbed | undefined;
  const rows: string[] = [];

  /** Runs `body` on the group's testbed, or on a fresh one that goes afterwards. */
  async function onTestbed<T>(body: (tb: RunningTestbed) => Promise<T>): Promise<T> {
    if (shared) return body(shared);
    const tb = await healthyTestbed();
    try {
      return await body(tb);
    } finally {
      await tb.down();
    }
  }

  /**
   * Injects the fault and runs the suites; a shared testbed is healed and proven healthy again, whatever the run
   * did.
   */
  async function judge(
    tb: RunningTestbed,
    fault: Fault,
    heal?: (tb: RunningTestbed) => Promise<void>,
  ): Promise<{ failed: Map<string, string>; seconds: string }> {
    const t0 = Date.now();
    await fault.inject(tb);
    const t1 = Date.now();
    let ran = t1;
    const failed = await runSuites(tb.stateFile, group.suites, fault.deadlines ?? group.deadlines).finally(async () => {
      ran = Date.now();
      if (!heal) return;
      await heal(tb);
      await settle(tb);
    });
    return { failed, seconds: `${secs(t1 - t0)} + ${secs(ran - t1)}` };
  }

  const all: Array<{ fault: Fault; heal?: (tb: RunningTestbed) => Promise<void> }> = group.testbedPerFault
    ? group.faults.map((fault) => ({ fault }))
    : group.faults.map((fault) => ({ fault, heal: (tb) => fault.heal(tb) }));
  const cases = all.filter((c) => selected(c.fault));
  if (!cases.length) return;

  describe(`fault catalogue: ${group.name}`, () => {
    beforeAll(async () => {
      if (!group.testbedPerFault) shared = await healthyTestbed();
    });

    afterAll(async () => {
      await shared?.down();
      mkdirSync(SHARD_DIR, { recursive: true });
      writeFileSync(join(SHARD_DIR, `${order}.md`), rows.map((r) => `${r}\n`).join(''));
    });

    it.skipIf(ROW_FILTER.length > 0)('the healthy testbed passes every check', async () => {
      const t0 = Date.now();
      const failed = await onTestbed((tb) => runSuites(tb.stateFile, group.suites, group.deadlines));
      rows.push(
        `| none (healthy, ${group.name} suites) | 0 | ${failed.size} | 0 + ${secs(Date.now() - t0)} | ` +
          `${failed.size ? `FAIL (${[...failed].map(([t, m]) => `${t} — ${m}`).join('; ')})` : 'ok'} |`,
      );
      expect([...failed.keys()]).toEqual([]);
    });

    for (const { fault, heal } of cases) {
      it(`${fault.name}: fails exactly its checks`, async (ctx) => {
        const release = selectedOpenPERouter().version;
        if (fault.releases && !fault.releases.includes(release)) {
          rows.push(`| ${fault.name} | - | - | - | not a fault of openperouter ${release}: its own behaviour |`);
          return ctx.skip(`not a fault of openperouter ${release}, whose routers behave so`);
        }
        const { failed, seconds } = await onTestbed((tb) => judge(tb, fault, heal));
        const titles = [...failed.keys()];
        const skips = fault.skips ?? [];
        const missing = [...fault.breaks, ...skips].filter((b) => titles.filter((t) => t.includes(b)).length !== 1);
        const unexpected = titles.filter(
          (t) => ![...fault.breaks, ...skips, ...(fault.mayBreak ?? [])].some((b) => t.includes(b)),
        );
        const notSkipped = skips.flatMap((b) =>
          titles.filter((t) => t.includes(b) && failed.get(t) !== 'skipped').map((t) => `${t} — ${failed.get(t)}`),
        );
        const ok = !missing.length && !unexpected.length && !notSkipped.length;
        const mayOutcome = (m: string) => (titles.some((t) => t.includes(m)) ? `${m} failed` : `${m} passed`);
        const may = fault.mayBreak?.length
          ? ` (+${fault.mayBreak.length} that may: ${fault.mayBreak.map(mayOutcome).join(', ')})`
          : '';
        const expected = `${fault.breaks.length}${skips.length ? ` (+${skips.length} skipped)` : ''}${may}`;
        const why =
          `missing: ${missing.join('; ') || '-'}; unexpected: ` +
          `${unexpected.map((u) => `${u} — ${failed.get(u)}`).join('; ') || '-'}` +
          `${notSkipped.length ? `; failed instead of skipped: ${notSkipped.join('; ')}` : ''}`;
        rows.push(`| ${fault.name} | ${expected} | ${titles.length} | ${seconds} | ${ok ? 'ok' : `FAIL (${why})`} |`);
        expect({ missing, unexpected, notSkipped }).toEqual({ missing: [], unexpected: [], notSkipped: [] });
      });
    }
  });
}

// One part of the fault catalogue (npm run test:faults): each fault is injected into
// a healthy embedded testbed (the group's own, or a fresh one per fault), the
// group's suites run against it as a user runs them (every stage, no gating, short
// deadlines), and exactly the checks the fault breaks must fail while every other
// check passes. The catalogue's rows (each group's healthy run first, then its
// faults) are cut into as many contiguous parts as there are part-<N>.test.ts files
// beside this one: vitest runs the parts side by side (maxWorkers), and `--shard`
// spreads them over machines. Each row rides on its test (task meta), so the table
// (table.ts) is the same from one run or from merged shards (`--merge-reports`).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upEmbedded, type RunningTestbed } from '../../testbeds/embedded/testbed.ts';
import { runSuites } from './run-suites.ts';
import {
  FAULT_GROUPS,
  untilHeard,
  hostARedReachesVm2,
  selects,
  type Fault,
  type FaultGroup,
  type KeySelector,
} from './catalogue.ts';
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

/** A row of the catalogue: a group's healthy run (no fault) or one of its faults. */
export interface Row {
  order: number;
  group: FaultGroup;
  fault?: Fault;
  /** Puts a testbed the group shares back after the fault. */
  heal?: (tb: RunningTestbed) => Promise<void>;
}

export function catalogueRows(groups: FaultGroup[] = FAULT_GROUPS): Row[] {
  const rows: Row[] = [];
  for (const group of groups) {
    rows.push({ order: rows.length, group });
    if (group.testbedPerFault) for (const fault of group.faults) rows.push({ order: rows.length, group, fault });
    else for (const f of group.faults) rows.push({ order: rows.length, group, fault: f, heal: (tb) => f.heal(tb) });
  }
  return rows;
}

/** Part `part` (1-based) of `parts`: contiguous, so that a group sharing one testbed spans few parts. */
export function rowsOfPart(part: number, parts: number, rows: Row[] = catalogueRows()): Row[] {
  return rows.filter((r) => Math.floor((r.order * parts) / rows.length) === part - 1);
}

export const PART_FILE = /^part-(\d+)\.test\.ts$/;
const HERE = dirname(fileURLToPath(import.meta.url));

/** The part files beside this module, in part order. */
export function partFiles(dir = HERE): string[] {
  return readdirSync(dir)
    .filter((f) => PART_FILE.test(f))
    .sort((a, b) => Number(PART_FILE.exec(a)![1]) - Number(PART_FILE.exec(b)![1]));
}

/** Registers the rows of the part whose file is `moduleUrl` (its import.meta.url). */
export function faultPart(moduleUrl: string): void {
  const file = basename(fileURLToPath(moduleUrl));
  const files = partFiles();
  const part = files.indexOf(file) + 1;
  if (!part || Number(PART_FILE.exec(file)![1]) !== part) {
    throw new Error(`${file}: fault parts must be part-1.test.ts … part-${files.length}.test.ts, in ${HERE}`);
  }
  const rows = rowsOfPart(part, files.length).filter((r) => (r.fault ? selected(r.fault) : !ROW_FILTER.length));
  if (!rows.length) {
    it.skip(`part ${part} of ${files.length}: no row selected (L2STRETCH_FAULT_ROWS)`, () => {});
    return;
  }
  for (const group of FAULT_GROUPS) {
    const mine = rows.filter((r) => r.group === group);
    if (mine.length) groupRows(group, mine);
  }
}

/** The rows of one group in this part, on the part's own testbed for the group or on a fresh one per fault. */
function groupRows(group: FaultGroup, rows: Row[]): void {
  let shared: RunningTestbed | undefined;

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

  describe(`fault catalogue: ${group.name}`, () => {
    beforeAll(async () => {
      if (!group.testbedPerFault) shared = await healthyTestbed();
    });

    afterAll(async () => {
      await shared?.down();
    });

    for (const { order, fault, heal } of rows) {
      if (!fault) {
        it('the healthy testbed passes every check', async (ctx) => {
          const t0 = Date.now();
          const failed = await onTestbed((tb) => runSuites(tb.stateFile, group.suites, group.deadlines));
          ctx.task.meta.faultRow = {
            order,
            line:
              `| none (healthy, ${group.name} suites) | 0 | ${failed.size} | 0 + ${secs(Date.now() - t0)} | ` +
              `${failed.size ? `FAIL (${[...failed].map(([t, m]) => `${t} — ${m}`).join('; ')})` : 'ok'} |`,
          };
          expect([...failed.keys()]).toEqual([]);
        });
        continue;
      }
      it(`${fault.name}: fails exactly its checks`, async (ctx) => {
        const release = selectedOpenPERouter().version;
        if (fault.releases && !fault.releases.includes(release)) {
          ctx.task.meta.faultRow = {
            order,
            line: `| ${fault.name} | - | - | - | not a fault of openperouter ${release}: its own behaviour |`,
          };
          return ctx.skip(`not a fault of openperouter ${release}, whose routers behave so`);
        }
        const { failed, seconds } = await onTestbed((tb) => judge(tb, fault, heal));
        // Instance keys (and `<suite file> (setup)` for a suite whose setup failed).
        const keys = [...failed.keys()];
        const skips = fault.skips ?? [];
        const mayBreak = fault.mayBreak ?? [];
        const missing = [...fault.breaks, ...skips].filter((k) => !failed.has(k));
        const unexpected = keys.filter(
          (k) => !fault.breaks.includes(k) && !skips.includes(k) && !mayBreak.some((m) => selects(m, k)),
        );
        const notSkipped = skips
          .filter((k) => failed.has(k) && failed.get(k) !== 'skipped')
          .map((k) => `${k} — ${failed.get(k)}`);
        const ok = !missing.length && !unexpected.length && !notSkipped.length;
        const mayOutcome = (m: KeySelector) => {
          const where = Object.entries(m.where ?? {}).map(([p, v]) => `${p}=${v}`);
          const n = keys.filter((k) => selects(m, k)).length;
          return `${m.id}${where.length ? `[${where.join(',')}]` : ''} ${n ? `${n} failed` : 'passed'}`;
        };
        const may = fault.mayBreak?.length
          ? ` (+${fault.mayBreak.length} that may: ${fault.mayBreak.map(mayOutcome).join(', ')})`
          : '';
        const expected = `${fault.breaks.length}${skips.length ? ` (+${skips.length} skipped)` : ''}${may}`;
        const why =
          `missing: ${missing.join('; ') || '-'}; unexpected: ` +
          `${unexpected.map((u) => `${u} — ${failed.get(u)}`).join('; ') || '-'}` +
          `${notSkipped.length ? `; failed instead of skipped: ${notSkipped.join('; ')}` : ''}`;
        ctx.task.meta.faultRow = {
          order,
          line: `| ${fault.name} | ${expected} | ${keys.length} | ${seconds} | ${ok ? 'ok' : `FAIL (${why})`} |`,
        };
        expect({ missing, unexpected, notSkipped }).toEqual({ missing: [], unexpected: [], notSkipped: [] });
      });
    }
  });
}

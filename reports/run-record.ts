// The run record: one JSON file that says what ran where (suite version and commit,
// testbed, component versions), when, and each catalogue check's verdict with the
// time it took and the time the network took to converge. Bundles and nightly
// trends are built from it; verify-bundle reads it back through the same schema.
import { z } from 'zod';
import { CATALOGUE, checkIds, idOfTitle, type CheckId, TIERS, type Tier } from '../suites/catalogue.ts';
import { duplicateKeys, parseKey } from '../suites/keys.ts';

const verdict = z.enum(['passed', 'failed', 'skipped']);
export type Verdict = z.infer<typeof verdict>;

const instance = z.strictObject({
  /** `ID[param=value,…]` (suites/keys.ts): names the instance across runs, reports and the fault catalogue. */
  key: z.string(),
  title: z.string(),
  verdict,
  durationMs: z.number(),
  /** How long the network took to satisfy the check, when it was waited for. */
  convergedMs: z.number().optional(),
  message: z.string().optional(),
});

export const runRecordSchema = z.strictObject({
  schema: z.literal('l2stretch.run-record/v2'),
  suite: z.strictObject({ name: z.literal('l2stretch'), version: z.string(), commit: z.string(), dirty: z.boolean() }),
  testbed: z.strictObject({
    kind: z.string(),
    runId: z.string(),
    topology: z.string(),
    features: z.array(z.string()),
    versions: z.record(z.string(), z.string()),
    /** The dialect each router was read with, by router (absent in records written before routers had one). */
    nos: z.record(z.string(), z.string()).optional(),
    /** Each router's software version as the device reports it, by router (absent in older records). */
    routerVersions: z.record(z.string(), z.string()).optional(),
  }),
  tiers: z.array(z.enum(Object.keys(TIERS) as [Tier, ...Tier[]])),
  /** Wait times in effect (ms, by name): a slow platform may stretch them. */
  waits: z.record(z.string(), z.number()),
  /** Pass/fail limits in effect, per check ID then by name: always the catalogue's. */
  thresholds: z.record(z.string(), z.record(z.string(), z.number())),
  product: z.record(z.string(), z.unknown()).optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  checks: z.array(
    z.strictObject({
      id: z.string(),
      tier: z.string(),
      requirement: z.string(),
      verdict: z.enum(['passed', 'failed', 'skipped', 'not run']),
      durationMs: z.number(),
      instances: z.array(instance),
    }),
  ),
  /** Tests of the run that carry no check key, and errors outside any test: both make the run fail. */
  strays: z.array(z.string()),
  errors: z.array(z.string()),
  /** incomplete: nothing failed, but some check was skipped or not run — never to be read as a pass. */
  verdict: z.enum(['passed', 'failed', 'incomplete']),
});

export type RunRecord = z.infer<typeof runRecordSchema>;
export type CheckInstance = z.infer<typeof instance>;

export interface FinishedTest {
  /** The test's own name, which starts with its catalogue ID. */
  name: string;
  /** The check instance's key, which the suite declared it under (the test's meta). */
  key?: string;
  /** With the describe blocks around it, as the record shows it. */
  title: string;
  verdict: Verdict;
  durationMs: number;
  message?: string;
  /** Messages of the test's annotations ("converged after 1.23 s …"). */
  annotations: string[];
}

function convergedMs(annotations: string[]): number | undefined {
  for (const a of annotations) {
    const m = /^converged after ([\d.]+) s/.exec(a);
    if (m) return Math.round(Number(m[1]) * 1000);
  }
  return undefined;
}

/** The check a test is an instance of: the ID of its key, which its name must start with. */
function checkOf(t: FinishedTest): CheckId | undefined {
  if (!t.key) return undefined;
  try {
    const { id } = parseKey(t.key);
    return idOfTitle(t.name) === id ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verdicts of the checks of `tiers` (and of `only`, when the run selected checks). A
 * test without a well-formed key of its named check is a stray; a key two tests share
 * is a duplicate (each an error of the run: those instances cannot be told apart).
 */
export function checkVerdicts(
  tests: FinishedTest[],
  tiers: Tier[],
  only?: readonly CheckId[],
): { checks: RunRecord['checks']; strays: string[]; duplicates: string[] } {
  const byId = new Map<CheckId, CheckInstance[]>();
  const strays: string[] = [];
  for (const t of tests) {
    const id = checkOf(t);
    if (!id) {
      strays.push(t.title);
      continue;
    }
    const c = convergedMs(t.annotations);
    byId.set(id, [
      ...(byId.get(id) ?? []),
      {
        key: t.key!,
        title: t.title,
        verdict: t.verdict,
        durationMs: Math.round(t.durationMs),
        ...(c === undefined ? {} : { convergedMs: c }),
        ...(t.message ? { message: t.message } : {}),
      },
    ]);
  }
  const duplicates = duplicateKeys([...byId.values()].flat().map((i) => i.key));
  const checks = checkIds()
    .filter((id) => tiers.includes(CATALOGUE[id].tier) && (!only || only.includes(id)))
    .map((id) => {
      const instances = byId.get(id) ?? [];
      const v = instances.some((i) => i.verdict === 'failed')
        ? 'failed'
        : instances.some((i) => i.verdict === 'skipped')
          ? 'skipped'
          : instances.length
            ? 'passed'
            : 'not run';
      return {
        id,
        tier: CATALOGUE[id].tier,
        requirement: CATALOGUE[id].requirement,
        verdict: v,
        durationMs: instances.reduce((s, i) => s + i.durationMs, 0),
        instances,
      } as const;
    });
  return { checks, strays, duplicates };
}

/**
 * A run passes when every check of its tiers ran and passed, and nothing failed
 * outside the catalogue or outside a test. Skipped or unrun checks make it
 * incomplete: a testbed declaring no features must not come out green.
 */
export function runVerdict(r: Pick<RunRecord, 'checks' | 'strays' | 'errors'>): RunRecord['verdict'] {
  if (r.checks.some((c) => c.verdict === 'failed') || r.strays.length || r.errors.length) return 'failed';
  return r.checks.every((c) => c.verdict === 'passed') ? 'passed' : 'incomplete';
}

const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

/** The table the run ends with: one line per catalogue check. */
export function verdictTable(r: Pick<RunRecord, 'checks'>, width = 120): string {
  const req = Math.max(30, width - 12 - 12 - 22 - 10);
  const lines = r.checks.map((c) => {
    const failed = c.instances.filter((i) => i.verdict === 'failed').length;
    const skipped = c.instances.filter((i) => i.verdict === 'skipped').length;
    const result =
      c.verdict === 'failed'
        ? `FAILED ${failed}/${c.instances.length}`
        : c.verdict === 'skipped'
          ? `skipped ${skipped}/${c.instances.length}`
          : c.verdict === 'passed'
            ? `passed ${c.instances.length}/${c.instances.length}`
            : 'not run';
    return (
      `${pad(c.id, 12)} ${pad(c.tier, 11)} ${pad(result, 21)} ` +
      `${`${(c.durationMs / 1000).toFixed(1)} s`.padStart(7)}  ${pad(c.requirement, req)}`
    );
  });
  return [`${pad('ID', 12)} ${pad('tier', 11)} ${pad('result', 21)} ${'time'.padStart(7)}  requirement`, ...lines].join(
    '\n',
  );
}

// What every conformance check gets: the testbed the global setup stood up (or the
// kept one named by L2STRETCH_TESTBED_FILE) and the suite's other fixtures, set up once
// per suite file on the first check that names them; the stage gate and feature skips,
// decided when the check is declared, before any setup; and a way to judge a check, or
// run it to its deadline, keeping the evidence it looked at.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inject, test, afterEach, type TestAPI, type TestContext } from 'vitest';
import * as allure from 'allure-js-commons';
import { openTestbed, readTestbedFile } from '../helpers/testbed.ts';
import type { Evidence, Testbed } from '../helpers/ports.ts';
import { eventually, CheckFailed, type DeadlineName } from '../helpers/wait.ts';
import { NetworkCheckFailed, type Verdict } from './verdict.ts';
import { greetedVms, type PlacedVm } from './overlay.ts';
import type { Stage } from './stages.ts';
import { entry, type CheckId, type Tier } from './catalogue.ts';
import { instanceSelected, selectedChecks, stagesLeftOut } from './selection.ts';
import { checkKey, instanceTitle, type KeyParams, type TitleValues } from './keys.ts';
import type { Feature } from '../topology/features.ts';
import { collectDiagnosticsOnce } from '../reports/diagnostics.ts';
import { redactFile } from '../reports/redact.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testbedFile: string;
    /** Where each stage records its failures, so that later stages can be skipped with the reason. */
    stageFile: string;
  }
  export interface TaskMeta {
    /** The check instance's key (suites/keys.ts): what reports and the fault catalogue name it by. */
    checkKey?: string;
  }
}

type StageFailures = Partial<Record<Stage, string[]>>;

function readFailures(): StageFailures {
  try {
    return JSON.parse(readFileSync(inject('stageFile'), 'utf8')) as StageFailures;
  } catch {
    return {};
  }
}

/**
 * Declares a suite's stage: its failures are recorded for the stages after it. Returns
 * why the stage cannot run, when an earlier stage failed (which, and on what).
 */
function stageGate(stage: Stage, after: Stage[]): string | undefined {
  const failures = readFailures();
  // The fault catalogue runs every check whatever fails first, to see exactly which ones a fault breaks.
  const gated = process.env.L2STRETCH_STAGE_GATE !== 'off';
  const failed = gated ? after.filter((s) => failures[s]?.length) : [];
  const why = (s: Stage) => `${failures[s]!.slice(0, 2).join('; ')}${failures[s]!.length > 2 ? '; …' : ''}`;
  // Destructured: vitest reads a hook's fixtures from its first argument as it does a test's.
  afterEach(({ task }) => {
    if (task.result?.state !== 'fail') return;
    const now = readFailures();
    now[stage] = [...(now[stage] ?? []), task.name];
    writeFileSync(inject('stageFile'), JSON.stringify(now, null, 2));
  });
  return failed.length ? `skipped: ${failed.map((s) => `stage ${s} failed (${why(s)})`).join(', ')}` : undefined;
}

/** The first failing check of a run takes the diagnostics (in the test, so that the report attaches them to it). */
async function diagnoseOnce(ctx: TestContext): Promise<void> {
  const taken = await collectDiagnosticsOnce(testbed(), reportDir('diagnostics'), ctx.task.fullName).catch(
    (e: Error) => {
      process.stderr.write(`l2stretch: diagnostics could not be collected: ${e.message}\n`);
      return undefined;
    },
  );
  if (!taken) return;
  process.stderr.write(`l2stretch: first failure; diagnostics of every router, member and cluster in ${taken.dir}\n`);
  await ctx.annotate(`diagnostics taken at this first failure: ${taken.dir}`, {
    path: taken.combined,
    contentType: 'text/plain',
  });
  await allure.attachmentPath('diagnostics (routers, kernel state, cluster objects)', taken.combined, {
    contentType: 'text/plain',
  });
}

const SEVERITY: Record<Tier, string> = { conformance: 'critical', extended: 'normal' };

export interface CheckOptions {
  /** Values the title shows beside the key parameters (a router's peers, a host's address). */
  title?: TitleValues;
  /** Features this instance needs beyond its check's. */
  needs?: Feature[];
  concurrent?: boolean;
  /** The check's time limit, when the setup of the fixtures it names takes longer than the run's default. */
  timeoutMs?: number;
}

/** What a check's body may name; each is set up once per suite file, by the first check that names it. */
export interface SuiteFixtures {
  tb: Testbed;
  /** Every declared VM by name, placed, and having talked to its gateway (so its type-2 routes exist). */
  vms: ReadonlyMap<string, PlacedVm>;
}

export const conformanceTest = test.extend<SuiteFixtures>({
  tb: [async ({}, use) => use(testbed()), { scope: 'file' }],
  vms: [async ({ tb }, use) => use(new Map((await greetedVms(tb)).map((v) => [v.vm, v]))), { scope: 'file' }],
});

/**
 * A check's body: the fixtures it needs, destructured (`({ vms }, ctx) => …`, or
 * `({}, ctx)` for none), and the test's context.
 */
export type CheckBody<F> = (fixtures: F, ctx: TestContext) => Promise<void> | void;

/**
 * `run` made to look like `body` to vitest, which sets up the fixtures a test function
 * destructures by reading the function's source: so a check sets up only what its body
 * names (test/harness.test.ts shows it), while `run` wraps every body alike.
 */
export function withFixturesOf<F>(body: CheckBody<F>, run: (ctx: F & TestContext) => Promise<void>) {
  Object.defineProperty(run, 'toString', { value: () => body.toString() });
  return run;
}

export interface ConformanceSuite<F> {
  /**
   * Declares the instance `params` of catalogue check `id`: its key is `id[params]`
   * (suites/keys.ts), its title the catalogue's with the parameters filled in. When an
   * earlier stage failed or the testbed lacks a feature the check (or this instance,
   * through `needs`) requires, it is declared skipped with the reason, and sets up
   * nothing. A key declared twice is an error.
   */
  check<I extends CheckId>(id: I, params: KeyParams<I>, body: CheckBody<F>, opts?: CheckOptions): void;
}

/** The suite of stage `stage`, run only when the stages `after` passed; its checks are declared with `declare`. */
export function conformanceSuite<F extends SuiteFixtures = SuiteFixtures>(
  stage: Stage,
  after: Stage[],
  declare: TestAPI<F> = conformanceTest as unknown as TestAPI<F>,
): ConformanceSuite<F> {
  const blocked = stageGate(stage, after);
  const selected = selectedChecks();
  const leftOut = stagesLeftOut(stage, selected);
  const declared = new Set<string>();
  const tb = testbed();
  return {
    check(id, params, body, opts) {
      const e = entry(id);
      if (e.suite !== stage) throw new Error(`${id} belongs to suite ${e.suite}, not ${stage}`);
      const key = checkKey(id, params);
      if (declared.has(key)) throw new Error(`${key} is declared twice: its instances could not be told apart`);
      declared.add(key);
      // A check or instance left out of the run (tier, --check, --skip) is not declared: neither run nor reported
      // as skipped.
      if (!selected.includes(id) || !instanceSelected(key)) return;
      const missing = [...e.needs, ...(opts?.needs ?? [])].filter((f) => !tb.features.has(f));
      const gap = (f: Feature) => (tb.featureGaps[f] ? `${f} (${tb.featureGaps[f]})` : f);
      const skip =
        blocked ??
        (missing.length
          ? `needs ${missing.map(gap).join(', ')}, which the ${tb.kind} testbed does not offer`
          : undefined);
      const label = async (ctx: TestContext) => {
        await allure.epic('l2stretch conformance');
        await allure.feature(stage);
        await allure.story(`${id}: ${e.requirement}`);
        await allure.severity(SEVERITY[e.tier]);
        await allure.tags(e.tier, ...e.needs);
        await allure.label('checkId', id);
        await allure.label('checkKey', key);
        // JUnit carries annotations as <property> elements: the key goes with the test case.
        await ctx.annotate(key, 'check-key');
      };
      const run = skip
        ? async ({ task, annotate, skip: skipTest }: TestContext) => {
            await label({ task, annotate } as TestContext);
            skipTest(skip);
          }
        : withFixturesOf(body, async (ctx) => {
            await label(ctx);
            try {
              await body(ctx, ctx);
            } catch (e) {
              await diagnoseOnce(ctx);
              if (leftOut.length && e instanceof Error) {
                e.message +=
                  `\n(stage ${leftOut.join(', ')} did not run: left out of this run's selection, so a failure there ` +
                  `could not skip this check)`;
              }
              throw e;
            }
          });
      const title = `${id} ${instanceTitle(id, params, opts?.title)}`;
      const options = { meta: { checkKey: key }, ...(opts?.timeoutMs ? { timeout: opts.timeoutMs } : {}) };
      (opts?.concurrent ? declare.concurrent : declare)(title, options, run as never);
    },
  };
}

let cached: Testbed | undefined;

export function testbed(): Testbed {
  return (cached ??= openTestbed(readTestbedFile(inject('testbedFile'))));
}

const PROGRESS_EVERY_MS = 5000;

/**
 * Ends a check in the house style: nothing when the verdict holds; otherwise the raw
 * answers it was read from are attached and the check fails with its problem (every
 * problem on its own line: router, peer or route, expected, seen), never a matcher's diff.
 */
export async function judge(ctx: TestContext, verdict: Verdict): Promise<void> {
  if (verdict.problem === undefined) return;
  await attachEvidence(ctx, verdict.evidence);
  throw new NetworkCheckFailed(verdict.problem);
}

async function attachEvidence(ctx: TestContext, answers: Evidence[]): Promise<void> {
  for (const a of answers) {
    // Evidence is JSON: redacted by structure, so it stays JSON.
    const body = String(redactFile('evidence.json', a.raw));
    await ctx.annotate(`${a.router}: ${a.command}`, { body, bodyEncoding: 'utf-8', contentType: 'application/json' });
    await allure.attachment(`${a.router}: ${a.command}`, body, { contentType: 'application/json' });
  }
}

/**
 * Runs the check until it passes or the named deadline is over, as one report step.
 * On failure the test fails with the check's last message and the raw JSON it last
 * saw is attached; on success the time to converge is recorded.
 */
export async function expectEventually(
  ctx: TestContext,
  deadline: DeadlineName,
  check: () => Promise<Verdict>,
): Promise<void> {
  const tb = testbed();
  await allure.step(`converges within ${deadline} (${tb.deadlines[deadline] / 1000} s)`, async () => {
    let last: Evidence[] = [];
    let lastProblem: string | undefined;
    const start = Date.now();
    // A long wait says what it waits for, so that a slow network does not look like a hang.
    const progress = setInterval(() => {
      const waited = Math.round((Date.now() - start) / 1000);
      process.stderr.write(
        `l2stretch: ${ctx.task.name}: waiting ${waited} s of ${tb.deadlines[deadline] / 1000} s (${deadline})` +
          `${lastProblem ? `; now: ${lastProblem.split('\n')[0]}` : ''}\n`,
      );
    }, PROGRESS_EVERY_MS);
    try {
      const done = await eventually(async () => {
        const r = await check();
        last = r.evidence;
        lastProblem = r.problem;
        return r.problem;
      }, tb.deadlines[deadline]).finally(() => clearInterval(progress));
      await ctx.annotate(
        `converged after ${(done.elapsedMs / 1000).toFixed(2)} s (${done.attempts} attempts)`,
        'convergence',
      );
    } catch (e) {
      if (!(e instanceof CheckFailed)) throw e;
      await attachEvidence(ctx, last);
      throw new NetworkCheckFailed(e.message);
    }
  });
}

/** Where this run's report files go: L2STRETCH_REPORT_DIR, set once per run by the conformance config. */
export function reportDir(...parts: string[]): string {
  const base = process.env.L2STRETCH_REPORT_DIR;
  if (!base)
    throw new Error(
      'L2STRETCH_REPORT_DIR is not set: run the suites with vitest.conformance.config.ts (npm run conformance)',
    );
  const dir = join(base, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

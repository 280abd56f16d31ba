// What every conformance test gets: the testbed the global setup stood up (or the
// kept one named by L2STRETCH_TESTBED_FILE), and a way to run a check to its
// deadline while keeping the evidence it looked at.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inject, it, afterEach, type TestContext } from 'vitest';
import * as allure from 'allure-js-commons';
import { openTestbed, readTestbedFile } from '../helpers/testbed.ts';
import type { Evidence, Testbed } from '../helpers/ports.ts';
import { eventually, CheckFailed, type DeadlineName } from '../helpers/wait.ts';
import type { Stage } from './stages.ts';
import { entry, type CheckId, type Tier } from './catalogue.ts';
import { selectedChecks, stagesLeftOut } from './selection.ts';
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

interface StageGate {
  /** Why this stage cannot run, when an earlier stage failed. */
  blocked?: string;
  /** Skips the running test with the reason when blocked. */
  check(ctx: TestContext): void;
}

/**
 * Declares a suite's stage: its failures are recorded for the stages after it, and
 * it is skipped, saying which earlier stage failed and on what, when one did.
 */
function stageGate(stage: Stage, after: Stage[]): StageGate {
  const failures = readFailures();
  // The fault catalogue runs every check whatever fails first, to see exactly which ones a fault breaks.
  const gated = process.env.L2STRETCH_STAGE_GATE !== 'off';
  const failed = gated ? after.filter((s) => failures[s]?.length) : [];
  const why = (s: Stage) => `${failures[s]!.slice(0, 2).join('; ')}${failures[s]!.length > 2 ? '; …' : ''}`;
  const blocked = failed.length
    ? `skipped: ${failed.map((s) => `stage ${s} failed (${why(s)})`).join(', ')}`
    : undefined;
  afterEach((ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const now = readFailures();
    now[stage] = [...(now[stage] ?? []), ctx.task.name];
    writeFileSync(inject('stageFile'), JSON.stringify(now, null, 2));
  });
  return { blocked, check: (ctx) => (blocked ? ctx.skip(blocked) : undefined) };
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
}

export interface ConformanceSuite {
  readonly blocked?: string;
  /**
   * Declares the instance `params` of catalogue check `id`: its key is `id[params]`
   * (suites/keys.ts), its title the catalogue's with the parameters filled in. It is
   * skipped, with the reason, when an earlier stage failed or the testbed lacks a
   * feature the check (or this instance, through `needs`) requires. A key declared
   * twice is an error.
   */
  check<I extends CheckId>(
    id: I,
    params: KeyParams<I>,
    body: (ctx: TestContext) => Promise<void> | void,
    opts?: CheckOptions,
  ): void;
}

export function conformanceSuite(stage: Stage, after: Stage[]): ConformanceSuite {
  const gate = stageGate(stage, after);
  const selected = selectedChecks();
  const leftOut = stagesLeftOut(stage, selected);
  const declared = new Set<string>();
  return {
    blocked: gate.blocked,
    check(id, params, body, opts) {
      const e = entry(id);
      if (e.suite !== stage) throw new Error(`${id} belongs to suite ${e.suite}, not ${stage}`);
      const key = checkKey(id, params);
      if (declared.has(key)) throw new Error(`${key} is declared twice: its instances could not be told apart`);
      declared.add(key);
      // A check left out of the run (tier, --check, --skip) is not declared: neither run nor reported as skipped.
      if (!selected.includes(id)) return;
      const title = `${id} ${instanceTitle(id, params, opts?.title)}`;
      (opts?.concurrent ? it.concurrent : it)(title, { meta: { checkKey: key } }, async (ctx) => {
        await allure.epic('l2stretch conformance');
        await allure.feature(stage);
        await allure.story(`${id}: ${e.requirement}`);
        await allure.severity(SEVERITY[e.tier]);
        await allure.tags(e.tier, ...e.needs);
        await allure.label('checkId', id);
        await allure.label('checkKey', key);
        // JUnit carries annotations as <property> elements: the key goes with the test case.
        await ctx.annotate(key, 'check-key');
        gate.check(ctx);
        const tb = testbed();
        const missing = [...e.needs, ...(opts?.needs ?? [])].filter((f) => !tb.features.has(f));
        if (missing.length)
          ctx.skip(
            `needs ${missing.map((f) => (tb.featureGaps[f] ? `${f} (${tb.featureGaps[f]})` : f)).join(', ')}, ` +
              `which the ${tb.kind} testbed does not offer`,
          );
        try {
          await body(ctx);
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
    },
  };
}

let cached: Testbed | undefined;

export function testbed(): Testbed {
  return (cached ??= openTestbed(readTestbedFile(inject('testbedFile'))));
}

export interface EvidencedCheck {
  (): Promise<{ problem?: string; evidence?: Evidence | Evidence[] }>;
}

const PROGRESS_EVERY_MS = 5000;

/**
 * A check that saw the network misbehave, as opposed to a testbed or suite that broke: reports file it under product
 * failures.
 */
export class NetworkCheckFailed extends Error {
  override name = 'AssertionError';
}

/**
 * Ends a check in the house style: nothing when there is no problem, otherwise every
 * problem on its own line (router, peer or route, expected, seen), never a matcher's diff.
 */
export function judge(...problems: Array<string | undefined | Array<string | undefined>>): void {
  const list = problems.flat().filter((p): p is string => !!p);
  if (list.length) throw new NetworkCheckFailed(list.join('\n'));
}

/** judge(), attaching the raw JSON the problems were read from when there are any. */
export async function judgeWithEvidence(ctx: TestContext, problems: string[], evidence: Evidence[]): Promise<void> {
  if (problems.length) await attachEvidence(ctx, evidence);
  judge(problems);
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
export async function expectEventually(ctx: TestContext, deadline: DeadlineName, check: EvidencedCheck): Promise<void> {
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
        last = r.evidence === undefined ? [] : Array.isArray(r.evidence) ? r.evidence : [r.evidence];
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

// What every conformance test gets: the testbed the global setup stood up (or the
// kept one named by L2STRETCH_TESTBED_FILE), and a way to run a check to its
// deadline while keeping the evidence it looked at.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject, afterEach, type TestContext } from 'vitest';
import { openTestbed, readTestbedFile, type Testbed } from '../helpers/testbed.ts';
import { eventually, CheckFailed, type DeadlineName } from '../helpers/wait.ts';
import type { VtyshAnswer } from '../helpers/router.ts';
import type { Stage } from './stages.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testbedFile: string;
    /** Where each stage records its failures, so that later stages can be skipped with the reason. */
    stageFile: string;
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

export interface StageGate {
  /** Why this stage cannot run, when an earlier stage failed. */
  blocked?: string;
  /** Skips the running test with the reason when blocked. */
  check(ctx: TestContext): void;
}

/**
 * Declares a suite's stage: its failures are recorded for the stages after it, and
 * it is skipped, saying which earlier stage failed and on what, when one did.
 */
export function stageGate(stage: Stage, after: Stage[]): StageGate {
  const failures = readFailures();
  // The fault catalogue runs every check whatever fails first, to see exactly which ones a fault breaks.
  const gated = process.env.L2STRETCH_STAGE_GATE !== 'off';
  const failed = gated ? after.filter((s) => failures[s]?.length) : [];
  const blocked = failed.length
    ? `skipped: ${failed.map((s) => `stage ${s} failed (${failures[s]!.slice(0, 2).join('; ')}${failures[s]!.length > 2 ? '; …' : ''})`).join(', ')}`
    : undefined;
  afterEach((ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const now = readFailures();
    now[stage] = [...(now[stage] ?? []), ctx.task.name];
    writeFileSync(inject('stageFile'), JSON.stringify(now, null, 2));
  });
  return { blocked, check: (ctx) => (blocked ? ctx.skip(blocked) : undefined) };
}

let cached: Testbed | undefined;

export function testbed(): Testbed {
  return (cached ??= openTestbed(readTestbedFile(inject('testbedFile'))));
}

export interface EvidencedCheck {
  (): Promise<{ problem?: string; evidence?: VtyshAnswer | VtyshAnswer[] }>;
}

/**
 * Runs the check until it passes or the named deadline is over. On failure the
 * test fails with the check's last message and the raw JSON it last saw is attached;
 * on success the time to converge is recorded.
 */
export async function expectEventually(ctx: TestContext, deadline: DeadlineName, check: EvidencedCheck): Promise<void> {
  const tb = testbed();
  let last: VtyshAnswer[] = [];
  try {
    const done = await eventually(async () => {
      const r = await check();
      last = r.evidence === undefined ? [] : Array.isArray(r.evidence) ? r.evidence : [r.evidence];
      return r.problem;
    }, tb.deadlines[deadline]);
    await ctx.annotate(`converged after ${(done.elapsedMs / 1000).toFixed(2)} s (${done.attempts} attempts)`, 'convergence');
  } catch (e) {
    if (!(e instanceof CheckFailed)) throw e;
    for (const a of last) {
      await ctx.annotate(`${a.router}: ${a.command}`, { body: a.raw, bodyEncoding: 'utf-8', contentType: 'application/json' });
    }
    throw new Error(e.message);
  }
}

const REPORTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'reports');

/** Where this run's report files go (reports/<run id>/…). */
export function reportDir(...parts: string[]): string {
  const dir = join(REPORTS, testbed().runId, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

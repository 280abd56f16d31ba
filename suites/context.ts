// What every conformance test gets: the testbed the global setup stood up (or the
// kept one named by L2STRETCH_TESTBED_FILE), and a way to run a check to its
// deadline while keeping the evidence it looked at.
import { inject, type TestContext } from 'vitest';
import { openTestbed, readTestbedFile, type Testbed } from '../helpers/testbed.ts';
import { eventually, CheckFailed, type DeadlineName } from '../helpers/wait.ts';
import type { VtyshAnswer } from '../helpers/router.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testbedFile: string;
  }
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

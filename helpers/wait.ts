// How long the suites wait for things, in one table (like netlab's named wait
// times), and the one retry loop that runs every check until its deadline. Only
// waits belong here: a testbed or L2STRETCH_DEADLINES may stretch them for a slow
// platform. A pass/fail limit is a threshold of its check in suites/catalogue.ts.
import pRetry, { AbortError } from 'p-retry';

/** Named deadlines in milliseconds. A testbed may override any of them. */
export const DEFAULT_DEADLINES = {
  /** every BGP session of the fabric Established */
  bgpEstablished: 30_000,
  /** EVPN routes present where expected */
  evpnRoutes: 30_000,
  /** traffic between workloads flows */
  dataPlane: 20_000,
  /** how long one probe that must fail waits for an answer */
  mustFailProbe: 2_000,
  /** how long one HTTP request between workloads may take */
  httpRequest: 5_000,
  /** how long the large transfer between VMs may take */
  transfer: 20_000,
  /** a testbed member answers its first command */
  memberReady: 15_000,
  /** KubeVirt's own timeout for a decentralized (cross-cluster) migration */
  crossClusterMigration: 480_000,
  /** KubeVirt's own timeout for an in-cluster migration */
  inClusterMigration: 240_000,
  /**
   * longest the live-migration suite waits for EVPN duplicate detection to forget a
   * VM's earlier moves before moving it again (FRR's default window is 180 s)
   */
  duplicateDetectionQuiet: 200_000,
  /** how long the probes watch a migration: 1 s before it starts, the rest during and after */
  migrationObserve: 6_000,
} as const;

export type DeadlineName = keyof typeof DEFAULT_DEADLINES;
export type Deadlines = Record<DeadlineName, number>;

/** "bgpEstablished=60s,evpnRoutes=90000" (ms unless suffixed s) from L2STRETCH_DEADLINES. */
export function parseDeadlineOverrides(spec: string | undefined): Partial<Deadlines> {
  const out: Partial<Deadlines> = {};
  if (!spec) return out;
  for (const item of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\w+)=(\d+)(ms|s)?$/.exec(item);
    if (!m || !(m[1]! in DEFAULT_DEADLINES)) {
      throw new Error(
        `L2STRETCH_DEADLINES: "${item}" is not <name>=<number>[s|ms] with a name among ` +
          `${Object.keys(DEFAULT_DEADLINES).join(', ')}`,
      );
    }
    out[m[1] as DeadlineName] = Number(m[2]) * (m[3] === 's' ? 1000 : 1);
  }
  return out;
}

export function resolveDeadlines(testbed: Partial<Deadlines> = {}, env = process.env.L2STRETCH_DEADLINES): Deadlines {
  return { ...DEFAULT_DEADLINES, ...testbed, ...parseDeadlineOverrides(env) };
}

/**
 * The test, not the network, cannot go on (unknown JSON, a testbed not ready):
 * never retried, and reported as a broken test rather than a failed check.
 */
export class BrokenTest extends Error {
  override name = 'BrokenTest';
}

/** A check returns nothing when satisfied, or a precise message saying what is wrong. */
export type Check = () => Promise<string | undefined>;

export class CheckFailed extends Error {
  override name = 'CheckFailed';
  constructor(
    message: string,
    readonly elapsedMs: number,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export interface Converged {
  elapsedMs: number;
  attempts: number;
}

/**
 * Runs `check` until it passes or `deadlineMs` is over; returns how long it took
 * to pass, or throws CheckFailed with the last message. Errors the check throws
 * (a router that cannot be reached) are retried the same way and reported as seen.
 */
export async function eventually(check: Check, deadlineMs: number, intervalMs = 250): Promise<Converged> {
  const start = Date.now();
  let attempts = 0;
  let last = 'the check never ran';
  try {
    await pRetry(
      async () => {
        attempts++;
        let problem: string | undefined;
        try {
          problem = await check();
        } catch (e) {
          if (e instanceof BrokenTest) throw new AbortError(e);
          problem = (e as Error).message;
        }
        if (problem === undefined) return;
        last = problem;
        if (Date.now() - start >= deadlineMs) throw new AbortError(problem);
        throw new Error(problem);
      },
      {
        retries: Number.POSITIVE_INFINITY,
        factor: 1,
        minTimeout: intervalMs,
        maxTimeout: intervalMs,
        maxRetryTime: deadlineMs,
        randomize: false,
      },
    );
  } catch (e) {
    if (e instanceof BrokenTest) throw e;
    const elapsed = Date.now() - start;
    throw new CheckFailed(
      `${last}\n(still failing after ${(elapsed / 1000).toFixed(1)} s, ${attempts} attempts)`,
      elapsed,
      attempts,
    );
  }
  return { elapsedMs: Date.now() - start, attempts };
}

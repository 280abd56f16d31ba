// Exit codes of every l2stretch command (README, "Exit codes").
export const EXIT = {
  /** Every selected check passed (or the command did what it was asked). */
  passed: 0,
  /** A check failed (a bundle failed verification). */
  failed: 1,
  /** Usage or tool error: bad flag, argument or file, the testbed could not start, no run to read. */
  usage: 2,
  /** Incomplete: nothing failed, but a selected check was skipped or not run. */
  incomplete: 3,
  interrupted: 130,
} as const;

/** A mistake of the caller or of the tool, not of the network: one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitOfVerdict(verdict: 'passed' | 'failed' | 'incomplete'): number {
  return EXIT[verdict];
}

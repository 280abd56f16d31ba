// What a check concludes: one shape for every check, whether it is retried to a
// deadline (expectEventually) or judged once (judge): the problem, if any, in the
// house style (router, peer or route, expected, seen; one per line), and the raw
// router answers it was read from, attached to the report when there is a problem.
import type { Evidence } from '../helpers/ports.ts';

export interface Verdict {
  problem?: string;
  evidence: Evidence[];
}

/** A verdict from any number of problems (none: it holds) and the evidence they were read from. */
export function verdictOf(
  problems: string | undefined | Array<string | undefined>,
  evidence: Evidence[] = [],
): Verdict {
  const list = [problems].flat().filter((p): p is string => !!p);
  return list.length ? { problem: list.join('\n'), evidence } : { evidence };
}

/**
 * A check that saw the network misbehave, as opposed to a testbed or suite that broke: reports file it under
 * product failures.
 */
export class NetworkCheckFailed extends Error {
  override name = 'AssertionError';
}

// The order the self-tests start in, for `--project self` run side by side: the
// files that wait longest start first, so that they overlap the others instead of
// running alone at the end. Vitest orders by the durations it cached on this
// machine, else by file size; a clean clone (CI) has no cache, and file size says
// nothing of how long a test waits.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Minutes of waiting each (three conformance runs and EVPN duplicate detection's
 * window); then the rest of test/embedded/, then the others.
 */
export const STARTS_FIRST = ['test/embedded/rerun.test.ts'];

const rank = (file: string) => {
  const first = STARTS_FIRST.findIndex((f) => file.endsWith(`/${f}`));
  if (first >= 0) return first;
  return file.includes('/test/embedded/') ? STARTS_FIRST.length : STARTS_FIRST.length + 1;
};

export class LongestWaitFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: vitest's order stays within each rank.
    return (await super.sort(files)).sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}

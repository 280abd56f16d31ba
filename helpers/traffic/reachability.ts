// Before a run on a testbed someone else stood up: every router must answer, or the
// run stops at once naming those that do not, instead of timing out test by test.
import type { Testbed } from '../ports.ts';

export async function unreachableRouters(tb: Testbed): Promise<string[]> {
  const results = await Promise.all(
    tb.routers.map(async (r) => {
      try {
        await r.version();
        return undefined;
      } catch (e) {
        return `router ${r.name} does not answer: ${(e as Error).message}`;
      }
    }),
  );
  return results.filter((x): x is string => x !== undefined);
}

import { defineConfig } from 'vitest/config';

// What Stryker runs against each mutant: the fast unit tests only (no root, no FRR,
// no testbed), so a mutant is killed by a judge's or parser's own tests or not at all.
export default defineConfig({
  test: {
    include: ['test/*.test.ts'],
    testTimeout: 30_000,
  },
});

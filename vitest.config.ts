import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'self',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['suites/**/*.test.ts'],
          globalSetup: ['suites/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One testbed, one order: a suite must not see another one's changes.
          fileParallelism: false,
        },
      },
    ],
  },
});

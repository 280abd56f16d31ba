import { defineConfig } from 'vitest/config';
import { StageSequencer } from './suites/sequencer.ts';

export default defineConfig({
  test: {
    // vitest takes the sequencer from the root config only; it orders the conformance stages.
    sequence: { sequencer: StageSequencer },
    projects: [
      {
        test: {
          name: 'self',
          include: ['test/**/*.test.ts'],
          exclude: ['test/faults/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
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

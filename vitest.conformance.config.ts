import { defineConfig } from 'vitest/config';
import { join } from 'node:path';
import { StageSequencer } from './suites/sequencer.ts';
import { runReportDir } from './reports/paths.ts';

// Evaluated once per run in the main process; the workers and the global setup
// inherit the environment, so every part of the run writes to the same place.
const dir = (process.env.L2STRETCH_REPORT_DIR ??= runReportDir());

export default defineConfig({
  // `l2stretch run` starts vitest in the user's directory (reports go there), with the suites in the package.
  root: import.meta.dirname,
  test: {
    name: 'conformance',
    include: ['suites/**/*.test.ts'],
    globalSetup: ['suites/global-setup.ts'],
    // Listed so that allure's runtime is there even when another reporter replaces allure's.
    setupFiles: ['allure-vitest/setup'],
    sequence: { sequencer: StageSequencer },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One testbed, one order: a suite must not see another one's changes.
    fileParallelism: false,
    // Files the checks attach (diagnostics, probe timelines) stay with the run's reports.
    attachmentsDir: join(dir, 'attachments'),
    reporters: [
      'default',
      ['junit', { outputFile: join(dir, 'junit.xml'), suiteName: 'l2stretch conformance' }],
      ['allure-vitest/reporter', { resultsDir: join(dir, 'allure-results') }],
      './reports/run-record-reporter.ts',
      // What the soak and the bench read (reports/conformance-run.ts).
      ['json', { outputFile: join(dir, 'vitest.json') }],
    ],
  },
});

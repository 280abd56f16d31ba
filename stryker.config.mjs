// Mutation testing of the modules that decide a verdict: the judges, the FRR parsers,
// the oracle, the bundle verifier and the redactor (`npm run test:mutation`).
// Concurrency 1: the machines this runs on are shared, and the unit tests are short.
import { resolve } from 'node:path';

// Stryker copies the project into a sandbox one level deeper, where ../shared is not
// the reference material's home any more.
process.env.L2STRETCH_SHARED ??= resolve('..', 'shared');

const out = 'reports/mutation';

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'suites/*/checks.ts',
    'suites/overlay.ts',
    'helpers/nos/frr/json.ts',
    'helpers/nos/eos/normalize.ts',
    'helpers/nos/srlinux/normalize.ts',
    'topology/expectations.ts',
    'reports/verify-bundle.ts',
    'reports/redact.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 30_000,
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false },
  // The goal (90 %) is per module, judged by test/mutation/per-module.ts after the run.
  thresholds: { high: 95, low: 90, break: null },
  // What runs left in reports/ (symlinks, large run directories) stays out of the sandbox; the code there does not.
  ignorePatterns: ['/reports/*', '!/reports/*.ts'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

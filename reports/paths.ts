// Where a run's reports land: reports/<UTC time of the run>/ under the current
// directory (never inside the installed package), and reports/latest pointing at the
// newest one.
import { join, resolve } from 'node:path';

export const REPORTS = resolve('reports');

export function runReportDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(REPORTS, `run-${stamp}-${process.pid}`);
}

export const LATEST = join(REPORTS, 'latest');
/** Allure's history of every run on this machine, so the HTML report shows trends and flaky checks. */
export const ALLURE_HISTORY = join(REPORTS, 'allure-history.jsonl');

export const RUN_FILES = {
  record: 'run-record.json',
  junit: 'junit.xml',
  allureResults: 'allure-results',
  allureReport: 'allure-report',
  testbed: 'testbed.json',
  diagnostics: 'diagnostics',
  log: 'run.log',
  vitestJson: 'vitest.json',
} as const;

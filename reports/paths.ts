// Where a run's reports land: reports/<UTC time of the run>/ under the current
// directory (never inside the installed package), or under L2STRETCH_REPORTS, and
// reports/latest pointing at the newest one. `l2stretch run` runs vitest in the
// package (so that the reports name suites the same from any directory) and passes
// the caller's reports directory down in L2STRETCH_REPORTS.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export const REPORTS = resolve(process.env.L2STRETCH_REPORTS ?? 'reports');

export function runReportDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(REPORTS, `run-${stamp}-${process.pid}`);
}

export const LATEST = join(REPORTS, 'latest');

/**
 * Points reports/latest at a run's directory when it lies under REPORTS. A run that
 * reports elsewhere (L2STRETCH_REPORT_DIR: a test's or a fault row's scratch folder,
 * removed afterwards) leaves it alone, so it never names a run that is gone.
 */
export function pointLatestAt(dir: string): void {
  const rel = relative(REPORTS, dir);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return;
  mkdirSync(REPORTS, { recursive: true });
  rmSync(LATEST, { force: true });
  symlinkSync(rel, LATEST);
}
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

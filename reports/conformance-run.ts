// Runs the conformance suites in a child vitest, as `l2stretch run` does, and reads
// its JSON report: every check that did not pass, every suite whose setup failed, and
// how long each suite took. The soak, the bench and the fault catalogue judge runs by
// this one reading.
import { execa } from 'execa';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_CONFIG, PACKAGE_ROOT, vitestCli } from '../cli/paths.ts';
import { REPORTS, RUN_FILES } from './paths.ts';

interface JsonReport {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    startTime: number;
    endTime: number;
    assertionResults: Array<{
      fullName: string;
      status: string;
      failureMessages: string[];
      meta?: { checkKey?: string };
    }>;
  }>;
}

export interface ConformanceRun {
  checks: number;
  passed: number;
  /** Check instance key (or the test's name, or `<suite file> (setup)`) → the first line of why it did not pass. */
  notPassed: Map<string, string>;
  /** Suite file (relative to the package) → seconds, in the order they ran. */
  suiteSeconds: Map<string, number>;
  exitCode: number;
}

const firstLine = (m: string) => m.split('\n')[0]!.replace(/^\w*Error: /, '');

/**
 * One run of the given suite files (all when none) with the given environment;
 * throws when it leaves no report. With `keepReportsIn`, the run writes everything a
 * user's run writes there (run record, JUnit, Allure results, diagnostics); without,
 * only the JSON report, in a directory removed afterwards.
 */
export async function runConformance(
  files: string[],
  env: Record<string, string> = {},
  keepReportsIn?: string,
): Promise<ConformanceRun> {
  const scratch = keepReportsIn ? undefined : mkdtempSync(join(tmpdir(), 'l2s-run-'));
  try {
    const dir = keepReportsIn ?? scratch!;
    const out = join(dir, RUN_FILES.vitestJson);
    // Without a directory to keep, only the JSON reporter runs (nor does reports/latest move). Its
    // output file is the config's, in the run's report directory: the config's option wins over --outputFile.
    const reporters = keepReportsIn ? [] : ['--reporter=json'];
    const r = await execa(process.execPath, [vitestCli(), 'run', '-c', CONFORMANCE_CONFIG, ...reporters, ...files], {
      reject: false,
      cwd: PACKAGE_ROOT,
      env: { L2STRETCH_REPORTS: REPORTS, ...env, L2STRETCH_REPORT_DIR: dir },
    });
    const tail = () => r.stderr.trim().split('\n').slice(-3).join(' | ');
    let report: JsonReport;
    try {
      report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    } catch {
      throw new Error(`the conformance run left no report (exit ${r.exitCode}): ${tail()}`);
    }
    const all = report.testResults.flatMap((f) => f.assertionResults);
    if (!all.length) throw new Error(`the conformance run ran no check (exit ${r.exitCode}): ${tail()}`);
    // A check that did not pass proved nothing, failed or skipped; a suite whose setup failed skips its
    // checks and is named by its file.
    const checks = all
      .filter((a) => a.status !== 'passed')
      .map(
        (a) =>
          [
            a.meta?.checkKey ?? a.fullName,
            a.status === 'failed' ? firstLine(a.failureMessages[0] ?? '') : a.status,
          ] as const,
      );
    const setups = report.testResults
      .filter((f) => f.status === 'failed' && f.message)
      .map((f) => [`${f.name.replace(/^.*\/suites\//, 'suites/')} (setup)`, firstLine(f.message!)] as const);
    const suiteSeconds = new Map(
      [...report.testResults]
        .sort((a, b) => a.startTime - b.startTime)
        .map((f) => [f.name.replace(`${PACKAGE_ROOT}/`, ''), (f.endTime - f.startTime) / 1000] as const),
    );
    return {
      checks: all.length,
      passed: all.length - checks.length,
      notPassed: new Map([...checks, ...setups]),
      suiteSeconds,
      exitCode: r.exitCode ?? 2,
    };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

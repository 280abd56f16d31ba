// Runs the conformance suites in a child vitest, as `npm run conformance` does, and
// reads its JSON report: every check that did not pass, and every suite whose setup
// failed. The soak and the fault catalogue judge runs by this one reading.
import { execa } from 'execa';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface JsonReport {
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
}

export interface ConformanceRun {
  checks: number;
  passed: number;
  /** Check (or `<suite file> (setup)`) → the first line of why it did not pass. */
  notPassed: Map<string, string>;
}

const firstLine = (m: string) => m.split('\n')[0]!.replace(/^\w*Error: /, '');

/** One run of the given suite files (all when none) with the given environment; throws when it leaves no report. */
export async function runConformance(files: string[], env: Record<string, string> = {}): Promise<ConformanceRun> {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-run-'));
  try {
    const out = join(dir, 'report.json');
    const r = await execa(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', join(root, 'vitest.conformance.config.ts'), '--reporter=json', `--outputFile=${out}`, ...files], { cwd: root, reject: false, env });
    let report: JsonReport;
    try {
      report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    } catch {
      throw new Error(`the conformance run left no report (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    const all = report.testResults.flatMap((f) => f.assertionResults);
    if (!all.length) throw new Error(`the conformance run ran no check (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    // A check that did not pass proved nothing, failed or skipped; a suite whose setup failed skips its checks and is named by its file.
    const checks = all.filter((a) => a.status !== 'passed').map((a) => [a.fullName, a.status === 'failed' ? firstLine(a.failureMessages[0] ?? '') : a.status] as const);
    const setups = report.testResults.filter((f) => f.status === 'failed' && f.message).map((f) => [`${f.name.replace(/^.*\/suites\//, 'suites/')} (setup)`, firstLine(f.message!)] as const);
    return { checks: all.length, passed: all.length - checks.length, notPassed: new Map([...checks, ...setups]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runs the conformance suites as a user would (`npm run conformance`) against
// a kept testbed and returns which checks failed, with their first message line.
import { execa } from 'execa';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SuiteRun {
  failed: Map<string, string>;
  passed: number;
}

export async function runSuites(testbedFile: string, files: string[], deadlines: string): Promise<SuiteRun> {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-faults-'));
  try {
    const out = join(dir, 'report.json');
    await execa(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', join(root, 'vitest.conformance.config.ts'), '--reporter=json', `--outputFile=${out}`, ...files], {
      cwd: root,
      reject: false,
      env: { L2STRETCH_REPORT_DIR: join(dir, 'report'), L2STRETCH_TESTBED_FILE: testbedFile, L2STRETCH_STAGE_GATE: 'off', L2STRETCH_DEADLINES: deadlines },
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as { testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }> };
    const all = report.testResults.flatMap((f) => f.assertionResults);
    // A suite whose setup failed skips its tests: it counts as failed, named by its file.
    const suiteErrors = report.testResults.filter((f) => f.status === 'failed' && f.message).map((f) => [`${f.name.replace(/^.*\/suites\//, 'suites/')} (setup)`, f.message!.split('\n')[0]!] as const);
    return {
      failed: new Map([...all.filter((a) => a.status === 'failed').map((a) => [a.fullName, (a.failureMessages[0] ?? '').split('\n')[0]!.replace(/^\w*Error: /, '')] as const), ...suiteErrors]),
      passed: all.filter((a) => a.status === 'passed').length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

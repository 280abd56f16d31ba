// Runs the Kubernetes client tests (vitest project `kube`) inside a network
// namespace created for them: their stand-in API server listens on that
// namespace's loopback, so no traffic of theirs touches this machine's own network.
import { describe, it, expect } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newRunId } from '../../testbeds/embedded/run.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('Kubernetes clients (project kube, in a namespace of its own)', () => {
  it('every client test passes against the stand-in API server', async () => {
    const ns = `${newRunId()}-kube`;
    const dir = mkdtempSync(join(tmpdir(), `${ns}-`));
    await execa('ip', ['netns', 'add', ns]);
    try {
      await execa('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      const out = join(dir, 'report.json');
      await execa(
        'ip',
        [
          'netns',
          'exec',
          ns,
          process.execPath,
          join(root, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          '--project',
          'kube',
          '--reporter=json',
          `--outputFile=${out}`,
        ],
        { cwd: root, reject: false },
      );
      const report = JSON.parse(readFileSync(out, 'utf8')) as {
        numPassedTests: number;
        testResults: Array<{
          assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
        }>;
      };
      const failed = report.testResults
        .flatMap((f) => f.assertionResults)
        .filter((a) => a.status !== 'passed')
        .map((a) => `${a.fullName}: ${a.status} ${a.failureMessages[0]?.split('\n')[0] ?? ''}`);
      expect(failed).toEqual([]);
      expect(report.numPassedTests).toBeGreaterThanOrEqual(21);
    } finally {
      await execa('ip', ['netns', 'del', ns], { reject: false });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

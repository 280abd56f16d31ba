// With CI set, nothing passes by skipping: a test that needs ../shared fails when it is
// missing, and a missing snapshot is an error instead of being written. Each case runs
// vitest itself, as .ci/run does, and looks at what it decided.
import { describe, it, expect } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');

async function run(args: string[], env: Record<string, string>, cwd = root) {
  const r = await execa(process.execPath, [vitest, 'run', ...args], {
    cwd,
    reject: false,
    env: { ...env, FORCE_COLOR: '0', NO_COLOR: '1' },
    extendEnv: true,
  });
  return { code: r.exitCode, out: `${r.stdout}\n${r.stderr}` };
}

describe('CI mode', () => {
  it('without ../shared, a test that needs it skips on a developer machine and fails under CI', async () => {
    const file = 'test/kind-render.test.ts';
    const dev = await run(['--project', 'self', file], { CI: '', L2STRETCH_SHARED: '/nonexistent' });
    expect(dev.code, dev.out).toBe(0);
    expect(dev.out).toMatch(/skipped/);
    const ci = await run(['--project', 'self', file], { CI: 'true', L2STRETCH_SHARED: '/nonexistent' });
    expect(ci.code, ci.out).toBe(1);
    expect(ci.out).toContain(
      'reference material not found at /nonexistent/reference (set L2STRETCH_SHARED); CI is set',
    );
  });

  it('a missing snapshot is written on a developer machine and is an error under CI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-ci-mode-'));
    try {
      writeFileSync(join(dir, 'vitest.config.mjs'), 'export default {};\n');
      writeFileSync(
        join(dir, 'snap.test.mjs'),
        "import { it, expect } from 'vitest';\nit('s', () => expect({ a: 1 }).toMatchSnapshot());\n",
      );
      const env = { NODE_PATH: join(root, 'node_modules') };
      const ci = await run(['--root', dir], { ...env, CI: 'true' }, root);
      expect(ci.code, ci.out).toBe(1);
      expect(ci.out).toContain('Snapshot `s 1` mismatched');
      const dev = await run(['--root', dir], { ...env, CI: '' }, root);
      expect(dev.code, dev.out).toBe(0);
      expect(dev.out).toMatch(/1 written/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The fault catalogue split across workers and machines (test/faults/shard.ts,
// table.ts): every row in exactly one part, vitest's `--shard` handing every part
// to exactly one machine, and the table of merged shard reports listing every row.
import { describe, it, expect } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { catalogueRows, partFiles, rowsOfPart } from './faults/shard.ts';
import { FAULT_GROUPS } from './faults/catalogue.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const vitestIn = (cwd: string, args: string[]) =>
  execa(process.execPath, [vitest, ...args], { cwd, reject: false, env: { FORCE_COLOR: '0', NO_COLOR: '1' } });

describe('fault catalogue parts and shards', () => {
  const rows = catalogueRows();

  it('has a healthy run per group and every fault, each once, in catalogue order', () => {
    expect(rows.length).toBe(FAULT_GROUPS.length + FAULT_GROUPS.flatMap((g) => g.faults).length);
    expect(rows.map((r) => r.order)).toEqual(rows.map((_, i) => i));
    expect(rows.filter((r) => !r.fault).map((r) => r.group.name)).toEqual(FAULT_GROUPS.map((g) => g.name));
    expect(rows.filter((r) => r.heal).map((r) => r.fault)).toEqual(
      FAULT_GROUPS.filter((g) => !g.testbedPerFault).flatMap((g) => g.faults),
    );
  });

  it('puts every row in exactly one part, in contiguous runs of near-equal length, for any number of parts', () => {
    for (let parts = 1; parts <= rows.length + 2; parts++) {
      const each = Array.from({ length: parts }, (_, k) => rowsOfPart(k + 1, parts, rows).map((r) => r.order));
      expect(each.flat()).toEqual(rows.map((r) => r.order));
      const sizes = each.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('has part files 1 … N, and nothing else that vitest would run', () => {
    const files = partFiles();
    expect(files).toEqual(files.map((_, i) => `part-${i + 1}.test.ts`));
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it("vitest's --shard hands every part, so every row, to exactly one machine", async () => {
    // vitest's own file sharding, as `vitest run --project faults --shard=<i>/<n>` applies it.
    const { BaseSequencer } = await import('vitest/node');
    const files = partFiles();
    const specs = files.map((f) => ({ moduleId: join(root, 'test', 'faults', f) }));
    for (let machines = 1; machines <= files.length; machines++) {
      const got: number[] = [];
      for (let index = 1; index <= machines; index++) {
        const ctx = { config: { root, shard: { index, count: machines } } };
        const mine = await new BaseSequencer(ctx as never).shard(specs as never);
        expect(mine.length, `shard ${index}/${machines}`).toBeGreaterThan(0);
        for (const spec of mine as unknown as typeof specs) {
          const part = files.indexOf(spec.moduleId.slice(spec.moduleId.lastIndexOf('/') + 1)) + 1;
          got.push(...rowsOfPart(part, files.length, rows).map((r) => r.order));
        }
      }
      expect(got.sort((a, b) => a - b)).toEqual(rows.map((r) => r.order));
    }
  });

  it('merged shard reports give a table of every row, in order, with a row that ended early as failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-shards-'));
    try {
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      mkdirSync(join(dir, 'test', 'faults'), { recursive: true });
      const part = (rowsOf: Array<[number, string]>, early?: string) =>
        [
          "import { it, expect } from 'vitest';",
          ...rowsOf.map(
            ([order, name]) =>
              `it(${JSON.stringify(name)}, (ctx) => { ` +
              `ctx.task.meta.faultRow = { order: ${order}, line: '| ${name} | ok |' }; ` +
              `expect(${order}).toBeGreaterThanOrEqual(0); });`,
          ),
          early ? `it(${JSON.stringify(early)}, () => { throw new Error('testbed did not come up | twice'); });` : '',
        ].join('\n');
      writeFileSync(join(dir, 'test', 'faults', 'part-1.test.ts'), part([[2, 'row c']], 'row d'));
      writeFileSync(
        join(dir, 'test', 'faults', 'part-2.test.ts'),
        part([
          [0, 'row a'],
          [1, 'row b'],
        ]),
      );
      const table = join(dir, 'table.md');
      writeFileSync(
        join(dir, 'vitest.config.mjs'),
        `export default { test: { include: ['test/faults/*.test.ts'], ` +
          `reporters: [[${JSON.stringify(join(root, 'test', 'faults', 'table.ts'))}, ` +
          `{ outputFile: ${JSON.stringify(table)} }], 'junit'], outputFile: { junit: 'junit.xml' } } };\n`,
      );
      for (const i of [1, 2]) {
        const shard = await vitestIn(dir, ['run', `--shard=${i}/2`, '--reporter=blob']);
        expect(shard.stderr).not.toMatch(/No test files/);
      }
      const merged = await vitestIn(dir, ['--merge-reports']);
      expect(merged.exitCode, merged.stdout + merged.stderr).toBe(1);
      expect(readFileSync(table, 'utf8').split('\n').slice(4).filter(Boolean)).toEqual([
        '| row a | ok |',
        '| row b | ok |',
        '| row c | ok |',
        '| row d | - | - | - | FAIL (testbed did not come up \\| twice) |',
      ]);
      expect(readFileSync(join(dir, 'junit.xml'), 'utf8').match(/<testcase /g)).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the nightly workflow runs the catalogue as a matrix of shards and merges them', () => {
  type Step = { name?: string; run?: string; uses?: string; with?: Record<string, unknown> };
  type Job = { needs?: string; if?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] };
  const wf = parse(readFileSync(join(root, '.github', 'workflows', 'nightly.yml'), 'utf8')) as {
    jobs: Record<string, Job>;
  };
  const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

  it('one job per shard 1 … N runs vitest --shard=<shard>/N with a blob report; N ≤ the part files', () => {
    const faults = wf.jobs.faults!;
    const shards = faults.strategy!.matrix.shard;
    const n = shards.length;
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    expect(n).toBeLessThanOrEqual(partFiles().length);
    expect(runs(faults)).toContain(`npx vitest run --project faults --shard=\${{ matrix.shard }}/${n} `);
    expect(runs(faults)).toMatch(/--reporter=blob/);
    const upload = faults.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with).toMatchObject({ path: '.vitest-reports/', 'if-no-files-found': 'error' });
  });

  it('a job after all shards, failed or not, requires every blob and merges them: table, JUnit, Allure', () => {
    const n = wf.jobs.faults!.strategy!.matrix.shard.length;
    const merge = wf.jobs['faults-report']!;
    expect(merge.needs).toBe('faults');
    expect(merge.if).toBe('always()');
    expect(runs(merge)).toContain(
      `for i in ${wf.jobs.faults!.strategy!.matrix.shard.join(' ')}; do test -f .vitest-reports/blob-$i-${n}.json`,
    );
    const merging = runs(merge)
      .split('\n')
      .find((l) => l.includes('--merge-reports'))!;
    const reporters = [...merging.matchAll(/--reporter=(\S+)/g)].map((m) => m[1]!);
    expect(reporters).toEqual(expect.arrayContaining(['./test/faults/table.ts', 'junit', 'allure-vitest/reporter']));
    for (const r of reporters.filter((x) => x.startsWith('./'))) expect(existsSync(join(root, r)), r).toBe(true);
  });
});

// Soak: the embedded conformance run N times in a row, then the checks that did not
// pass, per check. Goal: none in 20 runs. Each run keeps its full report (run record,
// JUnit, Allure results) under the soak's directory, which also gets a JSON summary.
// Prints figures; it never fails on a slow machine, only when a run left nothing to
// measure (exit 3) or on bad arguments (exit 2).
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runConformance } from '../reports/conformance-run.ts';
import { REPORTS } from '../reports/paths.ts';

function args(): { runs: number } {
  try {
    const { values } = parseArgs({
      options: { runs: { type: 'string', default: '20' } },
      strict: true,
      allowPositionals: false,
    });
    const runs = Number(values.runs);
    if (!/^\d+$/.test(values.runs) || runs < 1)
      throw new Error(`--runs ${values.runs}: not a whole number of runs ≥ 1`);
    return { runs };
  } catch (e) {
    process.stderr.write(`soak: ${(e as Error).message}\nusage: npm run soak -- [--runs N]   (= make soak N=…)\n`);
    process.exit(2);
  }
}

const { runs } = args();
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const dir = join(process.env.L2STRETCH_REPORT_DIR ?? REPORTS, `soak-${stamp}`);
mkdirSync(dir, { recursive: true });

const failures = new Map<string, { count: number; lastMessage: string; runs: number[] }>();
const perRun: Array<{ run: number; dir: string; seconds: number; checks?: number; passed?: number; error?: string }> =
  [];
for (let i = 1; i <= runs; i++) {
  const runDir = join(dir, `run-${String(i).padStart(3, '0')}`);
  const t0 = performance.now();
  try {
    const r = await runConformance([], {}, runDir);
    const seconds = (performance.now() - t0) / 1000;
    perRun.push({ run: i, dir: runDir, seconds, checks: r.checks, passed: r.passed });
    for (const [name, message] of r.notPassed) {
      const f = failures.get(name) ?? { count: 0, lastMessage: '', runs: [] };
      failures.set(name, { count: f.count + 1, lastMessage: message, runs: [...f.runs, i] });
    }
    process.stderr.write(
      `run ${i}/${runs}: ${r.passed}/${r.checks} checks passed, ${seconds.toFixed(1)} s ` +
        `(${relative(process.cwd(), runDir)})\n`,
    );
  } catch (e) {
    perRun.push({ run: i, dir: runDir, seconds: (performance.now() - t0) / 1000, error: (e as Error).message });
    process.stderr.write(`run ${i}/${runs}: ${(e as Error).message}\n`);
  }
}

const measured = perRun.filter((r) => r.error === undefined);
const broken = runs - measured.length;
const mean = measured.length ? measured.reduce((a, r) => a + r.seconds, 0) / measured.length : undefined;
const checks = Math.max(0, ...measured.map((r) => r.checks ?? 0));
const summary = {
  runs,
  checksPerRun: checks,
  meanSeconds: mean,
  runsWithoutReport: broken,
  notPassed: Object.fromEntries([...failures].sort((a, b) => b[1].count - a[1].count)),
  perRun,
};
const summaryFile = join(dir, 'soak-summary.json');
writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);

console.log(
  `\nsoak: ${runs} embedded conformance runs of ${checks} checks, ` +
    `${mean === undefined ? '-' : mean.toFixed(1)} s each on average; runs without a report: ${broken}`,
);
if (!failures.size && !broken) console.log('every check passed in every run (goal: 0 failures in 20 runs)');
for (const [name, f] of [...failures].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`  ${String(f.count).padStart(3)}/${runs}  ${name}\n         last: ${f.lastMessage}`);
}
console.log(`reports of every run and the summary: ${relative(process.cwd(), dir)}/ (soak-summary.json)`);
// Not a slow machine but a soak that measured nothing: say so in the exit status.
if (broken) {
  console.error(`${broken} of ${runs} runs left no report: the soak is incomplete`);
  process.exitCode = 3;
}

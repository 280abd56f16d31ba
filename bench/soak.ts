// Soak: the embedded conformance run N times in a row, then the checks that did not
// pass, per check. Goal: none in 20 runs. Prints figures; it never fails on a slow
// machine, only when a run left nothing to measure.
import { parseArgs } from 'node:util';
import { runConformance } from '../reports/conformance-run.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);

const failures = new Map<string, { count: number; lastMessage: string }>();
const walls: number[] = [];
let broken = 0;
let checks = 0;
for (let i = 1; i <= runs; i++) {
  const t0 = performance.now();
  try {
    const r = await runConformance([]);
    walls.push((performance.now() - t0) / 1000);
    checks = Math.max(checks, r.checks);
    for (const [name, message] of r.notPassed) failures.set(name, { count: (failures.get(name)?.count ?? 0) + 1, lastMessage: message });
    process.stderr.write(`run ${i}/${runs}: ${r.passed}/${r.checks} checks passed, ${walls[walls.length - 1]!.toFixed(1)} s\n`);
  } catch (e) {
    broken++;
    process.stderr.write(`run ${i}/${runs}: ${(e as Error).message}\n`);
  }
}

console.log(`\nsoak: ${runs} embedded conformance runs of ${checks} checks, ${walls.length ? (walls.reduce((a, b) => a + b, 0) / walls.length).toFixed(1) : '-'} s each on average; runs without a report: ${broken}`);
if (!failures.size && !broken) console.log('every check passed in every run (goal: 0 failures in 20 runs)');
for (const [name, f] of [...failures].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`  ${String(f.count).padStart(3)}/${runs}  ${name}\n         last: ${f.lastMessage}`);
}
// Not a slow machine but a soak that measured nothing: say so in the exit status.
if (broken) {
  console.error(`${broken} of ${runs} runs left no report: the soak is incomplete`);
  process.exitCode = 1;
}

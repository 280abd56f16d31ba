// Soak: the embedded conformance run N times in a row, then the failures per check.
// Goal: none in 20 runs. Prints figures; it never fails on a slow machine.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'reports', 'soak.json');
mkdirSync(dirname(out), { recursive: true });

interface Assertion {
  fullName: string;
  status: string;
  failureMessages: string[];
}
interface JsonReport {
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Assertion[] }>;
}

const failures = new Map<string, { count: number; lastMessage: string }>();
const walls: number[] = [];
let broken = 0;
let checks = 0;
const note = (name: string, message: string) => {
  const f = failures.get(name) ?? { count: 0, lastMessage: '' };
  failures.set(name, { count: f.count + 1, lastMessage: message.split('\n')[0]! });
};
for (let i = 1; i <= runs; i++) {
  const t0 = performance.now();
  rmSync(out, { force: true });
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', join(root, 'vitest.conformance.config.ts'), '--reporter=json', `--outputFile=${out}`], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  walls.push((performance.now() - t0) / 1000);
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  } catch {
    broken++;
    process.stderr.write(`run ${i}/${runs}: no report (exit ${r.status}): ${String(r.stderr).trim().split('\n').slice(-3).join(' | ')}\n`);
    continue;
  }
  const all = report.testResults.flatMap((f) => f.assertionResults);
  checks = Math.max(checks, all.length);
  // A check that did not pass (failed, or skipped because its suite's setup failed) counts against it.
  const notPassed = all.filter((a) => a.status !== 'passed');
  for (const a of notPassed) note(a.fullName, a.status === 'failed' ? (a.failureMessages[0] ?? '') : `${a.status}`);
  for (const f of report.testResults.filter((x) => x.status === 'failed' && x.message)) note(`${relative(root, f.name)} (setup)`, f.message!);
  process.stderr.write(`run ${i}/${runs}: ${all.length - notPassed.length}/${all.length} checks passed, ${walls[walls.length - 1]!.toFixed(1)} s\n`);
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

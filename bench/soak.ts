// Soak: the embedded conformance run N times in a row, then the failures per check.
// Goal: none in 20 runs. Prints figures; it never fails on a slow machine.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
  testResults: Array<{ assertionResults: Assertion[] }>;
}

const failures = new Map<string, { count: number; lastMessage: string }>();
const walls: number[] = [];
let broken = 0;
for (let i = 1; i <= runs; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'conformance', '--reporter=json', `--outputFile=${out}`], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  walls.push((performance.now() - t0) / 1000);
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  } catch {
    broken++;
    process.stderr.write(`run ${i}/${runs}: no report (exit ${r.status}): ${String(r.stderr).trim().split('\n').slice(-3).join(' | ')}\n`);
    continue;
  }
  const failed = report.testResults.flatMap((f) => f.assertionResults).filter((a) => a.status === 'failed');
  for (const a of failed) {
    const f = failures.get(a.fullName) ?? { count: 0, lastMessage: '' };
    failures.set(a.fullName, { count: f.count + 1, lastMessage: (a.failureMessages[0] ?? '').split('\n')[0]! });
  }
  process.stderr.write(`run ${i}/${runs}: ${failed.length} failed, ${walls[walls.length - 1]!.toFixed(1)} s\n`);
}

console.log(`\nsoak: ${runs} embedded conformance runs, ${walls.length ? (walls.reduce((a, b) => a + b, 0) / walls.length).toFixed(1) : '-'} s each on average; runs without a report: ${broken}`);
if (!failures.size) console.log('no check failed in any run (goal: 0 failures in 20 runs)');
for (const [name, f] of [...failures].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`  ${String(f.count).padStart(3)}/${runs}  ${name}\n         last: ${f.lastMessage}`);
}

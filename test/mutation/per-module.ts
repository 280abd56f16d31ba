// The goal of `npm run test:mutation` is per module: each mutated module must have at
// least GOAL % of its mutants detected (killed or timed out). Stryker's own break
// threshold only sees the total, where a well-tested parser hides a weak judge.
// Reads Stryker's JSON report; exit 1 when a module is under the goal, 2 when the
// report is missing or not what Stryker writes.
import { readFileSync } from 'node:fs';

const GOAL = 90;
const REPORT = process.argv[2] ?? 'reports/mutation/mutation.json';

type Mutant = { status: string; mutatorName: string; location: { start: { line: number } }; replacement?: string };
type Report = { files: Record<string, { mutants: Mutant[] }> };

interface ModuleScore {
  file: string;
  detected: number;
  undetected: number;
  score: number;
  survivors: Mutant[];
}

function scores(report: Report): ModuleScore[] {
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const detected = mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
    const survivors = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
    const valid = detected + survivors.length;
    return { file, detected, undetected: survivors.length, score: valid ? (100 * detected) / valid : 100, survivors };
  });
}

function load(): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(REPORT, 'utf8'));
  } catch (err) {
    console.error(`cannot read Stryker's report ${REPORT}: ${(err as Error).message}`);
    process.exit(2);
  }
  const files = (raw as { files?: unknown }).files;
  if (!files || typeof files !== 'object') {
    console.error(
      `${REPORT} is not a Stryker JSON report (no "files"; keys seen: ${Object.keys(raw as object).join(', ')})`,
    );
    process.exit(2);
  }
  return raw as Report;
}

{
  const all = scores(load()).sort((a, b) => a.score - b.score);
  const under = all.filter((m) => m.score < GOAL);
  for (const m of all) {
    const mark = m.score < GOAL ? 'UNDER' : 'ok';
    console.log(
      `${mark.padEnd(5)} ${m.score.toFixed(1).padStart(5)} %  ${m.detected}/${m.detected + m.undetected}  ${m.file}`,
    );
  }
  for (const m of under) {
    for (const s of m.survivors) {
      console.log(`  ${m.file}:${s.location.start.line} ${s.mutatorName} ${s.status}: ${s.replacement ?? ''}`);
    }
  }
  if (under.length) {
    console.error(`${under.length} module(s) under ${GOAL} % of mutants detected`);
    process.exit(1);
  }
  console.log(`every module at or over ${GOAL} % of mutants detected`);
}

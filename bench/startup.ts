// Command start-up: how long each l2stretch command takes from being typed to its
// first output (the start of its work) and to its end, run as users run it (the
// compiled JavaScript of bin/l2stretch.js). Figures, never pass/fail; the goal
// printed next to them is 0.5 s to the first output.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../cli/paths.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'l2stretch.js');
const GOAL_MS = 500;

interface Timing {
  /** bin/l2stretch.js ran the TypeScript: a source changed after the build (during the bench). */
  stale?: boolean;
  firstOutputMs: number;
  exitMs: number;
  exitCode: number;
  output: string;
}

function timed(args: string[], cwd: string): Promise<Timing> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    let first: number | undefined;
    let output = '';
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    const seen = (c: Buffer) => {
      first ??= performance.now() - t0;
      output += c.toString();
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('error', fail);
    child.on('close', (code) => {
      const stale = output.includes('changed since the last build');
      done({
        firstOutputMs: first ?? NaN,
        exitMs: performance.now() - t0,
        exitCode: code ?? -1,
        output,
        ...(stale ? { stale } : {}),
      });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Figure = { firstOutputMs: number; exitMs: number; exitCode: number; stale?: boolean };

export async function startupFigures(samples = 5): Promise<Record<string, Figure>> {
  // A checkout whose build is stale would measure the TypeScript loader, which users of the package never run.
  if (existsSync(join(PACKAGE_ROOT, '.git'))) await execa('npm', ['run', 'build'], { cwd: PACKAGE_ROOT });
  const empty = mkdtempSync(join(tmpdir(), 'l2s-bench-cwd-'));
  const figures: Record<string, Figure> = {};
  const record = (name: string, ts: Timing[]) => {
    const stale = ts.some((t) => t.stale);
    figures[name] = {
      firstOutputMs: median(ts.map((t) => t.firstOutputMs)),
      exitMs: median(ts.map((t) => t.exitMs)),
      exitCode: ts[0]!.exitCode,
      ...(stale ? { stale } : {}),
    };
  };
  try {
    const quick: Array<[string, string[]]> = [
      ['--version', ['--version']],
      ['--help', ['--help']],
      ['run --help', ['run', '--help']],
      ['list', ['list']],
      ['list --json', ['list', '--json']],
      ['testbed status', ['testbed', 'status']],
      ['results (no run yet)', ['results']],
      ['run --check NOPE (refused)', ['run', '--check', 'NOPE']],
    ];
    for (const [name, args] of quick) {
      const ts: Timing[] = [];
      for (let i = 0; i < samples; i++) ts.push(await timed(args, empty));
      record(name, ts);
    }
    // The long commands once each, on one testbed: up, a one-check run on it, down.
    const up = await timed(['testbed', 'up'], empty);
    record('testbed up', [up]);
    const runId = /testbed (l2s-[0-9a-f]{6}) is up/.exec(up.output)?.[1];
    const file = /testbed file: (\S+)/.exec(up.output)?.[1];
    if (!runId || !file)
      throw new Error(
        `testbed up did not come up (exit ${up.exitCode}): ${up.output.trim().split('\n').slice(-3).join(' | ')}`,
      );
    try {
      record('run --check L2S-BGP-001 (kept testbed)', [
        await timed(['run', '--testbed-file', file, '--check', 'L2S-BGP-001'], empty),
      ]);
    } finally {
      record('testbed down --run', [await timed(['testbed', 'down', '--run', runId], empty)]);
    }
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  console.log(
    `\ncommand start-up (compiled CLI, median of ${samples} for the quick ones): first output / exit, ` +
      `goal ≤ ${GOAL_MS} ms to the first output`,
  );
  for (const [name, f] of Object.entries(figures)) {
    const mark = f.stale
      ? '  (NOT MEASURED: a source changed during the bench, the TypeScript ran)'
      : f.firstOutputMs <= GOAL_MS
        ? ''
        : '  (over the goal)';
    console.log(
      `  ${name.padEnd(40)} ${f.firstOutputMs.toFixed(0).padStart(6)} ms / ` +
        `${f.exitMs.toFixed(0).padStart(6)} ms  exit ${f.exitCode}${mark}`,
    );
  }
  return figures;
}

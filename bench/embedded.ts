// Benchmark of the embedded testbed: bring-up until every BGP session is
// Established, teardown, memory of the FRR daemons, leftovers. Prints figures;
// the goals are printed next to them, never asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { upEmbedded } from '../testbeds/embedded/testbed.ts';
import { leftoversOf } from '../testbeds/embedded/cleanup.ts';
import { eventually } from '../helpers/wait.ts';
import { greetedVms } from '../suites/overlay.ts';
import { observeMigration } from '../suites/live-migration/observe.ts';
import { lossWindow } from '../suites/live-migration/checks.ts';
import { checkHttpSourceIp } from '../suites/l2-stretch/checks.ts';
import { migrateAcrossClusters } from '../helpers/kube/migration.ts';
import { DEFAULT_MOVE } from '../testbeds/embedded/migration.ts';
import { runConformance } from '../reports/conformance-run.ts';
import { REPORTS } from '../reports/paths.ts';
import { startupFigures } from './startup.ts';
import { scaleBench, scaleTable, parseSizes, DEFAULT_SIZES, allEstablished, frrMemory, type Size } from './scale.ts';

function args(): { runs: number; scale?: Size[] } {
  try {
    const { values } = parseArgs({
      options: { runs: { type: 'string', default: '3' }, scale: { type: 'boolean' }, sizes: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (!/^\d+$/.test(values.runs) || Number(values.runs) < 1)
      throw new Error(`--runs ${values.runs}: not a whole number of runs ≥ 1`);
    if (values.sizes !== undefined && !values.scale) throw new Error('--sizes goes with --scale');
    const scale = values.scale ? (values.sizes ? parseSizes(values.sizes) : DEFAULT_SIZES) : undefined;
    return { runs: Number(values.runs), scale };
  } catch (e) {
    process.stderr.write(
      `bench: ${(e as Error).message}\nusage: npm run bench -- [--runs N] | --scale [--sizes reference,4x2x8,...]\n`,
    );
    process.exit(2);
  }
}

const { runs, scale } = args();
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const outDir = join(process.env.L2STRETCH_REPORT_DIR ?? REPORTS, `bench-${stamp}`);
mkdirSync(outDir, { recursive: true });
if (scale) {
  const rows = await scaleBench(scale, outDir);
  console.log(`\nembedded testbed by size (${process.platform} ${cpus().length} cores; load: 1-minute average)`);
  console.log(scaleTable(rows));
  console.log(`\nfigures as JSON: ${relative(process.cwd(), join(outDir, 'scale.json'))}`);
  process.exit(0);
}
const figures: Record<string, unknown> = {
  machine: { platform: process.platform, cores: cpus().length, node: process.version },
  runs,
};

interface Sample {
  bringUpS: number;
  sessionsS: number;
  teardownS: number;
  rssMiB: number;
  leftovers: number;
}

async function once(): Promise<Sample> {
  const t0 = performance.now();
  const tb = await upEmbedded();
  const up = performance.now();
  await allEstablished(tb);
  const established = performance.now();
  const rssMiB = frrMemory(tb.runId).totalMiB;
  const t1 = performance.now();
  await tb.down();
  const t2 = performance.now();
  const l = await leftoversOf(tb.runId);
  return {
    bringUpS: (up - t0) / 1000,
    sessionsS: (established - t0) / 1000,
    teardownS: (t2 - t1) / 1000,
    rssMiB,
    leftovers: l.namespaces.length + l.processes.length + l.mounts.length + (l.files ? 1 : 0),
  };
}

const samples: Sample[] = [];
for (let i = 0; i < runs; i++) {
  const s = await once();
  samples.push(s);
  process.stderr.write(
    `run ${i + 1}/${runs}: all sessions Established ${s.sessionsS.toFixed(2)} s, teardown ` +
      `${s.teardownS.toFixed(2)} s\n`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
figures.testbed = Object.fromEntries(
  (Object.keys(samples[0]!) as Array<keyof Sample>).map((k) => [k, spread(samples.map((s) => s[k]))]),
);
const row = (name: string, key: keyof Sample, unit: string, goal: string) => {
  const xs = samples.map((s) => s[key]);
  const { median: m, min, max } = spread(xs);
  return (
    `${name.padEnd(42)} ${m.toFixed(2).padStart(8)} ${unit.padEnd(4)} (min ${min.toFixed(2)}, max ` +
    `${max.toFixed(2)})  goal ${goal}`
  );
};
console.log(`\nembedded testbed, ${runs} runs, medians (${process.platform} ${cpus().length} cores)`);
console.log(row('testbed up (fabric, manifests, VMs Ready)', 'bringUpS', 's', '-'));
console.log(row('bring-up until all sessions Established', 'sessionsS', 's', '≤ 3 s'));
console.log(row('teardown', 'teardownS', 's', '≤ 2 s'));
console.log(row('FRR daemons resident memory (18 daemons)', 'rssMiB', 'MiB', '-'));
console.log(row('leftovers after teardown', 'leftovers', '', '0'));

// One whole conformance run, as a user starts it: bring-up, manifests, every suite, teardown.
{
  const t0 = performance.now();
  const r = await runConformance([], {}, join(outDir, 'conformance-run'));
  const wall = (performance.now() - t0) / 1000;
  figures.conformanceRun = {
    seconds: wall,
    checks: r.checks,
    passed: r.passed,
    exitCode: r.exitCode,
    suiteSeconds: Object.fromEntries(r.suiteSeconds),
  };
  console.log(
    `\nconformance run (l2stretch run), bring-up to teardown: ${wall.toFixed(1)} s  goal ≤ 30 s  (${r.passed}/` +
      `${r.checks} passed${r.exitCode ? `, exit ${r.exitCode}` : ''})`,
  );
  for (const [file, seconds] of r.suiteSeconds) console.log(`  ${file.padEnd(44)} ${seconds.toFixed(1).padStart(6)} s`);
}

// Live migrations across clusters, watched from the other VM: loss window and total time,
// against the configured stop-and-copy pause (the physical floor of any loss window).
{
  const tb = await upEmbedded();
  try {
    const t = tb.testbed;
    await greetedVms(t);
    const pause = DEFAULT_MOVE.pauseMs;
    const rows: string[] = [];
    const moves: Array<Record<string, unknown>> = [];
    const svgDir = join(outDir, 'live-migration');
    mkdirSync(svgDir, { recursive: true });
    for (const [from, to] of [
      ['pe-kind-a', 'pe-kind-b'],
      ['pe-kind-b', 'pe-kind-a'],
      ['pe-kind-a', 'pe-kind-b'],
      ['pe-kind-b', 'pe-kind-a'],
    ] as const) {
      await eventually(
        () =>
          checkHttpSourceIp(
            t.workload('vm-2'),
            { name: 'vm-2', ip: '192.170.1.30' },
            { name: 'vm-1', ip: '192.170.1.3' },
            8090,
          ),
        20_000,
      );
      const obs = await observeMigration(t, {
        label: `bench ${from} to ${to}`,
        vm: 'vm-1',
        ip: '192.170.1.3',
        port: 8090,
        from,
        to,
        observer: 'vm-2',
        watchedRouter: 'spine',
        svgDir,
        migrate: () => migrateAcrossClusters(t, { vm: 'vm-1', from, to }),
      });
      const w = lossWindow(obs.probes);
      const routeMovedMs = obs.routeMovedAt === undefined ? undefined : obs.routeMovedAt - obs.outcome.startedAt;
      moves.push({
        from,
        to,
        lossWindowMs: w.windowMs,
        pauseMs: pause,
        migrationMs: obs.outcome.finishedAt - obs.outcome.startedAt,
        routeMovedMs,
        streamBroken: obs.probes.stream.broken,
        streamMaxGapMs: obs.probes.stream.maxGapMs,
      });
      rows.push(
        `  ${from} → ${to}: loss window ${String(w.windowMs).padStart(5)} ms (pause ${pause} ms, +` +
          `${w.windowMs - pause} ms; goal ≤ pause + 300 ms), migration ` +
          `${obs.outcome.finishedAt - obs.outcome.startedAt} ms, spine moved the route after ` +
          `${obs.routeMovedAt === undefined ? '?' : obs.routeMovedAt - obs.outcome.startedAt} ms, stream ` +
          `${obs.probes.stream.broken ? 'BROKEN' : `kept (longest silence ${obs.probes.stream.maxGapMs} ms)`}`,
      );
      // EVPN duplicate detection freezes a MAC after 5 moves in 180 s: four moves stay below it.
    }
    console.log(`\ncross-cluster live migration of vm-1, probed from vm-2 every 100 ms:`);
    for (const r of rows) console.log(r);
    figures.migrations = moves;
  } finally {
    await tb.down();
  }
}

// How soon each command starts its work, with the compiled JavaScript users run.
figures.commandStartup = await startupFigures();

const file = join(outDir, 'bench.json');
writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
console.log(`\nfigures as JSON: ${relative(process.cwd(), file)}`);

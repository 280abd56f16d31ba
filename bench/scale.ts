// `npm run bench -- --scale`: how a run's time and memory grow with the topology. For each size (the
// reference topology, then generated ones), it stands the embedded testbed up, waits for every session
// to be Established, reads each FRR instance's memory, runs every suite on the kept testbed and tears
// it down; figures are printed as a table and written as JSON, the goals beside them, never asserted.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { upEmbedded, type RunningTestbed } from '../testbeds/embedded/testbed.ts';
import { RunPaths } from '../testbeds/embedded/run.ts';
import { expectedSessions, routerNames } from '../topology/expectations.ts';
import { checkRouterSessions } from '../suites/bgp-sessions/checks.ts';
import { eventually } from '../helpers/wait.ts';
import { runConformance } from '../reports/conformance-run.ts';
import { writeGenerated, type GenerateOptions } from '../topology/generate.ts';

/** A size: the built-in reference topology, or clusters × nodes × VMs per cluster (one L2VNI, one VRF). */
export type Size = 'reference' | { clusters: number; nodes: number; vms: number };

export const DEFAULT_SIZES: Size[] = [
  'reference',
  { clusters: 2, nodes: 2, vms: 2 },
  { clusters: 3, nodes: 2, vms: 4 },
  { clusters: 4, nodes: 2, vms: 8 },
  { clusters: 6, nodes: 2, vms: 8 },
];

export const sizeName = (s: Size): string => (s === 'reference' ? 'reference' : `${s.clusters}x${s.nodes}x${s.vms}`);

/** `reference` or `CxNxK`, comma separated. */
export function parseSizes(text: string): Size[] {
  return text.split(',').map((part) => {
    const p = part.trim();
    if (p === 'reference') return 'reference';
    const m = /^(\d+)x(\d+)x(\d+)$/.exec(p);
    if (!m) throw new Error(`--sizes: "${p}" is neither "reference" nor clusters x nodes x VMs such as 4x2x8`);
    return { clusters: Number(m[1]), nodes: Number(m[2]), vms: Number(m[3]) };
  });
}

/** The goals of issue #18 item 5, by size; printed beside the figures. */
const GOALS: Record<string, number> = { reference: 20, '4x2x8': 90 };

interface FrrMemory {
  instances: number;
  totalMiB: number;
  meanMiB: number;
  maxMiB: number;
  maxRouter: string;
}

export interface ScaleFigures {
  size: string;
  clusters: number;
  nodes: number;
  vms: number;
  /** Fabric routers + node routers: the FRR instances. */
  routers: number;
  bringUpS: number;
  establishedS: number;
  frr: FrrMemory;
  suiteSeconds: Record<string, number>;
  runS: number;
  teardownS: number;
  totalS: number;
  goalS?: number;
  checks: number;
  passed: number;
  notPassed: Record<string, string>;
  exitCode: number;
  /** The machine's 1-minute load average when the size started and ended: how shared the cores were. */
  load: { start: number; end: number };
}

/** zebra + bgpd resident memory per router, from the run's pid file; daemons no longer running do not count. */
export function frrMemory(runId: string): FrrMemory {
  const perRouter = new Map<string, number>();
  for (const line of readFileSync(new RunPaths(runId).pids, 'utf8').split('\n')) {
    const m = /^(\d+) start=\S+ (\S+) (zebra|bgpd)$/.exec(line);
    if (!m || !existsSync(`/proc/${m[1]}/status`)) continue;
    const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${m[1]}/status`, 'utf8'))?.[1] ?? 0);
    perRouter.set(m[2]!, (perRouter.get(m[2]!) ?? 0) + kib / 1024);
  }
  const values = [...perRouter.values()];
  const [maxRouter, maxMiB] = [...perRouter].reduce((a, b) => (b[1] > a[1] ? b : a), ['-', 0]);
  const totalMiB = values.reduce((s, v) => s + v, 0);
  return {
    instances: values.length,
    totalMiB,
    meanMiB: values.length ? totalMiB / values.length : 0,
    maxMiB,
    maxRouter,
  };
}

/** Resolves once every router of the topology has each expected session Established. */
export async function allEstablished(tb: RunningTestbed, timeoutMs = 60_000): Promise<void> {
  const t = tb.testbed.topology;
  const expected = expectedSessions(t);
  await Promise.all(
    routerNames(t).map((name) =>
      eventually(
        async () =>
          (
            await checkRouterSessions(
              tb.testbed.router(name),
              expected.filter((s) => s.router === name),
            )
          ).problem,
        timeoutMs,
        50,
      ),
    ),
  );
}

async function measure(size: Size, outDir: string, progress: (s: string) => void): Promise<ScaleFigures> {
  const name = sizeName(size);
  let topology = 'multicluster';
  if (size !== 'reference') {
    const o: GenerateOptions = {
      clusters: size.clusters,
      nodesPerCluster: size.nodes,
      vmsPerCluster: size.vms,
      l2vnis: 1,
      vrfs: 1,
    };
    topology = writeGenerated(o, join(outDir, 'topologies', name));
  }
  const load = { start: loadavg()[0]!, end: 0 };
  const t0 = performance.now();
  const tb = await upEmbedded({ topology, keep: false, onProgress: (m) => progress(`${name}: ${m}`) });
  const up = performance.now();
  let run: Awaited<ReturnType<typeof runConformance>>;
  let established: number;
  let frr: FrrMemory;
  let ran: number;
  let teardownMs: number;
  try {
    await allEstablished(tb);
    established = performance.now();
    frr = frrMemory(tb.runId);
    progress(`${name}: up, every session Established; running every suite`);
    run = await runConformance([], { L2STRETCH_TESTBED_FILE: tb.stateFile }, join(outDir, `run-${name}`));
    ran = performance.now();
  } finally {
    const down = performance.now();
    await tb.down();
    teardownMs = performance.now() - down;
  }
  load.end = loadavg()[0]!;
  const t = tb.testbed.topology;
  const nodes = Object.values(t.clusters).reduce((s, c) => s + Object.keys(c.nodes).length, 0);
  return {
    size: name,
    clusters: Object.keys(t.clusters).length,
    nodes,
    vms: Object.keys(t.overlay?.vms ?? {}).length,
    routers: routerNames(t).length,
    bringUpS: (up - t0) / 1000,
    establishedS: (established - t0) / 1000,
    frr,
    suiteSeconds: Object.fromEntries([...run.suiteSeconds].map(([f, s]) => [f.replace(/^suites\//, ''), s])),
    runS: (ran - established) / 1000,
    teardownS: teardownMs / 1000,
    totalS: (ran - t0 + teardownMs) / 1000,
    goalS: GOALS[name],
    checks: run.checks,
    passed: run.passed,
    notPassed: Object.fromEntries(run.notPassed),
    exitCode: run.exitCode,
    load,
  };
}

const SUITES = ['bgp-sessions', 'evpn-routes', 'l2-stretch', 'l3vni', 'live-migration', 'stability'];

export function scaleTable(rows: ScaleFigures[]): string {
  const suite = (r: ScaleFigures, s: string) => {
    const e = Object.entries(r.suiteSeconds).find(([f]) => f.startsWith(`${s}/`));
    return e ? e[1].toFixed(1) : '-';
  };
  const head = [
    'size',
    'routers',
    'VMs',
    'up s',
    'Estab. s',
    ...SUITES,
    'total s',
    'goal',
    'FRR MiB (per inst., max)',
    'checks',
    'load',
  ];
  const lines = rows.map((r) => [
    r.size,
    String(r.routers),
    String(r.vms),
    r.bringUpS.toFixed(1),
    r.establishedS.toFixed(1),
    ...SUITES.map((s) => suite(r, s)),
    r.totalS.toFixed(1),
    r.goalS === undefined ? '-' : `≤ ${r.goalS}${r.totalS <= r.goalS ? '' : ' MISSED'}`,
    `${r.frr.totalMiB.toFixed(0)} (${r.frr.meanMiB.toFixed(1)}, ${r.frr.maxMiB.toFixed(1)})`,
    `${r.passed}/${r.checks}`,
    `${r.load.start.toFixed(1)}-${r.load.end.toFixed(1)}`,
  ]);
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [md(head), md(head.map(() => '---')), ...lines.map(md)].join('\n');
}

export async function scaleBench(sizes: Size[], outDir: string): Promise<ScaleFigures[]> {
  mkdirSync(outDir, { recursive: true });
  const rows: ScaleFigures[] = [];
  const progress = (s: string) => process.stderr.write(`${s}\n`);
  for (const size of sizes) {
    rows.push(await measure(size, outDir, progress));
    writeFileSync(join(outDir, 'scale.json'), `${JSON.stringify(rows, null, 2)}\n`);
    const r = rows.at(-1)!;
    progress(
      `${r.size}: total ${r.totalS.toFixed(1)} s, ${r.passed}/${r.checks} passed` +
        (Object.keys(r.notPassed).length ? `; not passed: ${Object.keys(r.notPassed).slice(0, 5).join('; ')}` : ''),
    );
  }
  return rows;
}

// Watches one live migration: what every router and the guest said before, probes
// and a stream from an observer VM during, where the route went and when, and what
// everything says after. The checks then judge the observation.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Executor, ExecResult, Testbed } from '../../helpers/ports.ts';
import { vmPlacement, type VmPlacement } from '../../helpers/kube/vm.ts';
import { bundle } from '../../helpers/programs.ts';
import type { ProbeReport } from '../../helpers/traffic/prober.ts';
import type { MigrationOutcome } from '../../helpers/kube/migration.ts';
import { timelineSvg } from '../../reports/timeline-svg.ts';
import { nodeVtep, routerNames } from '../../topology/expectations.ts';
import { macIpSnapshot, type RouteSnapshot, type Identity } from './checks.ts';

export interface Observation {
  label: string;
  vm: string;
  ip: string;
  before: VmPlacement & { vtep: string; guest: Identity };
  after: VmPlacement & { vtep: string; guest: Identity };
  routesBefore: RouteSnapshot[];
  outcome: MigrationOutcome;
  probes: ProbeReport;
  routeMovedAt?: number;
  watchedRouter: string;
  svg: string;
}

/** The guest's own view of its first NIC: `ip -j addr show eth0` inside it. */
export async function guestIdentity(ex: Executor): Promise<Identity> {
  const r = await ex.run(['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
  if (r.exitCode !== 0) return {};
  const [link] = JSON.parse(r.stdout) as Array<{
    address?: string;
    addr_info?: Array<{ family: string; local: string }>;
  }>;
  return { mac: link?.address?.toLowerCase(), ip: link?.addr_info?.find((a) => a.family === 'inet')?.local };
}

async function snapshots(tb: Testbed, mac: string, ip: string): Promise<RouteSnapshot[]> {
  return Promise.all(
    routerNames(tb.topology).map(async (name) => {
      const a = await tb.router(name).evpnRoutes({ type: 2 });
      return macIpSnapshot(name, a.value, mac, ip);
    }),
  );
}

async function placed(tb: Testbed, cluster: string, vm: string) {
  const p = await vmPlacement(tb, cluster, vm);
  return { ...p, vtep: nodeVtep(tb.topology.clusters[cluster]!, p.node), guest: await guestIdentity(tb.workload(vm)) };
}

export interface ObserveOptions {
  label: string;
  vm: string;
  ip: string;
  port: number;
  from: string;
  to: string;
  observer: string;
  /** a fabric router far from both ends, watched for the moment the route moves */
  watchedRouter: string;
  migrate: () => Promise<MigrationOutcome>;
  svgDir: string;
}

export async function observeMigration(tb: Testbed, o: ObserveOptions): Promise<Observation> {
  const before = await placed(tb, o.from, o.vm);
  const mac = before.mac;
  const routesBefore = await snapshots(tb, mac, o.ip);
  const prober = tb.proberArgv ?? [process.execPath, await bundle('prober')];
  const probing = tb
    .workload(o.observer)
    .run([...prober, '--target', `${o.ip}:${o.port}`, '--duration', String(tb.deadlines.migrationObserve)], {
      timeoutMs: tb.deadlines.migrationObserve + 30_000,
    });
  // Where the watched router sends the VM's MAC+IP, every 100 ms until the probes end.
  const track: Array<{ t: number; nexthop?: string }> = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const a = await tb
        .router(o.watchedRouter)
        .evpnRoutes({ type: 2 })
        .catch(() => undefined);
      if (a) track.push({ t: Date.now(), nexthop: macIpSnapshot(o.watchedRouter, a.value, mac, o.ip).nexthop });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await new Promise((r) => setTimeout(r, 1000));
  let outcome: MigrationOutcome;
  let probed: ExecResult;
  try {
    outcome = await o.migrate();
  } finally {
    // Even a failed migration leaves no prober or watcher running behind it.
    probed = await probing;
    watching = false;
    await watch;
  }
  if (probed.exitCode !== 0)
    throw new Error(`the prober in ${o.observer} failed (exit ${probed.exitCode}): ${probed.stderr.trim()}`);
  const probes = JSON.parse(probed.stdout) as ProbeReport;
  const after = await placed(tb, o.to, o.vm);
  const routeMovedAt = track.find((p) => p.t >= outcome.startedAt && p.nexthop === after.vtep)?.t;
  const svg = join(o.svgDir, `${o.label.replace(/[^\w.-]+/g, '-')}.svg`);
  writeFileSync(
    svg,
    timelineSvg(probes, {
      title: `${o.label}: probes from ${o.observer} to ${o.vm}`,
      migrationStart: outcome.startedAt,
      migrationEnd: outcome.finishedAt,
      routeMovedAt,
      routeRouter: o.watchedRouter,
    }),
  );
  return {
    label: o.label,
    vm: o.vm,
    ip: o.ip,
    before,
    after,
    routesBefore,
    outcome,
    probes,
    routeMovedAt,
    watchedRouter: o.watchedRouter,
    svg,
  };
}

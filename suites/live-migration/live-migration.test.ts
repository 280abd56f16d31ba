import { describe, inject, type TestContext } from 'vitest';
import * as allure from 'allure-js-commons';
import {
  testbed,
  expectEventually,
  conformanceSuite,
  conformanceTest,
  reportDir,
  judge,
  type CheckOptions,
} from '../context.ts';
import { requireOverlay } from '../overlay.ts';
import { verdictOf } from '../verdict.ts';
import { threshold, type CheckId } from '../catalogue.ts';
import { eventually } from '../../helpers/wait.ts';
import { migrateAcrossClusters, migrateWithinCluster, type MigrationOutcome } from '../../helpers/kube/migration.ts';
import { recheckMigrationTrust } from '../../helpers/kube/kubevirt-trust.ts';
import { expectedState, type MigrationLeg, type MigrationPlan } from '../../topology/expectations.ts';
import { addressOf } from '../../topology/ip.ts';
import type { Feature } from '../../topology/features.ts';
import { checkHttpSourceIp } from '../l2-stretch/checks.ts';
import { checkReaches } from '../l3vni/checks.ts';
import { observeMigration, type Observation } from './observe.ts';
import {
  lossWindow,
  lossProblem,
  streamProblem,
  macIpSnapshot,
  movedRouteProblem,
  duplicateProblem,
  identityProblem,
  endStateProblems,
  type MobilityCase,
} from './checks.ts';
import { MoveLedger, waitUntilMovesFit, FRR_DEFAULT_MAX_MOVES } from './moves.ts';
import { movedGatewayProblems, vmGateway } from '../l2-stretch/gateway.ts';

const tb = testbed();
requireOverlay(tb);
const plan = expectedState(tb.topology);
const chain: MigrationPlan =
  plan.migration ??
  (() => {
    throw new Error(
      `topology ${tb.topology.name}: nothing to migrate: ` +
        'no VM has a VM of its segment in another cluster and a host of its VRF',
    );
  })();

// The oracle's migration plan: the moving VM, the VM of another cluster that watches it, the host it must reach.
const { vm, observer } = chain;
const decl = plan.vms.find((v) => v.vm === vm)!;
const home = decl.cluster;
const ip = decl.ip;
const vrf = decl.vrf;
const reachableHost = [chain.host, tb.topology.hosts[chain.host]!] as const;
const observerVm = plan.vms.find((v) => v.vm === observer)!;
const { watchedRouter } = chain;
const { vni } = decl;
const gateway = plan.segments.find((s) => s.name === decl.segment)!.gateway;
const ledger = MoveLedger.beside(process.env.L2STRETCH_TESTBED_FILE ?? inject('testbedFile'), tb.runId);

/** A progress line for long migrations (a real cluster takes minutes), at most one per period. */
function progressEvery(periodMs: number): (message: string) => void {
  let last = Date.now();
  return (m) => {
    if (Date.now() - last < periodMs) return;
    last = Date.now();
    process.stderr.write(`l2stretch: ${m}\n`);
  };
}

interface Leg extends MigrationLeg {
  needs: Feature;
  migrate: (onWait: (m: string) => void) => Promise<MigrationOutcome>;
}

// The oracle's chain: within the home cluster, then through every cluster and back home. A re-run
// on a kept testbed first waits until the previous runs' moves no longer count towards EVPN
// duplicate detection; a chain longer than FRR's default allows waits before its extra legs.
const legs: Leg[] = chain.legs.map((l) =>
  l.kind === 'in-cluster'
    ? { ...l, needs: 'in-cluster-migration', migrate: (w) => migrateWithinCluster(tb, l.from, vm, w) }
    : {
        ...l,
        needs: 'cross-cluster-migration',
        migrate: (w) => migrateAcrossClusters(tb, { vm, from: l.from, to: l.to, onWait: w }),
      },
);

const runnable = legs.filter((l) => tb.features.has(l.needs) && tb.features.has('migration-probe'));
const movesFit = (mac: string, planned: number) => ({
  vm,
  mac,
  ip,
  vni,
  planned,
  ledger,
  limitMs: tb.deadlines.duplicateDetectionQuiet,
  progress: (m: string) => process.stderr.write(`l2stretch: live-migration: ${m}\n`),
});

/** A leg once run: what the probes and routers saw, or why it could not be observed. */
type LegOutcome = { obs: Observation; error?: undefined } | { obs?: undefined; error: Error };

interface Migrations {
  /** The gateway MAC the VM learned before any move. */
  anycastMac?: string;
  /** Runs the leg's migration under observation, once: the first of its checks does. */
  leg(leg: Leg): Promise<LegOutcome>;
}

/**
 * The observer already reaches the migrating VM, so that what the probes see is the migration and nothing
 * else; and the planned moves fit the nodes' duplicate detection. Returns the gateway MAC the VM learned.
 */
async function prepare(): Promise<string | undefined> {
  const target = { name: vm, ip };
  await eventually(
    () => checkHttpSourceIp(tb.workload(observer), { name: observer, ip: observerVm.ip }, target, decl.port),
    tb.deadlines.dataPlane,
  );
  const anycastMac = (await vmGateway(tb.workload(vm), vm, gateway)).mac;
  const mac = (await tb.cluster(home).get<{ interfaces?: Array<{ mac?: string }> }>('VirtualMachineInstance', vm))
    ?.status?.interfaces?.[0]?.mac;
  if (!mac) throw new Error(`${home}: VirtualMachineInstance ${vm} reports no MAC`);
  process.stderr.write(`l2stretch: live-migration: ${runnable.length} moves: ${chain.rule}\n`);
  await waitUntilMovesFit(tb, movesFit(mac.toLowerCase(), Math.min(runnable.length, FRR_DEFAULT_MAX_MOVES - 1)));
  return anycastMac;
}

async function runLeg(leg: Leg): Promise<Observation> {
  // A kept kind testbed drops the peer's KubeVirt CA once its own is ~33 h old: trust is re-established first.
  if (leg.from !== leg.to)
    await recheckMigrationTrust(tb.kubeClients, (l) => process.stderr.write(`l2stretch: ${l}\n`));
  const mac =
    (
      await tb.cluster(leg.from).get<{ interfaces?: Array<{ mac?: string }> }>('VirtualMachineInstance', vm)
    )?.status?.interfaces?.[0]?.mac?.toLowerCase() ?? vm;
  // Past FRR's default of 5 moves in 180 s, each extra leg of a long chain waits for its own move to fit.
  if (runnable.indexOf(leg) >= FRR_DEFAULT_MAX_MOVES - 1) await waitUntilMovesFit(tb, movesFit(mac, 1));
  return observeMigration(tb, {
    label: leg.label,
    vm,
    ip,
    port: decl.port,
    from: leg.from,
    to: leg.to,
    observer,
    watchedRouter,
    svgDir: reportDir('live-migration'),
    migrate: () => leg.migrate(progressEvery(5000)).finally(() => ledger.record(mac, Date.now())),
  });
}

const test = conformanceTest.extend<{ migrations: Migrations }>({
  migrations: [
    // Named so that every VM has talked before the preparation: the `vms` fixture greets them.
    async ({ vms: _greeted }, use) => {
      // A preparation that fails is every leg's error: each leg's first check reports it, nothing waits again.
      let anycastMac: string | undefined;
      let unprepared: Error | undefined;
      try {
        anycastMac = await prepare();
      } catch (e) {
        unprepared = new Error(`live migration could not be prepared: ${(e as Error).message}`);
      }
      const runs = new Map<Leg, Promise<LegOutcome>>();
      const leg = (l: Leg) => {
        if (!runs.has(l))
          runs.set(
            l,
            unprepared
              ? Promise.resolve({ error: unprepared })
              : runLeg(l).then(
                  (obs) => ({ obs }),
                  (error: Error) => ({ error }),
                ),
          );
        return runs.get(l)!;
      };
      await use({ anycastMac, leg });
    },
    { scope: 'file' },
  ],
});
const suite = conformanceSuite('live-migration', ['bgp-sessions', 'evpn-routes', 'l2-stretch', 'l3vni'], test);

/** Long enough for a leg's first check: the preparation's wait for duplicate detection, then the migration. */
const LEG_CHECK_MS =
  2 * tb.deadlines.duplicateDetectionQuiet +
  tb.deadlines.dataPlane +
  tb.deadlines.crossClusterMigration +
  tb.deadlines.migrationObserve +
  2 * 60_000;

for (const leg of legs) {
  describe(`live-migration: ${leg.label}`, () => {
    // A migration that fails is L2S-MIG-001's failure, with its message; the leg's other
    // checks have nothing to judge and skip saying why.
    const mobility: MobilityCase[] = [];
    const at = { vm, from: leg.from, to: leg.to };
    const check = (
      id: Extract<CheckId, `L2S-MIG-${string}`>,
      body: (obs: Observation, ctx: TestContext, anycastMac: string | undefined) => Promise<void> | void,
      opts?: CheckOptions,
    ) =>
      suite.check(
        id,
        at,
        async ({ migrations }, ctx) => {
          const r = await migrations.leg(leg);
          if (r.error && id === 'L2S-MIG-001') throw r.error;
          if (r.error) ctx.skip(`${vm} did not migrate (${leg.label}): ${r.error.message.split('\n')[0]}`);
          return body(r.obs!, ctx, migrations.anycastMac);
        },
        { ...opts, needs: [...(opts?.needs ?? []), leg.needs], timeoutMs: LEG_CHECK_MS },
      );

    check('L2S-MIG-001', async (obs, ctx) => {
      await ctx.annotate('probe timeline', { path: obs.svg, contentType: 'image/svg+xml' });
      // allure-vitest ignores vitest's annotations: the HTML report gets the picture as an attachment.
      await allure.attachmentPath('probe timeline', obs.svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
      const source = await tb.cluster(leg.from).get<{ printableStatus: string }>('VirtualMachine', vm);
      const target =
        leg.from === leg.to ? undefined : await tb.cluster(leg.to).get<{ ready: boolean }>('VirtualMachine', vm);
      await judge(
        ctx,
        verdictOf(
          endStateProblems({
            vm,
            from: leg.from,
            to: leg.to,
            outcome: obs.outcome,
            nodeBefore: obs.before.node,
            nodeAfter: obs.after.node,
            sourceInstanceLeft:
              leg.from !== leg.to && (await tb.cluster(leg.from).get('VirtualMachineInstance', vm)) !== undefined,
            sourceRunStrategy: (source?.spec as { runStrategy?: string } | undefined)?.runStrategy,
            targetRunStrategy: (target?.spec as { runStrategy?: string } | undefined)?.runStrategy,
            targetReady: target?.status?.ready,
          }),
        ),
      );
    });

    check('L2S-MIG-002', async (obs, ctx) => {
      await judge(
        ctx,
        verdictOf([
          identityProblem(
            vm,
            'VMI status',
            { ip: obs.before.ip, mac: obs.before.mac },
            { ip: obs.after.ip, mac: obs.after.mac },
          ),
          identityProblem(vm, 'guest eth0', obs.before.guest, obs.after.guest),
        ]),
      );
    });

    check('L2S-MIG-003', async (obs, ctx) => {
      await expectEventually(ctx, 'evpnRoutes', async () => {
        mobility.length = 0;
        const answers = await Promise.all(plan.routers.map((r) => tb.router(r).evpnRoutes({ type: 2 })));
        const problems = answers.flatMap((a) => {
          const before = obs.routesBefore.find((s) => s.router === a.router)!;
          const r = movedRouteProblem(
            vm,
            before,
            macIpSnapshot(a.router, a.value, obs.after.mac, ip),
            obs.after.vtep,
            obs.after.node,
          );
          if (r.mobility) mobility.push(r.mobility);
          return r.problem ? [r.problem] : [];
        });
        return verdictOf(
          problems,
          answers.flatMap((a) => a.evidence),
        );
      });
      const tally = [...new Set(mobility)].map((m) => `${mobility.filter((x) => x === m).length} routers: ${m}`);
      await ctx.annotate(`MAC mobility: ${tally.join('; ')}`, 'mac-mobility');
      if (obs.routeMovedAt !== undefined)
        await ctx.annotate(
          `${obs.watchedRouter} moved the route ${obs.routeMovedAt - obs.outcome.startedAt} ms after the ` +
            `migration started`,
          'convergence',
        );
    });

    check('L2S-MIG-005', async (obs, ctx) => {
      const answers = await Promise.all(plan.nodeVteps.map((n) => tb.router(n.node).macs(vni)));
      await judge(
        ctx,
        verdictOf(
          answers.map((a) => duplicateProblem(a.router, a.value, vm, obs.after.mac)),
          answers.flatMap((a) => a.evidence),
        ),
      );
    });

    check(
      'L2S-MIG-004',
      (obs, ctx) => judge(ctx, verdictOf(streamProblem(vm, observer, obs.probes, obs.outcome.finishedAt))),
      { title: { observer } },
    );

    check(
      'L2S-MIG-006',
      async (obs, ctx) => {
        const w = lossWindow(obs.probes);
        await ctx.annotate(
          `loss window ${w.windowMs} ms (${w.failedProbes}/${w.totalProbes} probes failed); migration took ` +
            `${obs.outcome.finishedAt - obs.outcome.startedAt} ms`,
          'loss-window',
        );
        await judge(ctx, verdictOf(lossProblem(vm, observer, w, threshold('L2S-MIG-006', 'lossBudget'))));
      },
      { title: { observer } },
    );

    check(
      'L2S-MIG-007',
      async (_obs, ctx) => {
        const me = { name: vm, ip };
        await expectEventually(ctx, 'dataPlane', async () =>
          verdictOf(
            (await checkReaches(tb.workload(vm), me, {
              name: reachableHost[0],
              ip: addressOf(reachableHost[1].ipv4),
              port: reachableHost[1].port,
              vrf,
            })) ??
              (await checkHttpSourceIp(tb.workload(vm), me, { name: observer, ip: observerVm.ip }, observerVm.port)),
          ),
        );
      },
      { title: { host: reachableHost[0], observer } },
    );

    check('L2S-MIG-008', async (obs, ctx, anycastMac) => {
      await expectEventually(ctx, 'dataPlane', async () => {
        if (!anycastMac)
          return verdictOf(`${vm}: gateway ${gateway}: expected a neighbor entry before the migration, seen none`);
        const r = await movedGatewayProblems({
          vm,
          ex: tb.workload(vm),
          ip,
          vni,
          gateway,
          anycastMac,
          node: obs.after.node,
          router: tb.router(obs.after.node),
        });
        return verdictOf(r.problems, r.evidence);
      });
    });
  });
}

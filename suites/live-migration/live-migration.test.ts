import { describe, beforeAll, inject, type TestContext } from 'vitest';
import * as allure from 'allure-js-commons';
import { testbed, expectEventually, conformanceSuite, reportDir, judge, type CheckOptions } from '../context.ts';
import { requireOverlay, greetedVms } from '../overlay.ts';
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
const suite = conformanceSuite('live-migration', ['bgp-sessions', 'evpn-routes', 'l2-stretch', 'l3vni']);
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
let anycastMac: string | undefined;
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

// Every VM has talked and the observer already reaches the migrating VM, so that
// what the probes see is the migration and nothing else; and the planned moves fit
// the nodes' duplicate detection.
beforeAll(
  async () => {
    if (suite.blocked || !runnable.length) return;
    await greetedVms(tb);
    const target = { name: vm, ip };
    await eventually(
      () => checkHttpSourceIp(tb.workload(observer), { name: observer, ip: observerVm.ip }, target, decl.port),
      tb.deadlines.dataPlane,
    );
    anycastMac = (await vmGateway(tb.workload(vm), vm, gateway)).mac;
    const mac = (await tb.cluster(home).get<{ interfaces?: Array<{ mac?: string }> }>('VirtualMachineInstance', vm))
      ?.status?.interfaces?.[0]?.mac;
    if (!mac) throw new Error(`${home}: VirtualMachineInstance ${vm} reports no MAC`);
    process.stderr.write(`l2stretch: live-migration: ${runnable.length} moves: ${chain.rule}\n`);
    await waitUntilMovesFit(tb, movesFit(mac.toLowerCase(), Math.min(runnable.length, FRR_DEFAULT_MAX_MOVES - 1)));
  },
  tb.deadlines.duplicateDetectionQuiet + tb.deadlines.dataPlane + 60_000,
);

for (const leg of legs) {
  describe(`live-migration: ${leg.label}`, () => {
    let obs: Observation;
    // A migration that fails is L2S-MIG-001's failure, with its message; the leg's other
    // checks have nothing to judge and skip saying why (a hook that threw would skip all
    // seven, MIG-001 included, and hide the message).
    let migrationError: Error | undefined;
    const mobility: MobilityCase[] = [];
    const at = { vm, from: leg.from, to: leg.to };
    const check = (
      id: Extract<CheckId, `L2S-MIG-${string}`>,
      body: (ctx: TestContext) => Promise<void> | void,
      opts?: CheckOptions,
    ) =>
      suite.check(
        id,
        at,
        (ctx) => {
          if (migrationError && id === 'L2S-MIG-001') throw migrationError;
          if (migrationError)
            ctx.skip(`${vm} did not migrate (${leg.label}): ${migrationError.message.split('\n')[0]}`);
          return body(ctx);
        },
        { ...opts, needs: [...(opts?.needs ?? []), leg.needs] },
      );

    beforeAll(
      async () => {
        if (suite.blocked || !runnable.includes(leg)) return;
        // A kept kind testbed drops the peer's KubeVirt CA once its own is ~33 h old: trust is re-established first.
        if (leg.from !== leg.to)
          await recheckMigrationTrust(tb.kubeClients, (l) => process.stderr.write(`l2stretch: ${l}\n`));
        const mac =
          (
            await tb.cluster(leg.from).get<{ interfaces?: Array<{ mac?: string }> }>('VirtualMachineInstance', vm)
          )?.status?.interfaces?.[0]?.mac?.toLowerCase() ?? vm;
        // Past FRR's default of 5 moves in 180 s, each extra leg of a long chain waits for its own move to fit.
        if (runnable.indexOf(leg) >= FRR_DEFAULT_MAX_MOVES - 1) await waitUntilMovesFit(tb, movesFit(mac, 1));
        try {
          obs = await observeMigration(tb, {
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
        } catch (e) {
          migrationError = e as Error;
        }
      },
      tb.deadlines.duplicateDetectionQuiet +
        tb.deadlines.crossClusterMigration +
        tb.deadlines.migrationObserve +
        60_000,
    );

    check('L2S-MIG-001', async (ctx) => {
      await ctx.annotate('probe timeline', { path: obs.svg, contentType: 'image/svg+xml' });
      // allure-vitest ignores vitest's annotations: the HTML report gets the picture as an attachment.
      await allure.attachmentPath('probe timeline', obs.svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
      const source = await tb.cluster(leg.from).get<{ printableStatus: string }>('VirtualMachine', vm);
      const target =
        leg.from === leg.to ? undefined : await tb.cluster(leg.to).get<{ ready: boolean }>('VirtualMachine', vm);
      judge(
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
      );
    });

    check('L2S-MIG-002', () => {
      judge(
        identityProblem(
          vm,
          'VMI status',
          { ip: obs.before.ip, mac: obs.before.mac },
          { ip: obs.after.ip, mac: obs.after.mac },
        ),
        identityProblem(vm, 'guest eth0', obs.before.guest, obs.after.guest),
      );
    });

    check('L2S-MIG-003', async (ctx) => {
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
        return {
          problem: problems.length ? problems.join('\n') : undefined,
          evidence: answers.flatMap((a) => a.evidence),
        };
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

    check('L2S-MIG-005', async () => {
      const answers = await Promise.all(plan.nodeVteps.map((n) => tb.router(n.node).macs(vni)));
      judge(answers.map((a) => duplicateProblem(a.router, a.value, vm, obs.after.mac)));
    });

    check(
      'L2S-MIG-004',
      () => {
        judge(streamProblem(vm, observer, obs.probes, obs.outcome.finishedAt));
      },
      { title: { observer } },
    );

    check(
      'L2S-MIG-006',
      async (ctx) => {
        const w = lossWindow(obs.probes);
        await ctx.annotate(
          `loss window ${w.windowMs} ms (${w.failedProbes}/${w.totalProbes} probes failed); migration took ` +
            `${obs.outcome.finishedAt - obs.outcome.startedAt} ms`,
          'loss-window',
        );
        judge(lossProblem(vm, observer, w, threshold('L2S-MIG-006', 'lossBudget')));
      },
      { title: { observer } },
    );

    check(
      'L2S-MIG-007',
      async (ctx) => {
        const me = { name: vm, ip };
        await expectEventually(ctx, 'dataPlane', async () => ({
          problem:
            (await checkReaches(tb.workload(vm), me, {
              name: reachableHost[0],
              ip: addressOf(reachableHost[1].ipv4),
              port: reachableHost[1].port,
              vrf,
            })) ??
            (await checkHttpSourceIp(tb.workload(vm), me, { name: observer, ip: observerVm.ip }, observerVm.port)),
        }));
      },
      { title: { host: reachableHost[0], observer } },
    );

    check('L2S-MIG-008', async (ctx) => {
      await expectEventually(ctx, 'dataPlane', async () => {
        if (!anycastMac)
          return { problem: `${vm}: gateway ${gateway}: expected a neighbor entry before the migration, seen none` };
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
        return { problem: r.problems.length ? r.problems.join('\n') : undefined, evidence: r.evidence };
      });
    });
  });
}

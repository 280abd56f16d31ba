import { describe, beforeAll } from 'vitest';
import { testbed, conformanceSuite, judgeWithEvidence } from '../context.ts';
import { placedVms, placedState, requireOverlay } from '../overlay.ts';
import { expectedState } from '../../topology/expectations.ts';
import { readStart, snapshot, stabilityProblems, type RouterState, type Watched } from './checks.ts';
import type { Evidence } from '../../helpers/ports.ts';

const tb = testbed();
const suite = conformanceSuite('stability', ['bgp-sessions', 'evpn-routes', 'l2-stretch', 'l3vni', 'live-migration']);
requireOverlay(tb);
const plan = expectedState(tb.topology);

let start: RouterState[] = [];
let end: RouterState[] = [];
let evidence: Evidence[] = [];
const watched: Watched = {
  vteps: new Map(plan.nodeVteps.filter((v) => plan.stable.vteps.includes(v.vtep)).map((v) => [v.vtep, v.node])),
  vmMacs: new Map(),
};

// Last of the run: what every router says now, against what it said when the run started.
describe('stability: no session reset and no overlay route re-advertised during the run', () => {
  beforeAll(async () => {
    if (suite.blocked) return;
    start = readStart(process.env.L2STRETCH_REPORT_DIR!);
    // The VM the live-migration suite moves changes routes by design: the oracle watches only the others.
    const state = placedState(tb, await placedVms(tb));
    for (const vm of state.vms) if (plan.stable.vms.includes(vm.vm)) watched.vmMacs.set(vm.route!.mac, vm.vm);
    ({ states: end, evidence } = await snapshot(tb));
  });

  for (const router of plan.routers) {
    suite.check('L2S-STAB-001', { router }, async (ctx) => {
      const s = start.find((x) => x.router === router);
      const e = end.find((x) => x.router === router)!;
      const problems = s
        ? stabilityProblems(s, e, watched)
        : [`${router}: expected a snapshot from the start of the run, seen none`];
      await judgeWithEvidence(
        ctx,
        problems,
        evidence.filter((a) => a.router === router),
      );
    });
  }
});

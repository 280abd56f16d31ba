import { describe } from 'vitest';
import { testbed, conformanceSuite, conformanceTest, judge } from '../context.ts';
import { placedVms, placedState, requireOverlay } from '../overlay.ts';
import { expectedState } from '../../topology/expectations.ts';
import { readStart, snapshot, stabilityProblems, unjudgedRoutes, type RouterState, type Watched } from './checks.ts';
import { verdictOf } from '../verdict.ts';
import type { Evidence } from '../../helpers/ports.ts';

const tb = testbed();
requireOverlay(tb);
const plan = expectedState(tb.topology);

/** What every router said when the run started and what it says now, and what is watched between the two. */
interface RunSpan {
  start: RouterState[];
  end: RouterState[];
  evidence: Evidence[];
  watched: Watched;
}

// Last of the run: what every router says now, against what it said when the run started.
const test = conformanceTest.extend<{ span: RunSpan }>({
  span: [
    async ({ tb }, use) => {
      const start = readStart(process.env.L2STRETCH_REPORT_DIR!);
      const watched: Watched = {
        vteps: new Map(plan.nodeVteps.filter((v) => plan.stable.vteps.includes(v.vtep)).map((v) => [v.vtep, v.node])),
        vmMacs: new Map(),
      };
      // The VM the live-migration suite moves changes routes by design: the oracle watches only the others.
      const state = placedState(tb, await placedVms(tb));
      for (const vm of state.vms) if (plan.stable.vms.includes(vm.vm)) watched.vmMacs.set(vm.route!.mac, vm.vm);
      const { states: end, evidence } = await snapshot(tb);
      await use({ start, end, evidence, watched });
    },
    { scope: 'file' },
  ],
});
const suite = conformanceSuite(
  'stability',
  ['bgp-sessions', 'evpn-routes', 'l2-stretch', 'l3vni', 'live-migration'],
  test,
);

describe('stability: no session reset and no overlay route re-advertised during the run', () => {
  for (const router of plan.routers) {
    suite.check('L2S-STAB-001', { router }, async ({ span }, ctx) => {
      const s = span.start.find((x) => x.router === router);
      const e = span.end.find((x) => x.router === router)!;
      const problems = s
        ? stabilityProblems(s, e, span.watched)
        : [`${router}: expected a snapshot from the start of the run, seen none`];
      // Passing what could not be seen would hide a flapping route: that check is skipped, the run incomplete.
      const blind = s && !problems.length ? unjudgedRoutes(s, span.watched) : undefined;
      if (blind) ctx.skip(blind);
      await judge(
        ctx,
        verdictOf(
          problems,
          span.evidence.filter((a) => a.router === router),
        ),
      );
    });
  }
});

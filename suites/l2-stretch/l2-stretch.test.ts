import { describe, beforeAll } from 'vitest';
import { testbed, expectEventually, conformanceSuite } from '../context.ts';
import { greetedVms, segments, type PlacedVm } from '../overlay.ts';
import { checkHttpSourceIp, checkPing, checkFullSizeFrames, checkLargeTransfer, type Peer } from './checks.ts';
import { anycastProblems, nodeGateway, vmGateway } from './gateway.ts';
import { nodeVteps } from '../../topology/expectations.ts';
import { addressOf } from '../../topology/ip.ts';

const tb = testbed();
const suite = conformanceSuite('l2-stretch', ['bgp-sessions', 'evpn-routes']);
const overlay = tb.topology.overlay!;

// Every ordered pair of VMs that share a segment but live in different clusters.
const pairs = Object.entries(overlay.vms).flatMap(([a, va]) =>
  Object.entries(overlay.vms)
    .filter(([b, vb]) => b !== a && vb.network === va.network && vb.cluster !== va.cluster)
    .map(([b]) => [a, b] as const),
);

let placed = new Map<string, PlacedVm>();
const peer = (vm: string): Peer => ({ name: vm, ip: placed.get(vm)!.declaredIp });

describe('l2-stretch: VMs in different clusters share one broadcast domain', () => {
  beforeAll(async () => {
    if (suite.blocked) return;
    placed = new Map((await greetedVms(tb)).map((v) => [v.vm, v]));
  });

  for (const [a, b] of pairs) {
    suite.check('L2S-L2-001', { from: a, to: b }, async (ctx) => {
      await expectEventually(ctx, 'dataPlane', async () => ({
        problem: await checkHttpSourceIp(tb.workload(a), peer(a), peer(b), placed.get(b)!.port),
      }));
    });
    suite.check('L2S-L2-002', { from: a, to: b }, async (ctx) => {
      await expectEventually(ctx, 'dataPlane', async () => ({
        problem: await checkPing(tb.workload(a), peer(a), peer(b)),
      }));
    });
    suite.check('L2S-L2-003', { from: a, to: b }, async (ctx) => {
      await expectEventually(ctx, 'dataPlane', async () => ({
        problem: await checkFullSizeFrames(tb.workload(a), peer(a), peer(b)),
      }));
    });
    // Data flows from b to a: a downloads.
    suite.check('L2S-L2-004', { from: b, to: a }, async (ctx) => {
      await expectEventually(ctx, 'dataPlane', async () => ({
        problem: await checkLargeTransfer(tb.workload(a), peer(a), peer(b), placed.get(b)!.port),
      }));
    });
  }

  for (const seg of segments(overlay)) {
    const gateway = addressOf(seg.gateway);
    const vms = Object.entries(overlay.vms)
      .filter(([, v]) => v.network === seg.name)
      .map(([vm]) => vm);
    suite.check(
      'L2S-L2-005',
      { vni: seg.vni },
      async (ctx) => {
        await expectEventually(ctx, 'dataPlane', async () => {
          const nodes = await Promise.all(nodeVteps(tb.topology).map((n) => nodeGateway(tb.router(n.node), seg.vni)));
          const learned = await Promise.all(vms.map((vm) => vmGateway(tb.workload(vm), vm, gateway)));
          const problems = anycastProblems(
            seg.vni,
            gateway,
            nodes.map((n) => n.gw),
            learned,
          );
          return {
            problem: problems.length ? problems.join('\n') : undefined,
            evidence: nodes.flatMap((n) => n.evidence),
          };
        });
      },
      { title: { gateway, vms: vms.join(' and ') } },
    );
  }
});

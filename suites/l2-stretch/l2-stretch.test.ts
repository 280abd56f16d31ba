import { describe, beforeAll } from 'vitest';
import { testbed, expectEventually, conformanceSuite } from '../context.ts';
import { greetedVms, requireOverlay } from '../overlay.ts';
import { checkHttpSourceIp, checkPing, checkFullSizeFrames, checkLargeTransfer, type Peer } from './checks.ts';
import { anycastProblems, nodeGateway, vmGateway } from './gateway.ts';
import { expectedState } from '../../topology/expectations.ts';

const tb = testbed();
const suite = conformanceSuite('l2-stretch', ['bgp-sessions', 'evpn-routes']);
requireOverlay(tb);
const plan = expectedState(tb.topology);
const vmOf = (name: string) => plan.vms.find((v) => v.vm === name)!;
const peer = (name: string): Peer => ({ name, ip: vmOf(name).ip });

describe('l2-stretch: VMs in different clusters share one broadcast domain', () => {
  beforeAll(async () => {
    if (suite.blocked) return;
    process.stderr.write(`l2stretch: l2-stretch: ${plan.l2.pairs.length} VM pairs, ${plan.l2.rule}\n`);
    await greetedVms(tb);
  });

  for (const { from: a, to: b } of plan.l2.pairs) {
    suite.check('L2S-L2-001', { from: a, to: b }, async (ctx) => {
      await expectEventually(ctx, 'dataPlane', async () => ({
        problem: await checkHttpSourceIp(tb.workload(a), peer(a), peer(b), vmOf(b).port),
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
        problem: await checkLargeTransfer(tb.workload(a), peer(a), peer(b), vmOf(b).port),
      }));
    });
  }

  for (const seg of plan.segments) {
    const { gateway, vms } = seg;
    suite.check(
      'L2S-L2-005',
      { vni: seg.vni },
      async (ctx) => {
        await expectEventually(ctx, 'dataPlane', async () => {
          const nodes = await Promise.all(plan.nodeVteps.map((n) => nodeGateway(tb.router(n.node), seg.vni)));
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

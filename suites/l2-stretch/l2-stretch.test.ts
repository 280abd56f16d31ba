import { describe, beforeAll } from 'vitest';
import { testbed, expectEventually, conformanceSuite } from '../context.ts';
import { peerOf, requireOverlay } from '../overlay.ts';
import { verdictOf } from '../verdict.ts';
import { checkHttpSourceIp, checkPing, checkFullSizeFrames, checkLargeTransfer } from './checks.ts';
import { anycastProblems, nodeGateway, vmGateway } from './gateway.ts';
import { expectedState } from '../../topology/expectations.ts';

const tb = testbed();
const suite = conformanceSuite('l2-stretch', ['bgp-sessions', 'evpn-routes']);
requireOverlay(tb);
const plan = expectedState(tb.topology);

describe('l2-stretch: VMs in different clusters share one broadcast domain', () => {
  beforeAll(
    () => void process.stderr.write(`l2stretch: l2-stretch: ${plan.l2.pairs.length} VM pairs, ${plan.l2.rule}\n`),
  );

  for (const { from: a, to: b } of plan.l2.pairs) {
    suite.check('L2S-L2-001', { from: a, to: b }, async ({ vms }, ctx) => {
      await expectEventually(ctx, 'dataPlane', async () =>
        verdictOf(await checkHttpSourceIp(tb.workload(a), peerOf(vms, a), peerOf(vms, b), vms.get(b)!.port)),
      );
    });
    suite.check('L2S-L2-002', { from: a, to: b }, async ({ vms }, ctx) => {
      await expectEventually(ctx, 'dataPlane', async () =>
        verdictOf(await checkPing(tb.workload(a), peerOf(vms, a), peerOf(vms, b))),
      );
    });
    suite.check('L2S-L2-003', { from: a, to: b }, async ({ vms }, ctx) => {
      await expectEventually(ctx, 'dataPlane', async () =>
        verdictOf(await checkFullSizeFrames(tb.workload(a), peerOf(vms, a), peerOf(vms, b))),
      );
    });
    // Data flows from b to a: a downloads.
    suite.check('L2S-L2-004', { from: b, to: a }, async ({ vms }, ctx) => {
      await expectEventually(ctx, 'dataPlane', async () =>
        verdictOf(await checkLargeTransfer(tb.workload(a), peerOf(vms, a), peerOf(vms, b), vms.get(b)!.port)),
      );
    });
  }

  for (const seg of plan.segments) {
    const { gateway, vms: members } = seg;
    // The VMs have talked (the `vms` fixture greets them): each has learned its gateway's MAC.
    suite.check(
      'L2S-L2-005',
      { vni: seg.vni },
      async ({ vms }, ctx) => {
        await expectEventually(ctx, 'dataPlane', async () => {
          const nodes = await Promise.all(plan.nodeVteps.map((n) => nodeGateway(tb.router(n.node), seg.vni)));
          const learned = await Promise.all(
            members.map((vm) => vmGateway(tb.workload(peerOf(vms, vm).name), vm, gateway)),
          );
          const problems = anycastProblems(
            seg.vni,
            gateway,
            nodes.map((n) => n.gw),
            learned,
          );
          return verdictOf(
            problems,
            nodes.flatMap((n) => n.evidence),
          );
        });
      },
      { title: { gateway, vms: members.join(' and ') } },
    );
  }
});

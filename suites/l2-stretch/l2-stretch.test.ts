import { describe, it, beforeAll } from 'vitest';
import { testbed, expectEventually, stageGate } from '../context.ts';
import { greetedVms, type PlacedVm } from '../overlay.ts';
import { checkHttpSourceIp, checkPing, checkFullSizeFrames, checkLargeTransfer, type Peer } from './checks.ts';

const tb = testbed();
const gate = stageGate('l2-stretch', ['bgp-sessions', 'evpn-routes']);
const overlay = tb.topology.overlay!;

// Every ordered pair of VMs that share a segment but live in different clusters.
const pairs = Object.entries(overlay.vms).flatMap(([a, va]) =>
  Object.entries(overlay.vms).filter(([b, vb]) => b !== a && vb.network === va.network && vb.cluster !== va.cluster).map(([b]) => [a, b] as const),
);

let placed = new Map<string, PlacedVm>();
const peer = (vm: string): Peer => ({ name: vm, ip: placed.get(vm)!.declaredIp });

describe('l2-stretch: VMs in different clusters share one broadcast domain', () => {
  beforeAll(async () => {
    if (gate.blocked) return;
    placed = new Map((await greetedVms(tb)).map((v) => [v.vm, v]));
  });

  for (const [a, b] of pairs) {
    it(`${a} → ${b}: HTTP answers and sees ${a}'s own address (no NAT)`, async (ctx) => {
      gate.check(ctx);
      await expectEventually(ctx, 'dataPlane', async () => ({ problem: await checkHttpSourceIp(tb.workload(a), peer(a), peer(b), placed.get(b)!.port) }));
    });
    it(`${a} → ${b}: ping`, async (ctx) => {
      gate.check(ctx);
      await expectEventually(ctx, 'dataPlane', async () => ({ problem: await checkPing(tb.workload(a), peer(a), peer(b)) }));
    });
    it(`${a} → ${b}: full-size frames with DF set cross unfragmented`, async (ctx) => {
      gate.check(ctx);
      await expectEventually(ctx, 'dataPlane', async () => ({ problem: await checkFullSizeFrames(tb.workload(a), peer(a), peer(b)) }));
    });
    it(`${a} ← ${b}: a 2 MiB transfer completes`, async (ctx) => {
      gate.check(ctx);
      await expectEventually(ctx, 'dataPlane', async () => ({ problem: await checkLargeTransfer(tb.workload(a), peer(a), peer(b), placed.get(b)!.port) }));
    });
  }
});

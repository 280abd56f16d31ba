import { describe, beforeAll } from 'vitest';
import { testbed, expectEventually, conformanceSuite, judge } from '../context.ts';
import { greetedVms, requireOverlay, type PlacedVm } from '../overlay.ts';
import { checkReaches, checkAnswersAs, checkIsolated, type Service } from './checks.ts';
import { addressOf } from '../../topology/ip.ts';

const tb = testbed();
const suite = conformanceSuite('l3vni', ['bgp-sessions', 'evpn-routes', 'l2-stretch']);
const overlay = requireOverlay(tb);
const hosts: Service[] = Object.entries(tb.topology.hosts).map(([name, h]) => ({
  name,
  ip: addressOf(h.ipv4),
  port: h.port,
  vrf: h.vrf,
}));

let placed = new Map<string, PlacedVm>();
const vmPeer = (vm: string) => ({ name: vm, ip: placed.get(vm)!.declaredIp });
const vmService = (vm: string): Service => ({
  ...vmPeer(vm),
  port: placed.get(vm)!.port,
  vrf: overlay.l2vnis[overlay.vms[vm]!.network]!.vrf,
});

describe('l3vni: VMs reach the hosts of their VRF and never those of another', () => {
  beforeAll(async () => {
    if (suite.blocked) return;
    placed = new Map((await greetedVms(tb)).map((v) => [v.vm, v]));
  });

  for (const [vm, v] of Object.entries(overlay.vms)) {
    const vrf = overlay.l2vnis[v.network]!.vrf;
    for (const host of hosts.filter((h) => h.vrf === vrf)) {
      suite.check(
        'L2S-L3-001',
        { vm, host: host.name },
        async (ctx) => {
          await expectEventually(ctx, 'dataPlane', async () => ({
            problem: await checkReaches(tb.workload(vm), vmPeer(vm), host),
          }));
        },
        { title: { ip: host.ip, vrf } },
      );
      suite.check('L2S-L3-002', { host: host.name, vm }, async (ctx) => {
        await expectEventually(ctx, 'dataPlane', async () => ({
          problem: await checkAnswersAs(tb.workload(host.name), { name: host.name, ip: host.ip }, vmService(vm)),
        }));
      });
    }
  }

  // Last and concurrent: each of these waits out its probes' timeouts, and the
  // network has shown above that it delivers what it should.
  for (const [vm, v] of Object.entries(overlay.vms)) {
    const vrf = overlay.l2vnis[v.network]!.vrf;
    for (const host of hosts.filter((h) => h.vrf !== vrf)) {
      suite.check(
        'L2S-L3-003',
        { vm, host: host.name },
        async () => judge(await checkIsolated(tb.workload(vm), vmPeer(vm), host, tb.deadlines.mustFailProbe)),
        { concurrent: true, title: { ip: host.ip, vrf: host.vrf } },
      );
    }
  }
});

import { describe, beforeAll } from 'vitest';
import { testbed, expectEventually, conformanceSuite, judge } from '../context.ts';
import { verdictOf } from '../verdict.ts';
import { peerOf, requireOverlay } from '../overlay.ts';
import { checkReaches, checkAnswersAs, checkIsolated, type Service } from './checks.ts';
import { expectedState } from '../../topology/expectations.ts';
import { addressOf } from '../../topology/ip.ts';

const tb = testbed();
const suite = conformanceSuite('l3vni', ['bgp-sessions', 'evpn-routes', 'l2-stretch']);
requireOverlay(tb);
const plan = expectedState(tb.topology);
const hosts = new Map<string, Service>(
  Object.entries(tb.topology.hosts).map(([name, h]) => [
    name,
    { name, ip: addressOf(h.ipv4), port: h.port, vrf: h.vrf },
  ]),
);
const services = new Map<string, Service>(
  plan.vms.map((v) => [v.vm, { name: v.vm, ip: v.ip, port: v.port, vrf: v.vrf }]),
);
const peer = (s: Service) => ({ name: s.name, ip: s.ip });

describe('l3vni: VMs reach the hosts of their VRF and never those of another', () => {
  beforeAll(
    () =>
      void process.stderr.write(
        `l2stretch: l3vni: ${plan.reach.probes.length} reach probes, ${plan.reach.rule}; ` +
          `${plan.drop.probes.length} must-drop probes, ${plan.drop.rule}\n`,
      ),
  );

  for (const { from, to, vrf } of plan.reach.probes) {
    const host = hosts.get(from) ?? hosts.get(to)!;
    if (services.has(from)) {
      suite.check(
        'L2S-L3-001',
        { vm: from, host: to },
        async ({ vms }, ctx) => {
          await expectEventually(ctx, 'dataPlane', async () =>
            verdictOf(await checkReaches(tb.workload(from), peerOf(vms, from), host)),
          );
        },
        { title: { ip: host.ip, vrf } },
      );
    } else {
      suite.check('L2S-L3-002', { host: from, vm: to }, async ({ vms }, ctx) => {
        await expectEventually(ctx, 'dataPlane', async () =>
          verdictOf(await checkAnswersAs(tb.workload(from), peer(host), { ...services.get(to)!, ...peerOf(vms, to) })),
        );
      });
    }
  }

  // Last and concurrent: each of these waits out its probes' timeouts, and the
  // network has shown above that it delivers what it should.
  for (const { from, to, vrf } of plan.drop.probes) {
    const host = hosts.get(to)!;
    suite.check(
      'L2S-L3-003',
      { vm: from, host: to },
      async ({ vms }, ctx) =>
        judge(
          ctx,
          verdictOf(await checkIsolated(tb.workload(from), peerOf(vms, from), host, tb.deadlines.mustFailProbe)),
        ),
      { concurrent: true, title: { ip: host.ip, vrf } },
    );
  }
});

// Proves on a real embedded testbed that the live-migration checks fail, naming the
// cause, for the faults they exist for: a target that comes up with another MAC, a
// guest that never announces itself, a fabric that drops the MAC-mobility update.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { upEmbedded, type RunningTestbed } from '../../testbeds/embedded/testbed.ts';
import { migrateAcrossClusters, migrateWithinCluster, receiverOf } from '../../helpers/kube/migration.ts';
import { frr } from '../../helpers/nos/frr/dialect.ts';
import { eventually } from '../../helpers/wait.ts';
import { greetedVms } from '../../suites/overlay.ts';
import { guestIdentity } from '../../suites/live-migration/observe.ts';
import { identityProblem, macIpSnapshot, movedRouteProblem } from '../../suites/live-migration/checks.ts';
import { NO_ANNOUNCE_ANNOTATION } from '../../testbeds/embedded/kubevirt.ts';
import { stageManifests, withMac } from '../../topology/manifests.ts';
import { restartVm } from '../../helpers/kube/vm.ts';
import { nodeVtep } from '../../topology/expectations.ts';
import type { Testbed } from '../../helpers/ports.ts';

let tb: RunningTestbed;
const IP = '192.170.1.3';

beforeAll(async () => {
  tb = await upEmbedded();
  await greetedVms(tb.testbed);
});
afterAll(async () => {
  await tb?.down();
});

async function routeAt(t: Testbed, router: string, mac: string) {
  const a = await t.router(router).evpnRoutes({ type: 2 });
  return macIpSnapshot(router, a.value, mac, IP);
}

async function whereIs(t: Testbed, cluster: string) {
  const vmi = await t
    .cluster(cluster)
    .get<{ nodeName: string; interfaces: Array<{ mac: string }> }>('VirtualMachineInstance', 'vm-1');
  return {
    node: vmi!.status!.nodeName,
    mac: vmi!.status!.interfaces[0]!.mac,
    vtep: nodeVtep(t.topology.clusters[cluster]!, vmi!.status!.nodeName),
  };
}

describe('embedded testbed: live-migration catches broken migrations', () => {
  it('a receiver with another MAC: the identity check names the MAC it became', async () => {
    const t = tb.testbed;
    const before = await guestIdentity(t.workload('vm-1'));
    expect(before).toEqual({ ip: IP, mac: '02:03:04:05:06:07' });
    await migrateAcrossClusters(t, {
      vm: 'vm-1',
      from: 'pe-kind-a',
      to: 'pe-kind-b',
      receiver: (m) => withMac(m, '02:0a:0b:0c:0d:0e'),
    });
    const after = await guestIdentity(t.workload('vm-1'));
    expect(identityProblem('vm-1', 'guest eth0', before, after)).toBe(
      'vm-1 (guest eth0): MAC 02:03:04:05:06:07 became 02:0a:0b:0c:0d:0e; a live migration must keep both',
    );
    // Back home with the MAC of the walkthrough's manifest, for the faults below.
    const original = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    await migrateAcrossClusters(t, {
      vm: 'vm-1',
      from: 'pe-kind-b',
      to: 'pe-kind-a',
      receiver: () => receiverOf(original),
    });
    expect(await guestIdentity(t.workload('vm-1'))).toEqual(before);
  });

  it('a guest that never announces itself: the route stays at the old VTEP, and the check says so', async () => {
    const t = tb.testbed;
    const vm = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    await t
      .cluster('pe-kind-a')
      .apply([{ ...vm, metadata: { ...vm.metadata, annotations: { [NO_ANNOUNCE_ANNOTATION]: 'false' } } }]);
    await restartVm(t, 'pe-kind-a', 'vm-1');
    await greetedVms(t);
    try {
      const from = await whereIs(t, 'pe-kind-a');
      await eventually(
        async () =>
          (await routeAt(t, 'spine', from.mac)).nexthop === from.vtep ? undefined : 'route not at the VM yet',
        30_000,
      );
      const before = await routeAt(t, 'spine', from.mac);
      await migrateWithinCluster(t, 'pe-kind-a', 'vm-1');
      const to = await whereIs(t, 'pe-kind-a');
      expect(to.node).not.toBe(from.node);
      // Give the fabric far longer than a migration with announcement needs (under 1.5 s).
      await new Promise((r) => setTimeout(r, 4000));
      const { problem } = movedRouteProblem('vm-1', before, await routeAt(t, 'spine', from.mac), to.vtep, to.node);
      expect(problem).toBe(
        `spine: type-2 MAC+IP route of vm-1: expected next hop ${to.vtep} (${to.node}, where it now runs), ` +
          `seen ${from.vtep} (MM:${before.seq}; before the move ${from.vtep}, MM:${before.seq})`,
      );
    } finally {
      await t.cluster('pe-kind-a').apply([vm]);
      await restartVm(t, 'pe-kind-a', 'vm-1');
      await greetedVms(t);
    }
  });

  it('a fabric that drops the MAC-mobility update: routers behind it keep the old VTEP', async () => {
    const t = tb.testbed;
    const spine = frr(t.router('spine'));
    const from = await whereIs(t, 'pe-kind-a');
    await eventually(
      async () =>
        (await routeAt(t, 'leafkind-a', from.mac)).nexthop === from.vtep ? undefined : 'route not at the VM yet',
      30_000,
    );
    const before = await routeAt(t, 'leafkind-a', from.mac);
    // The spine refuses every MAC/IP route coming from cluster B's ToR from now on.
    await spine.vtysh(
      'configure terminal',
      'route-map drop-macip deny 10',
      'match evpn route-type macip',
      'exit',
      'route-map drop-macip permit 20',
      'exit',
      'router bgp 64612',
      'address-family l2vpn evpn',
      'neighbor 192.168.1.7 route-map drop-macip in',
    );
    try {
      await migrateAcrossClusters(t, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' });
      const to = await whereIs(t, 'pe-kind-b');
      await new Promise((r) => setTimeout(r, 4000));
      const { problem } = movedRouteProblem('vm-1', before, await routeAt(t, 'leafkind-a', from.mac), to.vtep, to.node);
      expect(problem).toMatch(
        new RegExp(
          `^leafkind-a: type-2 MAC\\+IP route of vm-1: (expected next hop ${to.vtep.replace(/\./g, '\\.')} \\(` +
            `${to.node}, where it now runs\\), seen ${from.vtep.replace(/\./g, '\\.')}|absent after the ` +
            `migration)`,
        ),
      );
    } finally {
      await spine.vtysh(
        'configure terminal',
        'router bgp 64612',
        'address-family l2vpn evpn',
        'no neighbor 192.168.1.7 route-map drop-macip in',
      );
    }
  });
});

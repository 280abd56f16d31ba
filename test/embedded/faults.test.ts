// Proves on a real embedded testbed (root, FRR) that each suite's checks fail, with a
// message naming the cause, when the fault they exist for is injected, and pass
// again once it is healed. One testbed serves every fault, one after the other.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { upEmbedded, type RunningTestbed } from '../../testbeds/embedded/testbed.ts';
import { leftoversOf, isClean } from '../../testbeds/embedded/cleanup.ts';
import { checkRouterSessions } from '../../suites/bgp-sessions/checks.ts';
import { expectedSessions, expectedState, routerNames } from '../../topology/expectations.ts';
import { eventually } from '../../helpers/wait.ts';
import { checkImet, checkVrfTable, checkMacIp, checkZebraVni } from '../../suites/evpn-routes/checks.ts';
import { checkHttpSourceIp } from '../../suites/l2-stretch/checks.ts';
import { checkIsolated } from '../../suites/l3vni/checks.ts';
import { greetedVms, placedState, type PlacedVm } from '../../suites/overlay.ts';
import { stageManifests, withMac, withHostBridge } from '../../topology/manifests.ts';
import { RunPaths } from '../../testbeds/embedded/run.ts';
import { ipBatch, listNamespaces } from '../../testbeds/embedded/netns.ts';
import { restartVm } from '../../helpers/kube/vm.ts';
import { guestIdentity } from '../../suites/live-migration/observe.ts';
import { frr } from '../../helpers/nos/frr/dialect.ts';

let tb: RunningTestbed;

/** Runs the suite's check on every router; each entry is undefined (passes) or the failure message. */
async function verdicts(deadlineMs: number): Promise<Record<string, string | undefined>> {
  const expected = expectedSessions(tb.testbed.topology);
  const names = routerNames(tb.testbed.topology);
  const results = await Promise.all(
    names.map(async (name) => {
      const mine = expected.filter((s) => s.router === name);
      try {
        await eventually(async () => (await checkRouterSessions(tb.testbed.router(name), mine)).problem, deadlineMs);
        return [name, undefined] as const;
      } catch (e) {
        return [name, (e as Error).message] as const;
      }
    }),
  );
  return Object.fromEntries(results);
}

const healthy = (v: Record<string, string | undefined>) => Object.entries(v).filter(([, m]) => m !== undefined);
const failing = (v: Record<string, string | undefined>) =>
  Object.keys(v)
    .filter((r) => v[r] !== undefined)
    .sort();

/**
 * Breaks one router's FRR config with `line` (inside the `context` stanzas), runs
 * the assertions, then restores it with the negated line and waits until every
 * session is healthy again, so the next fault starts from a sound testbed.
 */
async function withFault(
  router: string,
  context: string[],
  line: string,
  assertions: () => Promise<void>,
): Promise<void> {
  const r = frr(tb.testbed.router(router));
  await r.vtysh('configure terminal', ...context, line);
  try {
    await assertions();
  } finally {
    await r.vtysh('configure terminal', ...context, line.startsWith('no ') ? line.slice(3) : `no ${line}`);
  }
  expect(healthy(await verdicts(30_000))).toEqual([]);
}

beforeAll(async () => {
  tb = await upEmbedded();
});
afterAll(async () => {
  const runId = tb?.runId;
  await tb?.down();
  if (runId) expect(isClean(await leftoversOf(runId))).toBe(true);
});

describe('embedded testbed: bgp-sessions catches broken sessions', () => {
  it('passes on the healthy testbed', async () => {
    expect(healthy(await verdicts(30_000))).toEqual([]);
  });

  it('a spine session shut down fails exactly the spine and that leaf, naming peer, family and state', async () => {
    await withFault('spine', ['router bgp 64612'], 'neighbor 192.168.1.5 shutdown', async () => {
      const v = await verdicts(3000);
      expect(failing(v)).toEqual(['leafkind-a', 'spine']);
      expect(v.spine).toContain(
        'spine: session to leafkind-a (192.168.1.5, AS 64512) in IPv4 unicast: expected Established, seen Idle (Admin)',
      );
      expect(v.spine).toContain(
        'spine: session to leafkind-a (192.168.1.5, AS 64512) in L2VPN EVPN: expected Established, seen Idle (Admin)',
      );
      expect(v['leafkind-a']).toMatch(
        /leafkind-a: session to spine \(192\.168\.1\.4, AS 64612\) in IPv4 unicast: expected Established, seen (Active|Connect|Idle)/,
      );
    });
  });

  it('a node router that stops peering fails the node and its ToR (dynamic neighbor gone)', async () => {
    await withFault('pe-kind-b-worker', ['router bgp 64518'], 'neighbor 192.168.12.2 shutdown', async () => {
      const v = await verdicts(3000);
      expect(failing(v)).toEqual(['leafkind-b', 'pe-kind-b-worker']);
      expect(v['leafkind-b']).toContain(
        'leafkind-b: session to pe-kind-b-worker (192.168.12.4, AS 64518, dynamic neighbor) in L2VPN EVPN: ' +
          'expected Established, seen no connection from the peer',
      );
      expect(v['pe-kind-b-worker']).toContain(
        'pe-kind-b-worker: session to leafkind-b (192.168.12.2, AS 64516) in IPv4 unicast: expected ' +
          'Established, seen Idle (Admin)',
      );
    });
  });

  it('EVPN off towards one leaf fails the family both sides: missing on one, not negotiated on the other', async () => {
    // FRR resets the session to drop the family; it comes back in IPv4 unicast only,
    // which leafA's summary still calls Established in L2VPN EVPN (the text view says NoNeg).
    await withFault(
      'spine',
      ['router bgp 64612', 'address-family l2vpn evpn'],
      'no neighbor 192.168.1.1 activate',
      async () => {
        const spineSessions = expectedSessions(tb.testbed.topology).filter((s) => s.router === 'spine');
        await eventually(
          async () =>
            (await checkRouterSessions(tb.testbed.router('spine'), spineSessions)).problem
              ?.split('\n')
              .find((l) => l.includes('in IPv4 unicast')),
          30_000,
        );
        const v = await verdicts(3000);
        expect(failing(v)).toEqual(['leafA', 'spine']);
        expect(v.spine).toContain(
          'spine: session to leafA (192.168.1.1, AS 64520) in L2VPN EVPN: expected Established, seen no such ' +
            'neighbor in L2VPN EVPN',
        );
        expect(v.spine).not.toContain('in IPv4 unicast');
        expect(v.leafA).toContain(
          'leafA: session to spine (192.168.1.0, AS 64612) in L2VPN EVPN: expected Established with the ' +
            'family negotiated, seen Established but not negotiated (NoNeg): spine did not advertise it',
        );
        expect(v.leafA).not.toContain('in IPv4 unicast');
      },
    );
  });
});

/** Waits until the check reports a problem (the fault has taken effect) and returns it. */
async function problemOnceBroken(check: () => Promise<string | undefined>, deadlineMs = 15_000): Promise<string> {
  let seen: string | undefined;
  await eventually(async () => {
    seen = await check();
    return seen === undefined ? 'the fault has not shown yet' : undefined;
  }, deadlineMs);
  return seen!;
}

const vmsGreeted = () => greetedVms(tb.testbed);

const oracle = () => expectedState(tb.testbed.topology);
const peerOf = (vm: PlacedVm) => ({ name: vm.vm, ip: vm.declaredIp });

describe('embedded testbed: evpn-routes catches a missing type-3 route', () => {
  it('advertise-all-vni removed on one node: every other router names that VTEP as missing', async () => {
    const expected = oracle().imet.find((e) => e.router === 'spine')!.routes;
    await eventually(async () => (await checkImet(tb.testbed.router('spine'), expected)).problem, 30_000);
    await withFault(
      'pe-kind-b-worker',
      ['router bgp 64518', 'address-family l2vpn evpn'],
      'no advertise-all-vni',
      async () => {
        const problem = await problemOnceBroken(
          async () => (await checkImet(tb.testbed.router('spine'), expected)).problem,
        );
        expect(problem).toMatch(
          /^spine: type-3 \(IMET\) route for VNI 110 from VTEP 100\.65\.1\.1 \(pe-kind-b-worker\): absent; type-3 routes seen: /,
        );
        expect(problem.split('\n')).toHaveLength(1);
      },
    );
    await eventually(async () => (await checkImet(tb.testbed.router('spine'), expected)).problem, 30_000);
  });
});

describe('embedded testbed: l2-stretch catches a VNI mismatch between clusters', () => {
  it('cluster B on VNI 111: vm-1 cannot reach vm-2, and the type-3 routes show the other VNI', async () => {
    const cluster = tb.testbed.cluster('pe-kind-b');
    const original = stageManifests('pe-kind-b', 'overlay');
    let [vm1, vm2] = await vmsGreeted();
    await eventually(
      () => checkHttpSourceIp(tb.testbed.workload('vm-1'), peerOf(vm1!), peerOf(vm2!), vm2!.port),
      30_000,
    );
    // Same host bridge, so vm-2 stays plugged in; only the VNI differs from cluster A's.
    const mismatched = original.map((m) =>
      m.kind === 'L2VNI' ? withHostBridge({ ...m, spec: { ...m.spec, vni: 111 } }, 'br-hs-110') : m,
    );
    await cluster.apply(mismatched);
    try {
      const problem = await problemOnceBroken(() =>
        checkHttpSourceIp(tb.testbed.workload('vm-1'), peerOf(vm1!), peerOf(vm2!), vm2!.port),
      );
      expect(problem).toMatch(/^vm-1 → vm-2: curl http:\/\/192\.170\.1\.30:8090\/clientip failed \(curl exit (7|28): /);
      const imet = await checkImet(
        tb.testbed.router('pe-kind-a-worker'),
        oracle().imet.find((e) => e.router === 'pe-kind-a-worker')!.routes,
      );
      expect(imet.problem).toContain(
        'pe-kind-a-worker: type-3 (IMET) route for VNI 110 from VTEP 100.65.1.0 (pe-kind-b-control-plane): ' +
          'expected RT:64518:110, seen [3]:[0]:[32]:[100.65.1.0] via 100.65.1.0 (RT:64518:111)',
      );
    } finally {
      await cluster.apply(original);
    }
    [vm1, vm2] = await vmsGreeted();
    await eventually(
      () => checkHttpSourceIp(tb.testbed.workload('vm-1'), peerOf(vm1!), peerOf(vm2!), vm2!.port),
      30_000,
    );
  });
});

describe('embedded testbed: l3vni catches blue leaking into red', () => {
  it('a red/blue route leak on leafA: the VM reaches hostA_blue, the nodes hold the blue subnet in red', async () => {
    const paths = new RunPaths(tb.runId);
    const red = paths.netns('leafA', 'red');
    const blue = paths.netns('leafA', 'blue');
    const leafA = frr(tb.testbed.router('leafA'));
    const [vm1] = await vmsGreeted();
    const hostABlue = { name: 'hostA_blue', ip: '192.168.21.2', port: 8090, vrf: 'blue' };
    expect(await checkIsolated(tb.testbed.workload('vm-1'), peerOf(vm1!), hostABlue, 1000, 1)).toBeUndefined();
    await ipBatch([`link add name leak-red netns ${red} type veth peer name leak-blue netns ${blue}`]);
    await ipBatch(
      ['addr add 10.255.0.0/31 dev leak-red', 'link set leak-red up', 'route add 192.168.21.0/24 via 10.255.0.1'],
      red,
    );
    await ipBatch(
      ['addr add 10.255.0.1/31 dev leak-blue', 'link set leak-blue up', 'route add 192.170.1.0/24 via 10.255.0.0'],
      blue,
    );
    await leafA.vtysh(
      'configure terminal',
      'router bgp 64520 vrf red',
      'address-family ipv4 unicast',
      'redistribute kernel',
    );
    try {
      const problem = await problemOnceBroken(
        () => checkIsolated(tb.testbed.workload('vm-1'), peerOf(vm1!), hostABlue, 1000, 3),
        30_000,
      );
      expect(problem).toMatch(
        /^vm-1 reached hostA_blue \(192\.168\.21\.2, VRF blue\) in probe \d\/3: it answered "192\.170\.1\.3:\d+"; traffic must be dropped between VRFs$/,
      );
      const { present, absent } = oracle().vrfTables.find((e) => e.router === vm1!.node && e.vrf === 'red')!;
      const table = await checkVrfTable(tb.testbed.router(vm1!.node), 'red', present, absent);
      expect(table.problem).toContain(
        `${vm1!.node}: VRF red must not have 192.168.21.0/24 (subnet of hostA_blue, another VRF) but has it ` +
          `via 100.64.0.1`,
      );
    } finally {
      await leafA.vtysh(
        'configure terminal',
        'router bgp 64520 vrf red',
        'address-family ipv4 unicast',
        'no redistribute kernel',
      );
      await ipBatch(['link del leak-red'], red);
    }
    await eventually(() => checkIsolated(tb.testbed.workload('vm-1'), peerOf(vm1!), hostABlue, 1000, 1), 30_000);
  });
});

describe('embedded testbed: deleting a manifest undoes what it made', () => {
  it('a deleted VM loses instance and namespace; a deleted overlay its VNIs; re-applying restores both', async () => {
    const cluster = tb.testbed.cluster('pe-kind-b');
    const [, vm2] = await vmsGreeted();
    const workload = stageManifests('pe-kind-b', 'workload');
    const overlayManifests = stageManifests('pe-kind-b', 'overlay');
    const vmManifest = workload.filter((m) => m.kind === 'VirtualMachine');
    const spine = tb.testbed.router('spine');
    const node = tb.testbed.router(vm2!.node);
    await cluster.delete(vmManifest);
    expect(await cluster.get('VirtualMachineInstance', 'vm-2')).toBeUndefined();
    expect(await cluster.get('VirtualMachine', 'vm-2')).toBeUndefined();
    expect((await listNamespaces()).filter((n) => n === new RunPaths(tb.runId).netns('vm-vm-2'))).toEqual([]);
    // Its routes age out with the bridge's FDB entry, as on a real node: no deadline to assert here.

    await cluster.delete(overlayManifests);
    const gone = await problemOnceBroken(async () => (await checkZebraVni(node, 110, [], [])).problem);
    expect(gone).toBe(`${vm2!.node}: zebra has no VNI 110`);

    await cluster.apply([...overlayManifests, ...workload]);
    expect((await cluster.get<{ ready: boolean }>('VirtualMachine', 'vm-2'))?.status?.ready).toBe(true);
    const greeted = await vmsGreeted();
    const back = greeted[1];
    expect(back!.mac).toBe(vm2!.mac);
    await eventually(
      async () => (await checkMacIp(spine, [placedState(tb.testbed, greeted).vms[1]!.route!])).problem,
      30_000,
    );
  });
});

describe('embedded testbed: a running VM keeps its instance when its template changes, as in KubeVirt', () => {
  it('reports RestartRequired, and takes the new template once its instance is deleted', async () => {
    const cluster = tb.testbed.cluster('pe-kind-b');
    const vm = stageManifests('pe-kind-b', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    const other = '02:0a:0b:0c:0d:0e';
    const before = await guestIdentity(tb.testbed.workload('vm-2'));
    const conditions = async () =>
      (await cluster.get<{ conditions: Array<{ type: string; status: string }> }>('VirtualMachine', 'vm-2'))!
        .status!.conditions.filter((c) => c.status === 'True')
        .map((c) => c.type);
    await cluster.apply([withMac(vm, other)]);
    try {
      expect(await guestIdentity(tb.testbed.workload('vm-2'))).toEqual(before);
      expect(await conditions()).toEqual(['Ready', 'RestartRequired']);
      expect((await restartVm(tb.testbed, 'pe-kind-b', 'vm-2')).mac).toBe(other);
      expect((await guestIdentity(tb.testbed.workload('vm-2'))).mac).toBe(other);
      expect(await conditions()).toEqual(['Ready']);
      await expect(
        cluster.apply([{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'vm-2' } }]),
      ).rejects.toThrow(
        'pe-kind-b: VirtualMachineInstance vm-2: instances are made by their VirtualMachine; apply the VirtualMachine',
      );
    } finally {
      await cluster.apply([vm]);
      await restartVm(tb.testbed, 'pe-kind-b', 'vm-2');
    }
    expect(await guestIdentity(tb.testbed.workload('vm-2'))).toEqual(before);
  });
});

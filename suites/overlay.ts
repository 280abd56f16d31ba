// The overlay the topology declares, joined with where the clusters placed each VM:
// what the route, L2 and L3 suites expect to see.
import type { Testbed } from '../helpers/ports.ts';
import { vmPlacement, type VmPlacement } from '../helpers/kube/vm.ts';
import { nodeVtep, expectedState, type ExpectedState, type Placement } from '../topology/expectations.ts';
import { addressOf } from '../topology/ip.ts';
import type { Overlay } from '../topology/schema.ts';

export interface PlacedVm extends VmPlacement {
  /** Address the topology declares for the VM. */
  declaredIp: string;
  network: string;
  /** Port of the VM's HTTP server. */
  port: number;
  /** VTEP of the node hosting the VM: the next hop its type-2 routes must carry. */
  vtep: string;
}

export function requireOverlay(tb: Testbed): Overlay {
  if (!tb.topology.overlay) throw new Error(`topology ${tb.topology.name} declares no overlay: nothing to check`);
  return tb.topology.overlay;
}

export async function placedVms(tb: Testbed): Promise<PlacedVm[]> {
  const overlay = requireOverlay(tb);
  return Promise.all(
    Object.entries(overlay.vms).map(async ([vm, v]) => {
      const p = await vmPlacement(tb, v.cluster, vm);
      return {
        ...p,
        declaredIp: addressOf(v.ipv4),
        network: v.network,
        port: v.port,
        vtep: nodeVtep(tb.topology.clusters[v.cluster]!, p.node),
      };
    }),
  );
}

/** A placed VM as a traffic peer: its name and the address the topology declares for it. */
export function peerOf(vms: ReadonlyMap<string, PlacedVm>, vm: string): { name: string; ip: string } {
  const v = vms.get(vm);
  if (!v) throw new Error(`VM ${vm} is not placed: the clusters report no such VM`);
  return { name: vm, ip: v.declaredIp };
}

/** A VM announces itself the way a booted guest does when it talks: it resolves and pings its gateway. */
async function greetGateway(tb: Testbed, vm: PlacedVm): Promise<void> {
  const gw = addressOf(requireOverlay(tb).l2vnis[vm.network]!.gateway);
  await tb.workload(vm.vm).run(['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', gw], { timeoutMs: 10_000 });
}

/** Every declared VM, placed and having talked to its gateway (so its type-2 routes exist). */
export async function greetedVms(tb: Testbed): Promise<PlacedVm[]> {
  const vms = await placedVms(tb);
  await Promise.all(vms.map((vm) => greetGateway(tb, vm)));
  return vms;
}

/** Where the clusters placed each VM, as the oracle takes it. */
export function placementOf(vms: PlacedVm[]): Placement {
  return Object.fromEntries(vms.map((v) => [v.vm, { cluster: v.cluster, node: v.node, mac: v.mac }]));
}

/** The oracle's expectations for the VMs where they run now. */
export function placedState(tb: Testbed, vms: PlacedVm[]): ExpectedState {
  return expectedState(tb.topology, placementOf(vms));
}

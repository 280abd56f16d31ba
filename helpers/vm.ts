// Where a VM runs and with which address, as its cluster reports it
// (VirtualMachineInstance status: nodeName, interfaces[].mac/ipAddress). As KubeVirt
// users learn, reported IPs are trusted only once the instance is Ready and its
// guest agent connected: until then the placement is waited for.
import type { Testbed } from './testbed.ts';
import { eventually } from './wait.ts';

export interface VmPlacement {
  vm: string;
  cluster: string;
  node: string;
  mac: string;
  ip?: string;
}

export interface VmiStatus {
  phase?: string;
  nodeName?: string;
  interfaces?: Array<{ mac?: string; ipAddress?: string; name?: string }>;
  conditions?: Array<{ type: string; status: string; reason?: string }>;
}

export const TRUSTED_WHEN = ['Ready', 'AgentConnected'];

/** Why the instance's report cannot be trusted yet, or undefined when it can. */
export function untrustedReason(cluster: string, vm: string, status: VmiStatus | undefined, exists: boolean): string | undefined {
  if (!exists) return `${cluster}: VirtualMachineInstance ${vm} does not exist (is the VM running?)`;
  const missing = TRUSTED_WHEN.filter((t) => !status?.conditions?.some((c) => c.type === t && c.status === 'True'));
  if (missing.length) return `${cluster}: VirtualMachineInstance ${vm} is not ${missing.join(' and ')} yet (phase ${status?.phase ?? 'unknown'}; conditions: ${(status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(', ') || 'none'})`;
  if (!status?.nodeName || !status.interfaces?.[0]?.mac) return `${cluster}: VirtualMachineInstance ${vm} reports no node or no interface MAC`;
  return undefined;
}

export async function vmPlacement(tb: Testbed, cluster: string, vm: string): Promise<VmPlacement> {
  let status: VmiStatus | undefined;
  await eventually(async () => {
    const vmi = await tb.cluster(cluster).get<VmiStatus>('VirtualMachineInstance', vm);
    status = vmi?.status;
    return untrustedReason(cluster, vm, status, vmi !== undefined);
  }, tb.deadlines.memberReady);
  const iface = status!.interfaces![0]!;
  return { vm, cluster, node: status!.nodeName!, mac: iface.mac!.toLowerCase(), ip: iface.ipAddress };
}

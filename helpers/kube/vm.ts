// Where a VM runs and with which address, as its cluster reports it
// (VirtualMachineInstance status: nodeName, interfaces[].mac/ipAddress). As KubeVirt
// users learn, reported IPs are trusted only once the instance is Ready and its
// guest agent connected: until then the placement is waited for.
import type { Testbed } from '../ports.ts';
import { eventually } from '../wait.ts';
import { KUBEVIRT_API } from './migration.ts';

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
export function untrustedReason(
  cluster: string,
  vm: string,
  status: VmiStatus | undefined,
  exists: boolean,
): string | undefined {
  if (!exists) return `${cluster}: VirtualMachineInstance ${vm} does not exist (is the VM running?)`;
  const missing = TRUSTED_WHEN.filter((t) => !status?.conditions?.some((c) => c.type === t && c.status === 'True'));
  if (missing.length)
    return (
      `${cluster}: VirtualMachineInstance ${vm} is not ${missing.join(' and ')} yet (phase ` +
      `${status?.phase ?? 'unknown'}; conditions: ` +
      `${(status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(', ') || 'none'})`
    );
  if (!status?.nodeName || !status.interfaces?.[0]?.mac)
    return `${cluster}: VirtualMachineInstance ${vm} reports no node or no interface MAC`;
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

/**
 * Restarts a VM the KubeVirt way: its instance is deleted and the VM makes a new one
 * from its current template (a changed template only takes effect so). Returns the
 * new instance's placement once it can be trusted.
 */
export async function restartVm(tb: Testbed, cluster: string, vm: string): Promise<VmPlacement> {
  const uid = (await tb.cluster(cluster).get('VirtualMachineInstance', vm))?.metadata.uid;
  await tb
    .cluster(cluster)
    .delete([{ apiVersion: KUBEVIRT_API, kind: 'VirtualMachineInstance', metadata: { name: vm } }]);
  // A real cluster answers with the old instance until it is gone.
  if (uid !== undefined)
    await eventually(
      async () =>
        (await tb.cluster(cluster).get('VirtualMachineInstance', vm))?.metadata.uid === uid
          ? `${cluster}: ${vm}'s old instance ${uid} is still there`
          : undefined,
      tb.deadlines.memberReady,
    );
  return vmPlacement(tb, cluster, vm);
}

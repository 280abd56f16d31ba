// Where a VM runs and with which address, as its cluster reports it
// (VirtualMachineInstance status: nodeName, interfaces[].mac/ipAddress).
import type { Testbed } from './testbed.ts';

export interface VmPlacement {
  vm: string;
  cluster: string;
  node: string;
  mac: string;
  ip?: string;
}

interface VmiStatus {
  nodeName?: string;
  interfaces?: Array<{ mac?: string; ipAddress?: string; name?: string }>;
}

export async function vmPlacement(tb: Testbed, cluster: string, vm: string): Promise<VmPlacement> {
  const vmi = await tb.cluster(cluster).get<VmiStatus>('VirtualMachineInstance', vm);
  const iface = vmi?.status?.interfaces?.[0];
  if (!vmi?.status?.nodeName || !iface?.mac) {
    throw new Error(`${cluster}: VirtualMachineInstance ${vm} ${vmi ? 'reports no node or no interface MAC' : 'does not exist (is the VM running?)'}`);
  }
  return { vm, cluster, node: vmi.status.nodeName, mac: iface.mac.toLowerCase(), ip: iface.ipAddress };
}

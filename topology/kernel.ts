// The kernel set-up a topology implies, as `ip -batch` lines: shared by the embedded
// testbed (namespaces) and the kind testbed's lab scripts (containers).
export const VXLAN_PORT = 4789;
/** The VXLAN MTU of a 1500-byte underlay. */
export const VXLAN_MTU = 1450;

export function addressLines(ifname: string, i: { ipv4?: string; ipv6?: string }): string[] {
  return [...(i.ipv4 ? [`addr add ${i.ipv4} dev ${ifname}`] : []), ...(i.ipv6 ? [`addr add ${i.ipv6} dev ${ifname} nodad`] : []), `link set ${ifname} mtu 1500 up`];
}

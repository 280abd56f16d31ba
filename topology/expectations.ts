// What a healthy testbed of a topology looks like, derived from the topology alone.
import type { Topology, Cluster } from './schema.ts';
import { addressOf, nthAddress, inPrefix } from './ip.ts';

export type AddressFamily = 'ipv4Unicast' | 'l2VpnEvpn';
export const ADDRESS_FAMILIES: AddressFamily[] = ['ipv4Unicast', 'l2VpnEvpn'];

export interface ExpectedSession {
  router: string;
  peer: string;
  peerAddress: string;
  peerAsn: number;
  dynamic: boolean;
}

/** openperouter: VTEP = host #index of the VTEP CIDR. */
export function nodeVtep(cluster: Cluster, node: string): string {
  const n = cluster.nodes[node];
  if (!n) throw new Error(`cluster has no node ${node}`);
  return nthAddress(cluster.vtepCidr, n.index);
}

/** openperouter: router-id = host #(index+1) of the router-id CIDR. */
export function nodeRouterId(cluster: Cluster, node: string): string {
  const n = cluster.nodes[node];
  if (!n) throw new Error(`cluster has no node ${node}`);
  return nthAddress(cluster.routerIdCidr, n.index + 1);
}

/** The fabric router or node that owns an address, by name. */
export function ownerOfAddress(t: Topology, address: string): string | undefined {
  for (const [name, r] of Object.entries(t.fabric.routers)) {
    if (Object.values(r.interfaces).some((i) => i.ipv4 && addressOf(i.ipv4) === address)) return name;
  }
  for (const c of Object.values(t.clusters)) {
    for (const [name, n] of Object.entries(c.nodes)) if (addressOf(n.ipv4) === address) return name;
  }
  return undefined;
}

function torAddressFor(t: Topology, cluster: Cluster, nodeAddress: string): string {
  const tor = t.fabric.routers[cluster.tor]!;
  const local = Object.values(tor.interfaces).find((i) => i.ipv4 && inPrefix(nodeAddress, i.ipv4));
  if (!local?.ipv4) throw new Error(`${cluster.tor} has no interface in the subnet of ${nodeAddress}`);
  return addressOf(local.ipv4);
}

/** Every BGP session the topology implies, seen from each side. */
export function expectedSessions(t: Topology): ExpectedSession[] {
  const sessions: ExpectedSession[] = [];
  for (const [router, r] of Object.entries(t.fabric.routers)) {
    for (const n of r.neighbors) {
      sessions.push({
        router,
        peer: ownerOfAddress(t, n.address) ?? n.address,
        peerAddress: n.address,
        peerAsn: n.asn,
        dynamic: false,
      });
    }
  }
  for (const c of Object.values(t.clusters)) {
    const tor = t.fabric.routers[c.tor]!;
    for (const [node, n] of Object.entries(c.nodes)) {
      const nodeAddress = addressOf(n.ipv4);
      const torAddress = torAddressFor(t, c, nodeAddress);
      sessions.push({ router: c.tor, peer: node, peerAddress: nodeAddress, peerAsn: c.asn, dynamic: true });
      sessions.push({ router: node, peer: c.tor, peerAddress: torAddress, peerAsn: tor.asn, dynamic: false });
    }
  }
  return sessions;
}

/** Every router of the testbed: the fabric's and one per cluster node (openperouter's router pod). */
export function routerNames(t: Topology): string[] {
  return [...Object.keys(t.fabric.routers), ...Object.values(t.clusters).flatMap((c) => Object.keys(c.nodes))];
}

export interface NodeVtep {
  cluster: string;
  node: string;
  vtep: string;
}

/** Every cluster node's VTEP, as openperouter allocates it. */
export function nodeVteps(t: Topology): NodeVtep[] {
  return Object.entries(t.clusters).flatMap(([cluster, c]) =>
    Object.keys(c.nodes).map((node) => ({ cluster, node, vtep: nodeVtep(c, node) })),
  );
}

export function clusterOfNode(t: Topology, node: string): string {
  const c = Object.entries(t.clusters).find(([, cl]) => node in cl.nodes);
  if (!c) throw new Error(`topology ${t.name} has no cluster node ${node}`);
  return c[0];
}

export interface HostSubnet {
  host: string;
  vrf: string;
  prefix: string;
  /** VTEP of the leaf the host hangs off: the next hop of its type-5 route. */
  leafVtep?: string;
}

function networkOf(cidr: string): string {
  const [addr, len] = cidr.split('/') as [string, string];
  return `${nthAddress(`${addr}/${len}`, 0)}/${len}`;
}

export function hostSubnets(t: Topology): HostSubnet[] {
  return Object.entries(t.hosts).map(([host, h]) => {
    const vtep = t.fabric.routers[h.leaf]?.vtep;
    return { host, vrf: h.vrf, prefix: networkOf(h.ipv4), leafVtep: vtep ? addressOf(vtep) : undefined };
  });
}

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
  /** openperouter and the walkthrough's fabric activate both families on every session. */
  families: AddressFamily[];
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
        families: [...ADDRESS_FAMILIES],
      });
    }
  }
  for (const c of Object.values(t.clusters)) {
    const tor = t.fabric.routers[c.tor]!;
    for (const [node, n] of Object.entries(c.nodes)) {
      const nodeAddress = addressOf(n.ipv4);
      const torAddress = torAddressFor(t, c, nodeAddress);
      const families = [...ADDRESS_FAMILIES];
      sessions.push({ router: c.tor, peer: node, peerAddress: nodeAddress, peerAsn: c.asn, dynamic: true, families });
      sessions.push({ router: node, peer: c.tor, peerAddress: torAddress, peerAsn: tor.asn, dynamic: false, families });
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

// ---------------------------------------------------------------------------
// The oracle: everything a healthy testbed of the topology must show, as plain data.
// The suites iterate over it and judge against it; `l2stretch expected` prints it.

/** Where a VM runs, as its cluster reports it: the only input the topology cannot give. */
export interface VmPlacementInput {
  cluster: string;
  node: string;
  mac: string;
}
export type Placement = Record<string, VmPlacementInput>;

export interface ExpectedSegment {
  name: string;
  vni: number;
  vrf: string;
  /** The distributed anycast gateway's address. */
  gateway: string;
  vms: string[];
}

export interface ExpectedVm {
  vm: string;
  /** The cluster the topology declares it in (where it starts). */
  cluster: string;
  segment: string;
  vni: number;
  vrf: string;
  ip: string;
  port: number;
  /** Its type-2 MAC+IP route where it runs now (next hop: its node's VTEP); only with a placement. */
  route?: ExpectedMacIp;
}

export interface ExpectedImet {
  vni: number;
  vtep: string;
  node: string;
  routeTarget: string;
}

export interface ExpectedMacIp {
  vm: string;
  mac: string;
  ip: string;
  vtep: string;
  node: string;
  /** The L2VNI's route target in the VM's cluster: a route for the MAC in another VNI is not the segment's. */
  routeTarget: string;
}

export interface ExpectedImport {
  vni: number;
  vms: ExpectedMacIp[];
  vteps: Array<{ vtep: string; node: string }>;
}

export interface ExpectedPrefix {
  prefix: string;
  nexthop?: string;
  host: string;
}

export interface ImetExpectation {
  router: string;
  vni: number;
  routes: ExpectedImet[];
}

export interface Type2Expectation {
  router: string;
  /** The VMs whose MAC and MAC+IP routes it must carry. */
  vms: string[];
  /** Those routes; only with a placement (MAC and next hop are the cluster's doing). */
  routes?: ExpectedMacIp[];
  /** A node's L2VNIs must import every VM it does not host and every other node's type-3; only with a placement. */
  imports?: ExpectedImport[];
}

export interface VrfTableExpectation {
  router: string;
  vrf: string;
  present: ExpectedPrefix[];
  absent: ExpectedPrefix[];
}

export interface ZebraExpectation {
  router: string;
  vni: number;
  /** Every other node VTEP: zebra's flood list for the VNI. */
  floodTo: string[];
  /** The remote VMs' MACs at their VTEPs; only with a placement. */
  remote?: ExpectedMacIp[];
}

export interface Probe {
  from: string;
  to: string;
}

export interface VmPair extends Probe {
  segment: string;
}

export interface L3Probe extends Probe {
  /** VRF of the destination. */
  vrf: string;
}

export interface MigrationLeg {
  label: string;
  kind: 'in-cluster' | 'cross-cluster';
  from: string;
  to: string;
}

export interface MigrationPlan {
  vm: string;
  /** A VM of its segment in another cluster: it probes the migrating VM during every leg. */
  observer: string;
  /** A host of its VRF it must still reach after each leg. */
  host: string;
  /** The router whose table times when the VM's route moves: the spine, which sees every cluster's. */
  watchedRouter: string;
  rule: string;
  legs: MigrationLeg[];
}

export interface ExpectedState {
  topology: string;
  /** Whether a VM placement was given: without one, what depends on where VMs run is left out. */
  placed: boolean;
  routers: string[];
  sessions: ExpectedSession[];
  nodeVteps: NodeVtep[];
  segments: ExpectedSegment[];
  vms: ExpectedVm[];
  imet: ImetExpectation[];
  type2: Type2Expectation[];
  vrfTables: VrfTableExpectation[];
  zebra: ZebraExpectation[];
  /** VM → VM across clusters on each segment. */
  l2: { rule: string; pairs: VmPair[] };
  /** VM → host and host → VM within a VRF. */
  reach: { rule: string; probes: L3Probe[] };
  /** VM → host of another VRF: must be dropped. */
  drop: { rule: string; probes: L3Probe[] };
  migration?: MigrationPlan;
  /** What must not change during a run: every node VTEP's type-3 and the MAC routes of the VMs that stay. */
  stable: { vteps: string[]; vms: string[] };
}

/** The route target openperouter's FRR derives for a VNI in a cluster: <node AS>:<VNI>. */
export function routeTarget(t: Topology, cluster: string, vni: number): string {
  const c = t.clusters[cluster];
  if (!c) throw new Error(`topology ${t.name} has no cluster ${cluster}`);
  return `${c.asn}:${vni}`;
}

function expectedVms(t: Topology, placement: Placement | undefined): ExpectedVm[] {
  const o = t.overlay;
  if (!o) return [];
  return Object.entries(o.vms).map(([vm, v]) => {
    const seg = o.l2vnis[v.network]!;
    const ip = addressOf(v.ipv4);
    const base: ExpectedVm = {
      vm,
      cluster: v.cluster,
      segment: v.network,
      vni: seg.vni,
      vrf: seg.vrf,
      ip,
      port: v.port,
    };
    if (!placement) return base;
    const p = placement[vm];
    if (!p) throw new Error(`placement lacks ${vm}`);
    const c = t.clusters[p.cluster];
    if (!c?.nodes[p.node]) throw new Error(`placement of ${vm}: cluster ${p.cluster} has no node ${p.node}`);
    // The RT is that of the cluster the VM runs in: after a migration, the new one's.
    const routeTarget = `${c.asn}:${seg.vni}`;
    return {
      ...base,
      route: { vm, mac: p.mac.toLowerCase(), ip, vtep: nodeVtep(c, p.node), node: p.node, routeTarget },
    };
  });
}

/** Every segment's VMs, grouped per cluster in declaration order. */
function vmsByCluster(t: Topology, vms: ExpectedVm[], segment: string): Map<string, ExpectedVm[]> {
  const by = new Map<string, ExpectedVm[]>(Object.keys(t.clusters).map((c) => [c, []]));
  for (const vm of vms.filter((v) => v.segment === segment)) by.get(vm.cluster)!.push(vm);
  return by;
}

export const L2_PAIR_RULE =
  'each VM to one VM of its segment in every other cluster: the i-th VM of a cluster ' +
  '(declaration order) to the (i mod k)-th of a cluster holding k (every ordered pair when each cluster holds one)';

/** VM pairs across clusters: linear in VMs × clusters instead of quadratic in VMs. */
export function l2Pairs(t: Topology, vms: ExpectedVm[]): VmPair[] {
  return vms.flatMap((a) => {
    const by = vmsByCluster(t, vms, a.segment);
    const i = by.get(a.cluster)!.indexOf(a);
    return [...by.entries()]
      .filter(([c, there]) => c !== a.cluster && there.length)
      .map(([, there]) => ({ from: a.vm, to: there[i % there.length]!.vm, segment: a.segment }));
  });
}

export const REACH_RULE = 'every VM to every host of its VRF, and each such host back to the VM';
export const DROP_RULE =
  "isolation per VRF: the first VM of each cluster in a VRF to every host of another VRF (the 'default' VRF included)";

function reachProbes(t: Topology, vms: ExpectedVm[]): L3Probe[] {
  return vms.flatMap((vm) =>
    Object.entries(t.hosts)
      .filter(([, h]) => h.vrf === vm.vrf)
      .flatMap(([host]) => [
        { from: vm.vm, to: host, vrf: vm.vrf },
        { from: host, to: vm.vm, vrf: vm.vrf },
      ]),
  );
}

function dropProbes(t: Topology, vms: ExpectedVm[]): L3Probe[] {
  const firsts = vms.filter((vm, i) => vms.findIndex((o) => o.vrf === vm.vrf && o.cluster === vm.cluster) === i);
  return firsts.flatMap((vm) =>
    Object.entries(t.hosts)
      .filter(([, h]) => h.vrf !== vm.vrf)
      .map(([host, h]) => ({ from: vm.vm, to: host, vrf: h.vrf })),
  );
}

/**
 * The first declared VM moves within its cluster (when it has a second node), then
 * through every cluster and back home, in declaration order from its own: A → B → … → A.
 */
export function migrationPlan(t: Topology, vms: ExpectedVm[]): MigrationPlan | undefined {
  const mover = vms[0];
  if (!mover) return undefined;
  const observer = vms.find((v) => v.segment === mover.segment && v.cluster !== mover.cluster);
  const host = Object.entries(t.hosts).find(([, h]) => h.vrf === mover.vrf)?.[0];
  if (!observer || !host) return undefined;
  const names = Object.keys(t.clusters);
  const home = mover.cluster;
  const at = names.indexOf(home);
  const chain = [...names.slice(at), ...names.slice(0, at), home];
  const legs: MigrationLeg[] = [];
  if (Object.keys(t.clusters[home]!.nodes).length > 1)
    legs.push({ label: `in-cluster ${mover.vm} within ${home}`, kind: 'in-cluster', from: home, to: home });
  for (let i = 0; i + 1 < chain.length; i++) {
    const [from, to] = [chain[i]!, chain[i + 1]!];
    const back = to === home ? 'back ' : '';
    legs.push({ label: `cross-cluster ${mover.vm} ${back}${from} → ${to}`, kind: 'cross-cluster', from, to });
  }
  const inCluster = legs[0]?.kind === 'in-cluster' ? `within ${home}, then ` : '';
  const spine = Object.entries(t.fabric.routers).find(([, r]) => r.role === 'spine')?.[0];
  return {
    vm: mover.vm,
    observer: observer.vm,
    host,
    watchedRouter: spine ?? routerNames(t)[0]!,
    rule: `the first declared VM moves ${inCluster}through every cluster and back: ${chain.join(' → ')}`,
    legs,
  };
}

/**
 * What a healthy testbed of the topology shows: sessions, type-3 per VNI per router,
 * type-2 per VM, VRF tables, the reach/drop matrix and the migration plan. With a
 * placement (where each VM runs, with its MAC), the expectations that depend on it too.
 */
export function expectedState(t: Topology, placement?: Placement): ExpectedState {
  // Without an overlay only the fabric's and the nodes' sessions are expected.
  const o = t.overlay ?? { l2vnis: {}, l3vnis: {}, vms: {} };
  const vteps = nodeVteps(t);
  const nodes = vteps.map((v) => v.node);
  const fabric = Object.entries(t.fabric.routers);
  const vms = expectedVms(t, placement);
  const segments: ExpectedSegment[] = Object.entries(o.l2vnis).map(([name, v]) => ({
    name,
    vni: v.vni,
    vrf: v.vrf,
    gateway: addressOf(v.gateway),
    vms: vms.filter((vm) => vm.segment === name).map((vm) => vm.vm),
  }));
  const placed = (list: ExpectedVm[]) => (placement ? list.map((vm) => vm.route!) : undefined);

  // L2S-EVPN-001's requirement: the spine, every ToR and every node carry each node VTEP's type-3 (the
  // path between the clusters' VTEPs); the leaves carry no L2VNI.
  const imetRouters = [...fabric.filter(([, r]) => r.role !== 'leaf').map(([n]) => n), ...nodes];
  const imet = segments.flatMap((seg) =>
    imetRouters.map((router) => ({
      router,
      vni: seg.vni,
      routes: vteps.map((v) => ({
        vni: seg.vni,
        vtep: v.vtep,
        node: v.node,
        routeTarget: routeTarget(t, v.cluster, seg.vni),
      })),
    })),
  );

  // A node learns its own cluster's VMs locally or from its sibling; the fabric and the other clusters
  // must carry every VM.
  const type2: Type2Expectation[] = [...fabric.map(([n]) => n), ...nodes].map((router) => {
    const cluster = nodes.includes(router) ? clusterOfNode(t, router) : undefined;
    const carried = vms.filter((vm) => vm.cluster !== cluster);
    const e: Type2Expectation = { router, vms: carried.map((vm) => vm.vm) };
    if (!placement) return e;
    e.routes = placed(carried);
    e.imports = cluster
      ? segments.map((seg) => ({
          vni: seg.vni,
          vms: placed(vms.filter((vm) => vm.segment === seg.name && vm.route!.node !== router))!,
          vteps: vteps.filter((v) => v.node !== router).map((v) => ({ vtep: v.vtep, node: v.node })),
        }))
      : [];
    return e;
  });

  const subnets = hostSubnets(t);
  const l3vrfs = [...new Set(Object.values(o.l3vnis).map((v) => v.vrf))];
  const vrfTables = nodes.flatMap((router) =>
    l3vrfs.map((vrf) => ({
      router,
      vrf,
      present: subnets
        .filter((s) => s.vrf === vrf)
        .map((s) => ({ prefix: s.prefix, nexthop: s.leafVtep, host: s.host })),
      absent: subnets.filter((s) => s.vrf !== vrf).map((s) => ({ prefix: s.prefix, host: s.host })),
    })),
  );

  const zebra = vteps.flatMap((own) =>
    segments.map((seg) => {
      const e: ZebraExpectation = {
        router: own.node,
        vni: seg.vni,
        floodTo: vteps.filter((v) => v.node !== own.node).map((v) => v.vtep),
      };
      if (placement) e.remote = placed(vms.filter((vm) => vm.segment === seg.name && vm.route!.node !== own.node));
      return e;
    }),
  );

  const migration = migrationPlan(t, vms);
  return {
    topology: t.name,
    placed: placement !== undefined,
    routers: routerNames(t),
    sessions: expectedSessions(t),
    nodeVteps: vteps,
    segments,
    vms,
    imet,
    type2,
    vrfTables,
    zebra,
    l2: { rule: L2_PAIR_RULE, pairs: l2Pairs(t, vms) },
    reach: { rule: REACH_RULE, probes: reachProbes(t, vms) },
    drop: { rule: DROP_RULE, probes: dropProbes(t, vms) },
    migration,
    stable: {
      vteps: vteps.map((v) => v.vtep),
      vms: vms.filter((vm) => vm.vm !== migration?.vm).map((vm) => vm.vm),
    },
  };
}

/** One line for the start of a run: what the suites will iterate over, and by which rules. */
export function samplingSummary(s: ExpectedState): string {
  const m = s.migration;
  return (
    `${s.l2.pairs.length} VM pairs (${s.l2.rule}); ` +
    `${s.reach.probes.length} reach and ${s.drop.probes.length} must-drop probes (${s.drop.rule}); ` +
    (m
      ? `${m.legs.length} migration legs of ${m.vm}: ${m.legs.map((l) => `${l.from} → ${l.to}`).join(', ')}`
      : 'no migration')
  );
}

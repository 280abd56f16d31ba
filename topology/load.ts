// Loads a topology (the built-in one by name, or a YAML file) and rejects a wrong
// one with the file, the field and what was expected.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { topologySchema, type Topology } from './schema.ts';
import { stageManifests, WALKTHROUGH_STAGES, ManifestError } from './manifests.ts';
import { OPENPEROUTER_VERSIONS, type OpenPERouterVersion } from './openperouter.ts';
import { inPrefix, addressOf } from './ip.ts';
import { readStructured, describeIssues, InputError, MAX_INPUT_BYTES, oneLine, own } from './input.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const BUILTIN_TOPOLOGIES: Record<string, string> = {
  multicluster: join(here, 'multicluster.yaml'),
};
export const DEFAULT_TOPOLOGY = 'multicluster';

export class TopologyError extends Error {
  override name = 'TopologyError';
}

/** A built-in name or a path to a YAML file. */
export function resolveTopologyPath(ref: string): string {
  if (Object.hasOwn(BUILTIN_TOPOLOGIES, ref)) return BUILTIN_TOPOLOGIES[ref]!;
  if (!existsSync(ref)) {
    throw new TopologyError(
      `topology "${oneLine(ref)}" is neither a built-in (${Object.keys(BUILTIN_TOPOLOGIES).join(', ')}) nor ` +
        `an existing file`,
    );
  }
  return ref;
}

export function loadTopology(ref: string = DEFAULT_TOPOLOGY): Topology {
  const file = resolveTopologyPath(ref);
  let raw: unknown;
  try {
    raw = readStructured(file, file, MAX_INPUT_BYTES.topology);
  } catch (e) {
    throw e instanceof InputError ? new TopologyError(e.message) : e;
  }
  return parseTopology(raw, file);
}

export function parseTopology(raw: unknown, source: string): Topology {
  const result = topologySchema.safeParse(raw);
  if (!result.success) {
    throw new TopologyError(`${source}: invalid topology: ${describeIssues(result.error.issues).join('; ')}`);
  }
  const { manifests, ...rest } = result.data;
  const t: Topology =
    manifests === undefined
      ? rest
      : {
          ...rest,
          manifests:
            typeof manifests === 'string' ? resolve(dirname(source), manifests) : { file: source, clusters: manifests },
        };
  const problems = crossCheck(t);
  if (problems.length) throw new TopologyError(`${source}: inconsistent topology: ${problems.join('; ')}`);
  if (t.manifests !== undefined) checkOwnManifests(t, source);
  return t;
}

/** The releases a topology's own manifests are written for: a folder's openperouter-<version>/, or inline keys. */
function releasesOf(t: Topology, cluster: string): OpenPERouterVersion[] {
  const own = t.manifests!;
  if (typeof own !== 'string') {
    const c = own.clusters[cluster];
    return c ? (Object.keys(c.openperouter) as OpenPERouterVersion[]) : [];
  }
  return OPENPEROUTER_VERSIONS.filter((v) => existsSync(join(own, cluster, `openperouter-${v}`)));
}

/**
 * A topology's own manifests are read once at load: each cluster has its workload and openperouter's
 * stages for at least one release, every file parses, and every VM of the overlay is a VirtualMachine
 * of its cluster (else the suites would wait for a VM nobody creates).
 */
function checkOwnManifests(t: Topology, source: string): void {
  const problems: string[] = [];
  for (const cluster of Object.keys(t.clusters)) {
    try {
      const releases = releasesOf(t, cluster);
      if (!releases.length) problems.push(`cluster ${cluster}: no openperouter manifests for any release`);
      for (const v of releases) for (const s of WALKTHROUGH_STAGES) stageManifests(cluster, s, v, t);
      const vms = new Set(
        stageManifests(cluster, 'workload', releases[0], t)
          .filter((m) => m.kind === 'VirtualMachine')
          .map((m) => m.metadata.name),
      );
      for (const [n, vm] of Object.entries(t.overlay?.vms ?? {})) {
        if (vm.cluster === cluster && !vms.has(n))
          problems.push(`overlay.vms.${n}: cluster ${cluster}'s workload has no VirtualMachine ${n}`);
      }
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) throw new TopologyError(`${source}: manifests: ${problems.join('; ')}`);
}

/** Every member that can terminate a link, with the interfaces it declares (undefined: any name). */
function linkableMembers(t: Topology): Map<string, Set<string> | undefined> {
  const members = new Map<string, Set<string> | undefined>();
  for (const [n, r] of Object.entries(t.fabric.routers)) {
    const ifs = new Set(Object.keys(r.interfaces));
    for (const v of Object.values(r.vrfs)) for (const i of Object.keys(v.interfaces)) ifs.add(i);
    members.set(n, ifs);
  }
  for (const s of t.fabric.switches) members.set(s, undefined);
  for (const [n, h] of Object.entries(t.hosts)) members.set(n, new Set([h.iface]));
  for (const c of Object.values(t.clusters)) {
    for (const [n, node] of Object.entries(c.nodes)) members.set(n, new Set([node.nic]));
  }
  return members;
}

/**
 * Each member and VRF becomes a namespace `<run>-<member>[-<vrf>]`: two that map to
 * one name would share it, and teardown of one would take the other.
 */
function namespaceClashes(t: Topology): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const claim = (ns: string, field: string) => {
    const first = seen.get(ns);
    if (first) problems.push(`${field}: its namespace suffix "${ns}" is already that of ${first}`);
    else seen.set(ns, field);
  };
  for (const [n, r] of Object.entries(t.fabric.routers)) {
    claim(n, `fabric.routers.${n}`);
    for (const v of Object.keys(r.vrfs)) claim(`${n}-${v}`, `fabric.routers.${n}.vrfs.${v}`);
  }
  t.fabric.switches.forEach((s, i) => claim(s, `fabric.switches.${i}`));
  for (const n of Object.keys(t.hosts)) claim(n, `hosts.${n}`);
  for (const [cn, c] of Object.entries(t.clusters)) {
    for (const n of Object.keys(c.nodes)) claim(n, `clusters.${cn}.nodes.${n}`);
  }
  return problems;
}

/** An address given to two interfaces (or a VTEP, a node, a VM) would answer for both. */
function duplicateAddresses(t: Topology): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const claim = (cidr: string | undefined, field: string) => {
    if (!cidr) return;
    const address = cidr.split('/')[0]!.toLowerCase();
    const first = seen.get(address);
    if (first) problems.push(`${field}: ${address} is already the address of ${first}`);
    else seen.set(address, field);
  };
  for (const [n, r] of Object.entries(t.fabric.routers)) {
    claim(r.vtep, `fabric.routers.${n}.vtep`);
    const vrfIfs = Object.values(r.vrfs).flatMap((v) => Object.entries(v.interfaces));
    const ifs = [...Object.entries(r.interfaces), ...vrfIfs];
    for (const [i, a] of ifs) {
      claim(a.ipv4, `fabric.routers.${n}.${i}.ipv4`);
      claim(a.ipv6, `fabric.routers.${n}.${i}.ipv6`);
    }
  }
  for (const [n, h] of Object.entries(t.hosts)) claim(h.ipv4, `hosts.${n}.ipv4`);
  for (const [cn, c] of Object.entries(t.clusters)) {
    for (const [n, node] of Object.entries(c.nodes)) claim(node.ipv4, `clusters.${cn}.nodes.${n}.ipv4`);
  }
  for (const [n, vm] of Object.entries(t.overlay?.vms ?? {})) claim(vm.ipv4, `overlay.vms.${n}.ipv4`);
  return problems;
}

function crossCheck(t: Topology): string[] {
  const problems: string[] = [...namespaceClashes(t), ...duplicateAddresses(t)];
  const routers = t.fabric.routers;
  const members = linkableMembers(t);
  const used = new Set<string>();
  t.links.forEach((link, i) => {
    for (const ep of link) {
      const [member, ifname] = ep.split(':') as [string, string];
      if (!members.has(member)) {
        problems.push(`links.${i}: "${member}" is not a router, switch, host or cluster node of this topology`);
      } else if (members.get(member) && !members.get(member)!.has(ifname)) {
        problems.push(`links.${i}: ${member} declares no interface "${ifname}"`);
      }
      if (used.has(ep)) problems.push(`links.${i}: ${ep} is already used by another link`);
      used.add(ep);
    }
  });
  for (const [n, h] of Object.entries(t.hosts)) {
    const leaf = own(routers, h.leaf);
    if (!leaf) {
      problems.push(`hosts.${n}.leaf: no fabric router "${h.leaf}"`);
    } else if (h.vrf !== 'default' && !own(leaf.vrfs, h.vrf)) {
      problems.push(
        `hosts.${n}.vrf: ${h.leaf} has no VRF "${h.vrf}" (it has: ${Object.keys(leaf.vrfs).join(', ') || 'none'})`,
      );
    }
  }
  for (const [cn, c] of Object.entries(t.clusters)) {
    const tor = own(routers, c.tor);
    if (!tor) {
      problems.push(`clusters.${cn}.tor: no fabric router "${c.tor}"`);
      continue;
    }
    const indexes = new Set<number>();
    for (const [nn, node] of Object.entries(c.nodes)) {
      if (indexes.has(node.index)) problems.push(`clusters.${cn}.nodes.${nn}.index: ${node.index} is used twice`);
      indexes.add(node.index);
      const address = addressOf(node.ipv4);
      const range = tor.listenRanges.find((r) => inPrefix(address, r.range));
      if (!range) problems.push(`clusters.${cn}.nodes.${nn}.ipv4: ${address} is in no listen range of ${c.tor}`);
      else if (range.remoteAs !== c.asn)
        problems.push(`clusters.${cn}.asn: ${c.asn} but ${c.tor} expects AS ${range.remoteAs} from ${range.range}`);
    }
  }
  const o = t.overlay;
  if (o) {
    for (const [n, v] of Object.entries(o.l2vnis)) {
      if (!Object.values(o.l3vnis).some((l3) => l3.vrf === v.vrf))
        problems.push(`overlay.l2vnis.${n}.vrf: no L3VNI puts VRF "${v.vrf}" on the nodes`);
    }
    for (const [n, vm] of Object.entries(o.vms)) {
      if (!own(t.clusters, vm.cluster)) problems.push(`overlay.vms.${n}.cluster: no cluster "${vm.cluster}"`);
      const net = own(o.l2vnis, vm.network);
      if (!net) problems.push(`overlay.vms.${n}.network: no L2VNI "${vm.network}"`);
      else if (!inPrefix(addressOf(vm.ipv4), net.gateway))
        problems.push(`overlay.vms.${n}.ipv4: ${vm.ipv4} is outside ${net.gateway} of ${vm.network}`);
    }
  }
  return problems;
}

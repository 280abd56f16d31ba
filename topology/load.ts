// Loads a topology (the built-in one by name, or a YAML file) and rejects a wrong
// one with the file, the field and what was expected.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { topologySchema, type Topology } from './schema.ts';
import { inPrefix, addressOf } from './ip.ts';

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
  const builtin = BUILTIN_TOPOLOGIES[ref];
  if (builtin) return builtin;
  if (!existsSync(ref)) {
    throw new TopologyError(`topology "${ref}" is neither a built-in (${Object.keys(BUILTIN_TOPOLOGIES).join(', ')}) nor an existing file`);
  }
  return ref;
}

export function loadTopology(ref: string = DEFAULT_TOPOLOGY): Topology {
  const file = resolveTopologyPath(ref);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TopologyError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  return parseTopology(raw, file);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

export function parseTopology(raw: unknown, source: string): Topology {
  const result = topologySchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(describeIssue);
    throw new TopologyError(`${source}: invalid topology:\n  ${lines.join('\n  ')}`);
  }
  const problems = crossCheck(result.data);
  if (problems.length) throw new TopologyError(`${source}: inconsistent topology:\n  ${problems.join('\n  ')}`);
  return result.data;
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

function crossCheck(t: Topology): string[] {
  const problems: string[] = [];
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
    const leaf = routers[h.leaf];
    if (!leaf) {
      problems.push(`hosts.${n}.leaf: no fabric router "${h.leaf}"`);
    } else if (h.vrf !== 'default' && !leaf.vrfs[h.vrf]) {
      problems.push(`hosts.${n}.vrf: ${h.leaf} has no VRF "${h.vrf}" (it has: ${Object.keys(leaf.vrfs).join(', ') || 'none'})`);
    }
  }
  for (const [cn, c] of Object.entries(t.clusters)) {
    const tor = routers[c.tor];
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
      else if (range.remoteAs !== c.asn) problems.push(`clusters.${cn}.asn: ${c.asn} but ${c.tor} expects AS ${range.remoteAs} from ${range.range}`);
    }
  }
  const o = t.overlay;
  if (o) {
    for (const [n, v] of Object.entries(o.l2vnis)) {
      if (!Object.values(o.l3vnis).some((l3) => l3.vrf === v.vrf)) problems.push(`overlay.l2vnis.${n}.vrf: no L3VNI puts VRF "${v.vrf}" on the nodes`);
    }
    for (const [n, vm] of Object.entries(o.vms)) {
      if (!t.clusters[vm.cluster]) problems.push(`overlay.vms.${n}.cluster: no cluster "${vm.cluster}"`);
      const net = o.l2vnis[vm.network];
      if (!net) problems.push(`overlay.vms.${n}.network: no L2VNI "${vm.network}"`);
      else if (!inPrefix(addressOf(vm.ipv4), net.gateway)) problems.push(`overlay.vms.${n}.ipv4: ${vm.ipv4} is outside ${net.gateway} of ${vm.network}`);
    }
  }
  return problems;
}

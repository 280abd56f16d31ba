// The manifests a topology's clusters take, shared by every testbed: the walkthrough's, kept as YAML
// files next to the built-in topology, or a topology's own (a folder it names, or inline).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { selectedOpenPERouter, type OpenPERouterVersion } from './openperouter.ts';
import type { Topology, InlineManifests } from './schema.ts';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
export const MANIFEST_DIR = join(here, 'manifests');

export class ManifestError extends Error {
  override name = 'ManifestError';
}

export function parseManifests(text: string, source: string): Manifest[] {
  const docs = parseAllDocuments(text);
  return docs.flatMap((doc, i) => {
    if (doc.errors.length) throw new ManifestError(`${source}, document ${i + 1}: ${doc.errors[0]!.message}`);
    const m = doc.toJS() as Manifest | null;
    if (m === null) return [];
    if (
      typeof m !== 'object' ||
      typeof m.kind !== 'string' ||
      typeof m.apiVersion !== 'string' ||
      typeof m.metadata?.name !== 'string'
    ) {
      throw new ManifestError(`${source}, document ${i + 1}: a manifest needs apiVersion, kind and metadata.name`);
    }
    return [m];
  });
}

export function loadManifestFile(file: string): Manifest[] {
  return parseManifests(readFileSync(file, 'utf8'), file);
}

/** The walkthrough's order: openperouter's Underlay, then its VNIs, then the Multus network and the VMs. */
export const WALKTHROUGH_STAGES = ['underlay', 'overlay', 'workload'] as const;
export type Stage = (typeof WALKTHROUGH_STAGES)[number];

/** openperouter's stages: their manifests differ per release, the overlay they describe does not. */
const OPENPEROUTER_STAGES: readonly Stage[] = ['underlay', 'overlay'];

/** Inline manifests are checked like a file's documents; `source` names the topology file and the field. */
function inlineManifests(docs: unknown[], source: string): Manifest[] {
  return docs.map((m, i) => {
    const x = m as Partial<Manifest> | null;
    if (
      typeof x !== 'object' ||
      x === null ||
      typeof x.kind !== 'string' ||
      typeof x.apiVersion !== 'string' ||
      typeof x.metadata?.name !== 'string'
    ) {
      throw new ManifestError(`${source}.${i}: a manifest needs apiVersion, kind and metadata.name`);
    }
    return x as Manifest;
  });
}

function folderManifests(dir: string, stage: Stage, what: string): Manifest[] {
  if (!existsSync(dir)) throw new ManifestError(`${what}: no folder ${dir}`);
  return readdirSync(dir)
    .filter((f) => f.startsWith(stage) && f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadManifestFile(join(dir, f)));
}

/**
 * The manifests a stage applies to a cluster: <dir>/<cluster>/<stage>*.yaml, openperouter's from the
 * release's folder <dir>/<cluster>/openperouter-<version>/ (default: the selected release). <dir> is the
 * folder the topology names (`manifests: <folder>`), else the built-in topology's topology/manifests/;
 * a topology with inline manifests gives them per cluster as `workload` and `openperouter.<version>.<stage>`.
 */
export function stageManifests(
  cluster: string,
  stage: Stage,
  openperouter?: OpenPERouterVersion,
  topology?: Pick<Topology, 'manifests'>,
): Manifest[] {
  const version = openperouter ?? selectedOpenPERouter().version;
  const own = topology?.manifests;
  const isOpenPERouter = OPENPEROUTER_STAGES.includes(stage);
  if (own !== undefined && typeof own !== 'string') return inlineStage(own, cluster, stage, version);
  const root = own ?? MANIFEST_DIR;
  const dir = isOpenPERouter ? join(root, cluster, `openperouter-${version}`) : join(root, cluster);
  const what = isOpenPERouter
    ? `cluster ${cluster}: the ${stage} manifests for openperouter ${version}`
    : `cluster ${cluster}: the ${stage} manifests`;
  return folderManifests(dir, stage, what);
}

/** Where a cluster's manifests come from, for messages: a folder, or the topology file's inline field. */
export function manifestOrigin(cluster: string, topology?: Pick<Topology, 'manifests'>): string {
  const own = topology?.manifests;
  if (own !== undefined && typeof own !== 'string') return `${own.file}: manifests.${cluster}`;
  return join(own ?? MANIFEST_DIR, cluster);
}

function inlineStage(own: InlineManifests, cluster: string, stage: Stage, version: OpenPERouterVersion): Manifest[] {
  const field = `${own.file}: manifests.${cluster}`;
  const c = Object.hasOwn(own.clusters, cluster) ? own.clusters[cluster] : undefined;
  if (!c) throw new ManifestError(`${field}: no manifests for cluster ${cluster}`);
  if (stage === 'workload') return inlineManifests(c.workload, `${field}.workload`);
  const release = Object.hasOwn(c.openperouter, version) ? c.openperouter[version] : undefined;
  if (!release) {
    const has = Object.keys(c.openperouter).join(', ') || 'none';
    throw new ManifestError(`${field}.openperouter: no manifests for openperouter ${version} (it has: ${has})`);
  }
  return inlineManifests(release[stage as 'underlay' | 'overlay'], `${field}.openperouter.${version}.${stage}`);
}

/** A VirtualMachine manifest whose first interface has this MAC, or none (the cluster then picks one). */
export function withMac(vm: Manifest, mac: string | undefined): Manifest {
  const spec = structuredClone(vm.spec) as {
    template: { spec: { domain: { devices: { interfaces: Array<{ macAddress?: string }> } } } };
  };
  const iface = spec.template.spec.domain.devices.interfaces[0]!;
  if (mac === undefined) delete iface.macAddress;
  else iface.macAddress = mac;
  return { ...vm, spec };
}

/**
 * An L2VNI that plugs into an existing node bridge instead of creating its own, in the
 * API of its release (v0.1.0 needs autoCreate spelled out: its CEL rule reads it unguarded).
 */
export function withHostBridge(l2vni: Manifest, bridge: string, openperouter?: OpenPERouterVersion): Manifest {
  const version = openperouter ?? selectedOpenPERouter().version;
  const spec = { ...l2vni.spec };
  if (version === 'main')
    spec.hostMaster = { type: 'LinuxBridge', linuxBridge: { lifecycle: 'External', name: bridge } };
  else if (version === 'v0.0.5') spec.hostmaster = { name: bridge };
  else spec.hostmaster = { type: 'linux-bridge', linuxBridge: { name: bridge, autoCreate: false } };
  return { ...l2vni, spec };
}

// The walkthrough's manifests, kept as YAML files next to the topology and
// shared by every testbed.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { selectedOpenPERouter, type OpenPERouterVersion } from './openperouter.ts';

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

/**
 * The manifests a stage applies to a cluster: topology/manifests/<cluster>/<stage>*.yaml,
 * openperouter's from the release's folder openperouter-<version>/ (default: the selected release).
 */
export function stageManifests(cluster: string, stage: Stage, openperouter?: OpenPERouterVersion): Manifest[] {
  const version = openperouter ?? selectedOpenPERouter().version;
  const dir = OPENPEROUTER_STAGES.includes(stage)
    ? join(MANIFEST_DIR, cluster, `openperouter-${version}`)
    : join(MANIFEST_DIR, cluster);
  return readdirSync(dir)
    .filter((f) => f.startsWith(stage) && f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadManifestFile(join(dir, f)));
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

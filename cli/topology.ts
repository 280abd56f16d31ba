// `l2stretch topology generate`: writes a generated topology and its manifests to a folder, then loads
// it as a run would (L2STRETCH_TOPOLOGY=<folder>/topology.yaml), so that what is written is known to load.
import { dirname, join, relative, resolve } from 'node:path';
import { writeGenerated, refusals, GenerateError, type GenerateOptions } from '../topology/generate.ts';
import { loadTopology } from '../topology/load.ts';
import { EXIT, UsageError } from './exit.ts';

export interface GenerateFlags {
  clusters: string;
  nodesPerCluster: string;
  vmsPerCluster: string;
  l2vnis: string;
  vrfs: string;
  out?: string;
}

function options(f: GenerateFlags): GenerateOptions {
  const n = (flag: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} ${v}: not a whole number`);
    return Number(v);
  };
  const o = {
    clusters: n('clusters', f.clusters),
    nodesPerCluster: n('nodes-per-cluster', f.nodesPerCluster),
    vmsPerCluster: n('vms-per-cluster', f.vmsPerCluster),
    l2vnis: n('l2vnis', f.l2vnis),
    vrfs: n('vrfs', f.vrfs),
  };
  const why = refusals(o);
  if (why.length) throw new UsageError(`cannot generate this topology: ${why.join('; ')}`);
  return o;
}

export function generate(f: GenerateFlags): number {
  const o = options(f);
  let file: string;
  try {
    file = writeGenerated(o, resolve(f.out ?? `l2stretch-${o.clusters}x${o.nodesPerCluster}x${o.vmsPerCluster}`));
  } catch (e) {
    throw e instanceof GenerateError ? new UsageError(e.message) : e;
  }
  const t = loadTopology(file);
  const nodes = Object.values(t.clusters).reduce((s, c) => s + Object.keys(c.nodes).length, 0);
  const shown = relative(process.cwd(), file) || file;
  process.stdout.write(
    `${shown}: ${Object.keys(t.clusters).length} clusters, ${nodes} nodes, ` +
      `${Object.keys(t.overlay?.vms ?? {}).length} VMs, ${Object.keys(t.fabric.routers).length} fabric routers; ` +
      `manifests for every openperouter release in ${join(dirname(shown), 'manifests')}\n` +
      `run it: L2STRETCH_TOPOLOGY=${file} l2stretch run\n`,
  );
  return EXIT.passed;
}

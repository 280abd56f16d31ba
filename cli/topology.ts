// `l2stretch topology generate`: writes a generated topology and its manifests to a folder, then loads
// it as a run would (L2STRETCH_TOPOLOGY=<folder>/topology.yaml), so that what is written is known to load.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { generateTopology, refusals, type GenerateOptions } from '../topology/generate.ts';
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

const HEADER = '# Written by `l2stretch topology generate`';

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
  const out = resolve(f.out ?? `l2stretch-${o.clusters}x${o.nodesPerCluster}x${o.vmsPerCluster}`);
  if (existsSync(out) && readdirSync(out).length)
    throw new UsageError(`${out}: not empty; give --out a new or empty folder`);
  const g = generateTopology(o);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  };
  write('topology.yaml', `${HEADER} ${flagsOf(o)}\n${stringify(g.topology)}`);
  for (const [path, manifests] of g.files)
    write(path, `${HEADER}\n${manifests.map((m) => stringify(m)).join('---\n')}`);
  const file = join(out, 'topology.yaml');
  const t = loadTopology(file);
  const vms = Object.keys(t.overlay?.vms ?? {}).length;
  process.stdout.write(
    `${relative(process.cwd(), file) || file}: ${Object.keys(t.clusters).length} clusters, ` +
      `${Object.values(t.clusters).reduce((s, c) => s + Object.keys(c.nodes).length, 0)} nodes, ${vms} VMs, ` +
      `${Object.keys(t.fabric.routers).length} fabric routers; manifests for every openperouter release in ` +
      `${relative(process.cwd(), join(out, 'manifests')) || 'manifests'}\n` +
      `run it: L2STRETCH_TOPOLOGY=${file} l2stretch run\n`,
  );
  return EXIT.passed;
}

const flagsOf = (o: GenerateOptions) =>
  `--clusters ${o.clusters} --nodes-per-cluster ${o.nodesPerCluster} --vms-per-cluster ${o.vmsPerCluster} ` +
  `--l2vnis ${o.l2vnis} --vrfs ${o.vrfs}`;

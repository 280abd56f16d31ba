import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadTopology, TopologyError } from '../topology/load.ts';
import { generateTopology, refusals, GenerateError, type GenerateOptions } from '../topology/generate.ts';
import { stageManifests, WALKTHROUGH_STAGES, type Manifest } from '../topology/manifests.ts';
import { OPENPEROUTER_VERSIONS } from '../topology/openperouter.ts';
import { splitCidr, ipToInt } from '../topology/ip.ts';
import { main } from '../cli/main.ts';
import type { Topology } from '../topology/schema.ts';

const scratch = mkdtempSync(join(tmpdir(), 'l2s-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;

const opts = (o: Partial<GenerateOptions> = {}): GenerateOptions => ({
  clusters: 2,
  nodesPerCluster: 2,
  vmsPerCluster: 1,
  l2vnis: 1,
  vrfs: 1,
  ...o,
});

/** Generates into a fresh folder through the command, then loads it as a run would. */
async function generated(o: GenerateOptions): Promise<{ file: string; t: Topology }> {
  const out = join(scratch, `g${++dirs}`);
  const args = ['topology', 'generate', '--out', out, '--clusters', String(o.clusters)];
  args.push('--nodes-per-cluster', String(o.nodesPerCluster), '--vms-per-cluster', String(o.vmsPerCluster));
  args.push('--l2vnis', String(o.l2vnis), '--vrfs', String(o.vrfs));
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    expect(await main(args)).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  const file = join(out, 'topology.yaml');
  return { file, t: loadTopology(file) };
}

/** A NAD's config is JSON in a string: compared as what it says, not how it is spaced. */
const comparable = (m: Manifest): unknown =>
  m.kind === 'NetworkAttachmentDefinition'
    ? { ...m, spec: { config: JSON.parse((m.spec as { config: string }).config) } }
    : m;

describe('l2stretch topology generate', () => {
  it('gives back the reference multicluster topology for 2 clusters × 2 nodes × 1 VM', async () => {
    const ref = loadTopology('multicluster');
    const { t } = await generated(opts());
    const sortedLinks = (x: Topology) => x.links.map((l) => l.join(' ')).sort();
    // Links are a set: the reference lists leafA's host links red, default, blue.
    expect(sortedLinks(t)).toEqual(sortedLinks(ref));
    const strip = ({ name, description, links, manifests, ...rest }: Topology) => rest;
    expect(strip(t)).toEqual(strip(ref));
  });

  it("gives back the reference manifests of every release, but vm-2's explicit MAC", async () => {
    const { t } = await generated(opts());
    for (const v of OPENPEROUTER_VERSIONS) {
      for (const c of Object.keys(t.clusters)) {
        for (const s of WALKTHROUGH_STAGES) {
          const mine = stageManifests(c, s, v, t);
          const theirs = stageManifests(c, s, v);
          // Every generated VM carries its MAC, since any of them may migrate; the walkthrough gives vm-2 none.
          if (c === 'pe-kind-b' && s === 'workload') {
            const vm = mine.find((m) => m.kind === 'VirtualMachine')!;
            const ifaces = (vm.spec as any).template.spec.domain.devices.interfaces;
            expect(ifaces[0].macAddress).toBe('02:03:04:06:06:07');
            delete ifaces[0].macAddress;
          }
          expect(mine.map(comparable), `${c} ${s} ${v}`).toEqual(theirs.map(comparable));
        }
      }
    }
  });

  it('6 clusters × 3 nodes × 8 VMs, 3 L2VNIs, 2 VRFs: addresses, ASNs, VTEP and router-id ranges apart', async () => {
    // loadTopology itself refuses a duplicate address or namespace, a node outside its ToR's listen range.
    const { t } = await generated(opts({ clusters: 6, nodesPerCluster: 3, vmsPerCluster: 8, l2vnis: 3, vrfs: 2 }));
    const clusters = Object.values(t.clusters);
    expect(clusters).toHaveLength(6);
    // leafA and leafB share one AS, as in the reference; every other router's AS is its own.
    const routers = Object.values(t.fabric.routers);
    const leafAsns = new Set(routers.filter((r) => r.role === 'leaf').map((r) => r.asn));
    expect(leafAsns.size).toBe(1);
    const asns = [
      ...leafAsns,
      ...routers.filter((r) => r.role !== 'leaf').map((r) => r.asn),
      ...clusters.map((c) => c.asn),
    ];
    expect(new Set(asns).size, asns.join(' ')).toBe(asns.length);
    const ranges = [...clusters.map((c) => c.vtepCidr), ...clusters.map((c) => c.routerIdCidr)];
    const span = (cidr: string) => {
      const { address, length } = splitCidr(cidr);
      return [ipToInt(address), ipToInt(address) + 2 ** (32 - length) - 1] as const;
    };
    for (const [i, a] of ranges.entries())
      for (const b of ranges.slice(i + 1)) {
        const [x, y] = [span(a), span(b)];
        expect(x[1] < y[0] || y[1] < x[0], `${a} overlaps ${b}`).toBe(true);
      }
    const vms = Object.entries(t.overlay!.vms);
    expect(vms).toHaveLength(48);
    expect(Object.keys(t.overlay!.l2vnis)).toEqual(['layer2', 'layer2-2', 'layer2-3']);
    expect(Object.values(t.overlay!.l2vnis).map((n) => n.vrf)).toEqual(['red', 'green', 'red']);
    const macs = Object.keys(t.clusters).flatMap((c) =>
      stageManifests(c, 'workload', 'v0.2.0', t)
        .filter((m) => m.kind === 'VirtualMachine')
        .map((m) => (m.spec as any).template.spec.domain.devices.interfaces[0].macAddress as string),
    );
    expect(macs).toHaveLength(48);
    expect(new Set(macs).size).toBe(48);
    // Every node's L2VNIs and L3VNIs in every release; the NADs name the bridges openperouter creates.
    for (const c of Object.keys(t.clusters)) {
      const overlay = stageManifests(c, 'overlay', 'main', t);
      expect(overlay.map((m) => `${m.kind} ${m.metadata.name}`)).toEqual([
        'L3VNI red',
        'L3VNI green',
        'L2VNI layer2',
        'L2VNI layer2-2',
        'L2VNI layer2-3',
      ]);
      const bridges = stageManifests(c, 'workload', 'main', t)
        .filter((m) => m.kind === 'NetworkAttachmentDefinition')
        .map((m) => JSON.parse((m.spec as { config: string }).config).bridge);
      expect(bridges).toEqual(['br-hs-110', 'br-hs-111', 'br-hs-112']);
    }
  });

  it('refuses impossible combinations with the reason, exit 2', async () => {
    expect(refusals(opts({ clusters: 1 }))).toEqual([
      expect.stringMatching(/^--clusters 1: .*one cluster stretches nothing/),
    ]);
    expect(refusals(opts({ clusters: 10 }))[0]).toMatch(/--clusters 10: a whole number from 2 to 9/);
    expect(refusals(opts({ vrfs: 2 }))[0]).toMatch(/--vrfs 2 > --l2vnis 1: a VRF without an L2VNI/);
    expect(refusals(opts({ vmsPerCluster: 28 }))[0]).toMatch(/at most 27 VMs of a cluster per L2VNI/);
    expect(refusals(opts({ l2vnis: 10 }))[0]).toMatch(/migration network/);
    expect(refusals(opts({ nodesPerCluster: 0 }))[0]).toMatch(/--nodes-per-cluster 0/);
    expect(refusals(opts({ clusters: 9, nodesPerCluster: 250, vmsPerCluster: 27 }))).toEqual([]);
    expect(() => generateTopology(opts({ clusters: 1 }))).toThrowError(GenerateError);
    const err = process.stderr.write;
    const said: string[] = [];
    process.stderr.write = ((s: string) => said.push(s) > 0) as typeof process.stderr.write;
    try {
      expect(await main(['topology', 'generate', '--clusters', '3', '--vrfs', '2', '--out', join(scratch, 'x')])).toBe(
        2,
      );
      expect(await main(['topology', 'generate', '--clusters', 'three'])).toBe(2);
    } finally {
      process.stderr.write = err;
    }
    expect(said.join('')).toMatch(/cannot generate this topology: --vrfs 2 > --l2vnis 1/);
    expect(said.join('')).toMatch(/--clusters three: not a whole number/);
  });
});

describe("a topology's own manifests", () => {
  const base = () => ({ ...(generateTopology(opts()).topology as Record<string, unknown>) });

  it('inline, per cluster: workload and openperouter per release; a missing release names the file and field', () => {
    const g = generateTopology(opts());
    const inline: Record<string, unknown> = {};
    for (const c of ['pe-kind-a', 'pe-kind-b']) {
      const at = (p: string) => g.files.get(`manifests/${c}/${p}`)!;
      inline[c] = {
        workload: at('workload.yaml'),
        openperouter: {
          'v0.2.0': {
            underlay: at('openperouter-v0.2.0/underlay.yaml'),
            overlay: at('openperouter-v0.2.0/overlay.yaml'),
          },
        },
      };
    }
    const file = join(scratch, 'inline.yaml');
    writeFileSync(file, stringify({ ...base(), manifests: inline }));
    const t = loadTopology(file);
    expect(stageManifests('pe-kind-b', 'overlay', 'v0.2.0', t)).toEqual(
      g.files.get('manifests/pe-kind-b/openperouter-v0.2.0/overlay.yaml'),
    );
    expect(() => stageManifests('pe-kind-b', 'overlay', 'v0.0.5', t)).toThrowError(
      `${file}: manifests.pe-kind-b.openperouter: no manifests for openperouter v0.0.5 (it has: v0.2.0)`,
    );
    (inline['pe-kind-a'] as { workload: unknown[] }).workload.push({ kind: 'VirtualMachine', metadata: { name: 'x' } });
    writeFileSync(file, stringify({ ...base(), manifests: inline }));
    expect(() => loadTopology(file)).toThrowError(
      `${file}: manifests: ${file}: manifests.pe-kind-a.workload.2: a manifest needs apiVersion, kind and ` +
        `metadata.name`,
    );
  });

  it('a folder beside the file: a missing cluster folder, a bad document, a VM without its manifest are named', () => {
    const dir = join(scratch, 'own');
    mkdirSync(join(dir, 'mine', 'pe-kind-a', 'openperouter-v0.2.0'), { recursive: true });
    const g = generateTopology(opts());
    for (const [p, ms] of g.files)
      if (p.startsWith('manifests/pe-kind-a/') && !p.includes('openperouter-'))
        writeFileSync(join(dir, 'mine', p.slice('manifests/'.length)), ms.map((m) => stringify(m)).join('---\n'));
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, stringify({ ...base(), manifests: 'mine' }));
    expect(() => loadTopology(file)).toThrowError(
      new RegExp(
        `${file}: manifests: .*cluster pe-kind-b: the workload manifests: no folder ${join(dir, 'mine', 'pe-kind-b')}`,
      ),
    );
    writeFileSync(join(dir, 'mine', 'pe-kind-a', 'openperouter-v0.2.0', 'overlay.yaml'), 'kind: L2VNI\n');
    expect(() => loadTopology(file)).toThrowError(
      `${join(dir, 'mine', 'pe-kind-a', 'openperouter-v0.2.0', 'overlay.yaml')}, document 1: a manifest needs ` +
        `apiVersion, kind and metadata.name`,
    );
    expect(() => loadTopology(file)).toThrowError(TopologyError);
  });
});

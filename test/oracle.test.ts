// The oracle: what a healthy multicluster testbed must show, derived from the topology.
// Every expected value below is written out from topology/multicluster.yaml and
// openperouter's allocation rules (VTEP = host #index of vtepcidr, router-id = host
// #(index+1) of routeridcidr, RT = <node AS>:<VNI>), not computed by the code under test.
import { describe, it, expect, vi } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopology, parseTopology } from '../topology/load.ts';
import type { Topology } from '../topology/schema.ts';
import { main } from '../cli/main.ts';
import { renderExpected } from '../cli/expected.ts';
import {
  nodeVteps,
  nodeVtep,
  nodeRouterId,
  hostSubnets,
  expectedSessions,
  routerNames,
  ownerOfAddress,
  clusterOfNode,
  expectedState,
  L2_PAIR_RULE,
  DROP_RULE,
  samplingSummary,
  type Placement,
} from '../topology/expectations.ts';

const t = loadTopology('multicluster');
const A = t.clusters['pe-kind-a']!;

describe('the oracle of the multicluster topology', () => {
  it('node VTEPs and router IDs as openperouter allocates them', () => {
    expect(nodeVteps(t)).toEqual([
      { cluster: 'pe-kind-a', node: 'pe-kind-a-control-plane', vtep: '100.65.0.0' },
      { cluster: 'pe-kind-a', node: 'pe-kind-a-worker', vtep: '100.65.0.1' },
      { cluster: 'pe-kind-b', node: 'pe-kind-b-control-plane', vtep: '100.65.1.0' },
      { cluster: 'pe-kind-b', node: 'pe-kind-b-worker', vtep: '100.65.1.1' },
    ]);
    expect(nodeRouterId(A, 'pe-kind-a-control-plane')).toBe('10.0.0.1');
    expect(nodeRouterId(t.clusters['pe-kind-b']!, 'pe-kind-b-worker')).toBe('10.0.1.2');
    expect(() => nodeVtep(A, 'pe-kind-b-worker')).toThrow('cluster has no node pe-kind-b-worker');
    expect(() => nodeRouterId(A, 'ghost')).toThrow('cluster has no node ghost');
  });

  it('every router, fabric first, then one per node', () => {
    expect(routerNames(t)).toEqual([
      'spine',
      'leafA',
      'leafB',
      'leafkind-a',
      'leafkind-b',
      'pe-kind-a-control-plane',
      'pe-kind-a-worker',
      'pe-kind-b-control-plane',
      'pe-kind-b-worker',
    ]);
    expect(clusterOfNode(t, 'pe-kind-b-control-plane')).toBe('pe-kind-b');
    expect(() => clusterOfNode(t, 'spine')).toThrow('topology multicluster has no cluster node spine');
  });

  it('every session from both sides: fabric neighbors by owner, node sessions dynamic on the ToR', () => {
    const s = expectedSessions(t);
    expect(s).toHaveLength(16);
    expect(s.every((x) => x.families.join() === 'ipv4Unicast,l2VpnEvpn')).toBe(true);
    const families = ['ipv4Unicast', 'l2VpnEvpn'];
    expect(s.filter((x) => x.router === 'spine').map((x) => [x.peer, x.peerAddress, x.peerAsn, x.dynamic])).toEqual([
      ['leafA', '192.168.1.1', 64520, false],
      ['leafB', '192.168.1.3', 64520, false],
      ['leafkind-a', '192.168.1.5', 64512, false],
      ['leafkind-b', '192.168.1.7', 64516, false],
    ]);
    expect(s.filter((x) => x.router === 'leafkind-a')).toEqual([
      { router: 'leafkind-a', peer: 'spine', peerAddress: '192.168.1.4', peerAsn: 64612, dynamic: false, families },
      {
        router: 'leafkind-a',
        peer: 'pe-kind-a-control-plane',
        peerAddress: '192.168.11.3',
        peerAsn: 64514,
        dynamic: true,
        families,
      },
      {
        router: 'leafkind-a',
        peer: 'pe-kind-a-worker',
        peerAddress: '192.168.11.4',
        peerAsn: 64514,
        dynamic: true,
        families,
      },
    ]);
    expect(s.filter((x) => x.router === 'pe-kind-b-worker')).toEqual([
      {
        router: 'pe-kind-b-worker',
        peer: 'leafkind-b',
        peerAddress: '192.168.12.2',
        peerAsn: 64516,
        dynamic: false,
        families,
      },
    ]);
    expect([
      ownerOfAddress(t, '192.168.11.4'),
      ownerOfAddress(t, '192.168.1.0'),
      ownerOfAddress(t, '192.168.1.8'),
    ]).toEqual(['pe-kind-a-worker', 'spine', undefined]);
  });

  it("a node outside its ToR's subnets is an error, not a session to nowhere", () => {
    const bad = structuredClone(t);
    bad.clusters['pe-kind-a']!.nodes['pe-kind-a-worker']!.ipv4 = '10.9.9.9/24';
    expect(() => expectedSessions(bad)).toThrow('leafkind-a has no interface in the subnet of 10.9.9.9');
  });

  it('host subnets with the VTEP of their leaf', () => {
    expect(hostSubnets(t)).toEqual([
      { host: 'hostA_red', vrf: 'red', prefix: '192.168.20.0/24', leafVtep: '100.64.0.1' },
      { host: 'hostA_blue', vrf: 'blue', prefix: '192.168.21.0/24', leafVtep: '100.64.0.1' },
      { host: 'hostA_default', vrf: 'default', prefix: '192.168.22.0/24', leafVtep: '100.64.0.1' },
      { host: 'hostB_red', vrf: 'red', prefix: '192.169.20.0/24', leafVtep: '100.64.0.2' },
      { host: 'hostB_blue', vrf: 'blue', prefix: '192.169.21.0/24', leafVtep: '100.64.0.2' },
    ]);
    const noVtep = structuredClone(t);
    delete noVtep.fabric.routers.leafB!.vtep;
    expect(hostSubnets(noVtep).find((h) => h.host === 'hostB_red')).toEqual({
      host: 'hostB_red',
      vrf: 'red',
      prefix: '192.169.20.0/24',
      leafVtep: undefined,
    });
  });
});

// The whole oracle, as `l2stretch expected --json` prints it: committed JSON, reviewed when it changes.
const snapshot = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'oracle', name), 'utf8'));
const placement: Placement = {
  'vm-1': { cluster: 'pe-kind-a', node: 'pe-kind-a-worker', mac: '02:03:04:05:06:07' },
  'vm-2': { cluster: 'pe-kind-b', node: 'pe-kind-b-control-plane', mac: '02:03:04:05:06:1E' },
};

describe('expectedState of the multicluster topology', () => {
  it('matches the committed snapshot, unplaced and placed', () => {
    expect(expectedState(t)).toEqual(snapshot('multicluster.json'));
    expect(expectedState(t, placement)).toEqual(snapshot('multicluster-placed.json'));
  });

  it("a VM's type-2 route: its declared address, its node's VTEP, the RT of the cluster it runs in", () => {
    const s = expectedState(t, placement);
    expect(s.vms.map((v) => v.route)).toEqual([
      {
        vm: 'vm-1',
        mac: '02:03:04:05:06:07',
        ip: '192.170.1.3',
        vtep: '100.65.0.1',
        node: 'pe-kind-a-worker',
        routeTarget: '64514:110',
      },
      {
        vm: 'vm-2',
        mac: '02:03:04:05:06:1e',
        ip: '192.170.1.30',
        vtep: '100.65.1.0',
        node: 'pe-kind-b-control-plane',
        routeTarget: '64518:110',
      },
    ]);
    // vm-1 moved to cluster B: its route carries B's VTEP and RT.
    const moved = expectedState(t, {
      ...placement,
      'vm-1': { cluster: 'pe-kind-b', node: 'pe-kind-b-worker', mac: '02:03:04:05:06:07' },
    });
    expect(moved.vms[0]!.route).toMatchObject({ vtep: '100.65.1.1', routeTarget: '64518:110' });
  });

  it('what a node imports: every VM it does not host, every other VTEP', () => {
    const s = expectedState(t, placement);
    const worker = s.type2.find((e) => e.router === 'pe-kind-b-worker')!;
    expect(worker.vms).toEqual(['vm-1']);
    expect(worker.imports!.map((i) => [i.vni, i.vms.map((v) => v.vm), i.vteps.map((v) => v.vtep)])).toEqual([
      [110, ['vm-1', 'vm-2'], ['100.65.0.0', '100.65.0.1', '100.65.1.0']],
    ]);
    expect(s.type2.find((e) => e.router === 'spine')).toMatchObject({ vms: ['vm-1', 'vm-2'], imports: [] });
    expect(s.zebra.find((e) => e.router === 'pe-kind-b-control-plane')!.remote!.map((v) => v.vm)).toEqual(['vm-1']);
  });

  it("VRF red holds the red hosts' subnets via their leaf and none of blue or default", () => {
    expect(expectedState(t).vrfTables.find((e) => e.router === 'pe-kind-a-worker')).toEqual({
      router: 'pe-kind-a-worker',
      vrf: 'red',
      present: [
        { prefix: '192.168.20.0/24', nexthop: '100.64.0.1', host: 'hostA_red' },
        { prefix: '192.169.20.0/24', nexthop: '100.64.0.2', host: 'hostB_red' },
      ],
      absent: [
        { prefix: '192.168.21.0/24', host: 'hostA_blue' },
        { prefix: '192.168.22.0/24', host: 'hostA_default' },
        { prefix: '192.169.21.0/24', host: 'hostB_blue' },
      ],
    });
  });

  it('refuses a placement it cannot use; without an overlay, expects sessions only', () => {
    expect(() => expectedState(t, { 'vm-1': placement['vm-1']! })).toThrow('placement lacks vm-2');
    expect(() =>
      expectedState(t, { ...placement, 'vm-2': { cluster: 'pe-kind-b', node: 'pe-kind-a-worker', mac: 'x' } }),
    ).toThrow('placement of vm-2: cluster pe-kind-b has no node pe-kind-a-worker');
    const bare = expectedState({ ...t, overlay: undefined });
    expect(bare.sessions).toHaveLength(16);
    expect([bare.vms, bare.imet, bare.type2.flatMap((e) => e.vms), bare.vrfTables, bare.l2.pairs]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
    expect([bare.migration, bare.drop.probes]).toEqual([undefined, []]);
  });
});

/** multicluster plus a third cluster (one node, one VM) and a second VM in cluster A. */
function threeClusters(): Topology {
  const raw = structuredClone(t) as Topology;
  raw.fabric.routers['leafkind-c'] = {
    nos: 'frr',
    role: 'tor',
    asn: 64530,
    interfaces: { eth1: { ipv4: '192.168.1.9/31' }, toswitch: { ipv4: '192.168.13.2/24' } },
    neighbors: [{ address: '192.168.1.8', asn: 64612 }],
    listenRanges: [{ range: '192.168.13.0/24', remoteAs: 64532, peerGroup: 'kind-nodes' }],
    vrfs: {},
    redistributeConnectedInVrfs: false,
  };
  raw.fabric.routers.spine!.interfaces.eth5 = { ipv4: '192.168.1.8/31' };
  raw.fabric.routers.spine!.neighbors.push({ address: '192.168.1.9', asn: 64530 });
  raw.clusters['pe-kind-c'] = {
    tor: 'leafkind-c',
    asn: 64532,
    vtepCidr: '100.65.2.0/24',
    routerIdCidr: '10.0.2.0/24',
    nodes: { 'pe-kind-c-worker': { nic: 'toswitch', ipv4: '192.168.13.4/24', index: 0, controlPlane: false } },
  };
  raw.overlay!.vms['vm-3'] = { cluster: 'pe-kind-c', network: 'layer2', ipv4: '192.170.1.50/24', port: 8090 };
  raw.overlay!.vms['vm-4'] = { cluster: 'pe-kind-a', network: 'layer2', ipv4: '192.170.1.4/24', port: 8090 };
  return parseTopology(raw, 'three-clusters');
}

describe('expectedState of a 3-cluster topology', () => {
  const three = threeClusters();

  it('migrates as a chain through every cluster and back, after the move within the home cluster', () => {
    expect(expectedState(three).migration).toEqual({
      vm: 'vm-1',
      observer: 'vm-2',
      host: 'hostA_red',
      watchedRouter: 'spine',
      rule:
        'the first declared VM moves within pe-kind-a, then through every cluster and back: ' +
        'pe-kind-a → pe-kind-b → pe-kind-c → pe-kind-a',
      legs: [
        { label: 'in-cluster vm-1 within pe-kind-a', kind: 'in-cluster', from: 'pe-kind-a', to: 'pe-kind-a' },
        {
          label: 'cross-cluster vm-1 pe-kind-a → pe-kind-b',
          kind: 'cross-cluster',
          from: 'pe-kind-a',
          to: 'pe-kind-b',
        },
        {
          label: 'cross-cluster vm-1 pe-kind-b → pe-kind-c',
          kind: 'cross-cluster',
          from: 'pe-kind-b',
          to: 'pe-kind-c',
        },
        {
          label: 'cross-cluster vm-1 back pe-kind-c → pe-kind-a',
          kind: 'cross-cluster',
          from: 'pe-kind-c',
          to: 'pe-kind-a',
        },
      ],
    });
  });

  it('starts the chain at the mover, and moves within its cluster only when it has a second node', () => {
    const fromC = structuredClone(three);
    fromC.overlay!.vms = { 'vm-3': fromC.overlay!.vms['vm-3']!, ...fromC.overlay!.vms };
    const plan = expectedState(fromC).migration!;
    expect([plan.vm, plan.observer]).toEqual(['vm-3', 'vm-1']);
    expect(plan.legs.map((l) => l.label)).toEqual([
      'cross-cluster vm-3 pe-kind-c → pe-kind-a',
      'cross-cluster vm-3 pe-kind-a → pe-kind-b',
      'cross-cluster vm-3 back pe-kind-b → pe-kind-c',
    ]);
  });

  it('pairs each VM with one VM of its segment in every other cluster', () => {
    const s = expectedState(three);
    expect(s.l2.pairs.map((p) => `${p.from}→${p.to}`)).toEqual([
      'vm-1→vm-2',
      'vm-1→vm-3',
      'vm-2→vm-1',
      'vm-2→vm-3',
      'vm-3→vm-1',
      'vm-3→vm-2',
      'vm-4→vm-2',
      'vm-4→vm-3',
    ]);
  });

  it('proves isolation per VRF from the first VM of each cluster; reach from every VM', () => {
    const s = expectedState(three);
    expect([...new Set(s.drop.probes.map((p) => p.from))]).toEqual(['vm-1', 'vm-2', 'vm-3']);
    expect(s.drop.probes.filter((p) => p.from === 'vm-3').map((p) => `${p.to}/${p.vrf}`)).toEqual([
      'hostA_blue/blue',
      'hostA_default/default',
      'hostB_blue/blue',
    ]);
    expect(s.reach.probes.filter((p) => p.from === 'vm-4' || p.to === 'vm-4')).toHaveLength(4);
    expect(s.stable.vms).toEqual(['vm-2', 'vm-3', 'vm-4']);
  });

  it("type-3 from every node VTEP of the three clusters, each with its cluster's RT", () => {
    const imet = expectedState(three).imet.find((e) => e.router === 'leafkind-c')!;
    expect(imet.routes.map((r) => `${r.vtep} ${r.routeTarget}`)).toEqual([
      '100.65.0.0 64514:110',
      '100.65.0.1 64514:110',
      '100.65.1.0 64518:110',
      '100.65.1.1 64518:110',
      '100.65.2.0 64532:110',
    ]);
  });
});

describe('l2stretch expected', () => {
  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    try {
      return { code: await main(['expected', ...args]), out: out.join(''), err: err.join('') };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('--json prints the oracle', async () => {
    const r = await run(['--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(snapshot('multicluster.json'));
  });

  it('sums up for the start of a run what the suites iterate over', () => {
    expect(samplingSummary(expectedState(t))).toBe(
      `2 VM pairs (${L2_PAIR_RULE}); 8 reach and 6 must-drop probes (${DROP_RULE}); ` +
        '3 migration legs of vm-1: pe-kind-a → pe-kind-a, pe-kind-a → pe-kind-b, pe-kind-b → pe-kind-a',
    );
  });

  it('prints tables by default, the sampling rules and the migration chain included', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('topology multicluster: 9 routers, 16 BGP session ends, 1 segment(s), 2 VMs');
    expect(r.out).toContain(`Must reach, VM to VM across clusters (${L2_PAIR_RULE})\n  vm-1 → vm-2 (layer2)\n`);
    expect(r.out).toContain('  vm-2 → hostA_default (VRF default)\n');
    expect(r.out).toContain('  3. cross-cluster vm-1 back pe-kind-b → pe-kind-a\n');
    expect(renderExpected(expectedState(t, placement))).toMatch(
      /vm-2 +192\.170\.1\.30 +layer2 +110 +02:03:04:05:06:1e +100\.65\.1\.0 \(pe-kind-b-control-plane\) +64518:110 /,
    );
  });

  it('exits 2 with one line on a bad topology', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-expected-'));
    try {
      const file = join(dir, 'bad.yaml');
      const host = '{ iface: eth1, ipv4: 10.0.0.2/24, gateway: 10.0.0.1, leaf: nope, vrf: default }';
      writeFileSync(file, `name: bad\nfabric: { routers: {} }\nhosts: { h: ${host} }\nclusters: {}\nlinks: []\n`);
      const inconsistent = await run(['--topology', file]);
      expect([inconsistent.code, inconsistent.err]).toEqual([
        2,
        `l2stretch: ${file}: inconsistent topology: hosts.h.leaf: no fabric router "nope"\n`,
      ]);
      writeFileSync(file, 'name: bad\nclusters: {}\nlinks: []\n');
      const invalid = await run(['--topology', file]);
      expect(invalid.code).toBe(2);
      expect(invalid.err).toMatch(/^l2stretch: .*bad\.yaml: invalid topology: fabric/);
      expect((await run(['--topology', join(dir, 'none.yaml')])).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the suites take names from the oracle', () => {
  it('no suite file names a VM, node, router or host of the built-in topology', () => {
    const names = [...routerNames(t), ...Object.keys(t.hosts), ...Object.keys(t.overlay!.vms)];
    const quoted = new RegExp(`['"\`](${names.map((n) => n.replace(/[-_]/g, '\\$&')).join('|')})['"\`]`);
    const dir = join(import.meta.dirname, '..', 'suites');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const named = files.flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .map((line, i) => `${f}:${i + 1}: ${line.trim()}`)
        .filter((line) => quoted.test(line)),
    );
    expect(files.length).toBeGreaterThan(10);
    expect(named).toEqual([]);
  });
});

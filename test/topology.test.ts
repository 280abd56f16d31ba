import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadTopology, TopologyError } from '../topology/load.ts';
import { expectedSessions, nodeVtep, nodeRouterId, routerNames } from '../topology/expectations.ts';
import { nthAddress, inPrefix } from '../topology/ip.ts';
import { needsShared, sharedText } from './shared.ts';

const t = loadTopology('multicluster');

const scratch = mkdtempSync(join(tmpdir(), 'l2s-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;

function writeTemp(text: string): string {
  const file = join(scratch, `topology-${++files}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('topology model', () => {
  it('the built-in multicluster topology derives openperouter VTEPs and router-ids', () => {
    const a = t.clusters['pe-kind-a']!;
    const b = t.clusters['pe-kind-b']!;
    expect(nodeVtep(a, 'pe-kind-a-control-plane')).toBe('100.65.0.0');
    expect(nodeVtep(a, 'pe-kind-a-worker')).toBe('100.65.0.1');
    expect(nodeVtep(b, 'pe-kind-b-worker')).toBe('100.65.1.1');
    expect(nodeRouterId(a, 'pe-kind-a-control-plane')).toBe('10.0.0.1');
    expect(nodeRouterId(b, 'pe-kind-b-worker')).toBe('10.0.1.2');
  });

  it('matches every number of the reference testbed facts', (ctx) => {
    needsShared(ctx);
    const facts = parseYaml(sharedText('openperouter', 'derived', 'c9d591a-multicluster-testbed-facts.yaml'));
    const f = facts.fabric;
    expect(t.fabric.routers.spine!.asn).toBe(f.spine.asn);
    expect(t.fabric.routers.spine!.neighbors).toEqual(f.spine.bgpNeighbors);
    for (const [name, key] of [
      ['leafA', 'leafA'],
      ['leafB', 'leafB'],
    ] as const) {
      const r = t.fabric.routers[name]!;
      expect(r.asn).toBe(f[key].asn);
      expect(r.vtep).toBe(f[key].vtep);
      expect(r.interfaces.eth1!.ipv4).toBe(f[key].uplink.ip);
      for (const vrf of ['red', 'blue']) {
        expect(r.vrfs[vrf]!.l3vni).toBe(f[key].vrfs[vrf].l3vni);
        expect(r.vrfs[vrf]!.routerMac).toBe(f[key].vrfs[vrf].routerMac);
      }
    }
    for (const [name, key] of [
      ['leafkind-a', 'leafkindA'],
      ['leafkind-b', 'leafkindB'],
    ] as const) {
      const r = t.fabric.routers[name]!;
      expect(r.asn).toBe(f[key].asn);
      expect(r.interfaces.toswitch!.ipv4).toBe(f[key].downlink.ip);
      expect(r.listenRanges[0]).toEqual({
        range: f[key].dynamicNeighbors.listenRange,
        remoteAs: f[key].dynamicNeighbors.remoteAs,
        peerGroup: f[key].dynamicNeighbors.peerGroup,
      });
    }
    for (const [name, h] of Object.entries(facts.hosts) as Array<[string, { ipv4: string; gw: string; vrf: string }]>) {
      expect(t.hosts[name]!.ipv4).toBe(`${h.ipv4}/24`);
      expect(t.hosts[name]!.gateway).toBe(h.gw);
      expect(t.hosts[name]!.vrf).toBe(h.vrf);
    }
    for (const [cn, c] of Object.entries(facts.clusters) as Array<[string, any]>) {
      if (cn === 'nodeIndexAnnotation') continue;
      const mine = t.clusters[cn]!;
      expect(mine.asn).toBe(c.openperouter.asn);
      expect(mine.vtepCidr).toBe(c.openperouter.vtepcidr);
      expect(mine.routerIdCidr).toBe(c.openperouter.routeridcidr);
      for (const [node, n] of Object.entries(c.nodes) as Array<[string, { ip: string }]>)
        expect(mine.nodes[node]!.ipv4).toBe(n.ip);
      for (const [idx, vtep] of Object.entries(c.openperouter.derivedVtepByNodeIndex) as Array<[string, string]>) {
        const node = Object.entries(mine.nodes).find(([, n]) => n.index === Number(idx))![0];
        expect(`${nodeVtep(mine, node)}/32`).toBe(vtep);
      }
    }
  });

  it('implies 16 sessions seen from both sides: spine with 4 leaves, each ToR with its 2 nodes', () => {
    const s = expectedSessions(t);
    expect(s).toHaveLength(8 + 8);
    expect(s).toContainEqual({
      router: 'leafkind-a',
      peer: 'pe-kind-a-worker',
      peerAddress: '192.168.11.4',
      peerAsn: 64514,
      dynamic: true,
      families: ['ipv4Unicast', 'l2VpnEvpn'],
    });
    expect(s).toContainEqual({
      router: 'pe-kind-b-control-plane',
      peer: 'leafkind-b',
      peerAddress: '192.168.12.2',
      peerAsn: 64516,
      dynamic: false,
      families: ['ipv4Unicast', 'l2VpnEvpn'],
    });
    expect(s).toContainEqual({
      router: 'spine',
      peer: 'leafB',
      peerAddress: '192.168.1.3',
      peerAsn: 64520,
      dynamic: false,
      families: ['ipv4Unicast', 'l2VpnEvpn'],
    });
    expect(routerNames(t)).toHaveLength(9);
  });

  it('rejects a malformed file naming the file, the field and what was expected', () => {
    const file = writeTemp(
      'name: broken\nfabric:\n  routers:\n    spine: { role: spine, asn: "x", interfaces: {} }\nclusters: ' +
        '{}\nlinks: []\n',
    );
    expect(() => loadTopology(file)).toThrowError(TopologyError);
    expect(() => loadTopology(file)).toThrowError(
      new RegExp(`${file}: invalid topology: fabric\\.routers\\.spine\\.asn: .*number`),
    );
  });

  it('rejects unknown fields and broken references', () => {
    const unknown = writeTemp('name: x\nfabric: { routers: {} }\nclusters: {}\nlinks: []\ncolour: blue\n');
    expect(() => loadTopology(unknown)).toThrowError(/Unrecognized key.*"colour"/);
    const dangling = writeTemp('name: x\nfabric: { routers: {} }\nclusters: {}\nlinks: [[a:eth0, b:eth0]]\n');
    expect(() => loadTopology(dangling)).toThrowError(/links\.0: "a" is not a router, switch, host or cluster node/);
    expect(() => loadTopology('/no/such/file.yaml')).toThrowError(
      /neither a built-in \(multicluster\) nor an existing file/,
    );
    expect(() => loadTopology(writeTemp('name: [unclosed\n'))).toThrowError(/not valid YAML/);
  });

  it('does openperouter IP arithmetic', () => {
    expect(nthAddress('100.65.1.0/24', 1)).toBe('100.65.1.1');
    expect(() => nthAddress('10.0.0.0/31', 2)).toThrowError(/has no address #2/);
    expect(inPrefix('192.168.11.200', '192.168.11.0/24')).toBe(true);
    expect(inPrefix('192.168.12.3', '192.168.11.0/24')).toBe(false);
  });
});

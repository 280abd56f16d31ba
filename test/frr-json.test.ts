import { describe, it, expect } from 'vitest';
import {
  parseBgpSummary,
  parseEvpnRoutes,
  parseEvpnVnis,
  parseEvpnMacs,
  parseBgpRoutes,
} from '../helpers/nos/frr/json.ts';
import { bestPath } from '../helpers/nos/records.ts';
import { dataJson, fixtureJson, needsShared, sharedJson } from './shared.ts';

const pub = (f: string) => sharedJson('frr-json', 'public', f);
const e84 = (f: string) => dataJson('frr-8.4-prototype', f);

describe('BGP summary (captured from the embedded testbed, FRR 8.4)', () => {
  it('reads both address families of every peer, dynamic peers flagged', () => {
    const peers = parseBgpSummary(fixtureJson('frr-8.4', 'bgp-summary-leafkind-a.json'));
    expect(peers).toHaveLength(6);
    expect(
      peers
        .filter((p) => p.afi === 'l2VpnEvpn')
        .map((p) => p.address)
        .sort(),
    ).toEqual(['192.168.1.4', '192.168.11.3', '192.168.11.4']);
    const dyn = peers.find((p) => p.address === '192.168.11.4' && p.afi === 'ipv4Unicast')!;
    expect(dyn).toMatchObject({
      vrf: 'default',
      state: 'Established',
      remoteAs: 64514,
      dynamic: true,
      hostname: 'pe-kind-a-worker',
    });
  });

  it('reads a shut-down neighbor as Idle (Admin)', () => {
    const peers = parseBgpSummary(fixtureJson('frr-8.4', 'bgp-summary-spine-leafkind-a-shutdown.json'));
    expect(peers.filter((p) => p.address === '192.168.1.5').map((p) => p.state)).toEqual([
      'Idle (Admin)',
      'Idle (Admin)',
    ]);
    expect(peers.filter((p) => p.state === 'Established')).toHaveLength(6);
  });

  it('reads the VRF-keyed `show bgp vrf all summary json`', () => {
    const peers = parseBgpSummary(fixtureJson('frr-8.4', 'bgp-vrf-all-summary-spine.json'));
    expect(peers).toHaveLength(8);
    expect(new Set(peers.map((p) => p.vrf))).toEqual(new Set(['default']));
  });

  it('reads other versions: single-AF summaries, prefixReceivedCount, non-Established states', (ctx) => {
    needsShared(ctx);
    const one = parseBgpSummary(pub('frr-topotest__show_bgp_ipv4_unicast_summary_json__subset.json'), {
      afi: 'ipv4Unicast',
    });
    expect(one.map((p) => [p.address, p.state, p.prefixesReceived])).toEqual([
      ['192.168.1.2', 'Established', 3],
      ['192.168.2.3', 'Established', 3],
    ]);
    const all = parseBgpSummary(pub('frr_exporter__show_bgp_vrf_all_ipv4_summary_json.json'));
    expect(all.find((p) => p.address === '192.168.0.2')).toMatchObject({ vrf: 'default', prefixesReceived: 0 });
    expect(all.map((p) => p.state)).toEqual(expect.arrayContaining(['Active', 'Idle (Admin)']));
    expect(new Set(all.map((p) => p.vrf)).size).toBeGreaterThan(1);
  });
});

describe('EVPN routes, VNIs, MACs across FRR versions', () => {
  it('reads nested paths (route json, 8.4) with next hop, route targets and router MAC', () => {
    const routes = parseEvpnRoutes(e84('evpn-type2-leafA.json'));
    const macIp = routes.find((r) => r.type === 2 && r.ip === '192.170.1.3')!;
    expect(macIp.mac).toBe('02:00:00:00:01:03');
    const best = bestPath(macIp)!;
    expect(best.nexthop).toBe('100.65.0.1');
    expect(best.routeTargets).toEqual(['64514:100', '64514:110']);
    expect(best.routerMac).toBe('aa:bb:cc:00:01:64');
    expect(best.macMobilitySeq).toBe(0);
  });

  it('reads flat paths (`show bgp l2vpn evpn json`, FRR 10) and type-5 prefixes', (ctx) => {
    needsShared(ctx);
    const routes = parseEvpnRoutes(pub('frr-topotest__show_bgp_l2vpn_evpn_json__type5.json'));
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.every((r) => r.type === 5 && r.paths.length > 0)).toBe(true);
  });

  it('refuses brief output (no paths): it carries none of the evidence the judges read', (ctx) => {
    needsShared(ctx);
    // FRR 10's `… route json brief` (FRR pull request 21019) lists prefixes without paths; no check asks for it.
    expect(() => parseEvpnRoutes(pub('frr-pr21019__show_bgp_l2vpn_evpn_route_json_brief.json'))).toThrow(
      /printed JSON of a shape l2stretch does not know .*an object with paths/,
    );
  });

  it('reads numRemoteVteps as an array (8.4)', () => {
    expect(parseEvpnVnis(e84('evpn-vni-110-peA.json'))).toEqual([
      {
        vni: 110,
        type: 'L2',
        vxlanInterface: 'vni110',
        vtepIp: '100.65.0.1',
        remoteVteps: ['100.65.1.1'],
        svi: 'br-pe-110',
        vrf: 'red',
      },
    ]);
  });

  it('reads remoteVteps as strings or {ip, flood}, vni as string (FRR 9/10 topotests)', (ctx) => {
    needsShared(ctx);
    expect(parseEvpnVnis(pub('frr-topotest__show_evpn_vni_101_json__subset.json'))[0]!.remoteVteps).toEqual([
      '10.30.30.30',
    ]);
    expect(parseEvpnVnis(pub('frr-topotest__show_evpn_vni_json__remoteVteps_type3__subset.json'))).toEqual([
      { vni: 101, type: 'L2', vxlanInterface: undefined, vtepIp: undefined, remoteVteps: ['fd00:100::2'] },
    ]);
    expect(parseEvpnVnis(pub('frr-topotest__show_bgp_l2vpn_evpn_vni_101_json__subset.json'))[0]!.vni).toBe(101);
  });

  it('reads MAC tables with sequences and remote VTEPs', () => {
    const macs = parseEvpnMacs(e84('evpn-mac-110-peB.json'));
    expect(macs.find((m) => m.mac === '02:00:00:00:01:03')).toMatchObject({
      type: 'remote',
      remoteVtep: '100.65.0.1',
      isDuplicate: false,
      localSequence: 0,
    });
    expect(macs.find((m) => m.mac === '02:00:00:00:01:1e')).toMatchObject({ type: 'local', intf: 'pe-110' });
  });
});

// FRR 9/10 shapes (test/data/SOURCES.md): `bestpath` an object in detail output, MAC
// mobility as `MM:<n>` (with `, sticky MAC`), and a MAC frozen by duplicate detection.
describe('FRR 9/10 shapes: object bestpath, MAC mobility, sticky MACs, duplicates', () => {
  const routes = parseEvpnRoutes(dataJson('frr-10-shape', 'evpn-route-macip-moved.json'));
  const at = (rd: string, prefix: string) => routes.find((r) => r.rd === rd && r.prefix === prefix)!;
  const MACIP = '[2]:[0]:[48]:[02:03:04:05:06:07]:[32]:[192.170.1.3]';

  it('takes the path whose bestpath is an object as the best one, though it is not the first', () => {
    const moved = at('100.65.1.1:3', MACIP);
    expect(moved.paths.map((p) => [p.peerId, p.best])).toEqual([
      ['192.168.1.4', false],
      ['192.168.1.6', true],
    ]);
    expect(bestPath(moved)).toMatchObject({
      peerId: '192.168.1.6',
      nexthop: '100.65.1.1',
      macMobilitySeq: 2,
      valid: true,
    });
  });

  it('reads the MAC-mobility sequence, sticky or not, and 0 when the community has none', () => {
    expect(at('100.65.1.1:3', '[2]:[0]:[48]:[02:03:04:05:06:07]').paths[0]).toMatchObject({
      macMobilitySeq: 3,
      extendedCommunity: 'RT:64518:110 ET:8 MM:3, sticky MAC',
      routeTargets: ['64518:110'],
      best: true,
    });
    const old = at('100.65.0.1:3', MACIP);
    expect(old.paths[0]).toMatchObject({
      macMobilitySeq: 0,
      best: false,
      routeTargets: ['64514:100', '64514:110'],
      routerMac: 'aa:bb:cc:00:01:64',
      asPath: '64514',
    });
    expect(old).toMatchObject({ type: 2, mac: '02:03:04:05:06:07', ip: '192.170.1.3' });
    // One path, no best flag (an old route still in the table): the only path is taken.
    expect(bestPath(old)?.nexthop).toBe('100.65.0.1');
  });

  it('reads isDuplicate: true with its sequences', () => {
    expect(parseEvpnMacs(dataJson('frr-10-shape', 'evpn-mac-110-duplicate.json'))).toEqual([
      {
        mac: '02:03:04:05:06:07',
        type: 'remote',
        remoteVtep: '100.65.0.1',
        intf: undefined,
        localSequence: 6,
        remoteSequence: 6,
        detectionCount: 2,
        isDuplicate: true,
      },
      {
        mac: '02:00:00:00:01:1e',
        type: 'local',
        remoteVtep: undefined,
        intf: 'pe-110',
        localSequence: 0,
        remoteSequence: 0,
        detectionCount: 0,
        isDuplicate: false,
      },
    ]);
  });

  it('reads an object bestpath in a unicast table too', () => {
    const table = {
      routes: {
        '192.168.20.0/24': [
          { valid: true, nexthops: [{ ip: '100.64.0.2' }] },
          { valid: true, bestpath: { overall: true }, nexthops: [{ ip: '100.64.0.1' }] },
        ],
      },
    };
    expect(parseBgpRoutes(table)).toEqual([
      {
        prefix: '192.168.20.0/24',
        paths: [
          { valid: true, best: false, nexthop: '100.64.0.2' },
          { valid: true, best: true, nexthop: '100.64.0.1' },
        ],
      },
    ]);
  });
});

// Captured on the embedded testbed (FRR 8.4.4) after the live-migration suite moved vm-1
// three times with duplicate detection at 2 moves (test/data/SOURCES.md).
describe('FRR 8.4 after three moves: detail output, MM:3, a real duplicate', () => {
  it('reads the object bestpath of detail output and the sequence of the last move', () => {
    const routes = parseEvpnRoutes(dataJson('frr-8.4-embedded', 'evpn-route-detail-macip-spine-after-moves.json'));
    const macIp = routes.filter((r) => r.mac === '02:03:04:05:06:07' && r.ip === '192.170.1.3');
    expect(macIp.map((r) => [r.rd, r.paths.length])).toEqual([['10.0.0.1:3', 1]]);
    // Detail output nests the peer (`peer.peerId`), which no judge reads.
    expect(bestPath(macIp[0]!)).toMatchObject({
      valid: true,
      best: true,
      nexthop: '100.65.0.0',
      asPath: '64512 64514',
      extendedCommunity: 'RT:64514:100 RT:64514:110 ET:8 MM:3 Rmac:02:64:64:41:00:00',
      macMobilitySeq: 3,
      routeTargets: ['64514:100', '64514:110'],
      routerMac: '02:64:64:41:00:00',
    });
  });

  it('reads isDuplicate: true as zebra printed it', () => {
    const m = parseEvpnMacs(dataJson('frr-8.4-embedded', 'evpn-mac-110-pe-kind-b-worker-duplicate.json')).find(
      (x) => x.mac === '02:03:04:05:06:07',
    );
    expect(m).toEqual({
      mac: '02:03:04:05:06:07',
      type: 'remote',
      remoteVtep: '100.65.0.0',
      intf: undefined,
      localSequence: 2,
      remoteSequence: 3,
      detectionCount: 2,
      isDuplicate: true,
    });
  });
});

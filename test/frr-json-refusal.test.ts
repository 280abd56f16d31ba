// Parsers refuse what they do not recognize, naming the router, the command and the
// keys they saw; the shapes of issue #13 are read: one VNI's table keyed by prefix
// with no RD level (`show bgp l2vpn evpn route vni <N> json`, as in FRR's topotests
// and FRR 8.4) and one MAC's detail (`show evpn mac vni <N> mac <MAC> json`).
import { describe, it, expect } from 'vitest';
import {
  parseEvpnRoutes,
  parseEvpnMacs,
  parseDuplicateDetection,
  parseEvpnArpCache,
  parseInterfaces,
  parseBgpNeighbors,
} from '../helpers/nos/frr/json.ts';
import { UnrecognizedJson } from '../helpers/nos/records.ts';
import { eventually, BrokenTest } from '../helpers/wait.ts';

const src = { router: 'pe-kind-a-worker', command: 'show bgp l2vpn evpn route vni 110 json' };
const path = (nexthop: string, extra: object = {}) => [
  [
    {
      valid: true,
      bestpath: true,
      routeType: 3,
      extendedCommunity: { string: 'RT:64518:110 ET:8' },
      nexthops: [{ ip: nexthop }],
      ...extra,
    },
  ],
];

describe('unknown shapes are refused', () => {
  it('the error names the router, the command and the top-level keys, and is a broken test', () => {
    let error: unknown;
    try {
      parseEvpnRoutes({ routes: {}, vni: 110 }, src);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnrecognizedJson);
    expect(error).toBeInstanceOf(BrokenTest);
    expect((error as Error).message).toBe(
      'pe-kind-a-worker: `show bgp l2vpn evpn route vni 110 json` printed JSON of a shape l2stretch does not ' +
        'know (top-level keys: routes, vni); expected routes keyed by RD then by prefix ("[2]:…"), or (one ' +
        "VNI's table) keyed by prefix",
    );
  });

  it('eventually() gives up at once on a broken test instead of retrying it to its deadline', async () => {
    let calls = 0;
    const t0 = Date.now();
    await expect(
      eventually(
        async () => {
          calls++;
          throw new BrokenTest('no');
        },
        5_000,
        10,
      ),
    ).rejects.toThrowError(BrokenTest);
    expect([calls, Date.now() - t0 < 1_000]).toEqual([1, true]);
  });

  it('every new parser refuses what is not its shape', () => {
    for (const f of [
      () => parseDuplicateDetection({ maxMoves: 5 }, src),
      () => parseEvpnArpCache([], src),
      () => parseEvpnArpCache({ numArpNd: 1, junk: {} }, src),
      () => parseInterfaces({ 'br-pe-110': 'up' }, src),
      () => parseBgpNeighbors({ '192.168.1.1': { hostname: 'x' } }, src),
      () => parseEvpnMacs({ 'not-a-mac': {} }, src),
    ])
      expect(f).toThrowError(UnrecognizedJson);
  });
});

describe('shapes of issue #13', () => {
  it("one VNI's table, keyed by prefix with no RD level: every route, with no RD", () => {
    const table = {
      '[2]:[0]:[48]:[02:aa:66:4a:f2:d5]': {
        prefix: '[2]:[0]:[48]:[02:aa:66:4a:f2:d5]',
        prefixLen: 352,
        paths: [
          [{ valid: true, bestpath: true, routeType: 2, mac: '02:aa:66:4a:f2:d5', nexthops: [{ ip: '100.65.1.0' }] }],
        ],
      },
      '[3]:[0]:[32]:[100.65.1.0]': { prefix: '[3]:[0]:[32]:[100.65.1.0]', prefixLen: 352, paths: path('100.65.1.0') },
      numPrefix: 2,
      numPaths: 2,
    };
    expect(parseEvpnRoutes(table, src).map((r) => [r.rd, r.type, r.mac ?? r.ip, r.paths[0]!.nexthop])).toEqual([
      [undefined, 2, '02:aa:66:4a:f2:d5', '100.65.1.0'],
      [undefined, 3, '100.65.1.0', '100.65.1.0'],
    ]);
    expect(parseEvpnRoutes({}, src)).toEqual([]);
  });

  it("the detail output carries each path's table version and last update", () => {
    const [r] = parseEvpnRoutes(
      {
        '10.0.0.1:3': {
          rd: '10.0.0.1:3',
          '[3]:[0]:[32]:[100.65.0.0]': {
            paths: path('100.65.0.0', { version: 4, lastUpdate: { epoch: 1796135706, string: 'x' } }),
          },
        },
      },
      src,
    );
    expect([r!.rd, r!.paths[0]!.version, r!.paths[0]!.lastUpdate]).toEqual(['10.0.0.1:3', 4, 1796135706]);
  });

  it("one MAC's detail and one neighbor's, with their duplicate-detection counts", () => {
    const mac = {
      '02:03:04:05:06:07': {
        type: 'remote',
        remoteVtep: '100.65.0.0',
        uptime: '00:00:02',
        localSequence: 0,
        remoteSequence: 1,
        detectionCount: 2,
        isDuplicate: false,
        syncNeighCount: 0,
        neighbors: { active: ['192.170.1.3'], inactive: [] },
      },
    };
    expect(parseEvpnMacs(mac, src)).toEqual([
      {
        mac: '02:03:04:05:06:07',
        type: 'remote',
        remoteVtep: '100.65.0.0',
        intf: undefined,
        localSequence: 0,
        remoteSequence: 1,
        detectionCount: 2,
        isDuplicate: false,
      },
    ]);
    const one = {
      uptime: '00:03:28',
      ip: '192.170.1.3',
      type: 'local',
      state: 'active',
      mac: '02:03:04:05:06:07',
      localSequence: 0,
      remoteSequence: 0,
      detectionCount: 1,
      isDuplicate: false,
    };
    expect(parseEvpnArpCache(one, src)).toEqual([
      {
        ip: '192.170.1.3',
        type: 'local',
        mac: '02:03:04:05:06:07',
        remoteVtep: undefined,
        detectionCount: 1,
        isDuplicate: false,
      },
    ]);
    expect(
      parseEvpnArpCache(
        { numArpNd: 1, '192.170.1.30': { type: 'remote', mac: '02:AA:66:4A:F2:D5', remoteVtep: '100.65.1.0' } },
        src,
      )[0],
    ).toMatchObject({ ip: '192.170.1.30', mac: '02:aa:66:4a:f2:d5' });
    expect(parseEvpnArpCache({}, src)).toEqual([]);
  });

  it("duplicate-detection settings, interfaces and neighbors' counters", () => {
    expect(
      parseDuplicateDetection(
        { isDuplicateAddrDetection: true, maxMoves: 5, detectionTime: 180, detectionFreezeTime: 0 },
        src,
      ),
    ).toEqual({ enabled: true, maxMoves: 5, detectionTimeS: 180 });
    const svi = {
      'br-pe-110': {
        operationalStatus: 'up',
        hardwareAddress: '00:F3:00:00:00:6F',
        ipAddresses: [{ address: '192.170.1.1/24' }, { address: 'fe80::2f3:ff:fe00:6f/64' }],
      },
    };
    expect(parseInterfaces(svi, src)).toEqual([
      { name: 'br-pe-110', mac: '00:f3:00:00:00:6f', addresses: ['192.170.1.1/24', 'fe80::2f3:ff:fe00:6f/64'] },
    ]);
    const n = parseBgpNeighbors(
      {
        '192.168.1.3': {
          bgpState: 'Established',
          hostname: 'leafB',
          connectionsEstablished: 3,
          connectionsDropped: 2,
          bgpTimerUpEstablishedEpoch: 1796135705,
        },
      },
      src,
    );
    expect(n).toEqual([
      {
        address: '192.168.1.3',
        hostname: 'leafB',
        state: 'Established',
        connectionsEstablished: 3,
        connectionsDropped: 2,
        establishedEpoch: 1796135705,
        families: new Map(),
      },
    ]);
  });
});

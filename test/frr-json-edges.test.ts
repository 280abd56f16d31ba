// The FRR JSON parsers at their edges: each guard's refusal (the exact message: router,
// command, what was seen, what was expected), each optional field FRR may leave out,
// and junk beside what is read.
import { describe, it, expect } from 'vitest';
import {
  parseBgpSummary,
  parseBgpNeighbors,
  parseEvpnRoutes,
  parseEvpnVnis,
  parseEvpnMacs,
  parseEvpnArpCache,
  parseDuplicateDetection,
  parseInterfaces,
  parseBgpRoutes,
} from '../helpers/nos/frr/json.ts';
import { UnrecognizedJson } from '../helpers/nos/records.ts';

const src = { router: 'leafA', command: 'show x json' };
const refused = (seen: string, expected: string) =>
  `leafA: \`show x json\` printed JSON of a shape l2stretch does not know (${seen}); expected ${expected}`;
const SUMMARY = "an address family's summary ({peers}), one keyed by address family, or one keyed by VRF";
const EVPN = 'routes keyed by RD then by prefix ("[2]:…"), or (one VNI\'s table) keyed by prefix';
const VNIS = 'one VNI ({vni, …}) or VNIs keyed by number';
const MACS = "{numMacs, macs}, MACs keyed by address (one MAC's detail), or VNIs keyed by number";
const ARP = 'neighbors keyed by IP, or one neighbor ({ip, type, …})';
const MAC = '02:03:04:05:06:07';

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(UnrecognizedJson);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('refusals, each with its exact message', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['a summary that is a string', () => parseBgpSummary('x', {}, src), refused('a string', SUMMARY)],
    [
      'an address family that is not a summary',
      () => parseBgpSummary({ ipv4Unicast: 5 }, {}, src),
      refused('a number', 'ipv4Unicast: {peers}'),
    ],
    [
      'an address family without peers',
      () => parseBgpSummary({ ipv4Unicast: { vrfName: 'default' } }, {}, src),
      refused('top-level keys: vrfName', 'ipv4Unicast: {peers}'),
    ],
    [
      'a peer that is not an object',
      () => parseBgpSummary({ ipv4Unicast: { peers: { '192.168.1.1': 'up' } } }, {}, src),
      refused('top-level keys: 192.168.1.1', 'peer 192.168.1.1: an object'),
    ],
    [
      'address families beside other keys',
      () => parseBgpSummary({ ipv4Unicast: { peers: {} }, junk: 1, more: 2 }, {}, src),
      refused('top-level keys: ipv4Unicast, junk, more', 'address families only, not junk, more'),
    ],
    [
      "a VRF's summary that is keyed by neither",
      () => parseBgpSummary({ x: {} }, { vrf: 'red' }, src),
      refused('top-level keys: x', `VRF red: ${SUMMARY}`),
    ],
    [
      'neighbors that are an array',
      () => parseBgpNeighbors([], src),
      refused('an array', 'an object keyed by neighbor address'),
    ],
    [
      'a neighbor without bgpState',
      () => parseBgpNeighbors({ '192.168.1.1': { hostname: 'spine' } }, src),
      refused('top-level keys: 192.168.1.1', 'neighbor 192.168.1.1: an object with bgpState'),
    ],
    ['EVPN routes that are a string', () => parseEvpnRoutes('x', src), refused('a string', EVPN)],
    // Without the object guard an array or a number has no entries and would read as no routes.
    ['EVPN routes that are an array', () => parseEvpnRoutes([], src), refused('an array', EVPN)],
    ['EVPN routes that are a number', () => parseEvpnRoutes(7, src), refused('a number', EVPN)],
    [
      'an RD holding something that is not a prefix',
      () => parseEvpnRoutes({ '100.65.0.1:3': { 'x[2]:[0]': { paths: [] } } }, src),
      refused('top-level keys: x[2]:[0]', 'RD 100.65.0.1:3: prefixes ("[2]:…") and rd'),
    ],
    ['VNIs that are null', () => parseEvpnVnis(null, src), refused('a null', VNIS)],
    ['one VNI whose number is not one', () => parseEvpnVnis({ vni: 'n/a' }, src), refused('top-level keys: vni', VNIS)],
    ['a VNI that is not an object', () => parseEvpnVnis({ '110': 5 }, src), refused('top-level keys: 110', VNIS)],
    [
      'a VNI key with a tail',
      () => parseEvpnVnis({ '110x': { vni: 110 } }, src),
      refused('top-level keys: 110x', VNIS),
    ],
    ['a VNI key with a head', () => parseEvpnVnis({ x110: { vni: 110 } }, src), refused('top-level keys: x110', VNIS)],
    ['MACs that are a string', () => parseEvpnMacs('x', src), refused('a string', MACS)],
    ['macs that are not an object', () => parseEvpnMacs({ macs: 5 }, src), refused('top-level keys: macs', MACS)],
    [
      'a MAC that is not an object',
      () => parseEvpnMacs({ macs: { [MAC]: 5 } }, src),
      refused('a number', `MAC ${MAC}: an object with type`),
    ],
    [
      'a MAC without type',
      () => parseEvpnMacs({ macs: { [MAC]: { intf: 'br-110' } } }, src),
      refused('top-level keys: intf', `MAC ${MAC}: an object with type`),
    ],
    [
      'MAC and VNI keys mixed',
      () => parseEvpnMacs({ [MAC]: { type: 'local' }, '110': {} }, src),
      refused(`top-level keys: 110, ${MAC}`, MACS),
    ],
    [
      'a VNI key beside another',
      () => parseEvpnMacs({ '110': {}, x: 5 }, src),
      refused('top-level keys: 110, x', MACS),
    ],
    ['a MAC key with a head', () => parseEvpnMacs({ [`x${MAC}`]: {} }, src), refused(`top-level keys: x${MAC}`, MACS)],
    ['a MAC key with a tail', () => parseEvpnMacs({ [`${MAC}x`]: {} }, src), refused(`top-level keys: ${MAC}x`, MACS)],
    ['a VNI key with a tail, MACs', () => parseEvpnMacs({ '110x': {} }, src), refused('top-level keys: 110x', MACS)],
    ['a VNI key with a head, MACs', () => parseEvpnMacs({ x110: {} }, src), refused('top-level keys: x110', MACS)],
    ['an ARP cache that is a string', () => parseEvpnArpCache('x', src), refused('a string', ARP)],
    [
      'a neighbor that is not an object',
      () => parseEvpnArpCache({ '192.170.1.3': 5 }, src),
      refused('a number', 'neighbor 192.170.1.3: an object with type'),
    ],
    [
      'a neighbor without type',
      () => parseEvpnArpCache({ '192.170.1.3': { mac: MAC } }, src),
      refused('top-level keys: mac', 'neighbor 192.170.1.3: an object with type'),
    ],
    [
      'a key that is not an IP (head)',
      () => parseEvpnArpCache({ 'vm-1.3': { type: 'remote' } }, src),
      refused('top-level keys: vm-1.3', ARP),
    ],
    [
      'a key that is not an IP (tail)',
      () => parseEvpnArpCache({ '192.170.1.3x': { type: 'remote' } }, src),
      refused('top-level keys: 192.170.1.3x', ARP),
    ],
    [
      'duplicate detection that is a number',
      () => parseDuplicateDetection(5, src),
      refused('a number', '{isDuplicateAddrDetection, maxMoves, detectionTime}'),
    ],
    [
      'duplicate detection not a boolean',
      () => parseDuplicateDetection({ isDuplicateAddrDetection: 'yes', maxMoves: 5, detectionTime: 180 }, src),
      refused(
        'top-level keys: isDuplicateAddrDetection, maxMoves, detectionTime',
        '{isDuplicateAddrDetection, maxMoves, detectionTime}',
      ),
    ],
    [
      'duplicate detection without maxMoves',
      () => parseDuplicateDetection({ isDuplicateAddrDetection: true, detectionTime: 180 }, src),
      refused(
        'top-level keys: isDuplicateAddrDetection, detectionTime',
        '{isDuplicateAddrDetection, maxMoves, detectionTime}',
      ),
    ],
    [
      'duplicate detection without detectionTime',
      () => parseDuplicateDetection({ isDuplicateAddrDetection: true, maxMoves: 5 }, src),
      refused(
        'top-level keys: isDuplicateAddrDetection, maxMoves',
        '{isDuplicateAddrDetection, maxMoves, detectionTime}',
      ),
    ],
    ['interfaces that are a string', () => parseInterfaces('x', src), refused('a string', 'interfaces keyed by name')],
    [
      'an interface without operationalStatus',
      () => parseInterfaces({ eth0: { hardwareAddress: MAC } }, src),
      refused('top-level keys: eth0', 'interface eth0: an object with operationalStatus'),
    ],
    [
      'an interface that is not an object',
      () => parseInterfaces({ eth0: 5 }, src),
      refused('top-level keys: eth0', 'interface eth0: an object with operationalStatus'),
    ],
    ['a VRF table that is null', () => parseBgpRoutes(null, src), refused('a null', '{routes: {prefix: [path…]}}')],
    [
      'a VRF table whose routes are not an object',
      () => parseBgpRoutes({ routes: 5 }, src),
      refused('top-level keys: routes', '{routes: {prefix: [path…]}}'),
    ],
    [
      'another warning',
      () => parseBgpRoutes({ warning: 'Default BGP instance not found' }, src),
      refused('top-level keys: warning', '{routes: {prefix: [path…]}}'),
    ],
    [
      'a warning that is not a string',
      () => parseBgpRoutes({ warning: ['View/Vrf is unknown'] }, src),
      refused('top-level keys: warning', '{routes: {prefix: [path…]}}'),
    ],
    [
      'the unknown-VRF warning beside other keys',
      () => parseBgpRoutes({ warning: 'View/Vrf is unknown', vrfName: 'red' }, src),
      refused('top-level keys: warning, vrfName', '{routes: {prefix: [path…]}}'),
    ],
    [
      'a prefix whose paths are not an array',
      () => parseBgpRoutes({ routes: { '192.168.20.0/24': {} } }, src),
      refused('top-level keys: 192.168.20.0/24', '192.168.20.0/24: an array of paths'),
    ],
  ];
  it.each(cases)('%s', (_name, parse, message) => {
    expect(refusal(parse)).toBe(message);
  });

  it('without a source, the message says so', () => {
    expect(refusal(() => parseBgpNeighbors(5))).toBe(
      '(unnamed router): `(unnamed command)` printed JSON of a shape l2stretch does not know (a number); ' +
        'expected an object keyed by neighbor address',
    );
  });
});

describe('what FRR may leave out, and junk beside what is read', () => {
  it('every address family FRR names; a peer with no state', () => {
    const families = [
      'ipv4Unicast',
      'ipv6Unicast',
      'l2VpnEvpn',
      'ipv4Multicast',
      'ipv6Multicast',
      'ipv4Vpn',
      'ipv6Vpn',
      'ipv4Flowspec',
      'ipv6Flowspec',
      'ipv4LabeledUnicast',
      'ipv6LabeledUnicast',
    ];
    const data = Object.fromEntries(families.map((f) => [f, { peers: { '10.0.0.1': {} } }]));
    expect(parseBgpSummary(data, {}, src).map((p) => `${p.afi} ${p.state}`)).toEqual(
      families.map((f) => `${f} unknown`),
    );
  });

  it('a capability FRR printed as null is skipped', () => {
    const [n] = parseBgpNeighbors(
      {
        '192.168.1.1': {
          bgpState: 'Established',
          neighborCapabilities: {
            multiprotocolExtensions: { ipv4Unicast: null, l2VpnEvpn: { advertisedAndReceived: true } },
          },
        },
      },
      src,
    );
    expect([...n!.families]).toEqual([['l2VpnEvpn', 'both']]);
  });

  it('EVPN: the table counters, a route with no RD, sticky MACs, communities and AS paths left out, junk paths', () => {
    const routes = parseEvpnRoutes(
      {
        bgpTableVersion: 12,
        bgpLocalRouterId: '10.0.0.1',
        defaultLocPrf: 100,
        localAS: 64512,
        numPrefix: 1,
        totalPrefix: 1,
        numPaths: 2,
        totalPaths: 2,
        [`[2]:[0]:[48]:[${MAC}]`]: {
          paths: [
            [
              {
                valid: true,
                bestpath: true,
                routeType: 2,
                extendedCommunity: { string: 'RT:64514:110 ET:8 MM:0, sticky MAC' },
                aspath: { string: '64512 64514' },
                nexthops: ['junk', { ip: '100.65.0.1' }],
              },
              'junk',
              { valid: true, routeType: 2, extendedCommunity: {}, aspath: {}, nexthops: 'junk' },
            ],
          ],
        },
      },
      src,
    );
    expect(routes).toHaveLength(1);
    expect(Object.keys(routes[0]!)).toEqual(['prefix', 'type', 'mac', 'ip', 'paths']);
    expect(routes[0]!.paths).toEqual([
      {
        valid: true,
        best: true,
        nexthop: '100.65.0.1',
        asPath: '64512 64514',
        extendedCommunity: 'RT:64514:110 ET:8 MM:0, sticky MAC',
        macMobilitySeq: 0,
        routeTargets: ['64514:110'],
        sticky: true,
      },
      {
        valid: true,
        best: false,
        asPath: '',
        extendedCommunity: '',
        macMobilitySeq: 0,
        routeTargets: [],
      },
    ]);
    expect('sticky' in routes[0]!.paths[1]!).toBe(false);
  });

  it("VNIs keyed by number; MACs of every VNI; an ARP cache's counters, a neighbor with no MAC, a duplicate", () => {
    expect(parseEvpnVnis({ '110': { vni: 110 }, '120': { type: 'L2' } }, src).map((v) => v.vni)).toEqual([110, 120]);
    expect(parseEvpnMacs({ '110': { macs: { [MAC]: { type: 'local' } } } }, src)).toEqual([
      {
        mac: MAC,
        type: 'local',
        localSequence: 0,
        remoteSequence: 0,
        detectionCount: 0,
        isDuplicate: false,
        vni: 110,
      },
    ]);
    expect(
      parseEvpnArpCache(
        {
          numArpNd: 2,
          numArpNdDup: 1,
          '192.170.1.3': { type: 'remote', isDuplicate: true, detectionCount: 3 },
          'fe80::ff:fe00:103': { type: 'remote', mac: '02:AA:66:4A:F2:D5' },
        },
        src,
      ),
    ).toEqual([
      { ip: '192.170.1.3', type: 'remote', detectionCount: 3, isDuplicate: true },
      { ip: 'fe80::ff:fe00:103', type: 'remote', mac: '02:aa:66:4a:f2:d5', detectionCount: 0, isDuplicate: false },
    ]);
  });

  it('interfaces: addresses of junk skipped, none listed, no hardware address', () => {
    expect(
      parseInterfaces(
        {
          eth0: { operationalStatus: 'up', ipAddresses: [{ address: '10.0.0.1/31' }, 'x', { address: 5 }, null] },
          lo: { operationalStatus: 'up' },
        },
        src,
      ),
    ).toEqual([
      { name: 'eth0', addresses: ['10.0.0.1/31'] },
      { name: 'lo', addresses: [] },
    ]);
  });

  it('VRF tables: the unknown-VRF warning; junk paths and next hops; a path with no next hop', () => {
    expect(parseBgpRoutes({ warning: 'View/Vrf is unknown' }, src)).toEqual([]);
    expect(
      parseBgpRoutes(
        {
          routes: {
            '192.168.20.0/24': [
              'junk',
              { valid: true, bestpath: { overall: true }, nexthops: [null, { ip: '100.64.0.1' }] },
              { valid: true, nexthops: 'junk' },
            ],
          },
        },
        src,
      ),
    ).toEqual([
      {
        prefix: '192.168.20.0/24',
        paths: [
          { valid: true, best: true, nexthop: '100.64.0.1' },
          { valid: true, best: false },
        ],
      },
    ]);
  });
});

// The parsers on small JSON documents written here in each shape FRR prints (see
// helpers/nos/frr/json.ts and test/data/SOURCES.md for where each shape is seen), each
// compared whole with the records expected: a dropped key, alias or condition shows.
// Only shapes FRR prints: what a parser does with anything else is its refusal's
// business (issue #13), not asserted here.
import { describe, it, expect } from 'vitest';
import {
  parseBgpSummary,
  parseNegotiatedFamilies,
  parseEvpnRoutes,
  parseEvpnVnis,
  parseEvpnMacs,
  parseBgpRoutes,
} from '../helpers/nos/frr/json.ts';
import { bestPath } from '../helpers/nos/records.ts';

const peer = {
  vrf: 'default',
  afi: 'ipv4Unicast',
  address: '192.168.1.1',
  state: 'Established',
  remoteAs: 64520,
  hostname: 'leafA',
  dynamic: false,
  prefixesReceived: 3,
};

describe('BGP summaries', () => {
  it('AF-keyed (show bgp summary json): every family, every peer, aliases of state and received prefixes', () => {
    const data = {
      ipv4Unicast: {
        vrfName: 'default',
        peers: { '192.168.1.1': { state: 'Established', remoteAs: 64520, hostname: 'leafA', pfxRcd: 3 } },
      },
      l2VpnEvpn: {
        peers: { '192.168.11.4': { peerState: 'OK', remoteAs: '64514', dynamicPeer: true, prefixReceivedCount: '12' } },
      },
    };
    expect(parseBgpSummary(data)).toEqual([
      peer,
      {
        vrf: 'default',
        afi: 'l2VpnEvpn',
        address: '192.168.11.4',
        state: 'OK',
        remoteAs: 64514,
        hostname: undefined,
        dynamic: true,
        prefixesReceived: 12,
      },
    ]);
  });

  it('every address family FRR keys a summary by', () => {
    const afs = [
      'ipv4Unicast',
      'ipv6Unicast',
      'l2VpnEvpn',
      'ipv4Multicast',
      'ipv4Vpn',
      'ipv6Vpn',
      'ipv4Flowspec',
      'ipv4LabeledUnicast',
    ];
    const data = Object.fromEntries(
      afs.map((af) => [af, { vrfName: 'default', peers: { '192.168.1.1': { state: 'Established' } } }]),
    );
    expect(parseBgpSummary(data).map((p) => `${p.vrf}/${p.afi}`)).toEqual(afs.map((af) => `default/${af}`));
  });

  it('VRF-keyed (show bgp vrf all summary json): the VRF name from the document, else from the key', () => {
    const data = {
      default: {
        ipv4Unicast: {
          vrfName: 'default',
          peers: { '192.168.1.1': { state: 'Established', remoteAs: 64520, hostname: 'leafA', pfxRcd: 3 } },
        },
      },
      red: { ipv4Unicast: { peers: { '10.0.0.2': { state: 'Active' } } } },
    };
    expect(parseBgpSummary(data)).toEqual([
      peer,
      {
        vrf: 'red',
        afi: 'ipv4Unicast',
        address: '10.0.0.2',
        state: 'Active',
        remoteAs: undefined,
        hostname: undefined,
        dynamic: false,
        prefixesReceived: undefined,
      },
    ]);
  });

  it('one family (show bgp ipv4 unicast summary json), the family and VRF given by the caller', () => {
    const data = {
      routerId: '1.1.1.1',
      peers: { '192.168.1.1': { remoteAs: 64520, hostname: 'leafA', pfxRcd: 3, state: 'Established' } },
    };
    expect(parseBgpSummary(data, { afi: 'ipv4Unicast' })).toEqual([peer]);
    expect(parseBgpSummary(data, { vrf: 'red', afi: 'l2VpnEvpn' })[0]).toMatchObject({ vrf: 'red', afi: 'l2VpnEvpn' });
    expect(parseBgpSummary(data)[0]).toMatchObject({ vrf: 'default', afi: 'unknown' });
  });

  it('numbers as numbers or as strings of digits', () => {
    const at = (remoteAs: unknown) =>
      parseBgpSummary({ peers: { '192.168.1.1': { state: 'Established', remoteAs } } })[0]!.remoteAs;
    expect([at(64520), at('64520')]).toEqual([64520, 64520]);
  });
});

describe('negotiated families (show bgp neighbors json)', () => {
  it('both sides, one side, neither; neighbors without capabilities are left out', () => {
    const mp = {
      ipv4Unicast: { advertisedAndReceived: true, advertised: true, received: true },
      l2VpnEvpn: { advertised: true },
      ipv6Unicast: { received: true },
      ipv4Vpn: {},
    };
    const data = {
      '192.168.1.1': { bgpState: 'Established', neighborCapabilities: { multiprotocolExtensions: mp } },
      '192.168.1.3': { bgpState: 'Established', neighborCapabilities: {} },
      '192.168.1.5': { bgpState: 'Idle' },
    };
    expect(parseNegotiatedFamilies(data)).toEqual(
      new Map([
        [
          '192.168.1.1',
          new Map([
            ['ipv4Unicast', 'both'],
            ['l2VpnEvpn', 'local only'],
            ['ipv6Unicast', 'peer only'],
          ]),
        ],
      ]),
    );
  });
});

describe('EVPN routes', () => {
  const path = {
    valid: true,
    bestpath: true,
    aspath: { string: '64612 64512 64514' },
    peerId: '192.168.1.0',
    extendedCommunity: { string: 'RT:64514:100 RT:64514:110 ET:8 MM:12 Rmac:aa:bb:cc:00:01:64' },
    nexthops: [{ ip: '100.65.0.1' }, { ip: '100.65.0.9' }],
  };

  it('flat and nested paths, every field of a path, fields of the prefix', () => {
    const data = {
      '100.65.0.1:3': {
        rd: '100.65.0.1:3',
        '[2]:[0]:[48]:[02:00:00:00:01:03]:[32]:[192.170.1.3]': { paths: [path] },
        '[3]:[0]:[32]:[100.65.0.1]': {
          paths: [[{ valid: false, path: '64514', extendedCommunity: { string: 'RT:64514:110 ET:8' }, nexthops: [] }]],
        },
      },
      '100.64.0.1:2': {
        rd: '100.64.0.1:2',
        '[5]:[0]:[24]:[192.168.20.0]': {
          paths: [{ valid: true, bestpath: { overall: true }, nexthops: [{ ip: '100.64.0.1' }] }],
        },
        '[1]:[03:00:00:00:00:00:aa:00:00:01]:[0]': { paths: [] },
        '[4]:[03:00:00:00:00:00:aa:00:00:01]:[32]:[100.64.0.1]': { paths: [] },
      },
      numPrefix: 3,
    };
    expect(parseEvpnRoutes(data)).toEqual([
      {
        rd: '100.65.0.1:3',
        prefix: '[2]:[0]:[48]:[02:00:00:00:01:03]:[32]:[192.170.1.3]',
        type: 2,
        mac: '02:00:00:00:01:03',
        ip: '192.170.1.3',
        paths: [
          {
            valid: true,
            best: true,
            nexthop: '100.65.0.1',
            peerId: '192.168.1.0',
            asPath: '64612 64512 64514',
            extendedCommunity: 'RT:64514:100 RT:64514:110 ET:8 MM:12 Rmac:aa:bb:cc:00:01:64',
            macMobilitySeq: 12,
            routeTargets: ['64514:100', '64514:110'],
            routerMac: 'aa:bb:cc:00:01:64',
          },
        ],
      },
      {
        rd: '100.65.0.1:3',
        prefix: '[3]:[0]:[32]:[100.65.0.1]',
        type: 3,
        mac: undefined,
        ip: '100.65.0.1',
        paths: [
          {
            valid: false,
            best: false,
            nexthop: undefined,
            peerId: undefined,
            asPath: '64514',
            extendedCommunity: 'RT:64514:110 ET:8',
            macMobilitySeq: 0,
            routeTargets: ['64514:110'],
            routerMac: undefined,
          },
        ],
      },
      {
        rd: '100.64.0.1:2',
        prefix: '[5]:[0]:[24]:[192.168.20.0]',
        type: 5,
        mac: undefined,
        ip: '192.168.20.0',
        paths: [
          {
            valid: true,
            best: true,
            nexthop: '100.64.0.1',
            peerId: undefined,
            asPath: '',
            extendedCommunity: '',
            macMobilitySeq: 0,
            routeTargets: [],
            routerMac: undefined,
          },
        ],
      },
      {
        rd: '100.64.0.1:2',
        prefix: '[1]:[03:00:00:00:00:00:aa:00:00:01]:[0]',
        type: 1,
        mac: undefined,
        ip: undefined,
        paths: [],
      },
      // Ethernet-segment routes: only their type is read.
      {
        rd: '100.64.0.1:2',
        prefix: '[4]:[03:00:00:00:00:00:aa:00:00:01]:[32]:[100.64.0.1]',
        type: 4,
        mac: undefined,
        ip: undefined,
        paths: [],
      },
    ]);
  });

  it('the route type, MAC and IP of a path override those read from the prefix', () => {
    const [r] = parseEvpnRoutes({
      rd: { '[2]:[0]:[48]:[aa]': { paths: [{ routeType: 2, mac: '02:00:00:00:00:01', ip: '10.0.0.1' }] } },
    });
    expect([r!.type, r!.mac, r!.ip]).toEqual([2, '02:00:00:00:00:01', '10.0.0.1']);
    const [s] = parseEvpnRoutes({ rd: { '[2]:[0]:[48]:[aa]': { paths: [{ routeType: '3' }] } } });
    expect([s!.type, s!.mac]).toEqual([3, 'aa']);
  });

  it('the best path: the flagged one, else the only one, else none', () => {
    const route = (paths: Array<{ best: boolean; nexthop: string }>) => ({
      rd: 'r',
      prefix: 'p',
      type: 2,
      paths: paths.map((p) => ({
        valid: true,
        asPath: '',
        extendedCommunity: '',
        macMobilitySeq: 0,
        routeTargets: [],
        ...p,
      })),
    });
    expect(
      bestPath(
        route([
          { best: false, nexthop: 'a' },
          { best: true, nexthop: 'b' },
        ]),
      )?.nexthop,
    ).toBe('b');
    expect(bestPath(route([{ best: false, nexthop: 'a' }]))?.nexthop).toBe('a');
    expect(
      bestPath(
        route([
          { best: false, nexthop: 'a' },
          { best: false, nexthop: 'b' },
        ]),
      ),
    ).toBeUndefined();
    expect(bestPath(route([]))).toBeUndefined();
  });
});

describe('zebra EVPN', () => {
  it('one VNI (show evpn vni N json), with every alias', () => {
    expect(
      parseEvpnVnis({
        vni: 110,
        type: 'L2',
        vxlanInterface: 'vni110',
        vtepIp: '100.65.0.1',
        numRemoteVteps: ['100.65.1.1', 5],
      }),
    ).toEqual([
      { vni: 110, type: 'L2', vxlanInterface: 'vni110', vtepIp: '100.65.0.1', remoteVteps: ['100.65.1.1', '5'] },
    ]);
    expect(
      parseEvpnVnis({
        vni: '110',
        vxlanIf: 'vx',
        numRemoteVteps: 'n/a',
        remoteVteps: [{ ip: '1.1.1.1', flood: 'HER' }, { flood: 'x' }],
      }),
    ).toEqual([{ vni: 110, type: 'unknown', vxlanInterface: 'vx', vtepIp: undefined, remoteVteps: ['1.1.1.1'] }]);
  });

  it('keyed by VNI (show evpn vni json / detail json), the key standing in for a missing vni', () => {
    expect(
      parseEvpnVnis({
        '110': { type: 'L2', numRemoteVteps: 1, remoteVteps: ['100.65.1.1'] },
        '100': { vni: 100, type: 'L3' },
      }),
    ).toEqual([
      { vni: 100, type: 'L3', vxlanInterface: undefined, vtepIp: undefined, remoteVteps: [] },
      { vni: 110, type: 'L2', vxlanInterface: undefined, vtepIp: undefined, remoteVteps: ['100.65.1.1'] },
    ]);
  });

  it('MAC tables of one VNI and of all VNIs', () => {
    const one = {
      numMacs: 2,
      macs: {
        '02:00:00:00:01:03': {
          type: 'remote',
          remoteVtep: '100.65.0.1',
          localSequence: '1',
          remoteSequence: 2,
          isDuplicate: 'true',
        },
        '02:00:00:00:01:1e': { type: 'local', intf: 'pe-110', detectionCount: 1 },
      },
    };
    const macs = [
      {
        mac: '02:00:00:00:01:03',
        type: 'remote',
        remoteVtep: '100.65.0.1',
        intf: undefined,
        localSequence: 1,
        remoteSequence: 2,
        detectionCount: 0,
        isDuplicate: false,
      },
      {
        mac: '02:00:00:00:01:1e',
        type: 'local',
        remoteVtep: undefined,
        intf: 'pe-110',
        localSequence: 0,
        remoteSequence: 0,
        detectionCount: 1,
        isDuplicate: false,
      },
    ];
    expect(parseEvpnMacs(one)).toEqual(macs);
    expect(parseEvpnMacs({ '110': one, '111': { numMacs: 0, macs: {} } })).toEqual(
      macs.map((m) => ({ ...m, vni: 110 })),
    );
  });
});

describe('unicast tables (show bgp vrf X ipv4 unicast json)', () => {
  it('every prefix with its paths, the first next hop of each', () => {
    const data = {
      vrfName: 'red',
      routes: {
        '192.168.20.0/24': [
          { valid: true, bestpath: true, nexthops: [{ ip: '100.64.0.1' }, { ip: '100.64.0.9' }] },
          { nexthops: [{ ip: '100.64.0.2' }] },
        ],
      },
    };
    expect(parseBgpRoutes(data)).toEqual([
      {
        prefix: '192.168.20.0/24',
        paths: [
          { valid: true, best: true, nexthop: '100.64.0.1' },
          { valid: false, best: false, nexthop: '100.64.0.2' },
        ],
      },
    ]);
  });
});

// The EOS and SR Linux normalizers at their edges: every guard refuses what it must with
// the words a reader needs, and every field reads the leaf it claims (the mutation run
// holds these to account). Documents here are minimal shapes, not captures.
import { describe, it, expect } from 'vitest';
import { UnrecognizedJson } from '../helpers/nos/records.ts';
import {
  colonMac,
  parseEosBgpNeighbors,
  parseEosBgpSummary,
  parseEosEvpnRoutes,
  parseEosSummaryNegotiation,
  parseEosVersion,
  parseEosVxlanAddressTable,
  parseEosVxlanInterface,
} from '../helpers/nos/eos/normalize.ts';
import {
  parseSrlAttrSets,
  parseSrlBgpNeighbors,
  parseSrlBridgeTable,
  parseSrlEvpnRoutes,
  parseSrlMulticastDestinations,
  parseSrlVersion,
} from '../helpers/nos/srlinux/normalize.ts';

const src = { router: 'r1', command: 'c1' };

function refuses(fn: () => unknown, expected: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UnrecognizedJson);
  expect((error as Error).message).toContain(`r1: \`c1\` printed JSON of a shape l2stretch does not know`);
  expect((error as Error).message).toContain(`expected ${expected}`);
}

type J = Record<string, unknown>;
const vrfs = (v: unknown) => ({ vrfs: { default: v } });
const peer = (p: J) => vrfs({ peers: { '1.1.1.1': p } });

describe('EOS summary and neighbors', () => {
  it('refuses each malformed level by name', () => {
    refuses(() => parseEosBgpSummary({ vrfs: { default: 5 } }, {}, src), 'VRF default: an object');
    refuses(() => parseEosBgpSummary(vrfs({}), {}, src), 'VRF default: {peers}');
    refuses(() => parseEosBgpSummary(peer({}), {}, src), 'peer 1.1.1.1: {peerState}');
    refuses(() => parseEosBgpSummary(vrfs({ peers: { '1.1.1.1': 'x' } }), {}, src), 'peer 1.1.1.1: {peerState}');
    refuses(
      () => parseEosBgpSummary(peer({ peerState: 'Established' }), {}, src),
      'peer 1.1.1.1: one object per address family with afiSafiState',
    );
    refuses(() => parseEosBgpNeighbors(vrfs({}), src), 'VRF default: {peerList: […]}');
    refuses(
      () => parseEosBgpNeighbors(vrfs({ peerList: [{ peerAddress: '1.1.1.1' }] }), src),
      'VRF default: peers with peerAddress and state',
    );
    refuses(
      () => parseEosBgpNeighbors(vrfs({ peerList: [{ state: 'Idle' }] }), src),
      'VRF default: peers with peerAddress and state',
    );
    refuses(() => parseEosBgpNeighbors(vrfs({ peerList: [7] }), src), 'VRF default: peers with peerAddress and state');
    refuses(() => parseEosBgpNeighbors({}, src), '{vrfs: {<vrf>: {peerList: [{peerAddress, state, …}]}}}');
  });

  it('AS numbers: asplain, asdot, peerAsn; anything else is no AS', () => {
    const as = (asn: unknown, key = 'asn') =>
      parseEosBgpSummary(peer({ peerState: 'Idle', [key]: asn }), { afi: 'x' }, src)[0]!.remoteAs;
    expect(as('65002')).toBe(65002);
    expect(as('1.2')).toBe(65538);
    expect(as('1.2.3')).toBeUndefined();
    expect(as('x1.2')).toBeUndefined();
    expect(as('1.2x')).toBeUndefined();
    expect(as('64512', 'peerAsn')).toBe(64512);
    expect(parseEosBgpSummary(peer({ peerState: 'Idle', prefixReceived: 3 }), { afi: 'x' }, src)).toEqual([
      {
        vrf: 'default',
        address: '1.1.1.1',
        state: 'Idle',
        remoteAs: undefined,
        dynamic: false,
        afi: 'x',
        prefixesReceived: 3,
      },
    ]);
  });

  it('afiSafiState: negotiated, advertised, received, anything else unknown; non-family keys skipped', () => {
    const one = {
      '1.1.1.1': {
        peerState: 'Established',
        peerAsn: '1',
        a: { afiSafiState: 'negotiated' },
        b: { afiSafiState: 'advertised' },
        c: { afiSafiState: 'received' },
        d: { afiSafiState: 'disabled' },
        e: { afiSafiState: 5 },
        f: 'text',
      },
    };
    const data = vrfs({ peers: { ...one, '2.2.2.2': 'not a peer' } });
    expect(parseEosSummaryNegotiation(data, src)).toEqual(
      new Map([
        [
          '1.1.1.1',
          new Map([
            ['a', 'both'],
            ['b', 'local only'],
            ['c', 'peer only'],
          ]),
        ],
      ]),
    );
    expect(parseEosBgpSummary(vrfs({ peers: one }), {}, src).map((p) => p.afi)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('capabilities: sent and received, sent only, received only, neither; a session not up dropped every one', () => {
    const [n] = parseEosBgpNeighbors(
      vrfs({
        peerList: [
          {
            peerAddress: '1.1.1.1',
            state: 'Active',
            establishedTransitions: 3,
            neighborCapabilities: {
              multiprotocolCaps: {
                a: { advertised: true, received: true },
                b: { advertised: true },
                c: { received: true },
                d: { enabled: true },
                e: 'x',
              },
            },
          },
        ],
      }),
      src,
    );
    expect(n).toEqual({
      address: '1.1.1.1',
      state: 'Active',
      connectionsEstablished: 3,
      connectionsDropped: 3,
      families: new Map([
        ['a', 'both'],
        ['b', 'local only'],
        ['c', 'peer only'],
      ]),
    });
  });
});

const route = (key: J, paths: unknown[] = []) => ({
  evpnRoutes: { k1: { routeKeyDetail: key, evpnRoutePaths: paths } },
});

describe('EOS EVPN routes', () => {
  it('refuses what is not a route table', () => {
    const shape = '{evpnRoutes: {<key>: {routeKeyDetail: {rd, nlriType, …}, evpnRoutePaths: […]}}}';
    refuses(() => parseEosEvpnRoutes(5, src), shape);
    refuses(() => parseEosEvpnRoutes({ evpnRoutes: [] }, src), shape);
    refuses(() => parseEosEvpnRoutes({ evpnRoutes: { k1: 5 } }, src), 'k1: {routeKeyDetail, evpnRoutePaths}');
    refuses(() => parseEosEvpnRoutes({ evpnRoutes: { k1: { routeKeyDetail: {} } } }, src), 'k1: {routeKeyDetail');
    refuses(() => parseEosEvpnRoutes({ evpnRoutes: { k1: { evpnRoutePaths: [] } } }, src), 'k1: {routeKeyDetail');
    refuses(() => parseEosEvpnRoutes(route({ rd: '1:1' }), src), 'k1: nlriType one of auto-discovery, mac-ip, imet');
    refuses(() => parseEosEvpnRoutes(route({ nlriType: 'imet' }, [{}]), src), 'k1: paths with routeType');
    refuses(() => parseEosEvpnRoutes(route({ nlriType: 'imet' }, [5]), src), 'k1: paths with routeType');
  });

  it('each path field from its leaf; communities anchored to their names', () => {
    const [r] = parseEosEvpnRoutes(
      route({ nlriType: 'ip-prefix', rd: '1:1' }, [
        {
          nextHop: '10.0.0.1',
          asPathEntry: { asPath: '1 2' },
          routeType: { valid: false, active: false },
          routeDetail: {
            extCommunities: [
              'Route-Target-AS:1:1',
              'xRoute-Target-AS:2:2',
              'Route-Target-AS:',
              'EvpnRouterMac:aa',
              'xEvpnRouterMac:bb',
              'xEvpnMacMobility:9',
              7,
            ],
          },
        },
        { routeType: { valid: true, active: true }, routeDetail: { extCommunities: ['EvpnMacMobility:12'] } },
        { routeType: {}, routeDetail: { extCommunities: 'x' } },
      ]),
      src,
    );
    expect(r).toEqual({ rd: '1:1', prefix: 'k1', type: 5, paths: expect.any(Array) });
    expect(r!.paths).toEqual([
      {
        valid: false,
        best: false,
        nexthop: '10.0.0.1',
        asPath: '1 2',
        extendedCommunity:
          'Route-Target-AS:1:1 xRoute-Target-AS:2:2 Route-Target-AS: ' +
          'EvpnRouterMac:aa xEvpnRouterMac:bb xEvpnMacMobility:9 7',
        macMobilitySeq: 0,
        routeTargets: ['1:1'],
        routerMac: 'aa',
      },
      {
        valid: true,
        best: true,
        nexthop: undefined,
        asPath: '',
        extendedCommunity: 'EvpnMacMobility:12',
        macMobilitySeq: 12,
        routeTargets: [],
        routerMac: undefined,
      },
      {
        valid: false,
        best: false,
        nexthop: undefined,
        asPath: '',
        extendedCommunity: '',
        macMobilitySeq: 0,
        routeTargets: [],
        routerMac: undefined,
      },
    ]);
  });

  it('route fields: type-5 prefix address, type-2 without IP, MACs dotted or not', () => {
    const one = (key: J) => parseEosEvpnRoutes(route(key), src)[0];
    expect(one({ nlriType: 'ip-prefix' })).toEqual({ rd: undefined, prefix: 'k1', type: 5, paths: [] });
    expect(one({ nlriType: 'ip-prefix', ipGenPrefix: '10.0.0.0/24' })!.ip).toBe('10.0.0.0');
    expect(one({ nlriType: 'mac-ip', mac: 'AABB.CCDD.EEFF' })).toEqual({
      rd: undefined,
      prefix: 'k1',
      type: 2,
      mac: 'aa:bb:cc:dd:ee:ff',
      paths: [],
    });
    expect(one({ nlriType: 'imet', ipGenAddr: '1.1.1.1' })).toMatchObject({ type: 3, ip: '1.1.1.1' });
    expect(one({ nlriType: 'auto-discovery' })!.type).toBe(1);
    expect(one({ nlriType: 'ethernet-segment' })!.type).toBe(4);
    expect(colonMac('AABB.CCDD.EEFF.00')).toBe('aabb.ccdd.eeff.00');
    expect(colonMac('00AABB.CCDD.EEFF')).toBe('00aabb.ccdd.eeff');
    expect(colonMac('aa-bb-cc-dd-ee-ff')).toBe('aa:bb:cc:dd:ee:ff');
  });
});

describe('EOS VXLAN, MAC table, version', () => {
  const vx = (v: unknown) => ({ interfaces: { Vxlan1: v } });
  it('refuses what is not one VXLAN interface with a VLAN map', () => {
    const shape = '{interfaces: {Vxlan1: {srcIpAddr, vlanToVniMap, vlanToVtepList}}}';
    refuses(() => parseEosVxlanInterface(5, src), shape);
    refuses(() => parseEosVxlanInterface({ interfaces: 5 }, src), shape);
    refuses(() => parseEosVxlanInterface({ interfaces: { a: {}, b: {} } }, src), `one VXLAN interface: ${shape}`);
    refuses(() => parseEosVxlanInterface(vx({}), src), 'one VXLAN interface');
    refuses(() => parseEosVxlanInterface(vx(5), src), 'one VXLAN interface');
    refuses(() => parseEosVxlanInterface(vx({ vlanToVniMap: { 10: {} } }), src), 'VLAN 10: {vni, source}');
    refuses(() => parseEosVxlanInterface(vx({ vlanToVniMap: { 10: 5 } }), src), 'VLAN 10: {vni, source}');
  });

  it('flood lists in IPv4 and IPv6; a VNI without one floods nowhere', () => {
    const vnis = parseEosVxlanInterface(
      vx({
        vlanToVniMap: { 10: { vni: 1010 }, 20: { vni: 1020, source: 'evpn' } },
        vlanToVtepList: { 10: { remoteVtepAddr: ['1.1.1.1', 5], remoteVtepAddr6: ['fd00::1'] }, 20: 'x' },
      }),
      src,
    );
    expect(vnis).toEqual([
      {
        vni: 1010,
        vlan: 10,
        type: 'L2',
        vxlanInterface: 'Vxlan1',
        vtepIp: undefined,
        remoteVteps: ['1.1.1.1', '5', 'fd00::1'],
      },
      { vni: 1020, vlan: 20, type: 'L3', vxlanInterface: 'Vxlan1', vtepIp: undefined, remoteVteps: [] },
    ]);
  });

  it('address table: refusals, and the type of each entry', () => {
    refuses(() => parseEosVxlanAddressTable({}, src), '{addresses: [{macAddress, vtep, …}]}');
    refuses(() => parseEosVxlanAddressTable(5, src), '{addresses: [{macAddress, vtep, …}]}');
    for (const a of [5, { vlanId: 1 }, { macAddress: 'aa', vlanId: 'x' }])
      refuses(() => parseEosVxlanAddressTable({ addresses: [a] }, src), 'addresses with macAddress and vlanId');
    const types = parseEosVxlanAddressTable(
      {
        addresses: [
          { macAddress: 'aa', vlanId: 1, addrType: 'static' },
          { macAddress: 'aa', vlanId: 1, addrType: 'learned' },
          { macAddress: 'aa', vlanId: 1 },
        ],
      },
      src,
    );
    expect(types.map((m) => m.type)).toEqual(['remote', 'learned', 'unknown']);
    expect(types[0]).toEqual({
      mac: 'aa',
      vlan: 1,
      type: 'remote',
      remoteVtep: undefined,
      intf: undefined,
      localSequence: 0,
      remoteSequence: 0,
      isDuplicate: false,
    });
  });

  it('version refusal names what it expected', () => {
    refuses(() => parseEosVersion(5, src), '{version, modelName, …}');
  });
});

const ni = (inner: J) => ({ 'network-instance': [{ name: 'default', ...inner }] });

describe('SR Linux neighbors', () => {
  const what = '{neighbor: [{peer-address, session-state, afi-safi, …}]} under network-instance default, bgp';
  const one = (n: J) => parseSrlBgpNeighbors({ neighbor: [{ 'peer-address': '1.1.1.1', ...n }] }, src);

  it('refusals', () => {
    refuses(() => parseSrlBgpNeighbors({ neighbor: 5 }, src), what);
    refuses(() => parseSrlBgpNeighbors(5, src), what);
    refuses(() => parseSrlBgpNeighbors({ 'network-instance': 5 }, src), `${what}: a list network-instance`);
    refuses(
      () => parseSrlBgpNeighbors({ 'network-instance': [{ name: 'mgmt' }, 5] }, src),
      `${what}: network-instance with name default (seen: mgmt, )`,
    );
    refuses(() => parseSrlBgpNeighbors(ni({ protocols: { bgp: 5 } }), src), what);
    refuses(() => one({}), 'neighbors with peer-address and session-state');
    refuses(
      () => parseSrlBgpNeighbors({ neighbor: [{ 'session-state': 'idle' }] }, src),
      'neighbors with peer-address',
    );
    refuses(() => parseSrlBgpNeighbors({ neighbor: [5] }, src), 'neighbors with peer-address');
    refuses(
      () => one({ 'session-state': 'idle', 'afi-safi': [{ 'admin-state': 'enable' }] }),
      'neighbor 1.1.1.1: afi-safi entries with afi-safi-name',
    );
  });

  it('states, families, counters, dynamic neighbors', () => {
    const r = one({
      'session-state': 'connect',
      'dynamic-neighbor': true,
      'peer-as': 7,
      'established-transitions': '2',
      'last-established': '2026-01-01T00:00:00Z',
      'received-afi-safi': ['srl_nokia-common:ipv4-unicast', 'srl_nokia-common:ipv6-unicast', 5],
      'afi-safi': [
        { 'afi-safi-name': 'srl_nokia-common:ipv4-unicast', 'admin-state': 'enable', 'received-routes': '4' },
        { 'afi-safi-name': 'ipv6-unicast', 'admin-state': 'disable' },
        { 'afi-safi-name': 'evpn', 'admin-state': 'enable' },
        { 'afi-safi-name': 'route-target', 'admin-state': 'disable' },
        'x',
      ],
    });
    expect(r.peers).toEqual([
      {
        vrf: 'default',
        afi: 'ipv4Unicast',
        address: '1.1.1.1',
        state: 'Connect',
        remoteAs: 7,
        dynamic: true,
        prefixesReceived: 4,
      },
      {
        vrf: 'default',
        afi: 'l2VpnEvpn',
        address: '1.1.1.1',
        state: 'Connect',
        remoteAs: 7,
        dynamic: true,
        prefixesReceived: undefined,
      },
    ]);
    expect(r.neighbors).toEqual([
      {
        address: '1.1.1.1',
        state: 'Connect',
        connectionsEstablished: 2,
        connectionsDropped: 2,
        families: new Map([
          ['ipv4Unicast', 'both'],
          ['ipv6Unicast', 'peer only'],
          ['l2VpnEvpn', 'local only'],
        ]),
      },
    ]);
    const states = ['idle', 'active', 'opensent', 'openconfirm', 'odd'].map(
      (s) => one({ 'session-state': s }).neighbors[0]!.state,
    );
    expect(states).toEqual(['Idle', 'Active', 'OpenSent', 'OpenConfirm', 'odd']);
    const up = one({ 'session-state': 'established' }).neighbors[0]!;
    expect(up).toEqual({
      address: '1.1.1.1',
      state: 'Established',
      connectionsEstablished: 0,
      connectionsDropped: 0,
      families: new Map(),
    });
    expect(one({ 'session-state': 'established', 'received-afi-safi': 'x', 'afi-safi': 'x' }).peers).toEqual([]);
  });
});

describe('SR Linux EVPN routes', () => {
  const sets = (s: unknown[]) => parseSrlAttrSets({ 'attr-set': s }, src);

  it('attr-sets: refusals, AS path over segments, no communities', () => {
    const what = '{attr-set: [{index, next-hop, communities, …}]} under bgp-rib, attr-sets';
    refuses(() => parseSrlAttrSets({ 'attr-set': 5 }, src), what);
    refuses(() => sets([{ 'next-hop': '1.1.1.1' }]), 'attr-set entries with an index');
    refuses(() => sets([5]), 'attr-set entries with an index');
    const a = sets([
      { index: 1, 'as-path': { segment: [{ member: [1, 2] }, { member: [3] }, { member: 'x' }, 5] } },
      { index: 2, 'as-path': { segment: 'x' }, communities: { 'ext-community': 'x' } },
      { index: 3, 'as-path': 5 },
    ]);
    expect(a.get(1)).toEqual({ nexthop: undefined, communities: [], asPath: '1 2 3' });
    expect(a.get(2)).toEqual({ nexthop: undefined, communities: [], asPath: '' });
    expect(a.get(3)!.asPath).toBe('');
  });

  const attrs = sets([
    {
      index: 1,
      'next-hop': '10.0.0.1',
      'as-path': { segment: [{ member: [65000] }] },
      communities: {
        'ext-community': [
          'target:1:1',
          'xtarget:2:2',
          'mac-mobility:5',
          'xmac-mobility:6',
          'mac-nh:aa',
          'xmac-nh:bb',
          7,
        ],
      },
    },
    { index: 2, communities: { 'ext-community': ['mac-mobility:static', 'mac-nh:'] } },
    { index: 3, 'next-hop': '::', communities: { 'ext-community': ['mac-mobility:sticky/3'] } },
  ]);
  const rd = '1.1.1.1:1';

  it('path fields from the attr-set, anchored community names; sticky from the mobility community', () => {
    const routes = parseSrlEvpnRoutes(
      {
        'mac-ip-route': [
          { 'route-distinguisher': rd, 'mac-address': 'AA:BB:CC:DD:EE:FF', 'attr-id': 1, neighbor: '2.2.2.2' },
          {
            'route-distinguisher': rd,
            'mac-address': 'AA:BB:CC:DD:EE:FF',
            'attr-id': 2,
            'best-route': true,
            'last-modified': '2026-01-01T00:00:10.900Z',
          },
          { 'route-distinguisher': rd, 'mac-address': 'AA:BB:CC:DD:EE:FF', 'attr-id': 3, 'valid-route': true },
          { 'route-distinguisher': rd, 'mac-address': 'AA:BB:CC:DD:EE:FF', 'next-hop': '9.9.9.9' },
        ],
      },
      attrs,
      src,
    );
    expect(routes).toHaveLength(1);
    expect(routes[0]).toEqual({
      rd,
      prefix: '[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]',
      type: 2,
      mac: 'aa:bb:cc:dd:ee:ff',
      ip: undefined,
      paths: expect.any(Array),
    });
    expect(routes[0]!.paths).toEqual([
      {
        valid: false,
        best: false,
        nexthop: '10.0.0.1',
        peerId: '2.2.2.2',
        asPath: '65000',
        extendedCommunity: 'target:1:1 xtarget:2:2 mac-mobility:5 xmac-mobility:6 mac-nh:aa xmac-nh:bb 7',
        macMobilitySeq: 5,
        routeTargets: ['1:1'],
        routerMac: 'aa',
      },
      {
        valid: false,
        best: true,
        nexthop: undefined,
        peerId: undefined,
        asPath: '',
        extendedCommunity: 'mac-mobility:static mac-nh:',
        macMobilitySeq: 0,
        sticky: true,
        routeTargets: [],
        routerMac: undefined,
        lastUpdate: Date.parse('2026-01-01T00:00:10Z') / 1000,
      },
      {
        valid: true,
        best: false,
        nexthop: undefined,
        peerId: undefined,
        asPath: '',
        extendedCommunity: 'mac-mobility:sticky/3',
        macMobilitySeq: 3,
        sticky: true,
        routeTargets: [],
        routerMac: undefined,
      },
      {
        valid: false,
        best: false,
        nexthop: '9.9.9.9',
        peerId: undefined,
        asPath: '',
        extendedCommunity: '',
        macMobilitySeq: 0,
        routeTargets: [],
        routerMac: undefined,
      },
    ]);
  });

  it('route keys: Ethernet tag, MAC+IP, IPv6, type-3 originator, type-5 with and without a length leaf', () => {
    const routes = parseSrlEvpnRoutes(
      {
        'local-rib': {
          'mac-ip-route': [
            {
              'route-distinguisher': rd,
              'mac-address': 'AA:00:00:00:00:01',
              'ip-address': '10.0.0.5',
              'ethernet-tag-id': 100,
            },
            { 'route-distinguisher': rd, 'mac-address': 'AA:00:00:00:00:01', 'ip-address': 'fd00::5' },
          ],
          'imet-route': [{ 'route-distinguisher': rd, 'originating-router': '3.3.3.3' }],
          'ip-prefix-route': [
            { 'route-distinguisher': rd, 'ip-prefix': '10.1.0.0/16' },
            { 'route-distinguisher': rd, 'ip-prefix': '10.2.0.0', 'ip-prefix-length': 24 },
          ],
          'ethernet-ad-route': [],
        },
      },
      attrs,
      src,
    );
    expect(routes.map((r) => [r.type, r.prefix, r.ip])).toEqual([
      [2, '[2]:[100]:[48]:[aa:00:00:00:00:01]:[32]:[10.0.0.5]', '10.0.0.5'],
      [2, '[2]:[0]:[48]:[aa:00:00:00:00:01]:[32]:[fd00::5]', 'fd00::5'],
      [3, '[3]:[0]:[32]:[3.3.3.3]', '3.3.3.3'],
      [5, '[5]:[0]:[16]:[10.1.0.0]', '10.1.0.0'],
      [5, '[5]:[0]:[24]:[10.2.0.0]', '10.2.0.0'],
    ]);
  });

  it('refusals: a non-route list, a list that is not one, an entry without its keys', () => {
    const what =
      '{mac-ip-route, imet-route, ip-prefix-route} under bgp-rib, afi-safi evpn, evpn, local-rib or rib-in-post';
    refuses(() => parseSrlEvpnRoutes({ 'imet-route': [], summary: {} }, attrs, src), what);
    refuses(() => parseSrlEvpnRoutes({ 'rib-in-out': { 'rib-in-post': 5 } }, attrs, src), what);
    refuses(() => parseSrlEvpnRoutes({ 'imet-route': 5 }, attrs, src), 'imet-route: a list');
    for (const [list, entry] of [
      ['mac-ip-route', { 'mac-address': 'aa' }],
      ['mac-ip-route', { 'route-distinguisher': rd }],
      ['imet-route', { 'route-distinguisher': rd }],
      ['ip-prefix-route', { 'route-distinguisher': rd }],
      ['imet-route', 5],
    ] as const)
      refuses(
        () => parseSrlEvpnRoutes({ [list]: [entry] }, attrs, src),
        `${list} entries with route-distinguisher and their key leaves`,
      );
    refuses(
      () =>
        parseSrlEvpnRoutes(
          { 'imet-route': [{ 'route-distinguisher': rd, 'originating-router': '1.1.1.1', 'attr-id': 9 }] },
          attrs,
          src,
        ),
      `imet-route ${rd} [3]:[0]:[32]:[1.1.1.1]: attr-id 9 present in bgp-rib attr-sets`,
    );
    expect(parseSrlEvpnRoutes({}, attrs, src)).toEqual([]);
  });
});

describe('SR Linux VXLAN destinations, bridge tables, version', () => {
  const what = 'tunnel-interface[].vxlan-interface[].bridge-table.multicast-destinations.destination[{vtep, vni}]';
  it('multicast destinations: forms and refusals', () => {
    refuses(() => parseSrlMulticastDestinations(5, src), what);
    refuses(() => parseSrlMulticastDestinations([1, 2], src), what);
    refuses(() => parseSrlMulticastDestinations({ 'multicast-destinations': { other: 1 } }, src), what);
    refuses(() => parseSrlMulticastDestinations({ destination: [{ vni: 1 }] }, src), 'destinations with vtep and vni');
    refuses(() => parseSrlMulticastDestinations({ destination: [5] }, src), 'destinations with vtep and vni');
    expect(parseSrlMulticastDestinations({ 'multicast-destinations': {} }, src)).toEqual([]);
    expect(parseSrlMulticastDestinations([{ destination: [{ vtep: '1.1.1.1', vni: '7' }] }], src)).toEqual([
      { vni: 7, type: 'L2', vxlanInterface: undefined, remoteVteps: ['1.1.1.1'] },
    ]);
    expect(
      parseSrlMulticastDestinations(
        {
          'tunnel-interface': [
            {
              name: 'vxlan1',
              'vxlan-interface': [
                5,
                { index: 2 },
                {
                  index: 3,
                  'bridge-table': { 'multicast-destinations': { destination: [{ vtep: '2.2.2.2', vni: 3 }] } },
                },
              ],
            },
            { name: 'vxlan2' },
            5,
          ],
        },
        src,
      ),
    ).toEqual([{ vni: 3, type: 'L2', vxlanInterface: 'vxlan1.3', remoteVteps: ['2.2.2.2'] }]);
  });

  const bt = (b: unknown) => ({ 'network-instance': [{ name: 'mv', 'bridge-table': b }] });
  it('bridge tables: refusals, types, duplicate entries', () => {
    const w = '{mac-table: {mac: […]}, mac-duplication} under network-instance, bridge-table';
    refuses(() => parseSrlBridgeTable(bt({}), 'mv', src), w);
    refuses(() => parseSrlBridgeTable(bt({ 'mac-table': { mac: 5 } }), 'mv', src), `${w}: mac a list`);
    for (const m of [5, { address: 'aa' }, { type: 'evpn' }])
      refuses(
        () => parseSrlBridgeTable(bt({ 'mac-table': { mac: [m] } }), 'mv', src),
        'mac entries with address and type',
      );
    expect(parseSrlBridgeTable(bt({ 'mac-table': {} }), 'mv', src)).toEqual([]);
    const macs = parseSrlBridgeTable(
      bt({
        'mac-table': {
          mac: [
            { address: 'AA:00:00:00:00:01', type: 'evpn-static', destination: 'vtep:1.1.1.1' },
            { address: 'AA:00:00:00:00:02', type: 'duplicate', destination: 'ethernet-1/1.0' },
            { address: 'AA:00:00:00:00:03', type: 'static' },
          ],
        },
        'mac-duplication': { 'duplicate-entries': { mac: [{ address: 'AA:00:00:00:00:03' }, 5, { other: 1 }] } },
      }),
      'mv',
      src,
    );
    expect(macs).toEqual([
      {
        mac: 'aa:00:00:00:00:01',
        type: 'remote',
        remoteVtep: '1.1.1.1',
        localSequence: 0,
        remoteSequence: 0,
        isDuplicate: false,
      },
      {
        mac: 'aa:00:00:00:00:02',
        type: 'duplicate',
        intf: 'ethernet-1/1.0',
        localSequence: 0,
        remoteSequence: 0,
        isDuplicate: true,
      },
      { mac: 'aa:00:00:00:00:03', type: 'static', intf: '', localSequence: 0, remoteSequence: 0, isDuplicate: true },
    ]);
  });

  it('version: from the system tree or its content; a description without a copyright is the model', () => {
    expect(parseSrlVersion({ system: { information: { version: 'v1', description: 'box' } } }, src)).toEqual({
      version: 'v1',
      model: 'box',
    });
    expect(parseSrlVersion({ version: 'v2' }, src)).toEqual({ version: 'v2', model: undefined });
    refuses(() => parseSrlVersion({ description: 'x' }, src), '{version, description, …}');
    refuses(
      () => parseSrlVersion({ system: { information: 5 } }, src),
      '{version, description, …} under system, information',
    );
  });
});

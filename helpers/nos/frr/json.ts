// vtysh JSON turned into small typed records that read the same across FRR versions.
// Known differences (see the samples in ../shared/reference/frr-json): EVPN `paths`
// flat or an array of arrays; `bestpath` a bool or an object; `vni` a number or a
// string; `numRemoteVteps` a number, "n/a" or (8.4, one VNI) an array of IPs;
// `remoteVteps` strings or {ip, flood}; `pfxRcd` or `prefixReceivedCount`.
// A shape none of these accept is refused, naming the router, the command and the
// keys seen: read as empty, it would let a "must be absent" check pass on nothing.
import {
  isObject,
  negotiatedFamilies,
  num,
  refuse,
  str,
  type Json,
  type JsonSource,
  type BgpPeer,
  type BgpNeighbor,
  type FamilyNegotiation,
  type EvpnPath,
  type EvpnRoute,
  type EvpnVni,
  type EvpnMac,
  type EvpnNeighbor,
  type DuplicateDetection,
  type Interface,
  type UnicastRoute,
} from '../records.ts';

const UNNAMED: JsonSource = { router: '(unnamed router)', command: '(unnamed command)' };

// ---------------------------------------------------------------- BGP sessions

const AFI_KEYS = [
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
const SUMMARY_SHAPES = "an address family's summary ({peers}), one keyed by address family, or one keyed by VRF";

function peersOf(afSummary: unknown, vrf: string, afi: string, src: JsonSource): BgpPeer[] {
  if (!isObject(afSummary) || !isObject(afSummary.peers)) refuse(src, afSummary, `${afi}: {peers}`);
  return Object.entries(afSummary.peers).map(([address, p]) => {
    if (!isObject(p)) refuse(src, afSummary.peers, `peer ${address}: an object`);
    return {
      vrf: str(afSummary.vrfName) ?? vrf,
      afi,
      address,
      state: str(p.state) ?? str(p.peerState) ?? 'unknown',
      remoteAs: num(p.remoteAs),
      hostname: str(p.hostname),
      dynamic: p.dynamicPeer === true,
      prefixesReceived: num(p.pfxRcd) ?? num(p.prefixReceivedCount),
    };
  });
}

/**
 * Accepts `show bgp [vrf X] summary json` (AF-keyed), `show bgp vrf all summary json`
 * (VRF-keyed, then AF-keyed) and `show bgp <afi> <safi> summary json` (one AF; pass afi).
 * `{}` (no BGP instance) has no peers.
 */
export function parseBgpSummary(
  data: unknown,
  opts: { vrf?: string; afi?: string } = {},
  src: JsonSource = UNNAMED,
): BgpPeer[] {
  if (!isObject(data)) refuse(src, data, SUMMARY_SHAPES);
  if (isObject(data.peers)) return peersOf(data, opts.vrf ?? 'default', opts.afi ?? 'unknown', src);
  const keys = Object.keys(data);
  if (keys.some((k) => AFI_KEYS.includes(k))) {
    const other = keys.filter((k) => !AFI_KEYS.includes(k));
    if (other.length) refuse(src, data, `address families only, not ${other.join(', ')}`);
    return keys.flatMap((afi) => peersOf(data[afi], opts.vrf ?? 'default', afi, src));
  }
  if (opts.vrf !== undefined && keys.length) refuse(src, data, `VRF ${opts.vrf}: ${SUMMARY_SHAPES}`);
  return keys.flatMap((vrf) => parseBgpSummary(data[vrf], { vrf }, src));
}

function familiesOf(n: Json): Map<string, FamilyNegotiation> {
  const families = new Map<string, FamilyNegotiation>();
  const mp =
    isObject(n.neighborCapabilities) && isObject(n.neighborCapabilities.multiprotocolExtensions)
      ? n.neighborCapabilities.multiprotocolExtensions
      : {};
  for (const [afi, cap] of Object.entries(mp)) {
    if (!isObject(cap)) continue;
    if (cap.advertisedAndReceived === true) families.set(afi, 'both');
    else if (cap.advertised === true) families.set(afi, 'local only');
    else if (cap.received === true) families.set(afi, 'peer only');
  }
  return families;
}

/** `show bgp [vrf X] neighbors json`: keyed by neighbor address, each with its bgpState. */
export function parseBgpNeighbors(data: unknown, src: JsonSource = UNNAMED): BgpNeighbor[] {
  if (!isObject(data)) refuse(src, data, 'an object keyed by neighbor address');
  return Object.entries(data).map(([address, n]) => {
    if (!isObject(n) || typeof n.bgpState !== 'string')
      refuse(src, data, `neighbor ${address}: an object with bgpState`);
    return {
      address,
      hostname: str(n.hostname),
      state: n.bgpState,
      connectionsEstablished: num(n.connectionsEstablished) ?? 0,
      connectionsDropped: num(n.connectionsDropped) ?? 0,
      establishedEpoch: num(n.bgpTimerUpEstablishedEpoch),
      families: familiesOf(n),
    };
  });
}

/** From `show bgp neighbors json`: per neighbor address, each family's capability exchange. */
export function parseNegotiatedFamilies(
  data: unknown,
  src: JsonSource = UNNAMED,
): Map<string, Map<string, FamilyNegotiation>> {
  return negotiatedFamilies(parseBgpNeighbors(data, src));
}

// ---------------------------------------------------------------- EVPN routes

const PREFIX_RE = /^\[(\d)\]:/;

function parsePath(p: Json): EvpnPath {
  const ec = isObject(p.extendedCommunity) ? (str(p.extendedCommunity.string) ?? '') : '';
  const nexthops = Array.isArray(p.nexthops) ? p.nexthops.filter(isObject) : [];
  const mm = /MM:(\d+)/.exec(ec);
  return {
    valid: p.valid === true,
    best: p.bestpath === true || isObject(p.bestpath),
    nexthop: str(nexthops[0]?.ip),
    peerId: str(p.peerId),
    asPath: isObject(p.aspath) ? (str(p.aspath.string) ?? '') : (str(p.path) ?? ''),
    extendedCommunity: ec,
    macMobilitySeq: mm ? Number(mm[1]) : 0,
    ...(/sticky MAC/i.test(ec) ? { sticky: true } : {}),
    routeTargets: [...ec.matchAll(/RT:(\S+)/g)].map((m) => m[1]!),
    routerMac: /Rmac:(\S+)/.exec(ec)?.[1],
    version: num(p.version),
    lastUpdate: isObject(p.lastUpdate) ? num(p.lastUpdate.epoch) : undefined,
  };
}

/** Fields of "[2]:[0]:[48]:[mac]:[32]:[ip]" / "[3]:[0]:[32]:[ip]" / "[5]:[0]:[24]:[ip]" keys. */
function fieldsOfPrefix(prefix: string): { type: number; mac?: string; ip?: string } {
  const parts = [...prefix.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  const type = Number(parts[0]);
  if (type === 2) return { type, mac: parts[3], ip: parts[5] };
  if (type === 3) return { type, ip: parts[3] };
  if (type === 5) return { type, ip: parts[3] };
  return { type };
}

/** Counters and identity FRR prints beside the routes. */
const EVPN_TABLE_KEYS = [
  'bgpTableVersion',
  'bgpLocalRouterId',
  'defaultLocPrf',
  'localAS',
  'numPrefix',
  'totalPrefix',
  'numPaths',
  'totalPaths',
];
const EVPN_SHAPES = 'routes keyed by RD then by prefix ("[2]:…"), or (one VNI\'s table) keyed by prefix';

function routeOf(prefix: string, entry: unknown, rd: string | undefined, src: JsonSource): EvpnRoute {
  if (!isObject(entry) || !Array.isArray(entry.paths)) refuse(src, entry, `${prefix}: an object with paths`);
  const raw = entry.paths.flat();
  const fields = fieldsOfPrefix(prefix);
  const first = raw.find(isObject);
  return {
    ...(rd === undefined ? {} : { rd }),
    prefix,
    type: num(first?.routeType) ?? fields.type,
    mac: str(first?.mac) ?? fields.mac,
    ip: str(first?.ip) ?? fields.ip,
    paths: raw.filter(isObject).map(parsePath),
  };
}

/**
 * Accepts `show bgp l2vpn evpn json` (flat paths) and `show bgp l2vpn evpn route [detail] [type X] json`
 * (nested paths), both keyed by RD, then by prefix; and `show bgp l2vpn evpn route vni <N> json`,
 * keyed by prefix with no RD level (as in FRR's topotests). `{}` (no such VNI) has no routes.
 */
export function parseEvpnRoutes(data: unknown, src: JsonSource = UNNAMED): EvpnRoute[] {
  if (!isObject(data)) refuse(src, data, EVPN_SHAPES);
  const routes: EvpnRoute[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (PREFIX_RE.test(key)) {
      routes.push(routeOf(key, value, undefined, src));
    } else if (isObject(value)) {
      for (const [prefix, entry] of Object.entries(value)) {
        if (prefix === 'rd') continue;
        if (!PREFIX_RE.test(prefix)) refuse(src, value, `RD ${key}: prefixes ("[2]:…") and rd`);
        routes.push(routeOf(prefix, entry, key, src));
      }
    } else if (!EVPN_TABLE_KEYS.includes(key)) {
      refuse(src, data, EVPN_SHAPES);
    }
  }
  return routes;
}

// ---------------------------------------------------------------- zebra EVPN

function remoteVtepsOf(v: Json): string[] {
  const list = Array.isArray(v.remoteVteps) ? v.remoteVteps : Array.isArray(v.numRemoteVteps) ? v.numRemoteVteps : [];
  return list.flatMap((r) => {
    const ip = isObject(r) ? str(r.ip) : str(r);
    return ip ? [ip] : [];
  });
}

function vniRecord(v: Json, key?: string): EvpnVni | undefined {
  const vni = num(v.vni) ?? num(key);
  if (vni === undefined) return undefined;
  return {
    vni,
    type: str(v.type) ?? 'unknown',
    vxlanInterface: str(v.vxlanInterface) ?? str(v.vxlanIf),
    vtepIp: str(v.vtepIp),
    remoteVteps: remoteVtepsOf(v),
    ...(str(v.sviInterface) ? { svi: str(v.sviInterface) } : {}),
    ...((str(v.vrf) ?? str(v.tenantVrf)) ? { vrf: str(v.vrf) ?? str(v.tenantVrf) } : {}),
  };
}

/** Accepts `show evpn vni <N> json` (one VNI), `show evpn vni [detail] json` (keyed by VNI) and `{}` (none). */
export function parseEvpnVnis(data: unknown, src: JsonSource = UNNAMED): EvpnVni[] {
  const shapes = 'one VNI ({vni, …}) or VNIs keyed by number';
  if (!isObject(data)) refuse(src, data, shapes);
  if ('vni' in data) {
    const one = vniRecord(data);
    if (!one) refuse(src, data, shapes);
    return [one];
  }
  return Object.entries(data).map(([k, v]) => {
    const r = isObject(v) && /^\d+$/.test(k) ? vniRecord(v, k) : undefined;
    if (!r) refuse(src, data, shapes);
    return r;
  });
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const MAC_SHAPES = "{numMacs, macs}, MACs keyed by address (one MAC's detail), or VNIs keyed by number";

function macOf(mac: string, m: unknown, src: JsonSource): EvpnMac {
  if (!isObject(m) || typeof m.type !== 'string') refuse(src, m, `MAC ${mac}: an object with type`);
  return {
    mac,
    type: m.type,
    remoteVtep: str(m.remoteVtep),
    intf: str(m.intf),
    localSequence: num(m.localSequence) ?? 0,
    remoteSequence: num(m.remoteSequence) ?? 0,
    detectionCount: num(m.detectionCount) ?? 0,
    isDuplicate: m.isDuplicate === true,
  };
}

/**
 * Accepts `show evpn mac vni <N> json` ({numMacs, macs}), `show evpn mac vni <N> mac <MAC> json`
 * (keyed by the MAC, with its detail), `show evpn mac vni all json` (keyed by VNI) and `{}` (none).
 */
export function parseEvpnMacs(data: unknown, src: JsonSource = UNNAMED): Array<EvpnMac & { vni?: number }> {
  if (!isObject(data)) refuse(src, data, MAC_SHAPES);
  if ('macs' in data) {
    if (!isObject(data.macs)) refuse(src, data, MAC_SHAPES);
    return Object.entries(data.macs).map(([mac, m]) => macOf(mac, m, src));
  }
  const keys = Object.keys(data);
  if (keys.every((k) => MAC_RE.test(k))) return keys.map((mac) => macOf(mac, data[mac], src));
  if (keys.every((k) => /^\d+$/.test(k)))
    return keys.flatMap((vni) => parseEvpnMacs(data[vni], src).map((m) => ({ ...m, vni: Number(vni) })));
  refuse(src, data, MAC_SHAPES);
}

function neighborOf(ip: string, n: unknown, src: JsonSource): EvpnNeighbor {
  if (!isObject(n) || typeof n.type !== 'string') refuse(src, n, `neighbor ${ip}: an object with type`);
  return {
    ip,
    type: n.type,
    mac: str(n.mac)?.toLowerCase(),
    remoteVtep: str(n.remoteVtep),
    detectionCount: num(n.detectionCount) ?? 0,
    isDuplicate: n.isDuplicate === true,
  };
}

/**
 * Accepts `show evpn arp-cache vni <N> json` ({numArpNd, <ip>: {…}}), `show evpn arp-cache vni <N> ip <IP> json`
 * (one neighbor, flat, with its ip) and `{}` (none).
 */
export function parseEvpnArpCache(data: unknown, src: JsonSource = UNNAMED): EvpnNeighbor[] {
  if (!isObject(data)) refuse(src, data, 'neighbors keyed by IP, or one neighbor ({ip, type, …})');
  if (typeof data.ip === 'string') return [neighborOf(data.ip, data, src)];
  return Object.entries(data)
    .filter(([k]) => !['numArpNd', 'numArpNdDup'].includes(k))
    .map(([ip, n]) => {
      if (!/^[\d.]+$|:/.test(ip)) refuse(src, data, 'neighbors keyed by IP, or one neighbor ({ip, type, …})');
      return neighborOf(ip, n, src);
    });
}

/** Accepts `show evpn json`. */
export function parseDuplicateDetection(data: unknown, src: JsonSource = UNNAMED): DuplicateDetection {
  if (
    !isObject(data) ||
    typeof data.isDuplicateAddrDetection !== 'boolean' ||
    num(data.maxMoves) === undefined ||
    num(data.detectionTime) === undefined
  ) {
    refuse(src, data, '{isDuplicateAddrDetection, maxMoves, detectionTime}');
  }
  return {
    enabled: data.isDuplicateAddrDetection,
    maxMoves: num(data.maxMoves)!,
    detectionTimeS: num(data.detectionTime)!,
  };
}

/** Accepts `show interface [vrf X] json` (keyed by interface name) and `show interface <name> json`. */
export function parseInterfaces(data: unknown, src: JsonSource = UNNAMED): Interface[] {
  if (!isObject(data)) refuse(src, data, 'interfaces keyed by name');
  return Object.entries(data).map(([name, i]) => {
    if (!isObject(i) || typeof i.operationalStatus !== 'string')
      refuse(src, data, `interface ${name}: an object with operationalStatus`);
    const addresses = Array.isArray(i.ipAddresses)
      ? i.ipAddresses.flatMap((a) => (isObject(a) && typeof a.address === 'string' ? [a.address] : []))
      : [];
    return { name, mac: str(i.hardwareAddress)?.toLowerCase(), addresses };
  });
}

// ---------------------------------------------------------------- unicast tables

/**
 * Accepts `show bgp [vrf X] ipv4 unicast json` ({routes: {prefix: [path…]}}); FRR's
 * `{"warning": "View/Vrf is unknown"}` (no such VRF) has no routes.
 */
export function parseBgpRoutes(data: unknown, src: JsonSource = UNNAMED): UnicastRoute[] {
  if (
    isObject(data) &&
    typeof data.warning === 'string' &&
    /unknown/i.test(data.warning) &&
    Object.keys(data).length === 1
  )
    return [];
  if (!isObject(data) || !isObject(data.routes)) refuse(src, data, '{routes: {prefix: [path…]}}');
  return Object.entries(data.routes).map(([prefix, paths]) => {
    if (!Array.isArray(paths)) refuse(src, data.routes, `${prefix}: an array of paths`);
    return {
      prefix,
      paths: paths.filter(isObject).map((p) => {
        const nexthops = Array.isArray(p.nexthops) ? p.nexthops.filter(isObject) : [];
        return {
          valid: p.valid === true,
          best: p.bestpath === true || isObject(p.bestpath),
          nexthop: str(nexthops[0]?.ip),
        };
      }),
    };
  });
}

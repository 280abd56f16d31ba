// vtysh JSON turned into small typed records that read the same across FRR versions.
// Known differences (see the samples in ../shared/reference/frr-json): EVPN `paths`
// flat or an array of arrays; `bestpath` a bool or an object; `vni` a number or a
// string; `numRemoteVteps` a number, "n/a" or (8.4, one VNI) an array of IPs;
// `remoteVteps` strings or {ip, flood}; `pfxRcd` or `prefixReceivedCount`.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
};

// ---------------------------------------------------------------- BGP sessions

export interface BgpPeer {
  vrf: string;
  afi: string;
  address: string;
  state: string;
  remoteAs?: number;
  hostname?: string;
  dynamic: boolean;
  prefixesReceived?: number;
}

const AFI_KEYS = ['ipv4Unicast', 'ipv6Unicast', 'l2VpnEvpn', 'ipv4Multicast', 'ipv4Vpn', 'ipv6Vpn', 'ipv4Flowspec', 'ipv4LabeledUnicast'];

function peersOf(afSummary: unknown, vrf: string, afi: string): BgpPeer[] {
  if (!isObject(afSummary) || !isObject(afSummary.peers)) return [];
  return Object.entries(afSummary.peers).flatMap(([address, p]) => {
    if (!isObject(p)) return [];
    return [{
      vrf: str(afSummary.vrfName) ?? vrf,
      afi,
      address,
      state: str(p.state) ?? str(p.peerState) ?? 'unknown',
      remoteAs: num(p.remoteAs),
      hostname: str(p.hostname),
      dynamic: p.dynamicPeer === true,
      prefixesReceived: num(p.pfxRcd) ?? num(p.prefixReceivedCount),
    }];
  });
}

/**
 * Accepts `show bgp [vrf X] summary json` (AF-keyed), `show bgp vrf all summary json`
 * (VRF-keyed, then AF-keyed) and `show bgp <afi> <safi> summary json` (one AF; pass afi).
 */
export function parseBgpSummary(data: unknown, opts: { vrf?: string; afi?: string } = {}): BgpPeer[] {
  if (!isObject(data)) return [];
  if (isObject(data.peers)) return peersOf(data, opts.vrf ?? 'default', opts.afi ?? 'unknown');
  const keys = Object.keys(data);
  if (keys.some((k) => AFI_KEYS.includes(k))) {
    return keys.filter((k) => AFI_KEYS.includes(k)).flatMap((afi) => peersOf(data[afi], opts.vrf ?? 'default', afi));
  }
  return keys.flatMap((vrf) => parseBgpSummary(data[vrf], { vrf }));
}

/** How a neighbor's multiprotocol capability for one family ended up. */
export type FamilyNegotiation = 'both' | 'local only' | 'peer only';

/**
 * From `show bgp neighbors json`: per neighbor address, each family's capability
 * exchange. A family sent by one side only is not negotiated: the summary still
 * says Established (the text view says NoNeg), but no route of it flows.
 */
export function parseNegotiatedFamilies(data: unknown): Map<string, Map<string, FamilyNegotiation>> {
  const out = new Map<string, Map<string, FamilyNegotiation>>();
  if (!isObject(data)) return out;
  for (const [address, n] of Object.entries(data)) {
    const mp = isObject(n) && isObject(n.neighborCapabilities) && isObject(n.neighborCapabilities.multiprotocolExtensions) ? n.neighborCapabilities.multiprotocolExtensions : undefined;
    if (!mp) continue;
    const families = new Map<string, FamilyNegotiation>();
    for (const [afi, cap] of Object.entries(mp)) {
      if (!isObject(cap)) continue;
      if (cap.advertisedAndReceived === true) families.set(afi, 'both');
      else if (cap.advertised === true) families.set(afi, 'local only');
      else if (cap.received === true) families.set(afi, 'peer only');
    }
    out.set(address, families);
  }
  return out;
}

// ---------------------------------------------------------------- EVPN routes

export interface EvpnPath {
  valid: boolean;
  best: boolean;
  nexthop?: string;
  peerId?: string;
  asPath: string;
  extendedCommunity: string;
  /** MAC-mobility sequence from "MM:<n>" (with "MM:<n>, sticky MAC" variants); 0 when absent. */
  macMobilitySeq: number;
  routeTargets: string[];
  routerMac?: string;
}

export interface EvpnRoute {
  rd: string;
  prefix: string;
  type: number;
  mac?: string;
  ip?: string;
  paths: EvpnPath[];
}

const PREFIX_RE = /^\[(\d)\]:/;

function parsePath(p: Json): EvpnPath {
  const ec = isObject(p.extendedCommunity) ? str(p.extendedCommunity.string) ?? '' : '';
  const nexthops = Array.isArray(p.nexthops) ? p.nexthops.filter(isObject) : [];
  const mm = /MM:(\d+)/.exec(ec);
  return {
    valid: p.valid === true,
    best: p.bestpath === true || isObject(p.bestpath),
    nexthop: str(nexthops[0]?.ip),
    peerId: str(p.peerId),
    asPath: isObject(p.aspath) ? str(p.aspath.string) ?? '' : str(p.path) ?? '',
    extendedCommunity: ec,
    macMobilitySeq: mm ? Number(mm[1]) : 0,
    routeTargets: [...ec.matchAll(/RT:(\S+)/g)].map((m) => m[1]!),
    routerMac: /Rmac:(\S+)/.exec(ec)?.[1],
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

/**
 * Accepts `show bgp l2vpn evpn json` (flat paths) and `show bgp l2vpn evpn route [type X] json`
 * (nested paths); both are keyed by RD, then by prefix.
 */
export function parseEvpnRoutes(data: unknown): EvpnRoute[] {
  if (!isObject(data)) return [];
  const routes: EvpnRoute[] = [];
  for (const [rd, table] of Object.entries(data)) {
    if (!isObject(table)) continue;
    for (const [prefix, entry] of Object.entries(table)) {
      if (!PREFIX_RE.test(prefix) || !isObject(entry)) continue;
      const raw = Array.isArray(entry.paths) ? entry.paths.flat() : [];
      const paths = raw.filter(isObject).map(parsePath);
      const fields = fieldsOfPrefix(prefix);
      const first = raw.find(isObject);
      routes.push({
        rd,
        prefix,
        type: num(first?.routeType) ?? fields.type,
        mac: str(first?.mac) ?? fields.mac,
        ip: str(first?.ip) ?? fields.ip,
        paths,
      });
    }
  }
  return routes;
}

export function bestPath(route: EvpnRoute): EvpnPath | undefined {
  return route.paths.find((p) => p.best) ?? (route.paths.length === 1 ? route.paths[0] : undefined);
}

// ---------------------------------------------------------------- zebra EVPN

export interface EvpnVni {
  vni: number;
  type: string;
  vxlanInterface?: string;
  vtepIp?: string;
  remoteVteps: string[];
}

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
  return { vni, type: str(v.type) ?? 'unknown', vxlanInterface: str(v.vxlanInterface) ?? str(v.vxlanIf), vtepIp: str(v.vtepIp), remoteVteps: remoteVtepsOf(v) };
}

/** Accepts `show evpn vni <N> json` (one VNI) and `show evpn vni [detail] json` (keyed by VNI). */
export function parseEvpnVnis(data: unknown): EvpnVni[] {
  if (!isObject(data)) return [];
  if ('vni' in data) {
    const one = vniRecord(data);
    return one ? [one] : [];
  }
  return Object.entries(data).flatMap(([k, v]) => {
    const r = isObject(v) ? vniRecord(v, k) : undefined;
    return r ? [r] : [];
  });
}

export interface EvpnMac {
  mac: string;
  type: string;
  remoteVtep?: string;
  intf?: string;
  localSequence: number;
  remoteSequence: number;
  isDuplicate: boolean;
}

/** Accepts `show evpn mac vni <N> json` ({numMacs, macs}) and `show evpn mac vni all json` (keyed by VNI). */
export function parseEvpnMacs(data: unknown): Array<EvpnMac & { vni?: number }> {
  if (!isObject(data)) return [];
  if (isObject(data.macs)) {
    return Object.entries(data.macs).flatMap(([mac, m]) => {
      if (!isObject(m)) return [];
      return [{
        mac,
        type: str(m.type) ?? 'unknown',
        remoteVtep: str(m.remoteVtep),
        intf: str(m.intf),
        localSequence: num(m.localSequence) ?? 0,
        remoteSequence: num(m.remoteSequence) ?? 0,
        isDuplicate: m.isDuplicate === true,
      }];
    });
  }
  return Object.entries(data).flatMap(([vni, v]) => parseEvpnMacs(v).map((m) => ({ ...m, vni: num(vni) })));
}

// ---------------------------------------------------------------- unicast tables

export interface UnicastRoute {
  prefix: string;
  paths: Array<{ valid: boolean; best: boolean; nexthop?: string }>;
}

/** Accepts `show bgp [vrf X] ipv4 unicast json` ({routes: {prefix: [path…]}}). */
export function parseBgpRoutes(data: unknown): UnicastRoute[] {
  if (!isObject(data) || !isObject(data.routes)) return [];
  return Object.entries(data.routes).map(([prefix, paths]) => ({
    prefix,
    paths: (Array.isArray(paths) ? paths : []).filter(isObject).map((p) => {
      const nexthops = Array.isArray(p.nexthops) ? p.nexthops.filter(isObject) : [];
      return { valid: p.valid === true, best: p.bestpath === true || isObject(p.bestpath), nexthop: str(nexthops[0]?.ip) };
    }),
  }));
}

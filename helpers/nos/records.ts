// The normalized records every router dialect produces and the judges read: what a
// router knows about its sessions, EVPN and VRF tables, VNIs, MACs and neighbors,
// whatever its NOS prints. Fields a NOS does not report stay undefined; a dialect
// never fills them with a guess. A dialect that meets an answer of a shape it does
// not know refuses it (UnrecognizedJson, through refuse): read as empty, it would let
// a "must be absent" check pass on nothing.
import { BrokenTest } from '../wait.ts';

// Readers of JSON answers, shared by the dialects' normalizers.
export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
export const num = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
};

/** Where an answer came from: every Evidence is one. */
export interface JsonSource {
  router: string;
  command: string;
}

/** A router answered JSON its dialect does not recognize: the test cannot judge it, so it breaks. */
export class UnrecognizedJson extends BrokenTest {
  override name = 'UnrecognizedJson';
}

/** Throws UnrecognizedJson naming the router, the command, the keys seen and what was expected. */
export function refuse(src: JsonSource, data: unknown, expected: string): never {
  const seen = isObject(data)
    ? `top-level keys: ${Object.keys(data).slice(0, 12).join(', ')}${Object.keys(data).length > 12 ? ', …' : ''}`
    : Array.isArray(data)
      ? 'an array'
      : `a ${data === null ? 'null' : typeof data}`;
  throw new UnrecognizedJson(
    `${src.router}: \`${src.command}\` printed JSON of a shape l2stretch does not know (${seen}); expected ${expected}`,
  );
}

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

/** How a neighbor's multiprotocol capability for one family ended up. */
export type FamilyNegotiation = 'both' | 'local only' | 'peer only';

/** One neighbor of `show bgp neighbors json`: its state and how often it came up and went down. */
export interface BgpNeighbor {
  address: string;
  hostname?: string;
  state: string;
  connectionsEstablished: number;
  connectionsDropped: number;
  /** When the current session came up (seconds since the epoch), while Established. */
  establishedEpoch?: number;
  families: Map<string, FamilyNegotiation>;
}

/**
 * Per neighbor address, each family's capability exchange. A family sent by one side
 * only is not negotiated: the session is Established (FRR's text view says NoNeg), but
 * no route of it flows.
 */
export function negotiatedFamilies(neighbors: BgpNeighbor[]): Map<string, Map<string, FamilyNegotiation>> {
  return new Map(neighbors.filter((n) => n.families.size).map((n) => [n.address, n.families]));
}

export interface EvpnPath {
  valid: boolean;
  best: boolean;
  nexthop?: string;
  peerId?: string;
  asPath: string;
  extendedCommunity: string;
  /** MAC-mobility sequence from "MM:<n>" (with "MM:<n>, sticky MAC" variants); 0 when absent. */
  macMobilitySeq: number;
  /** A sticky (static) MAC: its MAC-mobility extended community has the sticky flag. */
  sticky?: boolean;
  routeTargets: string[];
  routerMac?: string;
  /** The destination's table version (detail output only): it rises whenever the route is re-selected. */
  version?: number;
  /** When the path last changed, in seconds since the epoch (detail output only). */
  lastUpdate?: number;
}

export interface EvpnRoute {
  /** Absent in a VNI's table (`show bgp l2vpn evpn route vni <N> json`), which has no RD level. */
  rd?: string;
  prefix: string;
  type: number;
  mac?: string;
  ip?: string;
  paths: EvpnPath[];
}

export interface EvpnVni {
  vni: number;
  type: string;
  vxlanInterface?: string;
  vtepIp?: string;
  remoteVteps: string[];
  /** The L2VNI's SVI (the bridge holding the gateway address) and its tenant VRF, when zebra names them. */
  svi?: string;
  vrf?: string;
}

export interface EvpnMac {
  mac: string;
  type: string;
  remoteVtep?: string;
  intf?: string;
  localSequence: number;
  remoteSequence: number;
  /** Moves zebra counted in its current duplicate-detection window (reset lazily, at the next move after it ends). */
  detectionCount?: number;
  isDuplicate: boolean;
}

export interface EvpnNeighbor {
  ip: string;
  type: string;
  mac?: string;
  remoteVtep?: string;
  detectionCount: number;
  isDuplicate: boolean;
}

/** zebra's EVPN duplicate address detection: a MAC moving maxMoves times within detectionTime seconds is frozen. */
export interface DuplicateDetection {
  enabled: boolean;
  maxMoves: number;
  detectionTimeS: number;
}

export interface Interface {
  name: string;
  mac?: string;
  /** Addresses with their prefix length, e.g. 192.170.1.1/24. */
  addresses: string[];
}

export interface UnicastRoute {
  prefix: string;
  paths: Array<{ valid: boolean; best: boolean; nexthop?: string }>;
}

export function bestPath(route: EvpnRoute): EvpnPath | undefined {
  return route.paths.find((p) => p.best) ?? (route.paths.length === 1 ? route.paths[0] : undefined);
}

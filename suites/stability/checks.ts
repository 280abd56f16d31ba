// Stability: between the start of the first suite and the end of the last, no BGP
// session of the topology reset and no EVPN route the overlay needs was withdrawn or
// re-advertised. A session that flaps every few seconds can pass every other check
// (each retries until it sees the session up); the counters and timestamps FRR keeps
// cannot hide the flaps.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evidence, Testbed } from '../../helpers/ports.ts';
import { bestPath, type BgpNeighbor, type EvpnRoute } from '../../helpers/nos/records.ts';
import { routerNames } from '../../topology/expectations.ts';

export interface SessionState {
  address: string;
  hostname?: string;
  state: string;
  established: number;
  dropped: number;
  upSince?: number;
}

export interface RouteState {
  key: string;
  type: number;
  mac?: string;
  ip?: string;
  nexthop?: string;
  version?: number;
  lastUpdate?: number;
}

export interface RouterState {
  router: string;
  at: number;
  sessions: SessionState[];
  routes: RouteState[];
}

export function routerState(router: string, at: number, neighbors: BgpNeighbor[], routes: EvpnRoute[]): RouterState {
  return {
    router,
    at,
    sessions: neighbors.map((n) => ({
      address: n.address,
      hostname: n.hostname,
      state: n.state,
      established: n.connectionsEstablished,
      dropped: n.connectionsDropped,
      upSince: n.establishedEpoch,
    })),
    // Only MAC routes (no IP) and IMET routes: MAC+IP routes follow ARP, which may refresh.
    routes: routes
      .filter((r) => r.type === 3 || (r.type === 2 && r.ip === undefined))
      .map((r) => {
        const b = bestPath(r);
        return {
          key: `${r.rd ?? ''} ${r.prefix}`,
          type: r.type,
          mac: r.mac?.toLowerCase(),
          ip: r.ip,
          nexthop: b?.nexthop,
          version: b?.version,
          lastUpdate: b?.lastUpdate,
        };
      }),
  };
}

export async function snapshot(tb: Testbed): Promise<{ states: RouterState[]; evidence: Evidence[] }> {
  const all = await Promise.all(
    routerNames(tb.topology).map(async (name) => {
      const r = tb.router(name);
      const [n, e] = await Promise.all([r.neighbors(), r.evpnRoutes({ detail: true })]);
      return { state: routerState(name, Date.now(), n.value, e.value), evidence: [...n.evidence, ...e.evidence] };
    }),
  );
  return { states: all.map((a) => a.state), evidence: all.flatMap((a) => a.evidence) };
}

function startFile(reportDir: string): string {
  return join(reportDir, 'stability-start.json');
}

/** Taken when the run starts (global setup), read by the last suite. */
export async function recordStart(tb: Testbed, reportDir: string): Promise<void> {
  writeFileSync(startFile(reportDir), JSON.stringify((await snapshot(tb)).states));
}

function established(states: RouterState[]): number {
  return states.reduce((n, s) => n + s.sessions.filter((x) => x.state === 'Established').length, 0);
}

/**
 * On a testbed stood up for the run, sessions come up while the first suite waits for
 * them: once it is done, a snapshot with more sessions up replaces the first one.
 */
export async function refreshStart(tb: Testbed, reportDir: string): Promise<void> {
  const now = (await snapshot(tb)).states;
  if (established(now) > established(readStart(reportDir))) writeFileSync(startFile(reportDir), JSON.stringify(now));
}

export function readStart(reportDir: string): RouterState[] {
  try {
    return JSON.parse(readFileSync(startFile(reportDir), 'utf8')) as RouterState[];
  } catch (e) {
    throw new Error(
      `no snapshot of the routers from the start of the run (${(e as Error).message}): the global setup takes it`,
    );
  }
}

/**
 * FRR derives a session's start and a path's last update from monotonic time at each reading: they wander by a
 * second.
 */
const EPOCH_JITTER_S = 2;
const clock = (epochS: number) => new Date(epochS * 1000).toISOString().slice(11, 19);

export interface Watched {
  /** VTEPs whose type-3 routes must stay put, with their node. */
  vteps: Map<string, string>;
  /** MACs of the VMs that do not move during the run, with their name. */
  vmMacs: Map<string, string>;
}

function resetsOfUpSession(s: SessionState, e: SessionState): number {
  const moved = e.upSince !== undefined && s.upSince !== undefined && Math.abs(e.upSince - s.upSince) > EPOCH_JITTER_S;
  return Math.max(e.dropped - s.dropped, e.established - s.established, moved || e.state !== 'Established' ? 1 : 0);
}

/**
 * A session caught between two resets when the run started (a flapping one on a loaded machine) is judged too: it may
 * come up once; every drop, and every establishment beyond that first one, is a reset.
 */
function resetsOfDownSession(s: SessionState, e: SessionState): number {
  const restarted = e.established < s.established || e.dropped < s.dropped;
  const cameUp = e.state === 'Established' ? 1 : 0;
  return Math.max(e.dropped - s.dropped, e.established - s.established - cameUp, restarted ? 1 : 0);
}

/** The node (type-3) or VM (type-2) a watched route belongs to; none for a route nobody watches. */
function ownerOf(r: RouteState, watched: Watched): string | undefined {
  return r.type === 3 ? (r.ip ? watched.vteps.get(r.ip) : undefined) : r.mac ? watched.vmMacs.get(r.mac) : undefined;
}

/**
 * Why the route half of the check cannot be judged on this router: its watched routes carry neither a table version
 * nor a last update (EOS's JSON has neither), so a route re-advertised without being withdrawn would pass unseen.
 */
export function unjudgedRoutes(start: RouterState, watched: Watched): string | undefined {
  const blind = start.routes.filter(
    (r) => ownerOf(r, watched) && r.nexthop !== undefined && r.version === undefined && r.lastUpdate === undefined,
  );
  if (!blind.length) return undefined;
  return (
    `${start.router}: no session reset, but its ${blind.length} watched route(s) (${blind[0]!.key.trim()}, …) ` +
    'carry no table version and no last update: a re-advertisement cannot be seen, so they are not judged'
  );
}

export function stabilityProblems(start: RouterState, end: RouterState, watched: Watched): string[] {
  const problems: string[] = [];
  const since = `since the run started (${clock(start.at / 1000)} UTC)`;
  for (const s of start.sessions) {
    const e = end.sessions.find((x) => x.address === s.address);
    const what = `${start.router}: session to ${s.hostname ?? s.address} (${s.address})`;
    const wasUp = s.state === 'Established';
    if (!e) {
      if (wasUp)
        problems.push(
          `${what}: expected Established throughout, seen gone ${since} (a dynamic neighbor whose session dropped)`,
        );
      continue;
    }
    const resets = wasUp ? resetsOfUpSession(s, e) : resetsOfDownSession(s, e);
    if (!resets) continue;
    const counted = e.dropped > s.dropped || e.established > s.established;
    const seen = counted
      ? `${resets} reset${resets > 1 ? 's' : ''}`
      : 'a reset (the neighbor was re-created, its counters restarted)';
    const then = wasUp ? '' : `; ${s.state} when the run started`;
    const now =
      e.state === 'Established' ? `up since ${e.upSince === undefined ? '?' : clock(e.upSince)} UTC` : `now ${e.state}`;
    problems.push(
      `${what}: expected no reset ${since}, seen ${seen}` +
        ` (connections established ${s.established} → ${e.established}, dropped ${s.dropped} → ${e.dropped}` +
        `${then}; ${now})`,
    );
  }
  for (const r of start.routes) {
    const owner = ownerOf(r, watched);
    if (!owner || r.nexthop === undefined) continue;
    const e = end.routes.find((x) => x.key === r.key);
    const what =
      `${start.router}: ` +
      `${r.type === 3 ? `type-3 route of VTEP ${r.ip} (${owner})` : `type-2 MAC route of ${owner} (${r.mac})`} ` +
      `${r.key.trim()}`;
    if (!e || e.nexthop === undefined) problems.push(`${what}: expected held throughout, seen withdrawn ${since}`);
    // Table version 0: bgpd had not yet run best-path selection on the route when the
    // start was read (a fresh testbed still settling): its version may move once, but a
    // later re-advertisement still moves its last update.
    else if (
      (r.version !== 0 && e.version !== r.version) ||
      Math.abs((e.lastUpdate ?? 0) - (r.lastUpdate ?? 0)) > EPOCH_JITTER_S
    ) {
      problems.push(
        `${what}: expected unchanged ${since}, seen withdrawn and re-advertised or replaced (table version ` +
          `${r.version} → ${e.version}, last update ${r.lastUpdate === undefined ? '?' : clock(r.lastUpdate)} → ` +
          `${e.lastUpdate === undefined ? '?' : clock(e.lastUpdate)} UTC)`,
      );
    }
  }
  return problems;
}

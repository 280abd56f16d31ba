// Re-run safety: every move of a VM counts towards EVPN duplicate detection on the
// nodes (FRR zebra: a MAC that moves maxMoves times within detectionTime seconds is
// frozen as a duplicate). A suite re-run on a kept testbed must not freeze the VM by
// its own moves and then blame the implementation, so before moving it, it waits
// until its planned moves fit the nodes' settings, or ends as a broken test.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Testbed } from '../../helpers/ports.ts';
import { BrokenTest } from '../../helpers/wait.ts';
import type { DuplicateDetection } from '../../helpers/nos/records.ts';
import { nodeVteps } from '../../topology/expectations.ts';

/**
 * zebra counts a move only within a window opened at a local learn and restarts the
 * count once the window is over (zebra_evpn_dup_addr_detect_for_mac), so the count
 * any node holds at a move never exceeds the moves of the detectionTime seconds
 * before it. The bound assumes only the moves the ledger knows.
 */
export interface MovePlan {
  /** Moves of the VM within the window before `now`. */
  recent: number[];
  /** When the planned moves fit (epoch ms); `now` when they already do. */
  readyAt: number;
  /**
   * The planned moves alone reach maxMoves: no wait helps. The nodes are set stricter
   * than the suite needs, and L2S-MIG-005 judges what they do.
   */
  alone?: boolean;
}

/** Margin over zebra's whole-second, strictly-greater window test. */
const WINDOW_MARGIN_MS = 2_000;

// fidelity: FRR-DAD-001
export function planMoves(moves: number[], planned: number, dad: DuplicateDetection, now: number): MovePlan {
  const windowMs = dad.detectionTimeS * 1000;
  const recent = moves.filter((t) => t > now - windowMs - WINDOW_MARGIN_MS).sort((a, b) => a - b);
  if (!dad.enabled) return { recent, readyAt: now };
  if (planned >= dad.maxMoves) return { recent, readyAt: now, alone: true };
  // The oldest recent moves that must leave the window for recent + planned to stay below maxMoves.
  const excess = recent.length + planned - (dad.maxMoves - 1);
  if (excess <= 0) return { recent, readyAt: now };
  return { recent, readyAt: recent[excess - 1]! + windowMs + WINDOW_MARGIN_MS };
}

/** The strictest settings of the nodes: the fewest moves in the longest window. */
export function strictest(settings: DuplicateDetection[]): DuplicateDetection {
  const on = settings.filter((s) => s.enabled);
  if (!on.length) return { enabled: false, maxMoves: 0, detectionTimeS: 0 };
  return {
    enabled: true,
    maxMoves: Math.min(...on.map((s) => s.maxMoves)),
    detectionTimeS: Math.max(...on.map((s) => s.detectionTimeS)),
  };
}

/**
 * The moves this suite made, per MAC (epoch ms), kept beside the testbed file so that
 * the next run on the same testbed knows them. Written through a rename, never in place.
 */
export class MoveLedger {
  constructor(readonly file: string) {}

  static beside(testbedFile: string, runId: string): MoveLedger {
    return new MoveLedger(join(dirname(testbedFile), `l2stretch-moves-${runId}.json`));
  }

  read(): Record<string, number[]> {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return typeof data === 'object' && data !== null ? (data as Record<string, number[]>) : {};
    } catch {
      return {};
    }
  }

  record(mac: string, ...at: number[]): void {
    const all = this.read();
    all[mac] = [...(all[mac] ?? []), ...at];
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(all), { mode: 0o600, flag: 'wx' });
      renameSync(tmp, this.file);
    } catch (e) {
      process.stderr.write(
        `l2stretch: the moves of ${mac} cannot be kept in ${this.file} (${(e as Error).message}); a re-run ` +
          `will wait the full duplicate-detection window\n`,
      );
    }
  }
}

const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

/**
 * Waits until `planned` moves of `vm` fit every node's duplicate detection, with a
 * progress line, or throws a BrokenTest when that is further away than `limitMs`:
 * the testbed is not ready, which says nothing of the implementation.
 * Moves FRR counts (MAC or IP) that the ledger does not know are taken as made now.
 */
export async function waitUntilMovesFit(
  tb: Testbed,
  o: {
    vm: string;
    mac: string;
    ip: string;
    vni: number;
    planned: number;
    ledger: MoveLedger;
    limitMs: number;
    progress: (m: string) => void;
  },
): Promise<void> {
  const nodes = nodeVteps(tb.topology).map((n) => n.node);
  const answers = await Promise.all(
    nodes.map(async (n) => {
      const r = tb.router(n);
      const [evpn, mac, arp] = await Promise.all([
        r.duplicateDetection(),
        r.macs(o.vni, o.mac),
        r.arpCache(o.vni, o.ip),
      ]);
      const counts = [...mac.value, ...arp.value].map((m) => m.detectionCount ?? 0);
      return { dad: evpn.value, count: Math.max(0, ...counts) };
    }),
  );
  const dad = strictest(answers.map((a) => a.dad));
  const known = o.ledger.read()[o.mac] ?? [];
  const unknown = Math.max(...answers.map((a) => a.count)) - known.length;
  const unknownMoves = Array<number>(Math.max(0, unknown)).fill(Date.now());
  if (unknownMoves.length) o.ledger.record(o.mac, ...unknownMoves);
  const moves = [...known, ...unknownMoves];
  const start = Date.now();
  const plan = planMoves(moves, o.planned, dad, start);
  const rule = `EVPN duplicate detection: ${dad.maxMoves} moves in ${dad.detectionTimeS} s`;
  if (plan.alone)
    o.progress(
      `the suite's ${o.planned} moves of ${o.vm} alone reach ${rule}: the nodes are stricter than the suite ` +
        `needs, L2S-MIG-005 judges them`,
    );
  if (plan.readyAt <= start) return;
  const state = `${o.vm} moved ${plan.recent.length} times in the last ${dad.detectionTimeS} s`;
  if (plan.readyAt - start > o.limitMs) {
    throw new BrokenTest(
      `testbed not ready: ${state}; ${o.planned} more would reach ${rule}; ready at ` +
        `${clock(plan.readyAt)} UTC, ${Math.ceil((plan.readyAt - start) / 1000)} s away, past the ` +
        `${o.limitMs / 1000} s wait (duplicateDetectionQuiet)`,
    );
  }
  o.progress(
    `${state}; ${o.planned} more would reach ${rule}: waiting until ${clock(plan.readyAt)} UTC ` +
      `(${Math.ceil((plan.readyAt - start) / 1000)} s)`,
  );
  const tick = setInterval(
    () =>
      o.progress(
        `waiting for EVPN duplicate detection to forget ${o.vm}'s earlier moves: ` +
          `${Math.ceil((plan.readyAt - Date.now()) / 1000)} s left`,
      ),
    10_000,
  );
  try {
    await new Promise((r) => setTimeout(r, plan.readyAt - start));
  } finally {
    clearInterval(tick);
  }
}

/** FRR's default duplicate detection (`dup-addr-detection max-moves 5 time 180`): the chain is planned against it. */
// fidelity: FRR-DAD-001
export const FRR_DEFAULT_MAX_MOVES = 5;

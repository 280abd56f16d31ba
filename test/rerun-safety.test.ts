// Re-run safety (suites/live-migration/moves.ts): when the live-migration suite may
// move a VM again without EVPN duplicate detection freezing it for the moves of
// earlier runs. FRR's rule (zebra_evpn_dup_addr_detect_for_mac): a MAC that moves
// maxMoves times within a window opened at a local learn is frozen.
import { describe, it, expect } from 'vitest';
import { planMoves, strictest } from '../suites/live-migration/moves.ts';

const FRR_DEFAULT = { enabled: true, maxMoves: 5, detectionTimeS: 180 };
const s = (n: number) => n * 1000;

describe('planned moves against duplicate detection', () => {
  it("the issue's case: two runs of three moves 45 s apart; the third waits for run 1's moves to age out", () => {
    const run1 = [s(10), s(15), s(20)];
    expect(planMoves(run1, 3, FRR_DEFAULT, s(50))).toEqual({ recent: run1, readyAt: s(15) + s(180) + 2000 });
    // Run 2 waited and moved at 197-207 s; run 3 at 240 s: run 1 is out of the window, run 2's three are in it.
    const run2 = [s(197), s(202), s(207)];
    expect(planMoves([...run1, ...run2], 3, FRR_DEFAULT, s(240))).toEqual({
      recent: run2,
      readyAt: s(202) + s(180) + 2000,
    });
  });

  it('moves that fit go at once; moves older than the window do not count', () => {
    expect(planMoves([], 3, FRR_DEFAULT, s(0))).toEqual({ recent: [], readyAt: 0 });
    expect(planMoves([s(10)], 3, FRR_DEFAULT, s(20))).toEqual({ recent: [s(10)], readyAt: s(20) });
    expect(planMoves([s(10), s(11), s(12)], 3, FRR_DEFAULT, s(500))).toEqual({ recent: [], readyAt: s(500) });
  });

  it('disabled detection never waits; nor do planned moves alone reaching the limit (MIG-005 judges nodes)', () => {
    expect(planMoves([s(1), s(2), s(3), s(4)], 3, { ...FRR_DEFAULT, enabled: false }, s(5)).readyAt).toBe(s(5));
    expect(planMoves([s(1)], 3, { enabled: true, maxMoves: 2, detectionTimeS: 1800 }, s(5))).toEqual({
      recent: [s(1)],
      readyAt: s(5),
      alone: true,
    });
  });

  it('the strictest node decides: fewest moves, longest window', () => {
    expect(
      strictest([
        FRR_DEFAULT,
        { enabled: true, maxMoves: 3, detectionTimeS: 60 },
        { enabled: false, maxMoves: 1, detectionTimeS: 9999 },
      ]),
    ).toEqual({ enabled: true, maxMoves: 3, detectionTimeS: 180 });
    expect(strictest([{ enabled: false, maxMoves: 5, detectionTimeS: 180 }]).enabled).toBe(false);
  });
});

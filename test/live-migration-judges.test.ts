// The live-migration judges on their edges, every expectation written out: probes
// out of order, a probe answered at the very instant of the last failure, a window of
// exactly the budget, stream data at the very end, a route of another MAC or IP.
import { describe, it, expect } from 'vitest';
import {
  lossWindow,
  lossProblem,
  streamProblem,
  macIpSnapshot,
  movedRouteProblem,
  duplicateProblem,
  identityProblem,
} from '../suites/live-migration/checks.ts';
import { parseEvpnRoutes, parseEvpnMacs } from '../helpers/nos/frr/json.ts';
import type { EvpnRoute } from '../helpers/nos/records.ts';
import type { ProbeReport } from '../helpers/traffic/prober.ts';
import { dataJson } from './shared.ts';

const stream = { bytes: 10, maxGapMs: 0, gaps: [], broken: false, connectedAt: 0, lastAt: 1000 };
const probes = (list: Array<[t: number, ok: boolean]>): ProbeReport => ({
  target: 'x',
  intervalMs: 100,
  start: 0,
  end: 1000,
  probes: list.map(([t, ok]) => ({ t, ok, ms: 1 })),
  stream,
});

describe('loss window', () => {
  it('sorts the probes by time before judging', () => {
    // Listed out of order: the first failure is the earliest, recovery the earliest answer after the latest failure.
    expect(
      lossWindow(
        probes([
          [500, true],
          [200, false],
          [300, true],
          [100, false],
          [0, true],
        ]),
      ),
    ).toEqual({ failedProbes: 2, totalProbes: 5, windowMs: 200, firstFailAt: 100, recoveredAt: 300 });
  });

  it('recovery is the first answer strictly after the last failure; none means up to the end', () => {
    expect(
      lossWindow(
        probes([
          [0, false],
          [0, true],
          [100, true],
        ]),
      ),
    ).toEqual({ failedProbes: 1, totalProbes: 3, windowMs: 100, firstFailAt: 0, recoveredAt: 100 });
    expect(
      lossWindow(
        probes([
          [0, true],
          [400, false],
        ]),
      ),
    ).toEqual({ failedProbes: 1, totalProbes: 2, windowMs: 600, firstFailAt: 400, recoveredAt: undefined });
  });

  it('a window of exactly the budget passes; one millisecond more fails', () => {
    expect(
      lossProblem(
        'vm-1',
        'vm-2',
        { failedProbes: 20, totalProbes: 99, windowMs: 2000, firstFailAt: 1, recoveredAt: 2001 },
        2000,
      ),
    ).toBeUndefined();
    expect(
      lossProblem(
        'vm-1',
        'vm-2',
        { failedProbes: 20, totalProbes: 99, windowMs: 2001, firstFailAt: 1, recoveredAt: 2002 },
        2000,
      ),
    ).toBe('vm-2 → vm-1: the migration cut vm-1 off for 2001 ms (20/99 probes failed), budget 2000 ms');
    expect(lossProblem('vm-1', 'vm-2', { failedProbes: 0, totalProbes: 9, windowMs: 0 }, 2000)).toBeUndefined();
  });
});

describe('long-lived stream', () => {
  const r = (s: Partial<ProbeReport['stream']>): ProbeReport => ({ ...probes([]), stream: { ...stream, ...s } });
  it('data up to the end of the migration passes; none after it fails, saying how long before', () => {
    expect(streamProblem('vm-1', 'vm-2', r({ lastAt: 500 }), 500)).toBeUndefined();
    expect(streamProblem('vm-1', 'vm-2', r({ lastAt: 499 }), 500)).toBe(
      'vm-2 → vm-1: the long-lived connection stayed open but carried no data after the migration ended (last ' +
        'data 1 ms before the end)',
    );
    expect(streamProblem('vm-1', 'vm-2', r({ lastAt: undefined }), 500)).toBe(
      'vm-2 → vm-1: the long-lived connection stayed open but carried no data after the migration ended (last ' +
        'data never)',
    );
  });
  it('a broken or never-opened stream says so, with the error only when there is one', () => {
    expect(streamProblem('vm-1', 'vm-2', r({ broken: true, bytes: 7 }), 0)).toBe(
      'vm-2 → vm-1: the long-lived connection broke after 7 bytes; a live migration must keep it open',
    );
    expect(streamProblem('vm-1', 'vm-2', r({ connectedAt: undefined }), 0)).toBe(
      'vm-2 → vm-1: the long-lived connection never opened',
    );
  });
});

describe('the MAC+IP route after a move', () => {
  const routes = parseEvpnRoutes(dataJson('frr-8.4-embedded', 'evpn-route-detail-macip-spine-after-moves.json'));
  it("snapshots the best path of the VM's MAC+IP route: next hop and MAC-mobility sequence", () => {
    expect(macIpSnapshot('spine', routes, '02:03:04:05:06:07', '192.170.1.3')).toEqual({
      router: 'spine',
      nexthop: '100.65.0.0',
      seq: 3,
    });
    expect(macIpSnapshot('spine', routes, '02:03:04:05:06:07', '192.170.1.30')).toEqual({
      router: 'spine',
      nexthop: undefined,
      seq: 0,
    });
    expect(macIpSnapshot('spine', routes, '02:03:04:05:06:08', '192.170.1.3')).toEqual({
      router: 'spine',
      nexthop: undefined,
      seq: 0,
    });
    // FRR prints MACs in lower case; a MAC with letters, printed in upper case, still matches.
    const upper: EvpnRoute[] = routes.map((r) => ({
      ...r,
      mac: r.mac === '02:03:04:05:06:07' ? '02:0A:0B:0C:0D:0E' : r.mac,
    }));
    expect(macIpSnapshot('spine', upper, '02:0a:0b:0c:0d:0e', '192.170.1.3')).toEqual({
      router: 'spine',
      nexthop: '100.65.0.0',
      seq: 3,
    });
    const type3: EvpnRoute[] = routes.map((r) => ({ ...r, type: 3 }));
    expect(macIpSnapshot('spine', type3, '02:03:04:05:06:07', '192.170.1.3')).toEqual({
      router: 'spine',
      nexthop: undefined,
      seq: 0,
    });
  });

  it('a route still at the old VTEP names both sequences; an absent one names where it was', () => {
    expect(
      movedRouteProblem(
        'vm-1',
        { router: 'spine', seq: 0 },
        { router: 'spine', nexthop: '100.65.0.1', seq: 0 },
        '100.65.1.1',
        'pe-kind-b-worker',
      ).problem,
    ).toBe(
      'spine: type-2 MAC+IP route of vm-1: expected next hop 100.65.1.1 (pe-kind-b-worker, where it now ' +
        'runs), seen 100.65.0.1 (MM:0; before the move absent, MM:0)',
    );
    expect(
      movedRouteProblem('vm-1', { router: 'spine', seq: 0 }, { router: 'spine', seq: 0 }, '100.65.1.1', 'n').problem,
    ).toBe('spine: type-2 MAC+IP route of vm-1: absent after the migration (it was via nothing before)');
  });

  it('a route already at the new VTEP before the move was withdrawn and re-learned; a rise of one is enough', () => {
    expect(
      movedRouteProblem(
        'vm-1',
        { router: 'spine', nexthop: '100.65.1.1', seq: 4 },
        { router: 'spine', nexthop: '100.65.1.1', seq: 0 },
        '100.65.1.1',
        'n',
      ),
    ).toEqual({ mobility: 'old route withdrawn first, sequence restarted' });
    expect(
      movedRouteProblem(
        'vm-1',
        { router: 'spine', nexthop: '100.65.0.1', seq: 4 },
        { router: 'spine', nexthop: '100.65.1.1', seq: 5 },
        '100.65.1.1',
        'n',
      ),
    ).toEqual({ mobility: 'sequence increased' });
  });
});

describe('duplicates and identity', () => {
  const macs = parseEvpnMacs(dataJson('frr-8.4-embedded', 'evpn-mac-110-pe-kind-b-worker-duplicate.json'));
  it('a MAC zebra marked duplicate fails, matched without regard to case; another MAC or none passes', () => {
    expect(duplicateProblem('pe-kind-b-worker', macs, 'vm-1', '02:03:04:05:06:07')).toBe(
      'pe-kind-b-worker: MAC 02:03:04:05:06:07 of vm-1: expected active, seen frozen as a duplicate by EVPN ' +
        'duplicate address detection',
    );
    const upper = macs.map((m) => ({ ...m, mac: m.mac === '02:03:04:05:06:07' ? '02:0A:0B:0C:0D:0E' : m.mac }));
    expect(duplicateProblem('pe-kind-b-worker', upper, 'vm-1', '02:0a:0b:0c:0d:0e')).toContain('frozen as a duplicate');
    expect(duplicateProblem('pe-kind-b-worker', macs, 'vm-2', '02:00:00:00:01:1e')).toBeUndefined();
    expect(duplicateProblem('pe-kind-b-worker', [], 'vm-1', '02:03:04:05:06:07')).toBeUndefined();
  });

  it('identity: each change named, a lost value as none', () => {
    expect(identityProblem('vm-1', 'guest eth0', { ip: '1.1.1.1', mac: 'a' }, { mac: 'b' })).toBe(
      'vm-1 (guest eth0): IP 1.1.1.1 became none, MAC a became b; a live migration must keep both',
    );
    expect(identityProblem('vm-1', 'VMI status', { ip: '1.1.1.1', mac: 'a' }, { ip: '1.1.1.1' })).toBe(
      'vm-1 (VMI status): MAC a became none; a live migration must keep both',
    );
    expect(identityProblem('vm-1', 'x', {}, {})).toBeUndefined();
  });
});

import { describe, it, expect } from 'vitest';
import {
  lossWindow,
  lossProblem,
  streamProblem,
  movedRouteProblem,
  identityProblem,
  duplicateProblem,
} from '../suites/live-migration/checks.ts';
import type { ProbeReport } from '../helpers/traffic/prober.ts';
import { timelineSvg } from '../reports/timeline-svg.ts';

const report = (oks: boolean[], stream: Partial<ProbeReport['stream']> = {}): ProbeReport => ({
  target: '192.170.1.3:8090',
  intervalMs: 100,
  start: 0,
  end: oks.length * 100,
  probes: oks.map((ok, i) => ({ t: i * 100, ok, ms: ok ? 2 : 500, ...(ok ? {} : { error: 'timeout' }) })),
  stream: { bytes: 1000, maxGapMs: 20, gaps: [], broken: false, connectedAt: 0, lastAt: oks.length * 100, ...stream },
});

describe('live-migration checks', () => {
  it('the loss window runs from the first failed probe to the first answer after the last failure', () => {
    expect(lossWindow(report([true, true, true]))).toEqual({ failedProbes: 0, totalProbes: 3, windowMs: 0 });
    expect(lossWindow(report([true, false, false, true, false, true, true]))).toMatchObject({
      failedProbes: 3,
      windowMs: 400,
      firstFailAt: 100,
      recoveredAt: 500,
    });
    const never = lossWindow(report([true, false, false]));
    expect(lossProblem('vm-1', 'vm-2', never, 2000)).toBe(
      'vm-2 → vm-1: probes never answered again after the migration (2/3 failed)',
    );
    expect(lossProblem('vm-1', 'vm-2', lossWindow(report([true, ...Array(25).fill(false), true])), 2000)).toBe(
      'vm-2 → vm-1: the migration cut vm-1 off for 2500 ms (25/27 probes failed), budget 2000 ms',
    );
    expect(lossProblem('vm-1', 'vm-2', lossWindow(report([true, false, true])), 2000)).toBeUndefined();
  });

  it('the stream must stay open and carry data after the migration', () => {
    expect(streamProblem('vm-1', 'vm-2', report([true]), 50)).toBeUndefined();
    expect(streamProblem('vm-1', 'vm-2', report([true], { broken: true, error: 'ECONNRESET' }), 50)).toBe(
      'vm-2 → vm-1: the long-lived connection broke (ECONNRESET) after 1000 bytes; a live migration must keep it open',
    );
    expect(streamProblem('vm-1', 'vm-2', report([true], { lastAt: 10 }), 50)).toContain(
      'carried no data after the migration ended (last data 40 ms before the end)',
    );
    expect(streamProblem('vm-1', 'vm-2', report([true], { connectedAt: undefined, error: 'ECONNREFUSED' }), 50)).toBe(
      'vm-2 → vm-1: the long-lived connection never opened (ECONNREFUSED)',
    );
  });

  it('the route must move to the new VTEP, with a higher MM sequence when the old route was there', () => {
    const before = { router: 'spine', nexthop: '100.65.0.0', seq: 1 };
    expect(
      movedRouteProblem(
        'vm-1',
        before,
        { router: 'spine', nexthop: '100.65.1.1', seq: 2 },
        '100.65.1.1',
        'pe-kind-b-worker',
      ),
    ).toEqual({ mobility: 'sequence increased' });
    expect(
      movedRouteProblem(
        'vm-1',
        before,
        { router: 'spine', nexthop: '100.65.1.1', seq: 1 },
        '100.65.1.1',
        'pe-kind-b-worker',
      ).problem,
    ).toBe(
      'spine: type-2 MAC+IP route of vm-1: moved to 100.65.1.1 but its MAC-mobility sequence did not rise ' +
        '(MM:1 before, MM:1 after)',
    );
    expect(
      movedRouteProblem(
        'vm-1',
        { router: 'spine', seq: 0 },
        { router: 'spine', nexthop: '100.65.1.1', seq: 0 },
        '100.65.1.1',
        'n',
      ),
    ).toEqual({ mobility: 'old route withdrawn first, sequence restarted' });
    expect(movedRouteProblem('vm-1', before, { router: 'spine', seq: 0 }, '100.65.1.1', 'n').problem).toBe(
      'spine: type-2 MAC+IP route of vm-1: absent after the migration (it was via 100.65.0.0 before)',
    );
  });

  it('identity and duplicate detection', () => {
    expect(identityProblem('vm-1', 'x', { ip: '1.1.1.1', mac: 'a' }, { ip: '1.1.1.1', mac: 'a' })).toBeUndefined();
    expect(identityProblem('vm-1', 'x', { ip: '1.1.1.1', mac: 'a' }, { ip: '1.1.1.2', mac: 'a' })).toBe(
      'vm-1 (x): IP 1.1.1.1 became 1.1.1.2; a live migration must keep both',
    );
    const macs = [{ mac: '02:03:04:05:06:07', type: 'remote', localSequence: 5, remoteSequence: 6, isDuplicate: true }];
    expect(duplicateProblem('pe', macs, 'vm-1', '02:03:04:05:06:07')).toContain('frozen as a duplicate');
    expect(duplicateProblem('pe', [{ ...macs[0]!, isDuplicate: false }], 'vm-1', '02:03:04:05:06:07')).toBeUndefined();
  });

  it('draws the probes, the migration and the route move', () => {
    const svg = timelineSvg(report([true, false, true], { gaps: [{ from: 100, ms: 250 }] }), {
      title: 'm <1>',
      migrationStart: 50,
      migrationEnd: 250,
      routeMovedAt: 200,
      routeRouter: 'spine',
    });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('m &lt;1&gt;');
    expect(svg.match(/fill="#d62828"/g)).toHaveLength(1);
    expect(svg.match(/fill="#2a9d4b"/g)).toHaveLength(2);
    expect(svg).toContain('route moved (spine)');
    expect(svg).toContain('stream silent 250 ms');
  });
});

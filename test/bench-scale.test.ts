import { describe, it, expect } from 'vitest';
import { parseSizes, scaleTable, DEFAULT_SIZES, sizeName, type ScaleFigures } from '../bench/scale.ts';

const row = (o: Partial<ScaleFigures>): ScaleFigures => ({
  size: 'reference',
  clusters: 2,
  nodes: 4,
  vms: 2,
  routers: 9,
  bringUpS: 3,
  establishedS: 4,
  frr: { instances: 9, totalMiB: 150, meanMiB: 16.7, maxMiB: 20, maxRouter: 'spine' },
  suiteSeconds: { 'bgp-sessions/bgp-sessions.test.ts': 0.5, 'live-migration/live-migration.test.ts': 14.6 },
  runS: 30,
  teardownS: 1,
  totalS: 35,
  goalS: 20,
  checks: 76,
  passed: 76,
  notPassed: {},
  exitCode: 0,
  load: { start: 3.2, end: 4.1 },
  ...o,
});

describe('npm run bench -- --scale', () => {
  it('runs the reference and 2, 3, 4 and 6 clusters of 2 nodes with 2-8 VMs per cluster by default', () => {
    expect(DEFAULT_SIZES.map(sizeName)).toEqual(['reference', '2x2x2', '3x2x4', '4x2x8', '6x2x8']);
    expect(parseSizes('reference, 4x2x8')).toEqual(['reference', { clusters: 4, nodes: 2, vms: 8 }]);
    expect(() => parseSizes('4x2')).toThrowError('--sizes: "4x2" is neither "reference" nor clusters x nodes x VMs');
  });

  it('prints each suite, the total against its goal (a miss says so) and FRR memory per instance', () => {
    const table = scaleTable([row({}), row({ size: '3x2x4', totalS: 50, goalS: undefined })]).split('\n');
    expect(table[0]).toContain('| size | routers | VMs | up s | Estab. s | bgp-sessions |');
    expect(table[2]).toBe(
      '| reference | 9 | 2 | 3.0 | 4.0 | 0.5 | - | - | - | 14.6 | - | 35.0 | ≤ 20 MISSED | 150 (16.7, 20.0) | ' +
        '76/76 | 3.2-4.1 |',
    );
    expect(table[3]).toContain('| 50.0 | - |');
    expect(scaleTable([row({ totalS: 19.5 })]).split('\n')[2]).toContain('| 19.5 | ≤ 20 |');
  });
});

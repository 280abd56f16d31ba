// reports/latest names an existing run or nothing: a run reporting into a scratch
// folder (a test's, a fault row's), removed afterwards, does not move it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'l2s-latest-'));
const reports = join(scratch, 'reports');
let paths: typeof import('../reports/paths.ts');

beforeAll(async () => {
  process.env.L2STRETCH_REPORTS = reports;
  paths = await import('../reports/paths.ts');
});
afterAll(() => {
  delete process.env.L2STRETCH_REPORTS;
  rmSync(scratch, { recursive: true, force: true });
});

describe('reports/latest', () => {
  it('follows each run under the reports folder, and stays put for a run reporting elsewhere', () => {
    expect(paths.REPORTS).toBe(reports);
    const first = join(reports, 'run-20261201-120000-1');
    const second = join(reports, 'run-20261201-120100-2');
    mkdirSync(first, { recursive: true });
    mkdirSync(second, { recursive: true });
    paths.pointLatestAt(first);
    expect(readlinkSync(paths.LATEST)).toBe('run-20261201-120000-1');
    paths.pointLatestAt(second);
    expect(readlinkSync(paths.LATEST)).toBe('run-20261201-120100-2');
    const elsewhere = join(scratch, 'l2s-faults-x');
    mkdirSync(elsewhere);
    paths.pointLatestAt(elsewhere);
    paths.pointLatestAt(reports);
    rmSync(elsewhere, { recursive: true });
    expect(readlinkSync(paths.LATEST)).toBe('run-20261201-120100-2');
    expect(existsSync(paths.LATEST)).toBe(true);
  });
});

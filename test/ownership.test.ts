// Teardown touches only what is provably the run's: a folder named like a run but
// planted (another user's, a link, one without our proof) and a process whose PID
// was recorded but that is not the recorded process survive `testbed down --run`.
// Runs against a private TMPDIR: no real testbed of this machine is looked at.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, chownSync, symlinkSync } from 'node:fs';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { RunPaths, createRunDir } from '../testbeds/embedded/run.ts';
import { findRuns, pidLine, cleanupRun } from '../testbeds/embedded/cleanup.ts';

const root = process.getuid?.() === 0;
const bin = join(import.meta.dirname, '..', 'bin', 'l2stretch.js');
const base = mkdtempSync(join(tmpdir(), 'l2s-ownership-'));
const savedTmp = process.env.TMPDIR;
const sleepers: ResultPromise[] = [];

/** A process whose command line carries the run id, as a run's own processes do. */
function sleeper(runId: string): number {
  const p = execa('sh', ['-c', 'sleep 300', runId], { reject: false });
  sleepers.push(p);
  return p.pid!;
}
const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
const down = (runId: string) =>
  execa('node', [bin, 'testbed', 'down', '--run', runId], { reject: false, env: { TMPDIR: base } });

beforeAll(() => {
  process.env.TMPDIR = base;
});
afterAll(() => {
  process.env.TMPDIR = savedTmp;
  for (const s of sleepers) s.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!root)('teardown owns only what it made', () => {
  it('a run folder planted by another user is not ours: it survives testbed down, with its process', async () => {
    const runId = 'l2s-0a0b01';
    const dir = join(base, runId);
    mkdirSync(dir, { mode: 0o700 });
    const victim = sleeper(runId);
    writeFileSync(join(dir, 'owner.json'), JSON.stringify({ runId, pid: 1, kept: true }));
    writeFileSync(join(dir, 'pids'), pidLine(victim, 'controller'));
    for (const f of ['', 'owner.json', 'pids']) chownSync(join(dir, f), 65534, 65534);
    // Listed (`testbed status` shows it), but its pids file is never read and its folder never removed.
    expect(await findRuns()).toContain(runId);
    const r = await down(runId);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${dir}: left in place, it belongs to uid 65534`);
    expect(existsSync(join(dir, 'pids'))).toBe(true);
    expect(alive(victim)).toBe(true);
  });

  it('a run folder that is a link is never followed: what it points at survives', async () => {
    const runId = 'l2s-0a0b02';
    const target = mkdtempSync(join(base, 'precious-'));
    writeFileSync(join(target, 'owner.json'), JSON.stringify({ runId, pid: 1, kept: true }));
    writeFileSync(join(target, 'keep.txt'), 'mine');
    symlinkSync(target, join(base, runId));
    expect(await findRuns()).not.toContain(runId);
    const r = await down(runId);
    expect(r.stdout).toContain('left in place, it is not a directory but a link');
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('a folder of ours without the proof (no owner.json, or one naming another run) is left alone', async () => {
    for (const [runId, mode, owner] of [
      ['l2s-0a0b03', 0o700, undefined],
      ['l2s-0a0b05', 0o700, { runId: 'l2s-ffffff', pid: 1, kept: true }],
    ] as const) {
      const dir = join(base, runId);
      mkdirSync(dir, { mode });
      if (owner) writeFileSync(join(dir, 'owner.json'), JSON.stringify(owner));
      expect(await findRuns(), runId).not.toContain(runId);
      await cleanupRun(runId);
      expect(existsSync(dir), runId).toBe(true);
    }
  });

  it('in a run of ours, a recorded PID held by another process survives; the recorded process does not', async () => {
    const paths = new RunPaths('l2s-0a0b06');
    await createRunDir(paths, { pid: process.pid, kept: true });
    expect(statSync(paths.dir).mode & 0o777).toBe(0o710);
    expect(await findRuns()).toContain(paths.runId);
    // Same PID, same run id on its command line, but not the process that was recorded (another start time).
    const reused = sleeper(paths.runId);
    const ours = sleeper(paths.runId);
    writeFileSync(paths.pids, `${reused} start=1 controller\n${pidLine(ours, 'zebra')}`);
    const r = await down(paths.runId);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(alive(reused)).toBe(true);
    await expect.poll(() => alive(ours), { timeout: 3000 }).toBe(false);
    expect(existsSync(paths.dir)).toBe(false);
  });

  it('a run directory is created exclusively: one already there is refused, never adopted', async () => {
    const paths = new RunPaths('l2s-0a0b07');
    mkdirSync(paths.dir, { mode: 0o700 });
    await expect(createRunDir(paths, { pid: process.pid, kept: false })).rejects.toThrow(
      `${paths.dir}: cannot create the run directory (it already exists)`,
    );
  });
});

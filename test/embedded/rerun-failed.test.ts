// `l2stretch run --rerun-failed`: after a run where a session was down, the rerun runs
// exactly the check instances that failed, judges only those, and exits as they end.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upEmbedded, type RunningTestbed } from '../../testbeds/embedded/testbed.ts';
import { eventually } from '../../helpers/wait.ts';
import { checkRouterSessions } from '../../suites/bgp-sessions/checks.ts';
import { expectedSessions } from '../../topology/expectations.ts';
import { runRecordSchema } from '../../reports/run-record.ts';
import { frr } from '../../helpers/nos/frr/dialect.ts';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'l2stretch.js');
let tb: RunningTestbed;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-rerun-failed-'));
  tb = await upEmbedded();
});
afterAll(async () => {
  await tb?.down();
  rmSync(dir, { recursive: true, force: true });
});

const l2stretch = (args: string[], report: string) =>
  execa('node', [cli, ...args], {
    cwd: dir,
    reject: false,
    env: { L2STRETCH_REPORT_DIR: report, L2STRETCH_DEADLINES: 'bgpEstablished=4s,evpnRoutes=4s', NO_COLOR: '1' },
  });
const record = (report: string) =>
  runRecordSchema.parse(JSON.parse(readFileSync(join(report, 'run-record.json'), 'utf8')));

describe('--rerun-failed', () => {
  it('reruns only the failed instances of the earlier run, and passes once they pass', async () => {
    const spine = frr(tb.testbed.router('spine'));
    await spine.vtysh('configure terminal', 'router bgp 64612', 'neighbor 192.168.1.5 shutdown');
    const first = join(dir, 'first');
    const failing = await l2stretch(
      ['run', '--testbed-file', tb.stateFile, '--check', 'L2S-BGP-001', 'L2S-EVPN-001'],
      first,
    );
    await spine.vtysh('configure terminal', 'router bgp 64612', 'no neighbor 192.168.1.5 shutdown');
    expect(failing.exitCode, failing.stderr.slice(-1000)).toBe(1);
    const before = record(first).checks.find((c) => c.id === 'L2S-BGP-001')!;
    expect(before.instances.filter((i) => i.verdict === 'failed')).toHaveLength(2);

    const spineSessions = expectedSessions(tb.testbed.topology).filter((s) => s.router === 'spine');
    await eventually(async () => (await checkRouterSessions(spine, spineSessions)).problem, 30_000);
    const second = join(dir, 'second');
    const rerun = await l2stretch(['run', '--testbed-file', tb.stateFile, '--rerun-failed', first], second);
    expect(rerun.exitCode, rerun.stdout.slice(-1500) + rerun.stderr.slice(-1500)).toBe(0);
    expect(rerun.stderr).toMatch(
      /l2stretch: rerunning \d+ test\(s\) of L2S-BGP-001, L2S-EVPN-001 that did not pass in first/,
    );
    const after = record(second);
    // Only what did not pass: the two instances of the broken session (and whatever the
    // stage gate skipped after them), never the 7 sessions that passed.
    const bgp = after.checks.find((c) => c.id === 'L2S-BGP-001')!;
    expect(bgp.instances.map((i) => i.verdict)).toEqual(['passed', 'passed']);
    expect(bgp.instances.map((i) => i.title).sort()).toEqual(
      before.instances
        .filter((i) => i.verdict === 'failed')
        .map((i) => i.title)
        .sort(),
    );
    expect(after.verdict).toBe('passed');

    const nothing = await l2stretch(
      ['run', '--testbed-file', tb.stateFile, '--rerun-failed', second],
      join(dir, 'third'),
    );
    expect(nothing.exitCode).toBe(0);
    expect(nothing.stdout).toContain('nothing to rerun: every check of second passed');
  });

  it('a check whose earlier stage was left out fails saying so, instead of being skipped by it', async () => {
    const spine = frr(tb.testbed.router('spine'));
    await spine.vtysh('configure terminal', 'router bgp 64612', 'neighbor 192.168.1.5 shutdown');
    const report = join(dir, 'left-out');
    const r = await l2stretch(['run', '--testbed-file', tb.stateFile, '--check', 'L2S-EVPN-001'], report);
    await spine.vtysh('configure terminal', 'router bgp 64612', 'no neighbor 192.168.1.5 shutdown');
    expect(r.exitCode, r.stderr.slice(-1000)).toBe(1);
    const evpn = record(report).checks.find((c) => c.id === 'L2S-EVPN-001')!;
    const failed = evpn.instances.filter((i) => i.verdict === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const i of failed) {
      expect(i.message).toContain(
        "(stage bgp-sessions did not run: left out of this run's selection, so a failure there could not skip " +
          'this check)',
      );
    }
    expect(record(report).checks.map((c) => c.id)).toEqual(['L2S-EVPN-001']);
  });
});

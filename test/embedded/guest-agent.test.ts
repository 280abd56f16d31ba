// The guest agent that real VMs get (Python: the workload server and the migration
// prober), installed through an executor exactly as the kind testbed installs it over
// a console — here into a network namespace of this test — and checked with the
// suites' own checks. Its prober is also run against the embedded testbed's Node
// server, and its report read by the live-migration checks: one report format.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { existsSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { NetnsExecutor } from '../../helpers/transports/exec.ts';
import { newRunId } from '../../testbeds/embedded/run.ts';
import {
  installGuestAgent,
  removeGuestAgent,
  guestProberArgv,
  GUEST_AGENT_FILE,
} from '../../testbeds/guest/install.ts';
import { checkHttpSourceIp, checkLargeTransfer } from '../../suites/l2-stretch/checks.ts';
import { lossWindow, streamProblem } from '../../suites/live-migration/checks.ts';
import { bundle } from '../../helpers/programs.ts';
import type { ProbeReport } from '../../helpers/traffic/prober.ts';

const runId = newRunId();
const ns = `${runId}-guest`;
const dir = `/tmp/${runId}-guest`;
const ex = new NetnsExecutor('vm-x', ns);
const me = { name: 'vm-x', ip: '127.0.0.1' };
let nodeServer: ChildProcess | undefined;

beforeAll(async () => {
  await execa('ip', ['netns', 'add', ns]);
  await execa('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
});
afterAll(async () => {
  await removeGuestAgent(ex, dir).catch(() => undefined);
  nodeServer?.kill('SIGKILL');
  await execa('ip', ['netns', 'del', ns], { reject: false });
  rmSync(dir, { recursive: true, force: true });
});

async function probe(port: number, durationMs = 1500): Promise<ProbeReport> {
  const r = await ex.run([...guestProberArgv(dir), '--target', `127.0.0.1:${port}`, '--duration', `${durationMs}`], {
    timeoutMs: 20_000,
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ProbeReport;
}

describe('guest agent (what real VMs run, in a namespace here)', () => {
  it('installs in chunks, checks its hash, and serves what the checks ask for', async () => {
    await installGuestAgent(ex, { name: 'vm-x', port: 8090, dir });
    expect(existsSync(`${dir}/${GUEST_AGENT_FILE}`)).toBe(true);
    expect(await checkHttpSourceIp(ex, me, me, 8090)).toBeUndefined();
    expect(await checkLargeTransfer(ex, me, me, 8090)).toBeUndefined();
    // A second install finds its server running and starts no other.
    const pid = (await ex.run(['cat', `${dir}/${GUEST_AGENT_FILE}.pid`])).stdout.trim();
    await installGuestAgent(ex, { name: 'vm-x', port: 8090, dir });
    expect((await ex.run(['cat', `${dir}/${GUEST_AGENT_FILE}.pid`])).stdout.trim()).toBe(pid);
  });

  it('its prober reports in the format the live-migration checks read: all probes answered, stream kept', async () => {
    const report = await probe(8090);
    expect(report.probes.length).toBeGreaterThanOrEqual(10);
    expect(lossWindow(report)).toMatchObject({ failedProbes: 0, windowMs: 0 });
    expect(streamProblem('vm-x', 'vm-x', report, report.end - 200)).toBeUndefined();
  });

  it("its prober also reads the embedded testbed's Node server, and sees a server that goes away", async () => {
    nodeServer = spawn(
      'ip',
      ['netns', 'exec', ns, process.execPath, await bundle('workload-server'), '--name', 'node-vm', '--port', '8091'],
      { stdio: 'ignore' },
    );
    for (
      let i = 0;
      i < 40 && (await ex.run(['curl', '-s', 'http://127.0.0.1:8091/hostname'])).stdout !== 'node-vm';
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(lossWindow(await probe(8091)).failedProbes).toBe(0);
    const probing = probe(8091, 3000);
    // Once the prober is connected (a loaded machine starts it late), SIGKILL: the
    // server dies with its connections, as a crashed guest would.
    for (let i = 0; i < 100 && !(await ex.run(['ss', '-Htn', 'state', 'established', 'sport = :8091'])).stdout; i++)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    nodeServer!.kill('SIGKILL');
    const report = await probing;
    expect(lossWindow(report).failedProbes).toBeGreaterThan(0);
    expect(streamProblem('node-vm', 'vm-x', report, report.end)).toMatch(
      /^vm-x → node-vm: the long-lived connection broke/,
    );
    nodeServer = undefined;
  });

  it('is removed with its server', async () => {
    await removeGuestAgent(ex, dir);
    expect((await ex.run(['curl', '-s', '--max-time', '1', 'http://127.0.0.1:8090/hostname'])).exitCode).not.toBe(0);
    expect(existsSync(`${dir}/${GUEST_AGENT_FILE}`)).toBe(false);
  });
});

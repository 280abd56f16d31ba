// Proves that nothing of a run stays on the machine: after Ctrl-C in the middle of
// the suites, of a live migration and of bring-up, and after a controller killed
// with SIGKILL followed by `testbed down --run`.
import { describe, it, expect } from 'vitest';
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { leftoversOf, isClean, type Leftovers } from '../../testbeds/embedded/cleanup.ts';
import { RunPaths } from '../../testbeds/embedded/run.ts';
import { loadTopology } from '../../topology/load.ts';
import { routerNames } from '../../topology/expectations.ts';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'l2stretch.js');

async function runIdOf(stream: NodeJS.ReadableStream, waitFor: RegExp): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    stream.on('data', (c: Buffer) => {
      seen += c.toString();
      const id = /run (l2s-[0-9a-f]{6})/.exec(seen)?.[1];
      if (id && waitFor.test(seen)) resolve(id);
    });
    stream.on('end', () => reject(new Error(`the CLI ended before printing ${waitFor}: ${seen}`)));
  });
}

const vitest = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', 'vitest', 'vitest.mjs');

/** Starts a conformance run, interrupts it `afterUpMs` after its testbed is up, and returns the run id. */
async function interruptedRun(extraArgs: string[], afterUpMs: number): Promise<{ runId: string; exitCode?: number }> {
  const run = execa('node', [vitest, 'run', '-c', 'vitest.conformance.config.ts', ...extraArgs], {
    reject: false,
    env: { NO_COLOR: '1' },
  });
  let seen = '';
  const runId = await new Promise<string>((resolve, reject) => {
    run.stderr!.on('data', (c: Buffer) => {
      seen += c.toString();
      const id = /embedded testbed (l2s-[0-9a-f]{6}) up/.exec(seen)?.[1];
      if (id) resolve(id);
    });
    run.stderr!.on('end', () => reject(new Error(`the run ended before its testbed was up: ${seen}`)));
  });
  await new Promise((r) => setTimeout(r, afterUpMs));
  run.kill('SIGINT');
  const r = await run;
  return { runId, exitCode: r.exitCode };
}

/**
 * vitest may exit on Ctrl-C before its teardown finishes; the testbed's controller
 * then sees its owner gone and removes everything itself, within seconds.
 */
async function cleanedUp(runId: string): Promise<Leftovers> {
  let last = await leftoversOf(runId);
  for (let i = 0; i < 100 && !isClean(last); i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await leftoversOf(runId);
  }
  return last;
}

describe('embedded testbed cleanup', () => {
  it('Ctrl-C in the middle of the suites removes everything of the run', async () => {
    const { runId } = await interruptedRun([], 1500);
    expect(await cleanedUp(runId)).toEqual({ namespaces: [], processes: [], mounts: [], files: false });
  });

  it('Ctrl-C in the middle of a live migration removes everything of the run', async () => {
    // The migration suite alone: after its warm-up (under 1 s) the first migration runs for ~1.5 s.
    const { runId } = await interruptedRun(['suites/live-migration'], 2000);
    expect(await cleanedUp(runId)).toEqual({ namespaces: [], processes: [], mounts: [], files: false });
  });

  it('Ctrl-C while FRR is starting removes everything of the run', async () => {
    const up = execa('node', [cli, 'testbed', 'up'], { reject: false });
    const runId = await runIdOf(up.stderr!, /starting FRR/);
    up.kill('SIGINT');
    const r = await up;
    expect(r.exitCode).toBe(130);
    expect(await leftoversOf(runId)).toEqual({ namespaces: [], processes: [], mounts: [], files: false });
  });

  it('a controller killed with SIGKILL leaves leftovers that `testbed down` removes', async () => {
    const up = await execa('node', [cli, 'testbed', 'up']);
    const runId = /testbed (l2s-[0-9a-f]{6}) is up/.exec(up.stdout)![1]!;
    const controller = Number(readFileSync(new RunPaths(runId).pids, 'utf8').split(' ')[0]);
    process.kill(controller, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const before = await leftoversOf(runId);
    const t = loadTopology('multicluster');
    expect(before.namespaces.length).toBeGreaterThan(20);
    // zebra + bgpd per router, one HTTP server per host and per VM
    expect(before.processes.length).toBe(
      2 * routerNames(t).length + Object.keys(t.hosts).length + Object.keys(t.overlay!.vms).length,
    );
    // Named by its id: a bare `testbed down` also removes every other kept testbed, and the
    // self-tests run side by side with their own.
    const status = await execa('node', [cli, 'testbed', 'status']);
    expect(status.stdout).toMatch(new RegExp(`^${runId}  controller gone  kept  `, 'm'));
    const down = await execa('node', [cli, 'testbed', 'down', '--run', runId]);
    expect(down.stdout).toContain(`removed ${runId}`);
    const after = await leftoversOf(runId);
    expect(after, JSON.stringify(after)).toEqual({ namespaces: [], processes: [], mounts: [], files: false });
    expect(isClean(after)).toBe(true);
  });
});

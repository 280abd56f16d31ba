// `l2stretch testbed up|down|status`: the embedded testbed kept between runs, and the
// containerlab + KinD one (`--testbed kind`).
// Bring-up's modules take most of a second to load: each command says what it starts first, then loads them.
import { downRun, listRuns } from '../testbeds/embedded/runs.ts';
import { assertRunId, newRunId } from '../testbeds/embedded/run.ts';
import { EXIT, UsageError } from './exit.ts';

export type TestbedKind = 'embedded' | 'kind';

const elapsed = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;
const progress = (start: number) => (m: string) => process.stderr.write(`[${elapsed(start)}] ${m}\n`);

interface KindFlags {
  topology?: string;
  dryRun?: boolean;
  labDir?: string;
}

async function kindTestbed(direction: 'up' | 'down', flags: KindFlags): Promise<number> {
  const start = Date.now();
  progress(start)(`kind testbed ${direction}${flags.dryRun ? ' (dry run: nothing is changed)' : ''}`);
  const [{ upKind, downKind, kindOptions }, { loadTopology }] = await Promise.all([
    import('../testbeds/kind/testbed.ts'),
    import('../topology/load.ts'),
  ]);
  const o = kindOptions({
    topologyRef: flags.topology,
    dryRun: flags.dryRun,
    labDir: flags.labDir,
    onProgress: progress(start),
  });
  const topology = loadTopology(o.topologyRef);
  if (direction === 'down') {
    await downKind(topology, o);
    if (!o.dryRun) process.stdout.write(`kind testbed removed (${elapsed(start)})\n`);
    return EXIT.passed;
  }
  const file = await upKind(topology, o);
  if (file) {
    process.stdout.write(
      `kind testbed is up (${elapsed(start)})\n  testbed file: ${file}\n` +
        `  run the suites on it:  l2stretch run --testbed-file ${file}\n`,
    );
  }
  return EXIT.passed;
}

/** Flags that only the kind testbed takes, refused on the embedded one rather than ignored. */
function embeddedOnly(flags: KindFlags & { testbed: TestbedKind }): void {
  const given = [flags.dryRun && '--dry-run', flags.labDir && '--lab-dir'].filter(Boolean);
  if (given.length) throw new UsageError(`${given.join(' and ')}: only with --testbed kind`);
}

export async function testbedUp(flags: KindFlags & { testbed: TestbedKind }): Promise<number> {
  if (flags.testbed === 'kind') return kindTestbed('up', flags);
  embeddedOnly(flags);
  const start = Date.now();
  const runId = newRunId();
  progress(start)(`standing the embedded testbed ${runId} up (topology ${flags.topology ?? 'multicluster'})`);
  const { upEmbedded } = await import('../testbeds/embedded/testbed.ts');
  let interrupted: Promise<void> | undefined;
  const onSignal = () => {
    process.stderr.write(`\ninterrupted: removing the half-built testbed ${runId}…\n`);
    interrupted ??= downRun(runId).then(() => undefined);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const tb = await upEmbedded({ topology: flags.topology, keep: true, runId, onProgress: progress(start) }).catch(
    (e: Error) => (interrupted ? undefined : Promise.reject(e)),
  );
  if (interrupted || !tb) {
    await (interrupted ?? downRun(runId));
    process.stderr.write(`removed ${runId}\n`);
    return EXIT.interrupted;
  }
  const spine = tb.file.routers.spine;
  process.stdout.write(
    [
      `testbed ${tb.runId} is up (${elapsed(start)}); it stays until \`l2stretch testbed down --run ${tb.runId}\``,
      `  testbed file: ${tb.stateFile}`,
      `  run the suites on it:  l2stretch run --testbed-file ${tb.stateFile}`,
      ...(spine?.nos === 'frr'
        ? [`  ask a router:          ip netns exec ${tb.runId}-spine ${spine.vtysh.join(' ')} -c 'show bgp summary'`]
        : []),
      `  routers: ${Object.keys(tb.file.routers).join(', ')}`,
      '',
    ].join('\n'),
  );
  return EXIT.passed;
}

export async function testbedDown(
  flags: KindFlags & { testbed: TestbedKind; run?: string; all?: boolean },
): Promise<number> {
  if (flags.testbed === 'kind') {
    if (flags.run || flags.all) throw new UsageError('--run and --all: only for the embedded testbed');
    return kindTestbed('down', flags);
  }
  embeddedOnly(flags);
  if (flags.run) assertRunId(flags.run);
  const runs = await listRuns();
  const targets = flags.run
    ? [flags.run]
    : runs.filter((r) => !r.notYours && (flags.all || r.kept || !r.inUse)).map((r) => r.runId);
  for (const id of targets) {
    const start = Date.now();
    process.stderr.write(`removing ${id}…\n`);
    const r = await downRun(id);
    process.stdout.write(`removed ${id} (${elapsed(start)})\n`);
    if (r.keptDir) process.stdout.write(`  ${r.keptDir}\n`);
  }
  if (!targets.length) process.stdout.write('nothing to remove\n');
  for (const r of runs.filter((r) => !targets.includes(r.runId))) {
    process.stdout.write(
      r.notYours
        ? `left ${r.runId} alone: not yours (another user's run; whether it is in use cannot be told from here)\n`
        : `left ${r.runId} alone: a conformance run owns it (use --run ${r.runId} or --all)\n`,
    );
  }
  return EXIT.passed;
}

export async function testbedStatus(): Promise<number> {
  const runs = await listRuns();
  if (!runs.length) process.stdout.write('no l2stretch testbed on this machine\n');
  for (const r of runs) {
    const role = r.notYours
      ? 'not yours: another user runs it; whether it is in use cannot be told from here (never remove it)'
      : r.kept
        ? 'kept'
        : r.inUse
          ? 'in use by a run'
          : 'leftover of a run that is gone (remove with `l2stretch testbed down`)';
    process.stdout.write(`${r.runId}  controller ${r.controller}  ${role}  ${r.stateFile ?? '(no testbed file)'}\n`);
  }
  return EXIT.passed;
}

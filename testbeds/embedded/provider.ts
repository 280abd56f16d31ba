// The embedded testbed: network namespaces, FRR and emulated clusters on this machine
// (the default, and what CI runs). Kept ones are found and removed by run id.
import type { TestbedProvider, UpDownFlags } from '../provider.ts';

const elapsed = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;
const progress = (start: number) => (m: string) => process.stderr.write(`[${elapsed(start)}] ${m}\n`);

async function up(flags: UpDownFlags) {
  const start = Date.now();
  const { newRunId } = await import('./run.ts');
  const runId = newRunId();
  progress(start)(`standing the embedded testbed ${runId} up (topology ${flags.topology ?? 'multicluster'})`);
  const [{ upEmbedded }, { downRun }] = await Promise.all([import('./testbed.ts'), import('./runs.ts')]);
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
    return 'interrupted' as const;
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
  return 'done' as const;
}

async function down(flags: UpDownFlags) {
  const [{ assertRunId }, { downRun, listRuns }] = await Promise.all([import('./run.ts'), import('./runs.ts')]);
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
  return 'done' as const;
}

export const embeddedProvider: TestbedProvider = {
  kind: 'embedded',
  flags: { up: [], down: ['run', 'all'] },
  async preflight() {
    const { preflightProblems, kernelProblems } = await import('./preflight.ts');
    const problems = preflightProblems();
    return problems.length ? problems : kernelProblems();
  },
  async upForRun(o) {
    const start = Date.now();
    const { upEmbedded } = await import('./testbed.ts');
    const tb = await upEmbedded({
      topology: o.topology,
      onProgress: (m) => process.stderr.write(`l2stretch [${((Date.now() - start) / 1000).toFixed(1)} s] ${m}\n`),
    });
    process.stderr.write(`l2stretch: embedded testbed ${tb.runId} up in ${elapsed(start)}\n`);
    const onSignal = () => void tb.down().finally(() => process.exit(130));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return {
      file: tb.stateFile,
      async down() {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await tb.down();
        process.stderr.write(`l2stretch: embedded testbed ${tb.runId} removed\n`);
      },
    };
  },
  up,
  down,
};

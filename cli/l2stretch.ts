// The l2stretch command line: stand a testbed up or down, see what runs, run the suites.
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upEmbedded, downRun, listRuns } from '../fixtures/embedded/testbed.ts';
import { assertRunId, newRunId } from '../fixtures/embedded/run.ts';
import { readTestbedFile } from '../helpers/testbed.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: l2stretch <command>

  testbed up [--topology NAME|FILE]   stand the embedded testbed up and keep it
  testbed down [--run ID] [--all]     remove kept testbeds and leftovers of crashed runs
  testbed status                      list the testbeds on this machine
  run [--testbed-file FILE] [-- vitest args]
                                      run the conformance suites (on a kept testbed
                                      with --testbed-file, else on a fresh one)

environment: L2STRETCH_TOPOLOGY, L2STRETCH_TESTBED_FILE, L2STRETCH_DEADLINES (e.g. bgpEstablished=60s)`;

function elapsed(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

async function testbedUp(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { topology: { type: 'string' } } });
  const start = Date.now();
  const runId = newRunId();
  let interrupted: Promise<void> | undefined;
  const onSignal = () => {
    process.stderr.write(`\ninterrupted: removing the half-built testbed ${runId}…\n`);
    interrupted ??= downRun(runId);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const tb = await upEmbedded({
    topology: values.topology ?? process.env.L2STRETCH_TOPOLOGY,
    keep: true,
    runId,
    onProgress: (m) => process.stderr.write(`[${elapsed(start)}] ${m}\n`),
  }).catch((e: Error) => (interrupted ? undefined : Promise.reject(e)));
  if (interrupted || !tb) {
    await (interrupted ?? downRun(runId));
    process.stderr.write(`removed ${runId}\n`);
    return 130;
  }
  process.stdout.write(
    [
      `testbed ${tb.runId} is up (${elapsed(start)}); it stays until \`l2stretch testbed down --run ${tb.runId}\``,
      `  testbed file: ${tb.stateFile}`,
      `  run the suites on it:  L2STRETCH_TESTBED_FILE=${tb.stateFile} npm run conformance`,
      `  ask a router:          ${tb.file.routers.spine ? `ip netns exec ${tb.runId}-spine ${tb.file.routers.spine.vtysh.join(' ')} -c 'show bgp summary'` : ''}`,
      `  routers: ${Object.keys(tb.file.routers).join(', ')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

async function testbedDown(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { run: { type: 'string' }, all: { type: 'boolean' } } });
  const runs = await listRuns();
  const targets = values.run
    ? [assertRunId(values.run)]
    : runs.filter((r) => values.all || r.kept || !r.inUse).map((r) => r.runId);
  const spared = runs.filter((r) => !targets.includes(r.runId));
  for (const id of targets) {
    const start = Date.now();
    await downRun(id);
    process.stdout.write(`removed ${id} (${elapsed(start)})\n`);
  }
  if (!targets.length) process.stdout.write('nothing to remove\n');
  for (const r of spared) process.stdout.write(`left ${r.runId} alone: a conformance run owns it (use --run ${r.runId} or --all)\n`);
  return 0;
}

async function testbedStatus(): Promise<number> {
  const runs = await listRuns();
  if (!runs.length) process.stdout.write('no l2stretch testbed on this machine\n');
  for (const r of runs) {
    const role = r.kept ? 'kept' : r.inUse ? 'in use by a run' : 'leftover (remove with `l2stretch testbed down`)';
    process.stdout.write(`${r.runId}  controller ${r.controller}  ${role}  ${r.stateFile ?? '(no testbed file)'}\n`);
  }
  return 0;
}

function run(args: string[]): number {
  const { values, positionals } = parseArgs({ args, options: { 'testbed-file': { type: 'string' } }, allowPositionals: true });
  if (values['testbed-file']) readTestbedFile(values['testbed-file']);
  const env = { ...process.env, ...(values['testbed-file'] ? { L2STRETCH_TESTBED_FILE: values['testbed-file'] } : {}) };
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const r = spawnSync(process.execPath, [vitest, 'run', '--project', 'conformance', ...positionals], { cwd: root, env, stdio: 'inherit' });
  return r.status ?? 1;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'testbed' && sub === 'up') return testbedUp(rest);
  if (cmd === 'testbed' && sub === 'down') return testbedDown(rest);
  if (cmd === 'testbed' && sub === 'status') return testbedStatus();
  if (cmd === 'run') return run(argv.slice(1));
  process.stderr.write(`${cmd && cmd !== 'help' && cmd !== '--help' ? `unknown command: ${argv.join(' ')}\n\n` : ''}${USAGE}\n`);
  return cmd === 'help' || cmd === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`l2stretch: ${e.message}\n`);
    process.exit(1);
  },
);

// The l2stretch command line: stand a testbed up or down, see what runs, run the suites.
import { parseArgs } from 'node:util';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upEmbedded, downRun, listRuns } from '../fixtures/embedded/testbed.ts';
import { assertRunId, newRunId } from '../fixtures/embedded/run.ts';
import { readTestbedFile } from '../helpers/testbed.ts';
import { upKind, downKind, kindOptions } from '../fixtures/kind/testbed.ts';
import { loadTopology } from '../topology/load.ts';
import { readProduct, writeBundle } from '../reports/bundle.ts';
import { verifyBundle, type Verification } from '../reports/verify-bundle.ts';
import { runReportDir, REPORTS, RUN_FILES } from '../reports/paths.ts';
import { redact } from '../reports/redact.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: l2stretch <command>

  testbed up [--topology NAME|FILE]   stand the embedded testbed up and keep it
  testbed down [--run ID] [--all]     remove kept testbeds and leftovers of crashed runs
  testbed up|down --testbed kind [--dry-run] [--lab-dir DIR]
                                      the containerlab + KinD testbed (needs Docker);
                                      --dry-run prints every command and manifest instead
  testbed status                      list the testbeds on this machine
  run [--testbed-file FILE] [-- vitest args]
                                      run the conformance suites (on a kept testbed
                                      with --testbed-file, else on a fresh one)
  certify --product FILE [--testbed-file FILE] [--out DIR]
                                      run every conformance-tier check, no skip allowed,
                                      and write a certification bundle
  verify-bundle DIR                   check a certification bundle: every conformance
                                      check present and passed, hashes intact

environment: L2STRETCH_TESTBED (embedded|kind), L2STRETCH_KIND_DIR, L2STRETCH_KUBEVIRT_EMULATION=1, L2STRETCH_TOPOLOGY, L2STRETCH_TESTBED_FILE, L2STRETCH_DEADLINES (e.g. bgpEstablished=60s),
             L2STRETCH_TIERS (conformance,extended), L2STRETCH_REPORT_DIR`;

function elapsed(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

const kindArgs = { testbed: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'lab-dir': { type: 'string' }, topology: { type: 'string' } } as const;

/** `testbed up|down --testbed kind`: the real testbed, or its plan with --dry-run. */
async function kindTestbed(direction: 'up' | 'down', args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: kindArgs });
  const start = Date.now();
  const o = kindOptions({ topologyRef: values.topology ?? process.env.L2STRETCH_TOPOLOGY, dryRun: values['dry-run'], labDir: values['lab-dir'], onProgress: (m) => process.stderr.write(`[${elapsed(start)}] ${m}\n`) });
  const topology = loadTopology(o.topologyRef);
  if (direction === 'down') {
    await downKind(topology, o);
    if (!o.dryRun) process.stdout.write(`kind testbed removed (${elapsed(start)})\n`);
    return 0;
  }
  const file = await upKind(topology, o);
  if (file) process.stdout.write(`kind testbed is up (${elapsed(start)})\n  testbed file: ${file}\n  run the suites on it:  L2STRETCH_TESTBED_FILE=${file} npm run conformance\n`);
  return 0;
}

const wantsKind = (args: string[]) => (parseArgs({ args, options: kindArgs, strict: false }).values.testbed ?? process.env.L2STRETCH_TESTBED) === 'kind';

async function testbedUp(args: string[]): Promise<number> {
  if (wantsKind(args)) return kindTestbed('up', args);
  const { values } = parseArgs({ args, options: { topology: { type: 'string' }, testbed: { type: 'string' } } });
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
  if (wantsKind(args)) return kindTestbed('down', args);
  const { values } = parseArgs({ args, options: { run: { type: 'string' }, all: { type: 'boolean' }, testbed: { type: 'string' } } });
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

const vitestArgv = (extra: string[]) => [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', join(root, 'vitest.conformance.config.ts'), ...extra];

function testbedEnv(testbedFile: string | undefined): NodeJS.ProcessEnv {
  if (testbedFile) readTestbedFile(testbedFile);
  return { ...process.env, ...(testbedFile ? { L2STRETCH_TESTBED_FILE: resolve(testbedFile) } : {}) };
}

function run(args: string[]): number {
  const { values, positionals } = parseArgs({ args, options: { 'testbed-file': { type: 'string' } }, allowPositionals: true });
  const r = spawnSync(process.execPath, vitestArgv(positionals), { cwd: root, env: testbedEnv(values['testbed-file']), stdio: 'inherit' });
  return r.status ?? 1;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-|-$/g, '');

function printVerification(dir: string, v: Verification): void {
  if (v.summary) process.stdout.write(`${v.summary}\n`);
  process.stdout.write(v.ok ? `bundle ${dir}: VERIFIED\n` : `bundle ${dir}: NOT VERIFIED\n${v.problems.map((p) => `  - ${p}`).join('\n')}\n`);
}

/** Runs the conformance tier with the run's output both on the terminal and in run.log. */
async function certify(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { product: { type: 'string' }, 'testbed-file': { type: 'string' }, out: { type: 'string' } } });
  if (!values.product) throw new Error('certify needs --product FILE: a YAML file with vendor, product, version, contact and what was replaced (see README, "Certification")');
  const product = readProduct(values.product);
  const runDir = runReportDir();
  const out = resolve(values.out ?? join(REPORTS, `certification-${slug(product.vendor)}-${slug(product.product)}-${slug(product.version)}-${relative(REPORTS, runDir).replace(/^run-/, '')}`));
  mkdirSync(runDir, { recursive: true });
  const env = { ...testbedEnv(values['testbed-file']), L2STRETCH_TIERS: 'conformance', L2STRETCH_PRODUCT_FILE: resolve(values.product), L2STRETCH_REPORT_DIR: runDir };
  process.stderr.write(`l2stretch: certifying ${product.vendor} ${product.product} ${product.version}: every conformance-tier check, none may be skipped\n`);
  const child = spawn(process.execPath, vitestArgv([]), { cwd: root, env, stdio: ['inherit', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c: Buffer) => ((log += c.toString()), process.stdout.write(c)));
  child.stderr.on('data', (c: Buffer) => ((log += c.toString()), process.stderr.write(c)));
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  process.once('SIGINT', forward('SIGINT'));
  process.once('SIGTERM', forward('SIGTERM'));
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
  writeFileSync(join(runDir, RUN_FILES.log), redact(log));
  if (code === 130) return 130;
  writeBundle({ product: values.product, catalogue: join(root, 'conformance.yaml'), runDir }, out);
  const v = verifyBundle(out);
  process.stdout.write(`\ncertification bundle: ${relative(process.cwd(), out)}\n`);
  printVerification(relative(process.cwd(), out), v);
  return v.ok ? 0 : 1;
}

function verify(args: string[]): number {
  const [dir] = args;
  if (!dir) throw new Error('verify-bundle needs the bundle directory: l2stretch verify-bundle DIR');
  const v = verifyBundle(resolve(dir));
  printVerification(dir, v);
  return v.ok ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'testbed' && sub === 'up') return testbedUp(rest);
  if (cmd === 'testbed' && sub === 'down') return testbedDown(rest);
  if (cmd === 'testbed' && sub === 'status') return testbedStatus();
  if (cmd === 'run') return run(argv.slice(1));
  if (cmd === 'certify') return certify(argv.slice(1));
  if (cmd === 'verify-bundle') return verify(argv.slice(1));
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

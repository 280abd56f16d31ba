// `l2stretch run | certify | results | verify-bundle`: runs of the conformance suites
// (vitest as a child process) and what they left, judged by their run record.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Verification } from '../reports/verify-bundle.ts';
import type { TestbedKind } from '../helpers/ports.ts';
import { LATEST, REPORTS, RUN_FILES, runReportDir } from '../reports/paths.ts';
import { redact } from '../reports/redact.ts';
import { runRecordSchema, verdictTable, type RunRecord } from '../reports/run-record.ts';
import { checkIds, idOfTitle, type CheckId, type Tier } from '../suites/catalogue.ts';
import { selectedChecks, selectedStages } from '../suites/selection.ts';
import { CONFORMANCE_CONFIG, PACKAGE_ROOT, vitestCli } from './paths.ts';
import { EXIT, UsageError, exitOfVerdict } from './exit.ts';

export interface RunFlags {
  testbed?: TestbedKind;
  testbedFile?: string;
  check?: string[];
  skip?: string[];
  tier?: Tier;
  /** true: the latest run. */
  rerunFailed?: string | true;
}

function testbedEnv(flags: Pick<RunFlags, 'testbed' | 'testbedFile'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (flags.testbed) env.L2STRETCH_TESTBED = flags.testbed;
  if (flags.testbedFile) env.L2STRETCH_TESTBED_FILE = flags.testbedFile;
  // vitest runs in the package directory: paths the caller gave relative to theirs are made absolute.
  for (const v of ['L2STRETCH_TESTBED_FILE', 'L2STRETCH_REPORT_DIR'] as const) if (env[v]) env[v] = resolve(env[v]);
  if (env.L2STRETCH_TOPOLOGY && existsSync(env.L2STRETCH_TOPOLOGY))
    env.L2STRETCH_TOPOLOGY = resolve(env.L2STRETCH_TOPOLOGY);
  return env;
}

/** The testbed file, read and validated (through the testbed interface, which loads the Kubernetes client). */
async function readTestbed(file: string) {
  const { readTestbedFile } = await import('../helpers/testbed.ts');
  return readTestbedFile(file);
}

/** A run directory given by the user, or the latest run; refused in one line when there is none. */
export function runDirOf(dir: string | undefined): string {
  const d = resolve(dir ?? LATEST);
  if (!existsSync(d)) {
    throw new UsageError(
      dir
        ? `${dir}: no such run directory`
        : `no run yet under ${relative(process.cwd(), REPORTS) || '.'}/: run the suites first (l2stretch run)`,
    );
  }
  return realpathSync(d);
}

export function readRunRecord(dir: string): RunRecord {
  const file = join(dir, RUN_FILES.record);
  if (!existsSync(file)) throw new UsageError(`${file}: no run record (the run ended before writing one)`);
  const parsed = runRecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new UsageError(`${file}: not an l2stretch run record: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The exit code a run record stands for; a testbed that never came up is a tool error, not a failed check. */
export function exitOfRecord(r: RunRecord): number {
  return r.testbed.runId === 'none' ? EXIT.usage : exitOfVerdict(r.verdict);
}

interface AllureResult {
  fullName?: string;
  status?: string;
  name?: string;
  labels?: Array<{ name: string; value: string }>;
}

/**
 * The instances of a run that did not pass, as an Allure test plan (allure-vitest
 * skips what a plan leaves out, and the run record does not count those).
 */
export function rerunPlan(dir: string): { ids: CheckId[]; tests: Array<{ selector: string }> } {
  const results = join(dir, RUN_FILES.allureResults);
  if (!existsSync(results)) throw new UsageError(`${results}: missing, so which checks failed cannot be told`);
  const notPassed = readdirSync(results)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as AllureResult)
    .filter((r) => r.status !== 'passed' && r.fullName);
  const ids = new Set<CheckId>();
  for (const r of notPassed) {
    const id = r.labels?.find((l) => l.name === 'checkId')?.value ?? idOfTitle(r.name ?? '');
    if (id && idOfTitle(id)) ids.add(id as CheckId);
  }
  return { ids: checkIds().filter((id) => ids.has(id)), tests: notPassed.map((r) => ({ selector: r.fullName! })) };
}

/** Runs vitest on the conformance config; resolves with its exit code (130 when interrupted). */
function vitest(
  args: string[],
  env: NodeJS.ProcessEnv,
  onOutput?: (chunk: Buffer, to: NodeJS.WriteStream) => void,
): Promise<number> {
  const child = spawn(process.execPath, [vitestCli(), 'run', '-c', CONFORMANCE_CONFIG, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...env, L2STRETCH_REPORTS: REPORTS },
    stdio: ['inherit', onOutput ? 'pipe' : 'inherit', onOutput ? 'pipe' : 'inherit'],
  });
  if (onOutput) {
    child.stdout!.on('data', (c: Buffer) => onOutput(c, process.stdout));
    child.stderr!.on('data', (c: Buffer) => onOutput(c, process.stderr));
  }
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  process.once('SIGINT', forward('SIGINT'));
  process.once('SIGTERM', forward('SIGTERM'));
  return new Promise((done) =>
    child.on('close', (code, signal) => done(code ?? (signal ? EXIT.interrupted : EXIT.usage))),
  );
}

/** The run's exit code from what it left: its run record, or a tool error when it left none. */
function judge(code: number, runDir: string): number {
  if (code === EXIT.interrupted) return code;
  const file = join(runDir, RUN_FILES.record);
  if (!existsSync(file)) {
    // A --reporter passed to vitest replaces the one that writes the record: vitest's own verdict is all there is.
    process.stderr.write(`l2stretch: the run left no run record (vitest exited ${code}): see the errors above\n`);
    return code === EXIT.failed ? EXIT.failed : EXIT.usage;
  }
  return exitOfRecord(readRunRecord(runDir));
}

export async function run(flags: RunFlags, vitestArgs: string[]): Promise<number> {
  const env = testbedEnv(flags);
  if (flags.tier) env.L2STRETCH_TIERS = flags.tier;
  if (flags.check) env.L2STRETCH_CHECKS = flags.check.join(',');
  if (flags.skip) env.L2STRETCH_SKIP = flags.skip.join(',');
  const runDir = (env.L2STRETCH_REPORT_DIR ??= runReportDir());
  if (flags.rerunFailed) {
    if (flags.check || flags.skip || flags.tier)
      throw new UsageError('--rerun-failed takes its selection from the earlier run: no --check, --skip or --tier');
    const from = runDirOf(flags.rerunFailed === true ? undefined : flags.rerunFailed);
    const plan = rerunPlan(from);
    if (!plan.tests.length) {
      process.stdout.write(`nothing to rerun: every check of ${relative(process.cwd(), from)} passed\n`);
      return EXIT.passed;
    }
    mkdirSync(runDir, { recursive: true });
    const planFile = join(runDir, 'testplan.json');
    writeFileSync(planFile, JSON.stringify({ version: '1.0', tests: plan.tests }, null, 2));
    env.ALLURE_TESTPLAN_PATH = planFile;
    env.L2STRETCH_CHECKS = plan.ids.join(',');
    process.stderr.write(
      `l2stretch: rerunning ${plan.tests.length} test(s) of ${plan.ids.join(', ')} ` +
        `that did not pass in ${relative(process.cwd(), from)}\n`,
    );
  }
  let ids: CheckId[];
  try {
    ids = selectedChecks(env);
  } catch (e) {
    const named = (e as Error).message
      .replace(/^L2STRETCH_CHECKS/, flags.check ? '--check' : '$&')
      .replace(/^L2STRETCH_SKIP/, flags.skip ? '--skip' : '$&');
    throw new UsageError(named);
  }
  if (!ids.length)
    throw new UsageError('the selection leaves no check to run (`l2stretch list` shows the checks and their tiers)');
  const stages = selectedStages(ids);
  const on = env.L2STRETCH_TESTBED_FILE
    ? `the testbed of ${env.L2STRETCH_TESTBED_FILE}`
    : `a fresh ${env.L2STRETCH_TESTBED ?? 'embedded'} testbed`;
  process.stderr.write(
    `l2stretch: ${ids.length} checks of ${stages.join(', ')} on ${on}; ` +
      `reports in ${relative(process.cwd(), runDir)}/\n`,
  );
  if (flags.testbedFile) await readTestbed(flags.testbedFile);
  return judge(await vitest([...stages.map((s) => `suites/${s}/${s}.test.ts`), ...vitestArgs], env), runDir);
}

export async function results(dir: string | undefined, opts: { json?: boolean }): Promise<number> {
  const runDir = runDirOf(dir);
  const r = readRunRecord(runDir);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return exitOfRecord(r);
  }
  const notPassed = r.checks.filter((c) => c.verdict !== 'passed').length;
  process.stdout.write(
    [
      `run ${relative(process.cwd(), runDir) || '.'}: ${r.testbed.kind} testbed ${r.testbed.runId}, ` +
        `${r.startedAt} → ${r.finishedAt}`,
      '',
      verdictTable(r, process.stdout.columns || 120),
      '',
      `${r.verdict.toUpperCase()}${notPassed ? ` (${notPassed} of ${r.checks.length} checks did not pass)` : ''}` +
        (r.errors.length
          ? `; errors outside the checks:\n  ${r.errors.map((e) => e.split('\n')[0]).join('\n  ')}`
          : ''),
      '',
    ].join('\n'),
  );
  return exitOfRecord(r);
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-|-$/g, '');

function printVerification(dir: string, v: Verification): void {
  if (v.summary) process.stdout.write(`${v.summary}\n`);
  process.stdout.write(
    v.ok
      ? `bundle ${dir}: VERIFIED\n`
      : `bundle ${dir}: NOT VERIFIED\n${v.problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
}

/** Runs the conformance tier, whole, with the run's output both on the terminal and in run.log. */
export async function certify(flags: { product: string; testbedFile?: string; out?: string }): Promise<number> {
  const [{ readProduct, writeBundle, assertBundleTarget }, { auditKubeconfigs }, { verifyBundle }] = await Promise.all([
    import('../reports/bundle.ts'),
    import('../reports/kubeconfig-audit.ts'),
    import('../reports/verify-bundle.ts'),
  ]);
  const product = readProduct(flags.product);
  const runDir = runReportDir();
  const stamp = relative(REPORTS, runDir).replace(/^run-/, '');
  const name = `certification-${slug(product.vendor)}-${slug(product.product)}-${slug(product.version)}-${stamp}`;
  const out = resolve(flags.out ?? join(REPORTS, name));
  // Refused before the run, not after it: a bundle never mixes with earlier files.
  assertBundleTarget(out);
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const env = testbedEnv(flags);
  Object.assign(env, {
    L2STRETCH_TIERS: 'conformance',
    L2STRETCH_PRODUCT_FILE: resolve(flags.product),
    L2STRETCH_REPORT_DIR: runDir,
  });
  // A certification is never narrowed.
  delete env.L2STRETCH_CHECKS;
  delete env.L2STRETCH_SKIP;
  const kubeconfigs = env.L2STRETCH_TESTBED_FILE ? auditKubeconfigs(await readTestbed(env.L2STRETCH_TESTBED_FILE)) : [];
  for (const f of kubeconfigs)
    process.stderr.write(`l2stretch: flagged, recorded in the bundle: ${f.kubeconfig}: ${f.flag}\n`);
  process.stderr.write(
    `l2stretch: certifying ${product.vendor} ${product.product} ${product.version}: ` +
      'every conformance-tier check, none may be skipped\n',
  );
  let log = '';
  const code = await vitest([], env, (c, to) => {
    log += c.toString();
    to.write(c);
  });
  writeFileSync(join(runDir, RUN_FILES.log), redact(log));
  if (code === EXIT.interrupted) return code;
  const judged = judge(code, runDir);
  if (judged === EXIT.usage) return judged;
  writeBundle({ product: flags.product, catalogue: join(PACKAGE_ROOT, 'conformance.yaml'), runDir, kubeconfigs }, out);
  const v = verifyBundle(out);
  process.stdout.write(`\ncertification bundle: ${relative(process.cwd(), out)}\n`);
  printVerification(relative(process.cwd(), out), v);
  return v.ok ? EXIT.passed : judged === EXIT.passed ? EXIT.failed : judged;
}

export async function verify(dir: string): Promise<number> {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such bundle directory`);
  const { verifyBundle } = await import('../reports/verify-bundle.ts');
  const v = verifyBundle(resolve(dir));
  printVerification(dir, v);
  return v.ok ? EXIT.passed : EXIT.failed;
}

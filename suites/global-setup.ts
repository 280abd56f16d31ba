// Stands the embedded testbed up once for the conformance run and removes it at
// the end, on Ctrl-C too; with L2STRETCH_TESTBED_FILE the run uses that testbed
// as it is and leaves it alone. A testbed that cannot be had ends the run with one
// clear line, not a stack trace, and not one timeout per test.
import type { TestProject } from 'vitest/node';
import { upEmbedded } from '../testbeds/embedded/testbed.ts';
import { upKind, downKind, kindOptions } from '../testbeds/kind/testbed.ts';
import { loadTopology } from '../topology/load.ts';
import { readTestbedFile, openTestbed } from '../helpers/testbed.ts';
import { unreachableRouters } from '../helpers/traffic/reachability.ts';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { redactJson, redactTree } from '../reports/redact.ts';
import { tmpdir } from 'node:os';
import { crossClusterMigrationGap } from '../helpers/kube/kubevirt-preflight.ts';
import { join } from 'node:path';
import { testbedFacts } from '../reports/testbed-facts.ts';
import { RUN_FILES } from '../reports/paths.ts';
import { recordStart } from './stability/checks.ts';

/**
 * Starts the run's report directory: the stage failures the suites share, and the
 * testbed's facts for the run record (read now: an embedded testbed is gone when the record is written).
 */
async function startReport(project: TestProject, testbedFile: string): Promise<void> {
  const dir = process.env.L2STRETCH_REPORT_DIR;
  if (!dir)
    giveUp('L2STRETCH_REPORT_DIR is not set: run the suites with vitest.conformance.config.ts (npm run conformance)');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, 'stage-failures.json');
  writeFileSync(file, '{}');
  project.provide('stageFile', file);
  const tb = openTestbed(readTestbedFile(testbedFile));
  const facts = await testbedFacts(tb);
  writeFileSync(join(dir, RUN_FILES.testbed), redactJson(JSON.stringify(facts, null, 2)), { mode: 0o600 });
  // The stability suite, last, compares the routers with what they say now.
  await recordStart(tb, dir).catch((e: Error) =>
    process.stderr.write(`l2stretch: the routers could not be read at the start of the run: ${e.message}\n`),
  );
  process.stderr.write(`l2stretch: reports go to ${dir}\n`);
}

function giveUp(message: string): never {
  process.stderr.write(`\nl2stretch: ${message}\n`);
  process.exit(2);
}

/**
 * A testbed on real clusters may lack what it declares: KubeVirt before v1.6 or
 * without its feature gate would turn a cross-cluster migration into a local one.
 * Such a gap is recorded with its reason in a copy of the testbed file, so that the
 * checks needing it are skipped saying why. Returns the file the run uses.
 */
async function withFeatureGaps(testbedFile: string): Promise<{ file: string; cleanup: () => void }> {
  const file = readTestbedFile(testbedFile);
  const tb = openTestbed(file);
  const none = { file: testbedFile, cleanup: () => {} };
  if (!tb.kubeClients.length || !tb.features.has('cross-cluster-migration')) return none;
  const gaps = (
    await Promise.all(
      tb.kubeClients.map((c) => crossClusterMigrationGap(c).catch((e: Error) => `${c.name}: ${e.message}`)),
    )
  ).filter(Boolean);
  if (!gaps.length) return none;
  process.stderr.write(`l2stretch: cross-cluster migration checks will be skipped: ${gaps.join('; ')}\n`);
  // A folder of our own (mkdtemp: unpredictable, 0700), the file created exclusively in it.
  const folder = mkdtempSync(join(tmpdir(), 'l2s-testbed-'));
  const derived = join(folder, 'testbed.json');
  const gapped = { ...file, featureGaps: { ...file.featureGaps, 'cross-cluster-migration': gaps.join('; ') } };
  writeFileSync(derived, JSON.stringify(gapped), { mode: 0o600, flag: 'wx' });
  return { file: derived, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

async function useGiven(project: TestProject, given: string): Promise<() => Promise<void>> {
  const unreachable = await unreachableRouters(openTestbed(readTestbedFile(given)));
  if (unreachable.length) giveUp(`the testbed of ${given} is not usable:\n  ${unreachable.join('\n  ')}`);
  const { file, cleanup } = await withFeatureGaps(given);
  await startReport(project, file);
  process.stderr.write(`l2stretch: using the testbed of ${given}\n`);
  project.provide('testbedFile', file);
  return async () => cleanup();
}

async function standUp(project: TestProject): Promise<() => Promise<void>> {
  const start = Date.now();
  const tb = await upEmbedded({
    topology: process.env.L2STRETCH_TOPOLOGY,
    onProgress: (m) => process.stderr.write(`l2stretch [${((Date.now() - start) / 1000).toFixed(1)} s] ${m}\n`),
  });
  process.stderr.write(`l2stretch: embedded testbed ${tb.runId} up in ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
  const onSignal = () => void tb.down().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  project.provide('testbedFile', tb.stateFile);
  await startReport(project, tb.stateFile);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await tb.down();
    process.stderr.write(`l2stretch: embedded testbed ${tb.runId} removed\n`);
  };
}

/**
 * The containerlab + KinD testbed (L2STRETCH_TESTBED=kind): stood up for the run and
 * removed after it, unless L2STRETCH_KEEP=1 keeps it for later runs.
 */
async function standUpKind(project: TestProject): Promise<() => Promise<void>> {
  const start = Date.now();
  const o = kindOptions({
    topologyRef: process.env.L2STRETCH_TOPOLOGY,
    onProgress: (m) => process.stderr.write(`l2stretch [${((Date.now() - start) / 1000).toFixed(0)} s] kind: ${m}\n`),
  });
  const topology = loadTopology(o.topologyRef);
  const written = (await upKind(topology, o))!;
  process.stderr.write(`l2stretch: kind testbed up in ${((Date.now() - start) / 1000).toFixed(0)} s (${written})\n`);
  const { file, cleanup } = await withFeatureGaps(written);
  project.provide('testbedFile', file);
  await startReport(project, file);
  return async () => {
    cleanup();
    if (process.env.L2STRETCH_KEEP === '1')
      return void process.stderr.write(`l2stretch: kind testbed kept (L2STRETCH_KEEP=1): ${file}\n`);
    await downKind(topology, o);
    process.stderr.write('l2stretch: kind testbed removed\n');
  };
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.L2STRETCH_TESTBED_FILE;
  const kind = process.env.L2STRETCH_TESTBED ?? 'embedded';
  try {
    if (!['embedded', 'kind', 'existing'].includes(kind))
      giveUp(`L2STRETCH_TESTBED=${kind}: not a testbed (embedded, kind, existing)`);
    if (kind === 'existing' && !given)
      giveUp(
        'L2STRETCH_TESTBED=existing needs L2STRETCH_TESTBED_FILE: the testbed file that says how to reach ' +
          'your routers, hosts, VMs and clusters',
      );
    const teardown = await (given
      ? useGiven(project, given)
      : kind === 'kind'
        ? standUpKind(project)
        : standUp(project));
    return async () => {
      await teardown();
      finishReport();
    };
  } catch (e) {
    giveUp((e as Error).message);
  }
}

/**
 * Every reporter has written its files by now (teardown runs after them): JUnit,
 * Allure results, attachments and diagnostics are redacted by structure in place
 * and closed to other users.
 */
function finishReport(): void {
  const dir = process.env.L2STRETCH_REPORT_DIR;
  if (dir && existsSync(dir)) redactTree(dir);
}

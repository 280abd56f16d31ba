// Stands a testbed up once for the conformance run (L2STRETCH_TESTBED's provider, by
// default the embedded one) and removes it at the end, on Ctrl-C too; with
// L2STRETCH_TESTBED_FILE the run uses that testbed as it is and leaves it alone. A
// testbed that cannot be had ends the run with one clear line, not a stack trace, and
// not one timeout per test.
import type { TestProject } from 'vitest/node';
import { PROVIDERS, isTestbedKind } from '../testbeds/registry.ts';
import type { TestbedProvider } from '../testbeds/provider.ts';
import { TESTBED_KINDS } from '../helpers/ports.ts';
import { readTestbedFile, openTestbed } from '../helpers/testbed.ts';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { redactJson, redactTree } from '../reports/redact.ts';
import { tmpdir } from 'node:os';
import { crossClusterMigrationGap } from '../helpers/kube/kubevirt-preflight.ts';
import { join } from 'node:path';
import { testbedFacts } from '../reports/testbed-facts.ts';
import { RUN_FILES } from '../reports/paths.ts';
import { recordStart } from './stability/checks.ts';
import { expectedState, samplingSummary } from '../topology/expectations.ts';

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
  if (tb.topology.overlay)
    process.stderr.write(`l2stretch: the oracle: ${samplingSummary(expectedState(tb.topology))}\n`);
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
  const unreachable = await PROVIDERS.existing.preflight({ testbedFile: given });
  if (unreachable.length) giveUp(`the testbed of ${given} is not usable:\n  ${unreachable.join('\n  ')}`);
  const { file, cleanup } = await withFeatureGaps(given);
  await startReport(project, file);
  process.stderr.write(`l2stretch: using the testbed of ${given}\n`);
  project.provide('testbedFile', file);
  return async () => cleanup();
}

/** Stands the provider's testbed up for this run; it goes (or is kept, if asked) at the end. */
async function standUp(project: TestProject, provider: TestbedProvider): Promise<() => Promise<void>> {
  const tb = await provider.upForRun!({ topology: process.env.L2STRETCH_TOPOLOGY });
  const { file, cleanup } = await withFeatureGaps(tb.file);
  project.provide('testbedFile', file);
  await startReport(project, file);
  return async () => {
    cleanup();
    await tb.down();
  };
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.L2STRETCH_TESTBED_FILE;
  const kind = process.env.L2STRETCH_TESTBED ?? 'embedded';
  try {
    if (!isTestbedKind(kind)) giveUp(`L2STRETCH_TESTBED=${kind}: not a testbed (${TESTBED_KINDS.join(', ')})`);
    const provider = PROVIDERS[kind];
    if (!given && !provider.upForRun) giveUp(provider.needsFile ?? `L2STRETCH_TESTBED=${kind} needs a testbed file`);
    const teardown = await (given ? useGiven(project, given) : standUp(project, provider));
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

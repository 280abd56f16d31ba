// Stands the embedded testbed up once for the conformance run and removes it at
// the end, on Ctrl-C too; with L2STRETCH_TESTBED_FILE the run uses that testbed
// as it is and leaves it alone.
import type { TestProject } from 'vitest/node';
import { upEmbedded } from '../fixtures/embedded/testbed.ts';
import { readTestbedFile } from '../helpers/testbed.ts';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.L2STRETCH_TESTBED_FILE;
  if (given) {
    readTestbedFile(given);
    process.stderr.write(`l2stretch: using the testbed of ${given}\n`);
    project.provide('testbedFile', given);
    return undefined;
  }
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
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await tb.down();
    process.stderr.write(`l2stretch: embedded testbed ${tb.runId} removed\n`);
  };
}

// Testbed files for the client tests: an existing testbed on the stand-in clusters.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTestbed, readTestbedFile, type TestbedFileInput } from '../../helpers/testbed.ts';
import type { Testbed } from '../../helpers/ports.ts';

/** openperouter's router pod on a node, as testbed files and executors name it. */
export const routerPodOn = (node: string) => ({
  namespace: 'openperouter-system',
  labelSelector: 'app=router',
  node,
  container: 'frr',
});

/** Writes `name` in dir with the given parts over an empty existing testbed, and opens it. */
export function existingTestbed(dir: string, name: string, parts: Partial<TestbedFileInput>): Testbed {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      kind: 'existing',
      runId: 'lab',
      topology: 'multicluster',
      routers: {},
      workloads: {},
      clusters: {},
      ...parts,
    }),
  );
  return openTestbed(readTestbedFile(file));
}

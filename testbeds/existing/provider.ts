// A testbed someone else stands up (any lab): it comes as a testbed file that says how
// to reach its routers, hosts, VMs and clusters. l2stretch never stands it up or down.
import type { TestbedProvider } from '../provider.ts';

export const existingProvider: TestbedProvider = {
  kind: 'existing',
  flags: { up: [], down: [] },
  needsFile:
    'L2STRETCH_TESTBED=existing needs L2STRETCH_TESTBED_FILE: the testbed file that says how to reach ' +
    'your routers, hosts, VMs and clusters',
  async preflight(p) {
    if (!p.testbedFile) return ['no testbed file: name the one that says how to reach your lab'];
    const [{ openTestbed, readTestbedFile }, { unreachableRouters }] = await Promise.all([
      import('../../helpers/testbed.ts'),
      import('../../helpers/traffic/reachability.ts'),
    ]);
    return unreachableRouters(openTestbed(readTestbedFile(p.testbedFile)));
  },
};

// Every openperouter release other than the default one, exercised cheaply on the
// embedded testbed (the default release gets the full conformance run in CI): the
// clusters take that release's manifests, realize its node set-up (VTEP device,
// arp_accept), name it in the testbed file, and the sessions, EVPN routes and L2
// stretch suites pass on it. Full runs per release: the nightly matrix.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { upEmbedded } from '../../testbeds/embedded/testbed.ts';
import { RunPaths } from '../../testbeds/embedded/run.ts';
import { inNetns } from '../../testbeds/embedded/netns.ts';
import { runSuites } from '../faults/run-suites.ts';
import {
  DEFAULT_OPENPEROUTER,
  OPENPEROUTER_ENV,
  OPENPEROUTER_RELEASES,
  OPENPEROUTER_VERSIONS,
} from '../../topology/openperouter.ts';

const SUITES = ['suites/bgp-sessions', 'suites/evpn-routes', 'suites/l2-stretch'];
const DEADLINES = 'bgpEstablished=60s,evpnRoutes=60s,dataPlane=30s';
const NODE = 'pe-kind-a-worker';

describe('openperouter releases on the embedded testbed', () => {
  for (const version of OPENPEROUTER_VERSIONS.filter((v) => v !== DEFAULT_OPENPEROUTER)) {
    const release = OPENPEROUTER_RELEASES[version];
    it(`${version}: its manifests are realized as it does; sessions, EVPN routes and the L2 stretch pass`, async () => {
      // The testbed and its controller read the release from the environment, as a user's run does.
      const before = process.env[OPENPEROUTER_ENV];
      process.env[OPENPEROUTER_ENV] = version;
      const tb = await upEmbedded().finally(() => {
        if (before === undefined) delete process.env[OPENPEROUTER_ENV];
        else process.env[OPENPEROUTER_ENV] = before;
      });
      try {
        const file = JSON.parse(readFileSync(tb.stateFile, 'utf8')) as {
          versions: Record<string, string>;
          featureGaps?: Record<string, string>;
        };
        expect(file.versions.openperouter).toBe(
          `embedded ${version} (${release.commit.slice(0, 8)}, ${release.apiVersion})`,
        );
        expect(Object.keys(file.featureGaps ?? {})).toEqual(release.arpAccept ? [] : ['garp-moves-mac-ip']);

        const paths = new RunPaths(tb.runId);
        const arpAccept = await inNetns(paths.netns(paths.nodeRouter(NODE), 'red'), [
          'sysctl',
          '-n',
          'net.ipv4.conf.all.arp_accept',
        ]);
        expect(arpAccept.trim(), `${NODE}: arp_accept in VRF red`).toBe(release.arpAccept ? '1' : '0');
        const addrs = JSON.parse(
          await inNetns(paths.netns(paths.nodeRouter(NODE)), ['ip', '-j', '-4', 'addr', 'show']),
        ) as Array<{ ifname: string; addr_info: Array<{ local: string }> }>;
        const vtepDevice = addrs.find((l) => l.addr_info.some((a) => a.local === '100.65.0.1'))?.ifname;
        expect(vtepDevice, `${NODE}: the device holding VTEP 100.65.0.1`).toBe(release.vtepDevice);

        const notPassed = await runSuites(tb.stateFile, SUITES, DEADLINES);
        expect([...notPassed].map(([check, why]) => `${check}: ${why}`)).toEqual([]);
      } finally {
        await tb.down();
      }
    });
  }
});

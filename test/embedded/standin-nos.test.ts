// A vendor fabric without the devices (#16): an `existing` testbed whose spine and leaves are
// Arista EOS stand-ins (eAPI) and whose ToRs are Nokia SR Linux stand-ins (JSON-RPC), each
// an HTTPS server in its own namespace with a certificate the run's CA signed; the node routers
// are FRR answering recorded vtysh JSON. The bgp-sessions and evpn-routes suites run on it
// unchanged: every check passes on the healthy recordings, and on edited copies exactly the
// checks that read the edit fail, with the router, the peer or route, and what was seen.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../../reports/conformance-run.ts';
import { RUN_FILES } from '../../reports/paths.ts';
import { STANDIN_VERSIONS } from '../../testbeds/standin-nos/record.ts';
import { readRecordings, upStandinTestbed, type StandinTestbed } from '../../testbeds/standin-nos/testbed.ts';
import type { Recordings } from '../../testbeds/standin-nos/devices.ts';
import { SRL_PATHS } from '../../helpers/nos/srlinux/dialect.ts';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RECORDINGS = join(root, 'test', 'data', 'standin-nos');
const TOPOLOGY = join(root, 'topology', 'multicluster.yaml');
const SUITES = ['suites/bgp-sessions/bgp-sessions.test.ts', 'suites/evpn-routes/evpn-routes.test.ts'];
// Short waits: nothing here changes while a check waits, so a failing check fails at its first answer's verdict.
const ENV = { L2STRETCH_STAGE_GATE: 'off', L2STRETCH_DEADLINES: 'bgpEstablished=3s,evpnRoutes=3s,memberReady=5s' };

let tb: StandinTestbed | undefined;
afterEach(async () => {
  await tb?.down();
  tb = undefined;
});

async function run(edits: Record<string, (r: Recordings) => void> = {}, keepReportsIn?: string) {
  tb = await upStandinTestbed(readRecordings(RECORDINGS, edits), TOPOLOGY);
  const env = { ...ENV, L2STRETCH_TESTBED: 'existing', L2STRETCH_TESTBED_FILE: tb.testbedFile };
  return runConformance(SUITES, env, keepReportsIn);
}

/** The one instance of this check on this router that did not pass (its key: `L2S-BGP-001[router=spine]`), and why. */
function failed(notPassed: Map<string, string>, id: string, router: string): string {
  const hits = [...notPassed].filter(
    ([key]) => key.startsWith(`${id}[router=${router},`) || key === `${id}[router=${router}]`,
  );
  expect(
    hits.map(([n]) => n),
    `${id} on ${router} should not pass`,
  ).toHaveLength(1);
  return hits[0]![1];
}

type Json = Record<string, any>;
/** vm-2 as the recordings' cluster reported it: its MAC, in EOS's dotted spelling too. */
const vm2 = (() => {
  const clusters = JSON.parse(readFileSync(join(RECORDINGS, 'clusters.json'), 'utf8')) as Record<string, Json[]>;
  const vmi = Object.values(clusters)
    .flat()
    .find((o) => o.metadata.name === 'vm-2')!;
  const mac = vmi.status.interfaces[0].mac as string;
  return { mac, dotted: mac.replace(/:/g, '').replace(/(....)(?!$)/g, '$1.') };
})();

describe('vendor fabric stand-ins: EOS spine and leaves, SR Linux ToRs, FRR nodes', () => {
  it("healthy recordings: every check passes; the run record names each router's NOS and version", async () => {
    const reports = mkdtempSync(join(tmpdir(), 'l2s-standin-reports-'));
    try {
      const r = await run({}, reports);
      expect(Object.fromEntries(r.notPassed)).toEqual({});
      expect(r.checks).toBeGreaterThanOrEqual(20);
      expect(r.exitCode).toBe(0);
      const record = JSON.parse(readFileSync(join(reports, RUN_FILES.record), 'utf8')) as Json;
      expect(record.testbed.nos).toMatchObject({ spine: 'eos', 'leafkind-a': 'srlinux', 'pe-kind-a-worker': 'frr' });
      expect(record.testbed.routerVersions).toMatchObject({
        spine: STANDIN_VERSIONS.eos,
        leafA: STANDIN_VERSIONS.eos,
        'leafkind-b': STANDIN_VERSIONS.srlinux,
        'pe-kind-b-worker': '8.4.4',
      });
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });

  it('broken recordings: the checks reading each edit fail, naming router, peer or route, what was seen', async () => {
    const r = await run({
      // A session down: EOS spine's IPv4 session to leafA is Active.
      spine: (rec) => {
        (rec['show bgp ipv4 unicast summary'] as Json).vrfs.default.peers['192.168.1.1'].peerState = 'Active';
      },
      // A family not negotiated: SR Linux leafkind-a's spine did not send EVPN.
      'leafkind-a': (rec) => {
        const n = (rec[SRL_PATHS.neighbors] as Json).neighbor.find((x: Json) => x['peer-address'] === '192.168.1.4');
        n['received-afi-safi'] = n['received-afi-safi'].filter((f: string) => !f.endsWith(':evpn'));
      },
      // A type-2 with the wrong next hop: EOS leafA's route of vm-2 points at the other node of its cluster.
      leafA: (rec) => {
        const routes = (rec['show bgp evpn route-type mac-ip detail'] as Json).evpnRoutes;
        for (const r of Object.values(routes) as Json[])
          if (r.routeKeyDetail.mac === vm2.dotted)
            for (const p of r.evpnRoutePaths) p.nextHop = p.nextHop.replace(/\.(\d+)$/, '.99');
      },
      // A missing IMET: SR Linux leafkind-b lost the type-3 of pe-kind-a-worker's VTEP (100.65.0.1).
      'leafkind-b': (rec) => {
        const rib = rec[SRL_PATHS.evpnRib] as Json;
        rib['imet-route'] = rib['imet-route'].filter((x: Json) => x['originating-router'] !== '100.65.0.1');
      },
      // A duplicate MAC (zebra, on an FRR node) and a leaked type-5 (blue's subnet in VRF red).
      'pe-kind-b-worker': (rec) => {
        const macs = (rec['show evpn mac vni 110 json'] as Json).macs;
        for (const m of Object.values(macs) as Json[]) if (m.type === 'remote') m.isDuplicate = true;
        const red = (rec['show bgp vrf red ipv4 unicast json'] as Json).routes;
        red['192.168.21.0/24'] = red['192.168.20.0/24'];
      },
      // An answer of a shape the dialect does not know.
      leafB: (rec) => {
        const a = rec['show bgp evpn route-type mac-ip detail'] as Json;
        a.routes = a.evpnRoutes;
        delete a.evpnRoutes;
      },
    });
    expect(failed(r.notPassed, 'L2S-BGP-001', 'spine')).toMatch(
      /spine: session to leafA \(192\.168\.1\.1, AS 64520\) in IPv4 unicast: expected Established, seen Active/,
    );
    expect(failed(r.notPassed, 'L2S-BGP-001', 'leafkind-a')).toMatch(
      /leafkind-a: session to spine \(192\.168\.1\.4, AS 64612\) in L2VPN EVPN: .*not negotiated.*spine did not advertise it/,
    );
    expect(failed(r.notPassed, 'L2S-EVPN-002', 'leafA')).toMatch(
      /leafA: type-2 MAC\+?I?P? route of vm-2 .*expected next hop 100\.65\.1\.\d+ .*seen 100\.65\.1\.99/,
    );
    expect(failed(r.notPassed, 'L2S-EVPN-001', 'leafkind-b')).toMatch(
      /leafkind-b: type-3 \(IMET\) route for VNI 110 from VTEP 100\.65\.0\.1 \(pe-kind-a-worker\): absent/,
    );
    expect(failed(r.notPassed, 'L2S-EVPN-004', 'pe-kind-b-worker')).toMatch(/marked duplicate/);
    expect(failed(r.notPassed, 'L2S-EVPN-003', 'pe-kind-b-worker')).toMatch(
      /VRF red must not have 192\.168\.21\.0\/24 \(subnet of hostA_blue/,
    );
    expect(failed(r.notPassed, 'L2S-EVPN-002', 'leafB')).toMatch(
      /leafB: `show bgp evpn route-type mac-ip detail` printed JSON of a shape .*keys: vrf, routerId, asn, routes/,
    );
    // Nothing else: the edits above are the only faults.
    expect(r.notPassed.size).toBe(7);
    expect(r.exitCode).toBe(1);
  });
});

// The EOS and SR Linux dialects end to end without root: the stand-in devices (eAPI, SR Linux
// JSON-RPC over HTTPS, certificate checked against the run's CA) answer the vendor fabric's
// recordings (test/data/standin-nos), and the suites' own checks judge what the dialects read:
// no problem on the healthy recordings, the right message on an edited copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:https';
import { makePki, type Pki } from '../testbeds/standin-nos/pki.ts';
import { localDevice, type DeviceFace, type Recordings } from '../testbeds/standin-nos/devices.ts';
import { STANDIN_VERSIONS, VENDOR_FABRIC } from '../testbeds/standin-nos/record.ts';
import { EosRouter } from '../helpers/nos/eos/dialect.ts';
import { SrlinuxRouter, SRL_PATHS } from '../helpers/nos/srlinux/dialect.ts';
import type { Router } from '../helpers/ports.ts';
import { loadTopology } from '../topology/load.ts';
import { expectedState, type Placement } from '../topology/expectations.ts';
import { checkRouterSessions } from '../suites/bgp-sessions/checks.ts';
import { checkImet, checkMacIp } from '../suites/evpn-routes/checks.ts';

const DATA = fileURLToPath(new URL('data/standin-nos/', import.meta.url));
const recording = (name: string) => JSON.parse(readFileSync(join(DATA, `${name}.json`), 'utf8')) as Recordings;
const t = loadTopology('multicluster');
const PASSWORD = 'stand-in-5e2c9d';
process.env.L2S_TEST_STANDIN_PASSWORD = PASSWORD;

let dir: string;
let pki: Pki;
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-standin-'));
  pki = await makePki(dir, ['127.0.0.1']);
});

/** A stand-in device answering these recordings, and the dialect's router reaching it. */
async function device(name: string, recordings: Recordings = recording(name)): Promise<Router> {
  const face: DeviceFace = VENDOR_FABRIC[name]!;
  const { url, server } = await localDevice(face, recordings, pki, PASSWORD);
  servers.push(server);
  const target = {
    url,
    user: 'admin',
    password: { env: 'L2S_TEST_STANDIN_PASSWORD' },
    caFile: pki.caFile,
  };
  return face === 'eos' ? new EosRouter(name, target) : new SrlinuxRouter(name, target);
}

// Where the recordings' clusters ran the VMs: the oracle gives every router's expectations from it.
const placement: Placement = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(join(DATA, 'clusters.json'), 'utf8')) as Record<string, Array<Record<string, any>>>,
  ).flatMap(([cluster, vmis]) =>
    vmis.map((v) => [v.metadata.name, { cluster, node: v.status.nodeName, mac: v.status.interfaces[0].mac }]),
  ),
);
const state = expectedState(t, placement);
const sessionsOf = (router: string) => state.sessions.filter((s) => s.router === router);
const imetOf = (router: string) => state.imet.find((e) => e.router === router)?.routes;
const type2Of = (router: string) => state.type2.find((e) => e.router === router)!.routes!;
type Json = Record<string, any>;

describe('vendor fabric dialects against stand-in devices, judged by the suites', () => {
  it.each(Object.keys(VENDOR_FABRIC))('%s: sessions, type-3 and type-2 routes all as expected', async (name) => {
    const r = await device(name);
    const sessions = await checkRouterSessions(r, sessionsOf(name));
    expect(sessions.problem).toBeUndefined();
    expect(sessions.evidence!.length).toBeGreaterThan(0);
    // The oracle asks type-3 routes of the ToRs and the spine, not of the leaves.
    const imet = imetOf(name);
    if (imet) expect((await checkImet(r, imet)).problem).toBeUndefined();
    expect((await checkMacIp(r, type2Of(name))).problem).toBeUndefined();
    expect((await r.version()).value).toBe(STANDIN_VERSIONS[VENDOR_FABRIC[name]!]);
  });

  it('EOS: a session down and a type-2 with the wrong next hop are named', async () => {
    const rec = recording('spine');
    (rec['show bgp ipv4 unicast summary'] as Json).vrfs.default.peers['192.168.1.1'].peerState = 'Idle';
    for (const r of Object.values((rec['show bgp evpn route-type mac-ip detail'] as Json).evpnRoutes) as Json[])
      for (const p of r.evpnRoutePaths) p.nextHop = '100.65.9.9';
    const spine = await device('spine', rec);
    expect((await checkRouterSessions(spine, sessionsOf('spine'))).problem).toBe(
      'spine: session to leafA (192.168.1.1, AS 64520) in IPv4 unicast: expected Established, seen Idle',
    );
    const [vm] = type2Of('spine');
    const problem = (await checkMacIp(spine, [vm!])).problem!;
    expect(problem).toContain(`spine: type-2 MAC route of ${vm!.vm} (${vm!.mac})`);
    expect(problem).toContain(`expected next hop ${vm!.vtep} (${vm!.node}, hosting the VM), seen 100.65.9.9`);
  });

  it('SR Linux: EVPN not received is not negotiated; a missing IMET is named', async () => {
    const rec = recording('leafkind-a');
    for (const n of (rec[SRL_PATHS.neighbors] as Json).neighbor)
      n['received-afi-safi'] = n['received-afi-safi'].filter((f: string) => !f.endsWith(':evpn'));
    const rib = rec[SRL_PATHS.evpnRib] as Json;
    rib['imet-route'] = rib['imet-route'].filter((x: Json) => x['originating-router'] !== '100.65.1.1');
    const tor = await device('leafkind-a', rec);
    const sessions = (await checkRouterSessions(tor, sessionsOf('leafkind-a'))).problem!;
    expect(sessions).toContain(
      'leafkind-a: session to spine (192.168.1.4, AS 64612) in L2VPN EVPN: expected Established with the family ' +
        'negotiated, seen Established but not negotiated (NoNeg): spine did not advertise it',
    );
    expect((await checkImet(tor, imetOf(tor.name)!)).problem).toMatch(
      /^leafkind-a: type-3 \(IMET\) route for VNI 110 from VTEP 100\.65\.1\.1 \(pe-kind-b-worker\): absent; type-3 routes seen: /,
    );
  });

  it('an answer of a shape the dialect does not know breaks the check, naming router, path and keys', async () => {
    const rec = recording('leafkind-b');
    rec[SRL_PATHS.evpnRib] = { routes: [] };
    const tor = await device('leafkind-b', rec);
    await expect(checkImet(tor, imetOf(tor.name)!)).rejects.toThrow(
      /leafkind-b: `\/network-instance\[name=default\]\/bgp-rib\/afi-safi\[afi-safi-name=evpn\]\/evpn\/local-rib` printed JSON of a shape l2stretch does not know \(top-level keys: routes\)/,
    );
  });

  it('what a fabric dialect does not read is refused, not answered empty', async () => {
    const spine = await device('spine');
    await expect(spine.vrfRoutes('red')).rejects.toThrow(/spine: `vrfRoutes red` is not read by the eos dialect/);
  });
});

import { describe, it, expect } from 'vitest';
import { sessionProblems } from '../suites/bgp-sessions/checks.ts';
import { parseBgpSummary, parseNegotiatedFamilies } from '../helpers/nos/frr/json.ts';
import { expectedSessions } from '../topology/expectations.ts';
import { loadTopology } from '../topology/load.ts';
import { fixtureJson } from './shared.ts';

const t = loadTopology('multicluster');
const expected = (router: string) => expectedSessions(t).filter((s) => s.router === router);
// Capabilities only matter for Established sessions: a router's healthy capture serves its faulty ones too.
const negotiated = (router: string, fixture = `bgp-neighbors-${router}.json`) =>
  parseNegotiatedFamilies(fixtureJson('frr-8.4', fixture));
const problems = (router: string, fixture: string, neighbors?: string) =>
  sessionProblems(
    router,
    expected(router),
    parseBgpSummary(fixtureJson('frr-8.4', fixture)),
    negotiated(router, neighbors),
  );

describe('bgp-sessions checks on captured FRR JSON', () => {
  it('pass on a healthy spine, ToR and node router', () => {
    expect(problems('spine', 'bgp-summary-spine.json')).toEqual([]);
    expect(problems('leafkind-a', 'bgp-summary-leafkind-a.json')).toEqual([]);
    expect(problems('pe-kind-a-worker', 'bgp-summary-pe-kind-a-worker.json')).toEqual([]);
    expect(problems('leafA', 'bgp-summary-leafA.json')).toEqual([]);
  });

  it('fail a session the summary calls Established when the peer did not activate the family (NoNeg)', () => {
    // Captured after `no neighbor 192.168.1.1 activate` under l2vpn evpn on the spine.
    expect(problems('leafA', 'bgp-summary-leafA-evpn-noneg.json', 'bgp-neighbors-leafA-evpn-noneg.json')).toEqual([
      'leafA: session to spine (192.168.1.0, AS 64612) in L2VPN EVPN: expected Established with the family ' +
        'negotiated, seen Established but not negotiated (NoNeg): spine did not advertise it',
    ]);
    expect(problems('leafA', 'bgp-summary-leafA-evpn-noneg.json', 'bgp-neighbors-leafA.json')).toEqual([]);
  });

  it('name the router, peer, address family and state of a shut-down session, and nothing else', () => {
    expect(problems('spine', 'bgp-summary-spine-leafkind-a-shutdown.json')).toEqual([
      'spine: session to leafkind-a (192.168.1.5, AS 64512) in IPv4 unicast: expected Established, seen Idle (Admin)',
      'spine: session to leafkind-a (192.168.1.5, AS 64512) in L2VPN EVPN: expected Established, seen Idle (Admin)',
    ]);
    expect(problems('leafkind-a', 'bgp-summary-leafkind-a-spine-shutdown.json')).toEqual([
      'leafkind-a: session to spine (192.168.1.4, AS 64612) in IPv4 unicast: expected Established, seen Active',
      'leafkind-a: session to spine (192.168.1.4, AS 64612) in L2VPN EVPN: expected Established, seen Active',
    ]);
  });

  it('report a missing dynamic neighbor on the ToR as no connection from the node', () => {
    expect(problems('leafkind-b', 'bgp-summary-leafkind-b-worker-shutdown.json')).toEqual([
      'leafkind-b: session to pe-kind-b-worker (192.168.12.4, AS 64518, dynamic neighbor) in IPv4 unicast: ' +
        'expected Established, seen no connection from the peer',
      'leafkind-b: session to pe-kind-b-worker (192.168.12.4, AS 64518, dynamic neighbor) in L2VPN EVPN: ' +
        'expected Established, seen no connection from the peer',
    ]);
  });

  it('cannot pass on JSON of the wrong router, an empty answer or a wrong peer AS', () => {
    expect(problems('leafkind-a', 'bgp-summary-spine.json').length).toBe(6);
    expect(sessionProblems('spine', expected('spine'), parseBgpSummary({}), negotiated('spine'))).toHaveLength(8);
    expect(problems('spine', 'bgp-summary-spine.json', 'bgp-neighbors-leafA.json')).toHaveLength(8);
    const wrongAs = expected('spine').map((s) => (s.peer === 'leafB' ? { ...s, peerAsn: 65000 } : s));
    expect(
      sessionProblems(
        'spine',
        wrongAs,
        parseBgpSummary(fixtureJson('frr-8.4', 'bgp-summary-spine.json')),
        negotiated('spine'),
      ),
    ).toEqual([
      'spine: session to leafB (192.168.1.3, AS 65000) in IPv4 unicast: expected remote AS 65000, seen AS 64520',
      'spine: session to leafB (192.168.1.3, AS 65000) in L2VPN EVPN: expected remote AS 65000, seen AS 64520',
    ]);
  });
});

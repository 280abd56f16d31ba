// Conformance of the BGP sessions: every session the topology implies is
// Established in IPv4 unicast and in L2VPN EVPN, seen from each side.
import type { Router } from '../../helpers/ports.ts';
import { verdictOf, type Verdict } from '../verdict.ts';
import { negotiatedFamilies, type BgpPeer, type FamilyNegotiation } from '../../helpers/nos/records.ts';
import type { ExpectedSession, AddressFamily } from '../../topology/expectations.ts';

const AF_NAMES: Record<AddressFamily, string> = { ipv4Unicast: 'IPv4 unicast', l2VpnEvpn: 'L2VPN EVPN' };

/**
 * Every problem with one router's sessions, or none; pure, so it is tested on captured JSON.
 * `negotiated` (from `show bgp neighbors json`) exposes a family only one side
 * activated: the summary calls that session Established although it carries nothing.
 */
export function sessionProblems(
  router: string,
  expected: ExpectedSession[],
  peers: BgpPeer[],
  negotiated: Map<string, Map<string, FamilyNegotiation>>,
): string[] {
  const problems: string[] = [];
  for (const e of expected) {
    for (const afi of e.families) {
      const seen = peers.find((p) => p.vrf === 'default' && p.afi === afi && p.address === e.peerAddress);
      const what =
        `${router}: session to ${e.peer} (${e.peerAddress}, AS ${e.peerAsn}` +
        `${e.dynamic ? ', dynamic neighbor' : ''}) in ${AF_NAMES[afi]}`;
      if (!seen) {
        problems.push(
          `${what}: expected Established, seen ` +
            `${e.dynamic ? 'no connection from the peer' : `no such neighbor in ${AF_NAMES[afi]}`}`,
        );
      } else if (seen.remoteAs !== undefined && seen.remoteAs !== e.peerAsn) {
        problems.push(`${what}: expected remote AS ${e.peerAsn}, seen AS ${seen.remoteAs}`);
      } else if (seen.state !== 'Established') {
        problems.push(`${what}: expected Established, seen ${seen.state}`);
      } else if (negotiated.get(e.peerAddress)?.get(afi) !== 'both') {
        const n = negotiated.get(e.peerAddress)?.get(afi);
        const silent = n === 'local only' ? e.peer : n === 'peer only' ? router : undefined;
        problems.push(
          `${what}: expected Established with the family negotiated, seen Established but not negotiated ` +
            `(NoNeg): ${silent ? `${silent} did not advertise it` : 'neither side advertised it'}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Asks the router for its sessions and their capabilities; returns the problems as one message, with the JSON it
 * looked at.
 */
export async function checkRouterSessions(router: Router, expected: ExpectedSession[]): Promise<Verdict> {
  const [sessions, neighbors] = await Promise.all([router.sessions(), router.neighbors()]);
  const problems = sessionProblems(router.name, expected, sessions.value, negotiatedFamilies(neighbors.value));
  return verdictOf(problems, [...sessions.evidence, ...neighbors.evidence]);
}

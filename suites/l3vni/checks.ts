// Conformance of the routed overlay: a VM reaches the hosts of its VRF (with its
// own address), those hosts reach it back, and no host of another VRF answers it.
import type { Executor } from '../../helpers/ports.ts';
import { httpGet } from '../../helpers/traffic/http.ts';
import { sourceIpProblem, type Peer } from '../l2-stretch/checks.ts';

export interface Service extends Peer {
  port: number;
  vrf: string;
}

export async function checkReaches(ex: Executor, from: Peer, to: Service): Promise<string | undefined> {
  const r = await httpGet(ex, `http://${to.ip}:${to.port}/clientip`);
  if (!r.ok)
    return `${from.name} → ${to.name} (${to.ip}, VRF ${to.vrf}): curl failed (curl exit ${r.exitCode}: ${r.error})`;
  return sourceIpProblem(from, to, to.port, r.body);
}

export async function checkAnswersAs(ex: Executor, from: Peer, to: Service): Promise<string | undefined> {
  const r = await httpGet(ex, `http://${to.ip}:${to.port}/hostname`);
  if (!r.ok)
    return `${from.name} → ${to.name} (${to.ip}:${to.port}): curl failed (curl exit ${r.exitCode}: ${r.error})`;
  return r.body === to.name
    ? undefined
    : `${from.name} → ${to.ip}:${to.port}/hostname: expected ${to.name}, answered ${JSON.stringify(r.body)}`;
}

/** curl's exit codes that mean "the network did not deliver": refused/unreachable, timed out. */
const DROPPED = new Set([7, 28]);

/**
 * The host must not answer, in every one of `rounds` probes of `probeMs` each: one
 * answer is a leak. A probe that fails for another reason proves nothing and is
 * reported as such.
 */
export async function checkIsolated(
  ex: Executor,
  from: Peer,
  to: Service,
  probeMs: number,
  rounds = 3,
): Promise<string | undefined> {
  for (let i = 1; i <= rounds; i++) {
    const r = await httpGet(ex, `http://${to.ip}:${to.port}/clientip`, probeMs / 1000);
    if (r.ok)
      return (
        `${from.name} reached ${to.name} (${to.ip}, VRF ${to.vrf}) in probe ${i}/${rounds}: it answered ` +
        `${JSON.stringify(r.body)}; traffic must be dropped between VRFs`
      );
    if (!DROPPED.has(r.exitCode))
      return (
        `${from.name} → ${to.name}: the probe itself failed (curl exit ${r.exitCode}: ${r.error}), so isolation ` +
        `is not proven`
      );
  }
  return undefined;
}

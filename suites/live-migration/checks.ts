// Conformance of a live migration: the VM keeps its identity, the fabric learns
// where it went (with a higher MAC-mobility sequence when the old route was still
// there), no MAC is frozen as a duplicate, its connections survive and its outage
// stays within budget. Pure functions over what was measured.
import type { ProbeReport } from '../../helpers/traffic/prober.ts';
import type { MigrationOutcome } from '../../helpers/kube/migration.ts';
import { bestPath, type EvpnRoute, type EvpnMac } from '../../helpers/nos/records.ts';

export interface LossWindow {
  failedProbes: number;
  totalProbes: number;
  /** first failed probe to the first answered probe after the last failure; 0 when none failed */
  windowMs: number;
  firstFailAt?: number;
  recoveredAt?: number;
}

export function lossWindow(r: ProbeReport): LossWindow {
  const probes = [...r.probes].sort((a, b) => a.t - b.t);
  const failed = probes.filter((p) => !p.ok);
  if (!failed.length) return { failedProbes: 0, totalProbes: probes.length, windowMs: 0 };
  const first = failed[0]!;
  const last = failed[failed.length - 1]!;
  const recovered = probes.find((p) => p.ok && p.t > last.t);
  return {
    failedProbes: failed.length,
    totalProbes: probes.length,
    windowMs: (recovered?.t ?? r.end) - first.t,
    firstFailAt: first.t,
    recoveredAt: recovered?.t,
  };
}

export function lossProblem(vm: string, from: string, w: LossWindow, budgetMs: number): string | undefined {
  if (w.firstFailAt !== undefined && w.recoveredAt === undefined) {
    return (
      `${from} → ${vm}: probes never answered again after the migration (${w.failedProbes}/${w.totalProbes}` +
      ` failed)`
    );
  }
  if (w.windowMs <= budgetMs) return undefined;
  return (
    `${from} → ${vm}: the migration cut ${vm} off for ${w.windowMs} ms (${w.failedProbes}/` +
    `${w.totalProbes} probes failed), budget ${budgetMs} ms`
  );
}

export function streamProblem(vm: string, from: string, r: ProbeReport, finishedAt: number): string | undefined {
  const s = r.stream;
  if (s.connectedAt === undefined)
    return `${from} → ${vm}: the long-lived connection never opened${s.error ? ` (${s.error})` : ''}`;
  if (s.broken)
    return (
      `${from} → ${vm}: the long-lived connection broke${s.error ? ` (${s.error})` : ''} after ${s.bytes}` +
      ` bytes; a live migration must keep it open`
    );
  if (s.lastAt === undefined || s.lastAt < finishedAt)
    return (
      `${from} → ${vm}: the long-lived connection stayed open but carried no data after the migration ended ` +
      `(last data ${s.lastAt === undefined ? 'never' : `${finishedAt - s.lastAt} ms before the end`})`
    );
  return undefined;
}

export interface RouteSnapshot {
  router: string;
  nexthop?: string;
  seq: number;
}

export function macIpSnapshot(router: string, routes: EvpnRoute[], mac: string, ip: string): RouteSnapshot {
  const r = routes.find((x) => x.type === 2 && x.mac?.toLowerCase() === mac && x.ip === ip);
  const b = r ? bestPath(r) : undefined;
  return { router, nexthop: b?.nexthop, seq: b?.macMobilitySeq ?? 0 };
}

export type MobilityCase = 'sequence increased' | 'old route withdrawn first, sequence restarted';

/**
 * After a move the best MAC+IP path must point at the new VTEP; when the router
 * still held the old route at the move, the MAC-mobility sequence must have risen.
 */
export function movedRouteProblem(
  vm: string,
  before: RouteSnapshot,
  after: RouteSnapshot,
  newVtep: string,
  newNode: string,
): { problem?: string; mobility?: MobilityCase } {
  const what = `${after.router}: type-2 MAC+IP route of ${vm}`;
  if (after.nexthop === undefined)
    return { problem: `${what}: absent after the migration (it was via ${before.nexthop ?? 'nothing'} before)` };
  if (after.nexthop !== newVtep) {
    return {
      problem:
        `${what}: expected next hop ${newVtep} (${newNode}, where it now runs), seen ${after.nexthop} (MM:` +
        `${after.seq}; before the move ${before.nexthop ?? 'absent'}, MM:${before.seq})`,
    };
  }
  if (before.nexthop === undefined || before.nexthop === newVtep)
    return { mobility: 'old route withdrawn first, sequence restarted' };
  if (after.seq <= before.seq)
    return {
      problem:
        `${what}: moved to ${newVtep} but its MAC-mobility sequence did not rise (MM:${before.seq} before, MM:` +
        `${after.seq} after)`,
    };
  return { mobility: 'sequence increased' };
}

export function duplicateProblem(router: string, macs: EvpnMac[], vm: string, mac: string): string | undefined {
  const m = macs.find((x) => x.mac.toLowerCase() === mac);
  if (!m?.isDuplicate) return undefined;
  return (
    `${router}: MAC ${mac} of ${vm}: expected active, seen frozen as a duplicate by EVPN duplicate address ` +
    `detection`
  );
}

export interface Identity {
  ip?: string;
  mac?: string;
}

export function identityProblem(vm: string, where: string, before: Identity, after: Identity): string | undefined {
  const diffs = [
    before.ip !== after.ip ? `IP ${before.ip} became ${after.ip ?? 'none'}` : undefined,
    before.mac !== after.mac ? `MAC ${before.mac} became ${after.mac ?? 'none'}` : undefined,
  ].filter(Boolean);
  return diffs.length ? `${vm} (${where}): ${diffs.join(', ')}; a live migration must keep both` : undefined;
}

export interface EndState {
  vm: string;
  from: string;
  to: string;
  outcome: MigrationOutcome;
  nodeBefore: string;
  nodeAfter: string;
  sourceInstanceLeft: boolean;
  sourceRunStrategy?: string;
  targetRunStrategy?: string;
  targetReady?: boolean;
}

/** The end state KubeVirt reports after a migration, in-cluster or across clusters. */
export function endStateProblems(e: EndState): string[] {
  const problems: string[] = [];
  const was = (what: string, expected: string, seen: string | undefined) =>
    seen === expected ? [] : [`${what}: expected ${expected}, seen ${seen ?? 'none'}`];
  problems.push(
    ...was(`${e.from}: migration of ${e.vm}${e.from === e.to ? '' : ' (sendTo)'}`, 'Succeeded', e.outcome.source.phase),
  );
  if (e.from === e.to) {
    if (e.nodeAfter === e.nodeBefore)
      problems.push(`${e.to}: ${e.vm}: expected on another node than ${e.nodeBefore}, seen still on ${e.nodeAfter}`);
    return problems;
  }
  problems.push(...was(`${e.to}: migration of ${e.vm} (receive)`, 'Succeeded', e.outcome.target?.phase));
  if (e.sourceInstanceLeft) problems.push(`${e.from}: VirtualMachineInstance ${e.vm}: expected gone, seen still there`);
  problems.push(...was(`${e.from}: VirtualMachine ${e.vm} runStrategy`, 'Halted', e.sourceRunStrategy));
  problems.push(...was(`${e.to}: VirtualMachine ${e.vm} runStrategy`, 'Always', e.targetRunStrategy));
  problems.push(
    ...was(
      `${e.to}: VirtualMachine ${e.vm} Ready`,
      'true',
      e.targetReady === undefined ? undefined : String(e.targetReady),
    ),
  );
  return problems;
}

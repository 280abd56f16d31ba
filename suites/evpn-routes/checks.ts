// Conformance of the EVPN control plane: the routes each router must hold, and
// what zebra must have programmed from them. Each function is pure: router JSON in,
// precise problems out.
import { bestPath, type EvpnRoute, type EvpnVni, type EvpnMac, type UnicastRoute } from '../../helpers/nos/records.ts';
import type { Router } from '../../helpers/ports.ts';
import { verdictOf, type Verdict } from '../verdict.ts';
import type { ExpectedImet, ExpectedMacIp, ExpectedPrefix, ExpectedImport } from '../../topology/expectations.ts';

const describeRoute = (r: EvpnRoute) => {
  const b = bestPath(r);
  return `${r.prefix} via ${b?.nexthop ?? '?'} (${b?.routeTargets.map((t) => `RT:${t}`).join(' ') || 'no RT'})`;
};

export function imetProblems(router: string, routes: EvpnRoute[], expected: ExpectedImet[]): string[] {
  const type3 = routes.filter((r) => r.type === 3);
  return expected.flatMap((e) => {
    const candidates = type3.filter((r) => r.ip === e.vtep);
    const what = `${router}: type-3 (IMET) route for VNI ${e.vni} from VTEP ${e.vtep} (${e.node})`;
    if (!candidates.length) {
      return [`${what}: absent; type-3 routes seen: ${type3.map(describeRoute).join(', ') || 'none'}`];
    }
    const right = candidates.find((r) => bestPath(r)?.routeTargets.includes(e.routeTarget));
    if (!right) return [`${what}: expected RT:${e.routeTarget}, seen ${candidates.map(describeRoute).join(', ')}`];
    const nh = bestPath(right)?.nexthop;
    if (nh !== e.vtep) return [`${what}: expected next hop ${e.vtep}, seen ${nh ?? 'none'}`];
    return [];
  });
}

export function macIpProblems(router: string, routes: EvpnRoute[], e: ExpectedMacIp): string[] {
  const forMac = routes.filter((r) => r.type === 2 && r.mac?.toLowerCase() === e.mac);
  const problems: string[] = [];
  for (const [kind, match] of [
    ['MAC', (r: EvpnRoute) => r.ip === undefined],
    ['MAC+IP', (r: EvpnRoute) => r.ip === e.ip],
  ] as const) {
    const what = `${router}: type-2 ${kind} route of ${e.vm} (${e.mac}${kind === 'MAC+IP' ? ` ${e.ip}` : ''})`;
    const found = forMac.filter(match);
    if (!found.length) {
      problems.push(`${what}: absent; type-2 routes for that MAC: ${forMac.map(describeRoute).join(', ') || 'none'}`);
      continue;
    }
    const best = found.map(bestPath).find((p) => p !== undefined);
    if (!best?.routeTargets.includes(e.routeTarget))
      problems.push(`${what}: expected RT:${e.routeTarget} (its segment), seen ${found.map(describeRoute).join(', ')}`);
    else if (best.nexthop !== e.vtep)
      problems.push(
        `${what}: expected next hop ${e.vtep} (${e.node}, hosting the VM), seen ${best.nexthop ?? 'no best path'}`,
      );
  }
  return problems;
}

/**
 * What a node's L2VNI imported (`show bgp l2vpn evpn route vni <N> json`): a route
 * the global table holds but the VNI did not import (a route-target that does not
 * match) is received, not used.
 */
export function vniImportProblems(
  router: string,
  vni: number,
  routes: EvpnRoute[],
  vms: ExpectedMacIp[],
  vteps: Array<{ vtep: string; node: string }>,
): string[] {
  const problems: string[] = [];
  const imported = (r: EvpnRoute) => `${r.prefix} via ${bestPath(r)?.nexthop ?? '?'}`;
  for (const e of vms) {
    const forMac = routes.filter((r) => r.type === 2 && r.mac?.toLowerCase() === e.mac);
    for (const [kind, ip] of [
      ['MAC', undefined],
      ['MAC+IP', e.ip],
    ] as const) {
      const what =
        `${router}: VNI ${vni}: type-2 ${kind} route of ${e.vm} (${e.mac}${ip ? ` ${ip}` : ''}) ` +
        `via ${e.vtep} (${e.node})`;
      const found = forMac.filter((r) => r.ip === ip);
      if (!found.length)
        problems.push(
          `${what}: expected imported, seen ` +
            `${forMac.length ? `only ${forMac.map(imported).join(', ')}` : 'no route for that MAC in the VNI'}`,
        );
      else if (!found.some((r) => bestPath(r)?.nexthop === e.vtep))
        problems.push(`${what}: expected imported with that next hop, seen ${found.map(imported).join(', ')}`);
    }
  }
  for (const v of vteps) {
    if (!routes.some((r) => r.type === 3 && r.ip === v.vtep)) {
      const seen = routes
        .filter((r) => r.type === 3)
        .map((r) => r.ip)
        .join(', ');
      problems.push(
        `${router}: VNI ${vni}: type-3 route of VTEP ${v.vtep} (${v.node}): expected imported, seen ` +
          `${seen ? `type-3 of ${seen} only` : 'no type-3 route in the VNI'}`,
      );
    }
  }
  return problems;
}

/** Prefixes that must be in a VRF's BGP table (with their next hop) and prefixes that must not. */
export function vrfTableProblems(
  router: string,
  vrf: string,
  routes: UnicastRoute[],
  present: ExpectedPrefix[],
  absent: ExpectedPrefix[],
): string[] {
  const problems: string[] = [];
  for (const e of present) {
    const r = routes.find((x) => x.prefix === e.prefix);
    const best = r?.paths.find((p) => p.best);
    if (!r)
      problems.push(
        `${router}: VRF ${vrf} lacks ${e.prefix} (subnet of ${e.host}); it has: ` +
          `${routes.map((x) => x.prefix).join(', ') || 'nothing'}`,
      );
    else if (e.nexthop && best?.nexthop !== e.nexthop)
      problems.push(
        `${router}: VRF ${vrf} route ${e.prefix} (${e.host}): expected next hop ${e.nexthop}, seen ` +
          `${best?.nexthop ?? 'no best path'}`,
      );
  }
  for (const e of absent) {
    const r = routes.find((x) => x.prefix === e.prefix);
    if (r)
      problems.push(
        `${router}: VRF ${vrf} must not have ${e.prefix} (subnet of ${e.host}, another VRF) but has it via ` +
          `${r.paths.find((p) => p.best)?.nexthop ?? '?'}`,
      );
  }
  return problems;
}

export function remoteVtepProblems(router: string, vni: number, vnis: EvpnVni[], expected: string[]): string[] {
  const v = vnis.find((x) => x.vni === vni);
  if (!v) return [`${router}: zebra has no VNI ${vni}`];
  const missing = expected.filter((e) => !v.remoteVteps.includes(e));
  const extra = v.remoteVteps.filter((e) => !expected.includes(e));
  if (!missing.length && !extra.length) return [];
  return [
    `${router}: VNI ${vni} remote VTEPs: expected ${expected.join(', ')}, seen ` +
      `${v.remoteVteps.join(', ') || 'none'}${missing.length ? ` (missing ${missing.join(', ')})` : ''}` +
      `${extra.length ? ` (unexpected ${extra.join(', ')})` : ''}`,
  ];
}

export function remoteMacProblems(router: string, vni: number, macs: EvpnMac[], e: ExpectedMacIp): string[] {
  const m = macs.find((x) => x.mac.toLowerCase() === e.mac);
  const what = `${router}: VNI ${vni} MAC ${e.mac} of ${e.vm}`;
  if (!m) return [`${what}: not in zebra's MAC table`];
  if (m.type !== 'remote' || m.remoteVtep !== e.vtep)
    return [
      `${what}: expected remote via ${e.vtep} (${e.node}), seen ${m.type}` +
        `${m.remoteVtep ? ` via ${m.remoteVtep}` : m.intf ? ` on ${m.intf}` : ''}`,
    ];
  if (m.isDuplicate) return [`${what}: marked duplicate (EVPN duplicate address detection froze it)`];
  return [];
}

// ---------------------------------------------------------------- on a testbed

export async function checkImet(router: Router, expected: ExpectedImet[]): Promise<Verdict> {
  const a = await router.evpnRoutes({ type: 3 });
  return verdictOf(imetProblems(router.name, a.value, expected), a.evidence);
}

/** The global table's type-2 routes and, on a node, what its L2VNIs imported. */
export async function checkMacIp(
  router: Router,
  expected: ExpectedMacIp[],
  imports: ExpectedImport[] = [],
): Promise<Verdict> {
  const a = await router.evpnRoutes({ type: 2 });
  const vnis = await Promise.all(imports.map(async (i) => ({ i, v: await router.vniRoutes(i.vni) })));
  const problems = [
    ...expected.flatMap((e) => macIpProblems(router.name, a.value, e)),
    ...vnis.flatMap(({ i, v }) => vniImportProblems(router.name, i.vni, v.value, i.vms, i.vteps)),
  ];
  return verdictOf(problems, [...a.evidence, ...vnis.flatMap((x) => x.v.evidence)]);
}

export async function checkVrfTable(
  router: Router,
  vrf: string,
  present: ExpectedPrefix[],
  absent: ExpectedPrefix[],
): Promise<Verdict> {
  const a = await router.vrfRoutes(vrf);
  return verdictOf(vrfTableProblems(router.name, vrf, a.value, present, absent), a.evidence);
}

export async function checkZebraVni(
  router: Router,
  vni: number,
  remoteVteps: string[],
  remoteVms: ExpectedMacIp[],
): Promise<Verdict> {
  const [v, m] = await Promise.all([router.vnis(vni), router.macs(vni)]);
  const list = [
    ...remoteVtepProblems(router.name, vni, v.value, remoteVteps),
    ...remoteVms.flatMap((e) => remoteMacProblems(router.name, vni, m.value, e)),
  ];
  return verdictOf(list, [...v.evidence, ...m.evidence]);
}

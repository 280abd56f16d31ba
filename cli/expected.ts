// `l2stretch expected`: the oracle of a topology, what its healthy testbed must show, as tables or JSON.
import { loadTopology, DEFAULT_TOPOLOGY, TopologyError } from '../topology/load.ts';
import { expectedState, type ExpectedState } from '../topology/expectations.ts';
import { UsageError } from './exit.ts';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd());
}

function section(title: string, lines: string[]): string[] {
  return ['', title, ...(lines.length ? lines : ['  (none)'])];
}

export function renderExpected(s: ExpectedState): string {
  const families = (f: string[]) => f.map((x) => (x === 'ipv4Unicast' ? 'IPv4 unicast' : 'L2VPN EVPN')).join(' + ');
  const carriers = (vm: string) => s.type2.filter((e) => e.vms.includes(vm)).map((e) => e.router);
  const m = s.migration;
  return [
    `topology ${s.topology}: ${s.routers.length} routers, ${s.sessions.length} BGP session ends, ` +
      `${s.segments.length} segment(s), ${s.vms.length} VMs; ` +
      (s.placed ? 'VMs placed' : 'where VMs run (node, MAC, next hop) is known at run time'),
    ...section('BGP sessions (Established, families negotiated by both ends)', [
      ...table([
        ['router', 'peer', 'address', 'AS', 'families'],
        ...s.sessions.map((x) => [
          x.router,
          x.peer,
          x.peerAddress + (x.dynamic ? ' (dynamic)' : ''),
          String(x.peerAsn),
          families(x.families),
        ]),
      ]),
    ]),
    ...section(
      'Type-3 (IMET) routes each router must hold, next hop = the VTEP',
      s.imet.map(
        (e) =>
          `  ${e.router} VNI ${e.vni}: ${e.routes.map((r) => `${r.vtep} (${r.node}, RT ${r.routeTarget})`).join(', ')}`,
      ),
    ),
    ...section('Type-2 (MAC, MAC+IP) routes of each VM, next hop = the VTEP of the node hosting it', [
      ...table([
        ['VM', 'IP', 'segment', 'VNI', 'MAC', 'next hop', 'RT', 'carried by'],
        ...s.vms.map((vm) => [
          vm.vm,
          vm.ip,
          vm.segment,
          String(vm.vni),
          vm.route?.mac ?? '(run time)',
          vm.route ? `${vm.route.vtep} (${vm.route.node})` : '(run time)',
          vm.route?.routeTarget ?? '(run time)',
          carriers(vm.vm).join(', '),
        ]),
      ]),
    ]),
    ...section(
      'VRF tables (type-5): present via the host leaf VTEP / absent',
      s.vrfTables.map(
        (e) =>
          `  ${e.router} VRF ${e.vrf}: ` +
          `present ${e.present.map((p) => `${p.prefix} via ${p.nexthop ?? '?'} (${p.host})`).join(', ') || '-'}; ` +
          `absent ${e.absent.map((p) => `${p.prefix} (${p.host})`).join(', ') || '-'}`,
      ),
    ),
    ...section(
      'Zebra: flood list per VNI',
      s.zebra.map((e) => `  ${e.router} VNI ${e.vni}: ${e.floodTo.join(', ')}`),
    ),
    ...section(
      `Must reach, VM to VM across clusters (${s.l2.rule})`,
      s.l2.pairs.map((p) => `  ${p.from} → ${p.to} (${p.segment})`),
    ),
    ...section(
      `Must reach, VRFs (${s.reach.rule})`,
      s.reach.probes.map((p) => `  ${p.from} → ${p.to} (VRF ${p.vrf})`),
    ),
    ...section(
      `Must be dropped (${s.drop.rule})`,
      s.drop.probes.map((p) => `  ${p.from} → ${p.to} (VRF ${p.vrf})`),
    ),
    ...section(
      m ? `Migration plan (${m.rule}), watched from ${m.observer}, then reaching ${m.host}` : 'Migration plan',
      m ? m.legs.map((l, i) => `  ${i + 1}. ${l.label}`) : [],
    ),
    ...section('Stable during the run (no withdrawal, no re-advertisement)', [
      `  type-3 of ${s.stable.vteps.join(', ')}`,
      `  MAC routes of ${s.stable.vms.join(', ') || 'no VM'}`,
    ]),
  ].join('\n');
}

export function expected(o: { topology?: string; json?: boolean }): number {
  let state: ExpectedState;
  try {
    state = expectedState(loadTopology(o.topology ?? DEFAULT_TOPOLOGY));
  } catch (e) {
    throw e instanceof TopologyError ? new UsageError(e.message) : new UsageError((e as Error).message);
  }
  process.stdout.write(o.json ? `${JSON.stringify(state, null, 2)}\n` : `${renderExpected(state)}\n`);
  return 0;
}

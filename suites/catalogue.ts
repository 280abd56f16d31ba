// The conformance catalogue: what each check requires, in RFC 2119 words, under an
// ID that never changes once published. Tests carry the ID in their title; a vendor's
// certification is judged against the `conformance` tier of this list.
import { stringify } from 'yaml';
import type { Stage } from './stages.ts';
import { FEATURES, type Feature } from '../topology/features.ts';

export const TIERS = {
  conformance: 'required: a certification runs every one of these, none may be skipped',
  extended: 'recommended: a conforming implementation should pass them; not required to certify',
} as const;
export type Tier = keyof typeof TIERS;

/**
 * A pass/fail limit of a check. It is part of the requirement, so it lives here and
 * nowhere else: no testbed file or environment variable changes it, the run record
 * and the certification bundle carry it, and verify-bundle holds it to the catalogue.
 */
export interface Threshold {
  value: number;
  unit: 'ms';
  meaning: string;
}

export interface CatalogueEntry {
  suite: Stage;
  tier: Tier;
  requirement: string;
  /** What tells one instance from another: the parameters of its key, `ID[name=value,…]`, in this order. */
  params: readonly string[];
  /** An instance's title: `{name}` is a key parameter or a value the suite gives beside them. */
  title: string;
  needs: readonly Feature[];
  thresholds?: Record<string, Threshold>;
}

export const CATALOGUE = {
  'L2S-BGP-001': {
    suite: 'bgp-sessions',
    tier: 'conformance',
    requirement:
      'Every fabric and node router MUST have each of its underlay sessions Established in IPv4 unicast and ' +
      'in L2VPN EVPN.',
    params: ['router'],
    title: '{router}: {peers} Established in IPv4 unicast and L2VPN EVPN',
    needs: [],
  },
  'L2S-EVPN-001': {
    suite: 'evpn-routes',
    tier: 'conformance',
    requirement:
      'The spine, every ToR and every node router MUST carry a type-3 (IMET) route for each L2VNI from every ' +
      'node VTEP.',
    params: ['router', 'vni'],
    title: '{router}: type-3 route for VNI {vni} from every node VTEP',
    needs: ['l2vni'],
  },
  'L2S-EVPN-002': {
    suite: 'evpn-routes',
    tier: 'conformance',
    requirement:
      'Every router MUST carry type-2 MAC and MAC+IP routes of every remote VM whose next hop is the VTEP of ' +
      "the VM's node, and every node's L2VNI MUST import them and the type-3 route of every other node VTEP.",
    params: ['router'],
    title: "{router}: type-2 MAC and MAC+IP routes of every remote VM, next hop its node's VTEP{imports}",
    needs: ['l2vni'],
  },
  'L2S-EVPN-003': {
    suite: 'evpn-routes',
    tier: 'conformance',
    requirement:
      "Every node's L3VNI VRF MUST hold type-5 routes of its own VRF's host subnets and MUST NOT hold those " +
      'of another VRF.',
    params: ['router', 'vrf'],
    title: "{router}: VRF {vrf} has the type-5 routes of its hosts' subnets and none of other VRFs",
    needs: ['l3vni'],
  },
  'L2S-EVPN-004': {
    suite: 'evpn-routes',
    tier: 'extended',
    requirement:
      "Every node's data plane SHOULD flood each L2VNI to every other VTEP and know each remote VM's MAC at " +
      "that VM's VTEP.",
    params: ['router', 'vni'],
    title: "{router}: zebra floods VNI {vni} to every other VTEP and knows each remote VM's MAC at its VTEP",
    needs: ['l2vni'],
  },
  'L2S-L2-001': {
    suite: 'l2-stretch',
    tier: 'conformance',
    requirement:
      'A VM MUST reach a VM of another cluster on the same L2VNI over HTTP, and the callee MUST see the ' +
      "caller's own address (no NAT).",
    params: ['from', 'to'],
    title: "{from} → {to}: HTTP answers and sees {from}'s own address (no NAT)",
    needs: ['l2vni', 'workload-exec'],
  },
  'L2S-L2-002': {
    suite: 'l2-stretch',
    tier: 'conformance',
    requirement: 'A VM MUST answer ping from a VM of another cluster on the same L2VNI.',
    params: ['from', 'to'],
    title: '{from} → {to}: ping',
    needs: ['l2vni', 'workload-exec'],
  },
  'L2S-L2-003': {
    suite: 'l2-stretch',
    tier: 'extended',
    requirement: 'Frames of the full segment MTU with DF set SHOULD cross between clusters unfragmented.',
    params: ['from', 'to'],
    title: '{from} → {to}: full-size frames with DF set cross unfragmented',
    needs: ['l2vni', 'workload-exec'],
  },
  'L2S-L2-004': {
    suite: 'l2-stretch',
    tier: 'extended',
    requirement: 'A 2 MiB transfer between VMs of different clusters SHOULD complete intact.',
    params: ['from', 'to'],
    title: '{to} ← {from}: a 2 MiB transfer completes',
    needs: ['l2vni', 'workload-exec'],
  },
  'L2S-L2-005': {
    suite: 'l2-stretch',
    tier: 'conformance',
    requirement:
      'Every node serving an L2VNI MUST answer its gateway address with one and the same MAC (the distributed ' +
      "anycast gateway): the MAC of every node's SVI and the one every VM learned for its gateway.",
    params: ['vni'],
    title: 'VNI {vni}: every node answers the gateway {gateway} with one anycast MAC, the one {vms} learned',
    needs: ['l2vni', 'workload-exec'],
  },
  'L2S-L3-001': {
    suite: 'l3vni',
    tier: 'conformance',
    requirement: "A VM MUST reach every host of its L3VNI's VRF, and the host MUST see the VM's own address.",
    params: ['vm', 'host'],
    title: "{vm} → {host} ({ip}, VRF {vrf}): answers and sees {vm}'s own address",
    needs: ['l3vni', 'workload-exec'],
  },
  'L2S-L3-002': {
    suite: 'l3vni',
    tier: 'conformance',
    requirement: "Every host of a VM's VRF MUST reach the VM.",
    params: ['host', 'vm'],
    title: '{host} → {vm}: reaches the VM',
    needs: ['l3vni', 'workload-exec'],
  },
  'L2S-L3-003': {
    suite: 'l3vni',
    tier: 'conformance',
    requirement: 'Traffic from a VM to a host of another VRF MUST be dropped, in every probe.',
    params: ['vm', 'host'],
    title: '{vm} → {host} ({ip}, VRF {vrf}): must be dropped, in every probe',
    needs: ['l3vni', 'workload-exec'],
  },
  'L2S-MIG-001': {
    suite: 'live-migration',
    tier: 'conformance',
    requirement:
      'A live migration MUST succeed, and the clusters MUST report the end state KubeVirt reports (target ' +
      'migration Succeeded, source instance gone, source VM Halted, target VM Always and Ready).',
    params: ['vm', 'from', 'to'],
    title: 'succeeds, and the clusters report the end state KubeVirt reports',
    needs: ['workload-exec', 'migration-probe'],
  },
  'L2S-MIG-002': {
    suite: 'live-migration',
    tier: 'conformance',
    requirement: 'A migrated VM MUST keep its IP and MAC addresses, in its status and inside the guest.',
    params: ['vm', 'from', 'to'],
    title: 'keeps its IP and MAC, in its status and inside the guest',
    needs: ['workload-exec', 'migration-probe'],
  },
  'L2S-MIG-003': {
    suite: 'live-migration',
    tier: 'conformance',
    requirement:
      "Every router's type-2 MAC+IP route of a migrated VM MUST follow it to its new node's VTEP, with a " +
      'higher MAC-mobility sequence.',
    params: ['vm', 'from', 'to'],
    title: "every router's type-2 MAC+IP route follows it to its new node's VTEP, with MAC mobility",
    needs: ['workload-exec', 'migration-probe', 'garp-moves-mac-ip'],
  },
  'L2S-MIG-004': {
    suite: 'live-migration',
    tier: 'conformance',
    requirement: 'A TCP connection to a migrating VM MUST survive the migration.',
    params: ['vm', 'from', 'to'],
    title: 'the long-lived connection from {observer} survives',
    needs: ['workload-exec', 'migration-probe'],
  },
  'L2S-MIG-005': {
    suite: 'live-migration',
    tier: 'extended',
    requirement: "No node SHOULD mark a migrated VM's MAC as a duplicate.",
    params: ['vm', 'from', 'to'],
    title: 'no node marks its MAC as a duplicate',
    needs: ['workload-exec', 'migration-probe'],
  },
  'L2S-MIG-006': {
    suite: 'live-migration',
    tier: 'extended',
    requirement: 'The outage a peer sees during a migration SHOULD stay within the loss budget.',
    params: ['vm', 'from', 'to'],
    title: 'the outage seen from {observer} stays within the loss budget',
    needs: ['workload-exec', 'migration-probe'],
    thresholds: {
      lossBudget: {
        value: 2_000,
        unit: 'ms',
        meaning: 'longest a live migration may cut the VM off (first failed to first answered probe)',
      },
    },
  },
  'L2S-MIG-007': {
    suite: 'live-migration',
    tier: 'conformance',
    requirement: 'A migrated VM MUST still reach the hosts of its VRF and the VMs of its segment.',
    params: ['vm', 'from', 'to'],
    title: 'still reaches {host} and {observer}',
    needs: ['workload-exec', 'migration-probe'],
  },
  'L2S-MIG-008': {
    suite: 'live-migration',
    tier: 'conformance',
    requirement:
      "After a migration, the VM's gateway MUST be answered by the node it now runs on, with the anycast gateway MAC.",
    params: ['vm', 'from', 'to'],
    title: 'its gateway is answered by the node it now runs on, at the anycast MAC',
    needs: ['l2vni', 'workload-exec', 'migration-probe'],
  },
  'L2S-STAB-001': {
    suite: 'stability',
    tier: 'conformance',
    requirement:
      'No BGP session of the topology MUST reset, and no EVPN route the overlay needs MUST be withdrawn or ' +
      're-advertised, from the start of the first suite to the end of the last.',
    params: ['router'],
    title:
      '{router}: no BGP session reset and no type-3 or VM MAC route withdrawn or re-advertised since the run started',
    needs: [],
  },
} as const satisfies Record<string, CatalogueEntry>;

export type CheckId = keyof typeof CATALOGUE;

export function entry(id: CheckId): CatalogueEntry {
  return CATALOGUE[id];
}

/** A check's pass/fail limit, by name. */
export function threshold(id: CheckId, name: string): number {
  const t = entry(id).thresholds?.[name];
  if (!t) throw new Error(`${id} has no threshold ${name}`);
  return t.value;
}

/** Every check's thresholds (name → value), as the run record and the bundle carry them. */
export function thresholdValues(): Record<string, Record<string, number>> {
  return Object.fromEntries(
    checkIds().flatMap((id) => {
      const t = entry(id).thresholds;
      return t ? [[id, Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.value]))]] : [];
    }),
  );
}

/** The tiers this run declares checks of: L2STRETCH_TIERS (comma-separated), by default all. */
export function selectedTiers(env = process.env.L2STRETCH_TIERS): Tier[] {
  if (!env) return Object.keys(TIERS) as Tier[];
  const asked = env
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = asked.filter((t) => !Object.hasOwn(TIERS, t));
  if (unknown.length)
    throw new Error(`L2STRETCH_TIERS: unknown tier ${unknown.join(', ')} (tiers: ${Object.keys(TIERS).join(', ')})`);
  return asked as Tier[];
}

export const checkIds = (): CheckId[] => Object.keys(CATALOGUE) as CheckId[];

/** The ID a test title starts with, when it is a catalogue check. */
export function idOfTitle(title: string): CheckId | undefined {
  const m = /^(L2S-[A-Z0-9]+-\d{3})\b/.exec(title);
  return m && m[1]! in CATALOGUE ? (m[1] as CheckId) : undefined;
}

/** conformance.yaml: the published catalogue, regenerated with `npm run catalogue`. */
export function catalogueYaml(version: string): string {
  return (
    '# Generated from suites/catalogue.ts by `npm run catalogue`; a test fails when the two differ.\n' +
    stringify({
      catalogue: 'l2stretch',
      version,
      tiers: TIERS,
      features: FEATURES,
      checks: checkIds().map((id) => ({ id, ...CATALOGUE[id] })),
    })
  );
}

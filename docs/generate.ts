// `npm run docs`: docs/checks.md from the catalogue (suites/catalogue.ts) and the fault
// catalogue (test/faults/catalogue.ts), and the JSON Schemas of the files users write
// or read (schemas/), from their zod schemas. test/docs.test.ts fails when either
// differs from what is committed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CATALOGUE, TIERS, checkIds, type CheckId } from '../suites/catalogue.ts';
import { parseKey } from '../suites/keys.ts';
import { FEATURES } from '../topology/features.ts';
import { FAULT_GROUPS } from '../test/faults/catalogue.ts';
import { testbedFileSchema } from '../helpers/testbed.ts';
import { productSchema } from '../reports/bundle.ts';
import { runRecordSchema } from '../reports/run-record.ts';

interface CheckDoc {
  /** What the check looks at: router commands (JSON), traffic, cluster objects. */
  reads: string;
  /** A failure message as the check writes it. */
  failure: string;
}

export const CHECK_DOCS: Record<CheckId, CheckDoc> = {
  'L2S-BGP-001': {
    reads:
      '`show bgp vrf all summary json` and `show bgp neighbors json` (negotiated capabilities) of ' +
      'every fabric and node router',
    failure:
      'spine: session to leafkind-a (192.168.1.5, AS 64512) in IPv4 unicast: expected Established, seen Idle (Admin)',
  },
  'L2S-EVPN-001': {
    reads: '`show bgp l2vpn evpn route type multicast json` of the spine, the ToRs and the nodes',
    failure: 'spine: type-3 (IMET) route for VNI 110 from VTEP 100.65.1.1 (pe-kind-b-worker): absent',
  },
  'L2S-EVPN-002': {
    reads:
      '`show bgp l2vpn evpn route type macip json` of every router: MAC and MAC+IP routes, next hop, route targets; ' +
      'on each node also `show bgp l2vpn evpn route vni <N> json`: what its L2VNI imported',
    failure: 'spine: type-2 MAC+IP route of vm-2: expected RT:64518:110, seen … (RT:64518:111)',
  },
  'L2S-EVPN-003': {
    reads: "`show bgp vrf <vrf> ipv4 unicast json` of every node's L3VNI VRF",
    failure: 'pe-kind-a-worker: VRF red must not have 192.168.21.0/24 (a subnet of VRF blue)',
  },
  'L2S-EVPN-004': {
    reads:
      "zebra's `show evpn vni <N> json` (remote VTEPs) and `show evpn mac vni <N> json` (remote MACs) of every node",
    failure: 'pe-kind-a-worker: VNI 110 does not flood to VTEP 100.65.1.1 (pe-kind-b-worker)',
  },
  'L2S-L2-001': {
    reads: 'HTTP from one VM to the other (`/clientip`: the address the callee saw)',
    failure: 'vm-1 → vm-2: curl http://192.170.1.30:8090/clientip failed (curl exit 28: …)',
  },
  'L2S-L2-002': {
    reads: 'ping between the VMs of the two clusters',
    failure: 'vm-1 → vm-2: ping 192.170.1.30: 100% packet loss',
  },
  'L2S-L2-003': {
    reads: "ping with DF set and the segment's full MTU between the VMs (the guest's own MTU)",
    failure: 'vm-2 → vm-1: 1450-byte packets with DF set (ping -M do -s 1422 192.170.1.3) do not cross: …',
  },
  'L2S-L2-004': {
    reads: 'a 2 MiB HTTP transfer between the VMs (`/bytes/<n>`), byte count checked',
    failure:
      'vm-1 ← vm-2: 2097152 bytes from http://192.170.1.30:8090/bytes/2097152: ' + 'received 65536 (curl exit 28: …)',
  },
  'L2S-L2-005': {
    reads:
      "every node's `show evpn vni <N> json` (its SVI) and `show interface vrf <vrf> json` (the SVI's MAC and " +
      "addresses); each VM's `ip -j neigh show <gateway>` after pinging it",
    failure:
      'pe-kind-b-worker: VNI 110 gateway 192.170.1.1: expected the anycast MAC 00:f3:00:00:00:6f on SVI ' +
      'br-pe-110, seen 00:f3:00:00:00:99',
  },
  'L2S-L3-001': {
    reads: "HTTP from each VM to every host of its VRF (`/clientip`: the VM's own address, no NAT)",
    failure: 'vm-1 → hostA_red (192.168.20.2, VRF red): curl failed (curl exit 28: …)',
  },
  'L2S-L3-002': {
    reads: "HTTP from every host of a VM's VRF to the VM",
    failure: 'hostA_red → vm-2 (192.170.1.30:8090): curl failed (curl exit 7: …)',
  },
  'L2S-L3-003': {
    reads: 'three HTTP probes from each VM to every host of another VRF, each of which must time out or be refused',
    failure:
      'vm-1 reached hostA_blue (192.168.21.2, VRF blue) in probe 1/3: it answered …; traffic must be ' +
      'dropped between VRFs',
  },
  'L2S-MIG-001': {
    reads: 'the VirtualMachineInstanceMigration, VirtualMachineInstance and VirtualMachine objects of both clusters',
    failure: 'vm-1 pe-kind-a → pe-kind-b: target migration … Failed; a live migration must succeed',
  },
  'L2S-MIG-002': {
    reads: "the VMI's status (IP, MAC) and the guest's own `ip addr` before and after the move",
    failure: 'vm-1 (guest eth0): MAC 02:03:04:05:06:07 became 02:0a:0b:0c:0d:0e; a live migration must keep both',
  },
  'L2S-MIG-003': {
    reads:
      "every router's `show bgp l2vpn evpn route type macip json` before and after: best path next " +
      'hop and MAC-mobility sequence',
    failure:
      'spine: type-2 MAC+IP route of vm-1: expected next hop 100.65.0.1 (pe-kind-a-worker, where it ' +
      'now runs), seen 100.65.0.0 …',
  },
  'L2S-MIG-004': {
    reads: "the observer VM's long-lived HTTP stream to the migrating VM (bytes and gaps)",
    failure:
      'vm-2 → vm-1: the long-lived connection broke (…) after 81920 bytes; ' + 'a live migration must keep it open',
  },
  'L2S-MIG-005': {
    reads: "every node's `show evpn mac vni all json` (duplicate-address flags)",
    failure:
      'pe-kind-b-worker: MAC 02:03:04:05:06:07 of vm-1: expected active, ' +
      'seen frozen as a duplicate by EVPN duplicate address detection',
  },
  'L2S-MIG-006': {
    reads: "the observer's HTTP probes every 100 ms during the move: the longest run of failed probes",
    failure: 'vm-2 → vm-1: the migration cut vm-1 off for 1400 ms (14/60 probes failed), budget 2000 ms',
  },
  'L2S-MIG-007': {
    reads: 'HTTP from the moved VM to the hosts of its VRF and to the observer VM',
    failure: 'vm-1 → hostA_red (192.168.20.2, VRF red): curl failed (curl exit 28: …)',
  },
  'L2S-MIG-008': {
    reads:
      "the moved VM's ping of its gateway and `ip -j neigh`; its new node's SVI (`show interface vrf <vrf> " +
      'json`) and `show evpn arp-cache vni <N> ip <IP> json`',
    failure:
      'pe-kind-b-worker: vm-1 (192.170.1.3) in VNI 110: expected learned locally (the node it runs on answers ' +
      'its gateway), seen remote via 100.65.0.0',
  },
  'L2S-STAB-001': {
    reads:
      "every router's `show bgp neighbors json` (connections established and dropped, up since) and `show bgp " +
      'l2vpn evpn route detail json` (table version, last update) when the run starts and at its end',
    failure:
      'spine: session to leafB (192.168.1.3): expected no reset since the run started (15:20:01 UTC), seen 4 ' +
      'resets (connections established 1 → 5, dropped 0 → 4; up since 15:20:40 UTC)',
  },
};

/** Check ID → the fault rows that expect some instance of it to fail, and the row keys that are no check key. */
export function faultRows(): { byCheck: Map<CheckId, string[]>; unclaimed: string[] } {
  const byCheck = new Map<CheckId, string[]>(checkIds().map((id) => [id, []]));
  const unclaimed: string[] = [];
  for (const group of FAULT_GROUPS) {
    for (const fault of group.faults) {
      for (const key of fault.breaks) {
        let id: CheckId;
        try {
          id = parseKey(key).id;
        } catch {
          unclaimed.push(`${fault.name}: ${key}`);
          continue;
        }
        if (!byCheck.get(id)!.includes(fault.name)) byCheck.get(id)!.push(fault.name);
      }
    }
  }
  return { byCheck, unclaimed };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function checksMarkdown(): string {
  const { byCheck } = faultRows();
  const lines = [
    '# Checks',
    '',
    '<!-- Generated by `npm run docs` from suites/catalogue.ts and test/faults/catalogue.ts;',
    '     test/docs.test.ts fails when it is stale. -->',
    '',
    `Every check of the conformance catalogue (\`l2stretch list\`), in stage order. Tiers: ${Object.entries(TIERS)
      .map(([t, d]) => `**${t}** — ${d}`)
      .join(
        '; ',
      )}. "Proven by" names the rows of the fault catalogue (\`npm run test:faults\`) that must make the check fail.`,
    '',
    'Each instance of a check has a key: the ID and the parameters that tell it from the other instances, ' +
      'in the order below, each value percent-encoded (`[ ] , = %` never end it early), e.g. ' +
      '`L2S-EVPN-001[router=spine,vni=110]`. Run records, JUnit, Allure, the bundle and the fault catalogue ' +
      'name instances by their keys.',
    '',
  ];
  for (const id of checkIds()) {
    const c = CATALOGUE[id];
    const d = CHECK_DOCS[id];
    const rows = byCheck.get(id)!;
    lines.push(
      `## ${id}`,
      '',
      `| | |`,
      `|---|---|`,
      `| suite | \`${c.suite}\` |`,
      `| tier | ${c.tier} |`,
      `| instance key | \`${c.params.length ? `${id}[${c.params.map((p) => `${p}=…`).join(',')}]` : id}\` |`,
      `| instance title | ${cell(c.title)} |`,
      `| requirement | ${cell(c.requirement)} |`,
      `| needs | ${c.needs.length ? c.needs.map((f) => `\`${f}\``).join(', ') : '—'} |`,
      `| reads | ${cell(d.reads)} |`,
      `| typical failure | \`${cell(d.failure)}\` |`,
      `| proven by | ${rows.length ? rows.map(cell).join('; ') : '**no fault row yet**'} |`,
      '',
    );
  }
  lines.push(
    '## Features',
    '',
    '| feature | meaning |',
    '|---|---|',
    ...Object.entries(FEATURES).map(([f, m]) => `| \`${f}\` | ${cell(String(m))} |`),
    '',
  );
  return lines.join('\n');
}

export const SCHEMAS = {
  'testbed-file.schema.json': { schema: testbedFileSchema, title: 'l2stretch testbed file' },
  'product-file.schema.json': { schema: productSchema, title: 'l2stretch certification product file' },
  'run-record.schema.json': { schema: runRecordSchema, title: 'l2stretch run record' },
} as const;

export function schemaJson(name: keyof typeof SCHEMAS): string {
  const { schema, title } = SCHEMAS[name];
  // io input: what a user writes (defaults may be left out).
  const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ title, ...json }, null, 2)}\n`;
}

const here = import.meta.dirname;
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(join(here, 'checks.md'), checksMarkdown());
  mkdirSync(join(here, '..', 'schemas'), { recursive: true });
  for (const name of Object.keys(SCHEMAS) as Array<keyof typeof SCHEMAS>)
    writeFileSync(join(here, '..', 'schemas', name), schemaJson(name));
  process.stdout.write('wrote docs/checks.md and schemas/*.schema.json\n');
}

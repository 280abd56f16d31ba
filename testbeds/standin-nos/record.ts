// Writes the stand-in devices' recordings for the multicluster topology with a vendor fabric:
// the embedded testbed's own FRR answers (captured by vtysh on a healthy run) are what the
// network holds; each fabric router's facts are re-spoken in its vendor's shape (EOS eAPI JSON
// after the public EOS captures, SR Linux YANG state after the 25.3 YANG and the napalm-srlinux
// captures), node routers keep their FRR answers, and the clusters' VMIs are kept as reported.
//   npx tsx testbeds/standin-nos/record.ts capture <testbed file> <captures.json>   (a kept embedded testbed)
//   npx tsx testbeds/standin-nos/record.ts write <captures.json> <out dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { openTestbed, readTestbedFile } from '../../helpers/testbed.ts';
import { frr } from '../../helpers/nos/frr/dialect.ts';
import { addressOf } from '../../topology/ip.ts';
import { join } from 'node:path';
import { parseBgpNeighbors, parseBgpSummary, parseEvpnRoutes } from '../../helpers/nos/frr/json.ts';
import type { BgpNeighbor, BgpPeer, EvpnRoute } from '../../helpers/nos/records.ts';
import { SRL_PATHS } from '../../helpers/nos/srlinux/dialect.ts';
import type { Recordings } from './devices.ts';

/** The vendor fabric: EOS spine and leaves, SR Linux ToRs; the nodes stay openperouter's FRR. */
export const VENDOR_FABRIC: Record<string, 'eos' | 'srlinux'> = {
  spine: 'eos',
  leafA: 'eos',
  leafB: 'eos',
  'leafkind-a': 'srlinux',
  'leafkind-b': 'srlinux',
};
export const STANDIN_VERSIONS = { eos: '4.33.1F-l2stretch-standin', srlinux: 'v25.3.2-l2stretch-standin' };

const EVPN_CMDS = ['show bgp l2vpn evpn route type macip json', 'show bgp l2vpn evpn route type multicast json'];

interface Frr {
  peers: BgpPeer[];
  neighbors: BgpNeighbor[];
  routes: EvpnRoute[];
  routerId: string;
  asn: number;
}

function readFrr(name: string, answers: Record<string, string>): Frr {
  const json = (c: string) => ({ router: name, command: c, data: JSON.parse(answers[c]!) as unknown });
  const s = json('show bgp summary json');
  const n = json('show bgp neighbors json');
  const routes = EVPN_CMDS.flatMap((c) => {
    const a = json(c);
    return parseEvpnRoutes(a.data, a);
  });
  const v4 = (s.data as { ipv4Unicast: { routerId: string; as: number } }).ipv4Unicast;
  return {
    peers: parseBgpSummary(s.data, {}, s),
    neighbors: parseBgpNeighbors(n.data, n),
    routes,
    routerId: v4.routerId,
    asn: v4.as,
  };
}

const dotted = (mac: string) => mac.replace(/:/g, '').replace(/(....)(?!$)/g, '$1.');
const NLRI = { 2: 'mac-ip', 3: 'imet', 5: 'ip-prefix' } as Record<number, string>;

// ---------------------------------------------------------------- EOS

function eosSummary(f: Frr, afi: string) {
  const peers = f.peers.filter((p) => p.afi === afi && p.vrf === 'default');
  return {
    vrfs: {
      default: {
        vrf: 'default',
        routerId: f.routerId,
        asn: String(f.asn),
        peers: Object.fromEntries(
          peers.map((p) => [
            p.address,
            {
              version: 4,
              msgReceived: 100,
              msgSent: 100,
              inMsgQueue: 0,
              outMsgQueue: 0,
              asn: String(p.remoteAs),
              prefixAccepted: p.prefixesReceived ?? 0,
              prefixReceived: p.prefixesReceived ?? 0,
              upDownTime: 1764600000.5,
              underMaintenance: false,
              peerState: p.state,
            },
          ]),
        ),
      },
    },
  };
}

function eosNeighbors(f: Frr) {
  return {
    vrfs: {
      default: {
        peerList: f.neighbors.map((n) => ({
          peerAddress: n.address,
          state: n.state,
          establishedTransitions: n.connectionsEstablished,
          neighborCapabilities: {
            multiprotocolCaps: Object.fromEntries(
              [...n.families].map(([afi, neg]) => [
                afi,
                { advertised: neg !== 'peer only', received: neg !== 'local only', enabled: neg === 'both' },
              ]),
            ),
          },
        })),
      },
    },
  };
}

function eosRoutes(f: Frr, types: number[]) {
  const entries = f.routes
    .filter((r) => types.includes(r.type))
    .map((r) => {
      const what = r.type === 2 ? `${dotted(r.mac!)}${r.ip ? ` ${r.ip}` : ''}` : r.ip;
      return [
        `RD: ${r.rd} ${NLRI[r.type]} ${what}`,
        {
          routeKeyDetail: {
            rd: r.rd,
            nlriType: NLRI[r.type],
            ...(r.mac ? { mac: dotted(r.mac) } : {}),
            ...(r.ip ? { ipGenAddr: r.ip } : {}),
          },
          totalPaths: r.paths.length,
          evpnRoutePaths: r.paths.map((p) => ({
            nextHop: p.nexthop ?? '',
            asPathEntry: { asPath: p.asPath, asPathType: p.asPath ? 'External' : 'Local' },
            localPreference: 100,
            weight: 0,
            routeType: { valid: p.valid, active: p.best, ecmp: false, ecmpHead: p.best, origin: 'Igp' },
            routeDetail: {
              extCommunities: [
                ...p.routeTargets.map((t) => `Route-Target-AS:${t}`),
                'TunnelEncap:tunnelTypeVxlan',
                ...(p.macMobilitySeq ? [`EvpnMacMobility:${p.macMobilitySeq}`] : []),
                ...(p.routerMac ? [`EvpnRouterMac:${p.routerMac}`] : []),
              ],
            },
          })),
        },
      ];
    });
  return { vrf: 'default', routerId: f.routerId, asn: f.asn, evpnRoutes: Object.fromEntries(entries) };
}

function eosRecordings(f: Frr): Recordings {
  return {
    'show version': { modelName: 'cEOSLab', version: STANDIN_VERSIONS.eos, architecture: 'x86_64' },
    'show bgp ipv4 unicast summary': eosSummary(f, 'ipv4Unicast'),
    'show bgp evpn summary': eosSummary(f, 'l2VpnEvpn'),
    'show bgp neighbors vrf default': eosNeighbors(f),
    'show bgp evpn route-type mac-ip detail': eosRoutes(f, [2]),
    'show bgp evpn route-type imet detail': eosRoutes(f, [3]),
    'show bgp evpn detail': eosRoutes(f, [2, 3]),
  };
}

// ---------------------------------------------------------------- SR Linux

const SRL_FAMILY: Record<string, string> = { ipv4Unicast: 'ipv4-unicast', l2VpnEvpn: 'evpn' };
const identity = (f: string) => `srl_nokia-common:${SRL_FAMILY[f] ?? f}`;

function srlNeighbors(f: Frr) {
  return {
    neighbor: f.neighbors.map((n) => {
      const peer = f.peers.find((p) => p.address === n.address);
      return {
        'peer-address': n.address,
        'admin-state': 'enable',
        'peer-as': peer?.remoteAs,
        'peer-type': 'ebgp',
        'session-state': n.state.toLowerCase(),
        'established-transitions': String(n.connectionsEstablished),
        'received-afi-safi': [...n.families].filter(([, v]) => v !== 'local only').map(([a]) => identity(a)),
        'afi-safi': [...n.families].map(([afi, neg]) => ({
          'afi-safi-name': identity(afi),
          'admin-state': neg === 'peer only' ? 'disable' : 'enable',
          'oper-state': neg === 'both' ? 'up' : 'down',
          'received-routes': f.peers.find((p) => p.address === n.address && p.afi === afi)?.prefixesReceived ?? 0,
        })),
      };
    }),
  };
}

function srlRib(f: Frr) {
  const attrs: Array<Record<string, unknown>> = [];
  const ids = new Map<string, number>();
  // Paths with the same attributes share one attr-set, as on the device.
  const attrId = (p: EvpnRoute['paths'][number]) => {
    const set = {
      'next-hop': p.nexthop ?? '0.0.0.0',
      'as-path': { segment: p.asPath ? [{ type: 'as_sequence', member: p.asPath.split(' ').map(Number) }] : [] },
      communities: {
        'ext-community': [
          ...p.routeTargets.map((t) => `target:${t}`),
          'bgp-tunnel-encap:VXLAN',
          ...(p.macMobilitySeq ? [`mac-mobility:${p.macMobilitySeq}`] : []),
        ],
      },
    };
    const key = JSON.stringify(set);
    if (!ids.has(key)) ids.set(key, attrs.push({ index: attrs.length + 1, ...set }));
    return ids.get(key)!;
  };
  const entries = (type: number) =>
    f.routes
      .filter((r) => r.type === type)
      .flatMap((r) =>
        r.paths.map((p) => ({
          'route-distinguisher': r.rd,
          ...(type === 2
            ? { 'mac-length': 48, 'mac-address': r.mac!.toUpperCase(), 'ip-address': r.ip ?? '0.0.0.0' }
            : { 'originating-router': r.ip }),
          'ethernet-tag-id': 0,
          neighbor: p.peerId ?? '0.0.0.0',
          'path-id': 0,
          'attr-id': attrId(p),
          'used-route': p.best,
          'valid-route': p.valid,
          'best-route': p.best,
        })),
      );
  const rib = { 'mac-ip-route': entries(2), 'imet-route': entries(3), 'ip-prefix-route': [] };
  return { rib, attrs: { 'attr-set': attrs } };
}

function srlRecordings(f: Frr): Recordings {
  const { rib, attrs } = srlRib(f);
  return {
    [SRL_PATHS.system]: {
      description: `SRLinux-${STANDIN_VERSIONS.srlinux} 7220 IXR-D2L (l2stretch stand-in)`,
      version: STANDIN_VERSIONS.srlinux,
    },
    [SRL_PATHS.neighbors]: srlNeighbors(f),
    [SRL_PATHS.evpnRib]: rib,
    [SRL_PATHS.attrSets]: attrs,
  };
}

// ---------------------------------------------------------------- main

const NODE_CMDS = [
  'show version',
  'show bgp summary json',
  'show bgp neighbors json',
  'show bgp l2vpn evpn route type multicast json',
  'show bgp l2vpn evpn route type macip json',
  'show bgp l2vpn evpn route detail json',
  'show bgp l2vpn evpn route vni 110 json',
  'show bgp vrf red ipv4 unicast json',
  'show evpn vni 110 json',
  'show evpn mac vni 110 json',
];

export function record(captures: {
  routers: Record<string, Record<string, string>>;
  vmis: Record<string, { cluster: string; object: unknown }>;
}): { routers: Record<string, Recordings>; clusters: Record<string, unknown[]> } {
  const routers: Record<string, Recordings> = {};
  for (const [name, answers] of Object.entries(captures.routers)) {
    const dialect = VENDOR_FABRIC[name];
    if (dialect) {
      const f = readFrr(name, answers);
      routers[name] = dialect === 'eos' ? eosRecordings(f) : srlRecordings(f);
    } else {
      routers[name] = Object.fromEntries(
        NODE_CMDS.map((c) => [c, c === 'show version' ? answers[c]! : JSON.parse(answers[c]!)]),
      );
    }
  }
  const clusters: Record<string, unknown[]> = {};
  for (const { cluster, object } of Object.values(captures.vmis)) (clusters[cluster] ??= []).push(object);
  return { routers, clusters };
}

/** Every router's vtysh answers to NODE_CMDS and the VMIs, once each VM has greeted its gateway. */
async function capture(testbedFile: string, out: string): Promise<void> {
  const tb = openTestbed(readTestbedFile(testbedFile));
  const vms = Object.entries(tb.topology.overlay!.vms);
  for (const [vm, v] of vms) {
    const gateway = addressOf(tb.topology.overlay!.l2vnis[v.network]!.gateway);
    await tb.workload(vm).run(['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', gateway]);
  }
  // The greetings' type-2 routes reach every router within a few BGP updates.
  await new Promise((r) => setTimeout(r, 5000));
  const routers: Record<string, Record<string, string>> = {};
  for (const r of tb.routers)
    routers[r.name] = Object.fromEntries(await Promise.all(NODE_CMDS.map(async (c) => [c, await frr(r).vtysh(c)])));
  const vmis = Object.fromEntries(
    await Promise.all(
      vms.map(async ([vm, v]) => [
        vm,
        { cluster: v.cluster, object: await tb.cluster(v.cluster).get('VirtualMachineInstance', vm) },
      ]),
    ),
  );
  writeFileSync(out, JSON.stringify({ routers, vmis }, null, 1));
}

function write(input: string, out: string): void {
  const r = record(JSON.parse(readFileSync(input, 'utf8')));
  mkdirSync(out, { recursive: true });
  for (const [name, rec] of Object.entries(r.routers))
    writeFileSync(join(out, `${name}.json`), `${JSON.stringify(rec, null, 1)}\n`);
  writeFileSync(join(out, 'clusters.json'), `${JSON.stringify(r.clusters, null, 1)}\n`);
}

if (process.argv[1]?.endsWith('record.ts')) {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === 'capture' && a && b) await capture(a, b);
  else if (mode === 'write' && a && b) write(a, b);
  else {
    process.stderr.write('usage: record.ts capture <testbed file> <captures.json> | write <captures.json> <out dir>\n');
    process.exitCode = 2;
  }
}

// The one renderer of the fabric routers' FRR configuration (spine, leaves, ToRs).
// Every testbed runs exactly these configs, in the shape of the walkthrough's
// clab/multicluster and leaf templates.
import type { Topology, FabricRouter } from './schema.ts';

export interface FabricRenderOptions {
  /** Where FRR logs; containers use /etc/frr/frr.log as the walkthrough does. */
  logFile: string;
}

function globalBgp(r: FabricRouter): string[] {
  const lines = [
    `router bgp ${r.asn}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp network import-check',
    ' no bgp default ipv4-unicast',
  ];
  for (const n of r.neighbors) lines.push(` neighbor ${n.address} remote-as ${n.asn}`);
  for (const l of r.listenRanges) {
    lines.push(` neighbor ${l.peerGroup} peer-group`, ` neighbor ${l.peerGroup} remote-as ${l.remoteAs}`);
    lines.push(` bgp listen range ${l.range} peer-group ${l.peerGroup}`);
  }
  const peers = [...r.neighbors.map((n) => n.address), ...r.listenRanges.map((l) => l.peerGroup)];
  lines.push(' !', ' address-family ipv4 unicast');
  for (const p of peers) lines.push(`  neighbor ${p} activate`);
  if (r.vtep) lines.push(`  network ${r.vtep}`);
  lines.push(' exit-address-family', ' !', ' address-family l2vpn evpn');
  for (const p of peers) lines.push(`  neighbor ${p} activate`);
  lines.push('  advertise-all-vni', '  advertise-svi-ip', ' exit-address-family', 'exit', '!');
  return lines;
}

function vrfBgp(r: FabricRouter, vrf: string): string[] {
  const lines = [`router bgp ${r.asn} vrf ${vrf}`];
  if (r.redistributeConnectedInVrfs) {
    lines.push(' !', ' address-family ipv4 unicast', '  redistribute connected', ' exit-address-family');
    lines.push(' !', ' address-family ipv6 unicast', '  redistribute connected', ' exit-address-family');
  }
  lines.push(
    ' !',
    ' address-family l2vpn evpn',
    '  advertise ipv4 unicast',
    '  advertise ipv6 unicast',
    ' exit-address-family',
    'exit',
    '!',
  );
  return lines;
}

export function renderFabricRouter(t: Topology, name: string, opts: FabricRenderOptions): string {
  const r = t.fabric.routers[name];
  if (!r) throw new Error(`topology ${t.name} has no fabric router ${name}`);
  const lines = [
    `! ${name} (${r.role}, AS ${r.asn}) rendered by l2stretch from topology ${t.name}`,
    `hostname ${name}`,
    `log file ${opts.logFile}`,
    'ip nht resolve-via-default',
    'ipv6 nht resolve-via-default',
    '!',
  ];
  for (const [vrf, v] of Object.entries(r.vrfs)) lines.push(`vrf ${vrf}`, ` vni ${v.l3vni}`, 'exit-vrf', '!');
  lines.push(...globalBgp(r));
  for (const vrf of Object.keys(r.vrfs)) lines.push(...vrfBgp(r, vrf));
  return lines.join('\n') + '\n';
}

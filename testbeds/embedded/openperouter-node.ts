// What openperouter's controller makes of the CRs on a node, for the embedded clusters,
// per release: the same VTEP/router-id allocation, the anycast gateway MAC, and an FRR
// config equal in substance to its templates (internal/frr/templates).
import { nthAddress } from '../../topology/ip.ts';
import type { OpenPERouterRelease } from '../../topology/openperouter.ts';
import type { UnderlaySpec } from './openperouter.ts';

/** The anycast gateway MAC openperouter gives an L2VNI's bridge on every node: 00:f3 + (VNI+1) as 32-bit big-endian. */
export function anycastGatewayMac(vni: number): string {
  const n = vni + 1;
  const bytes = [0x00, 0xf3, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export interface NodeIdentity {
  node: string;
  index: number;
}

export function vtepOf(u: UnderlaySpec, n: NodeIdentity): string | undefined {
  return u.vtepcidr ? nthAddress(u.vtepcidr, n.index) : undefined;
}

export function routerIdOf(u: UnderlaySpec, n: NodeIdentity): string {
  return nthAddress(u.routeridcidr, n.index + 1);
}

export interface L3VniConfig {
  vrf: string;
  vni: number;
}

/**
 * The node's FRR configuration, as the release's controller writes it. The log goes
 * to a file on every release (v0.2.0 logs to stdout) so that diagnostics can read it.
 */
// fidelity: OPE-FRR-001
export function renderNodeFrr(
  u: UnderlaySpec,
  n: NodeIdentity,
  l3vnis: L3VniConfig[],
  logFile: string,
  release: OpenPERouterRelease,
): string {
  const routerId = routerIdOf(u, n);
  const vtep = vtepOf(u, n);
  const lines = [
    `! rendered by l2stretch like openperouter ${release.version} for node ${n.node} (index ${n.index})`,
    `hostname ${n.node}`,
    `log file ${logFile}`,
    'ip nht resolve-via-default',
    'ipv6 nht resolve-via-default',
  ];
  for (const v of l3vnis) lines.push(`vrf ${v.vrf}`, `  vni ${v.vni}`, 'exit-vrf');
  lines.push(
    'route-map allowall permit 1',
    `router bgp ${u.asn}`,
    '  no bgp ebgp-requires-policy',
    '  no bgp network import-check',
    '  no bgp default ipv4-unicast',
    `  bgp router-id ${routerId}`,
  );
  for (const nb of u.neighbors) lines.push(`  neighbor ${nb.address} remote-as ${nb.asn}`);
  lines.push('  address-family ipv4 unicast');
  for (const nb of u.neighbors)
    lines.push(`    neighbor ${nb.address} activate`, `    neighbor ${nb.address} allowas-in`);
  lines.push('  exit-address-family');
  if (vtep) lines.push('  address-family ipv4 unicast', `    network ${vtep}/32`, '  exit-address-family');
  if (u.vtepcidr) {
    lines.push('  address-family l2vpn evpn');
    for (const nb of u.neighbors)
      lines.push(`    neighbor ${nb.address} activate`, `    neighbor ${nb.address} allowas-in`);
    lines.push(
      '    advertise-all-vni',
      ...(release.advertiseSviIp ? ['    advertise-svi-ip'] : []),
      '  exit-address-family',
    );
  }
  const close = release.closesBgpBlocks ? ['exit', '!'] : [];
  lines.push(...close);
  for (const v of l3vnis) {
    lines.push(
      `router bgp ${u.asn} vrf ${v.vrf}`,
      '  no bgp ebgp-requires-policy',
      '  no bgp network import-check',
      '  no bgp default ipv4-unicast',
      `  bgp router-id ${routerId}`,
      '  address-family l2vpn evpn',
      '    advertise ipv4 unicast',
      '    advertise ipv6 unicast',
      '  exit-address-family',
      ...close,
    );
  }
  if (!release.closesBgpBlocks) lines.push('exit');
  return lines.join('\n') + '\n';
}

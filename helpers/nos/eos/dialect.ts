// Arista EOS, a fabric dialect: every fact is one or two eAPI commands (JSON-RPC runCmds over
// HTTPS), read by ./normalize.ts. EOS switches are fabric routers here (spine, leaves, ToRs);
// what only a cluster node is asked (a VNI's imports, VRF tables, ARP cache, duplicate
// detection) is refused as unread, never answered empty.
import { eapiRun } from '../../transports/json-rpc.ts';
import type { EvpnQuery, Router } from '../../ports.ts';
import { FabricApiRouter } from '../fabric-api.ts';
import {
  parseEosBgpNeighbors,
  parseEosBgpSummary,
  parseEosEvpnRoutes,
  parseEosVersion,
  parseEosVxlanAddressTable,
  parseEosVxlanInterface,
} from './normalize.ts';

const ROUTE_TYPE = { 2: 'mac-ip', 3: 'imet', 5: 'ip-prefix ipv4' } as const;

export class EosRouter extends FabricApiRouter implements Router {
  readonly nos = 'eos';
  readonly diagnosticCommands = [
    'show version',
    'show bgp ipv4 unicast summary',
    'show bgp evpn summary',
    'show bgp neighbors vrf default',
    'show bgp evpn detail',
    'show interfaces vxlan 1',
    'show vxlan address-table',
  ] as const;

  get via(): string {
    return `eAPI ${this.target.url}`;
  }

  protected ask(cmds: string[]): Promise<unknown[]> {
    return eapiRun(this.name, this.target, cmds);
  }

  sessions() {
    return this.fact(['show bgp ipv4 unicast summary', 'show bgp evpn summary'], ([v4, evpn]) => [
      ...parseEosBgpSummary(v4!.data, { afi: 'ipv4Unicast' }, v4!),
      ...parseEosBgpSummary(evpn!.data, { afi: 'l2VpnEvpn' }, evpn!),
    ]);
  }

  neighbors() {
    return this.fact(['show bgp neighbors vrf default'], ([n]) => parseEosBgpNeighbors(n!.data, n!));
  }

  evpnRoutes(q: EvpnQuery = {}) {
    // Route targets and MAC mobility are only in the detail view.
    const cmd = `show bgp evpn${q.type ? ` route-type ${ROUTE_TYPE[q.type]}` : ''} detail`;
    return this.fact([cmd], ([a]) => parseEosEvpnRoutes(a!.data, a!));
  }

  vnis(vni?: number) {
    return this.fact(['show interfaces vxlan 1'], ([a]) =>
      parseEosVxlanInterface(a!.data, a!).filter((v) => vni === undefined || v.vni === vni),
    );
  }

  /** Remote MACs of the VNI: EOS keys its address table by VLAN, mapped to the VNI through Vxlan1. */
  macs(vni: number, mac?: string) {
    return this.fact(['show interfaces vxlan 1', 'show vxlan address-table'], ([vx, table]) => {
      const vlans = new Set(
        parseEosVxlanInterface(vx!.data, vx!)
          .filter((v) => v.vni === vni)
          .map((v) => v.vlan),
      );
      return parseEosVxlanAddressTable(table!.data, table!).filter(
        (m) => vlans.has(m.vlan) && (mac === undefined || m.mac === mac.toLowerCase()),
      );
    });
  }

  version() {
    return this.fact(['show version'], ([a]) => parseEosVersion(a!.data, a!).version);
  }
}

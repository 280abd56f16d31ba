// Nokia SR Linux, a fabric dialect: every fact is a JSON-RPC `get` of YANG state paths over
// HTTPS, read by ./normalize.ts. SR Linux switches are fabric routers here; what only a
// cluster node is asked is refused as unread, never answered empty.
import { srlGet } from '../../transports/json-rpc.ts';
import type { EvpnQuery, Router } from '../../ports.ts';
import { FabricApiRouter } from '../fabric-api.ts';
import {
  parseSrlAttrSets,
  parseSrlBgpNeighbors,
  parseSrlBridgeTable,
  parseSrlEvpnRoutes,
  parseSrlMulticastDestinations,
  parseSrlVersion,
  stripModules,
} from './normalize.ts';

export const SRL_PATHS = {
  neighbors: '/network-instance[name=default]/protocols/bgp/neighbor',
  evpnRib: '/network-instance[name=default]/bgp-rib/afi-safi[afi-safi-name=evpn]/evpn/local-rib',
  attrSets: '/network-instance[name=default]/bgp-rib/attr-sets',
  floodLists: '/tunnel-interface[name=*]/vxlan-interface[index=*]/bridge-table/multicast-destinations',
  bridgeTables: '/network-instance[name=*]/bridge-table',
  system: '/system/information',
} as const;

export class SrlinuxRouter extends FabricApiRouter implements Router {
  readonly nos = 'srlinux';
  readonly diagnosticCommands = Object.values(SRL_PATHS);

  get via(): string {
    return `JSON-RPC ${this.target.url}`;
  }

  protected ask(paths: string[]): Promise<unknown[]> {
    return srlGet(this.name, this.target, paths);
  }

  sessions() {
    return this.fact([SRL_PATHS.neighbors], ([a]) => parseSrlBgpNeighbors(a!.data, a!).peers);
  }

  neighbors() {
    return this.fact([SRL_PATHS.neighbors], ([a]) => parseSrlBgpNeighbors(a!.data, a!).neighbors);
  }

  evpnRoutes(q: EvpnQuery = {}) {
    return this.fact([SRL_PATHS.evpnRib, SRL_PATHS.attrSets], ([rib, attrs]) =>
      parseSrlEvpnRoutes(rib!.data, parseSrlAttrSets(attrs!.data, attrs!), rib!).filter(
        (r) => q.type === undefined || r.type === q.type,
      ),
    );
  }

  vnis(vni?: number) {
    return this.fact([SRL_PATHS.floodLists], ([a]) =>
      parseSrlMulticastDestinations(a!.data, a!).filter((v) => vni === undefined || v.vni === vni),
    );
  }

  /** Remote MACs of the VNI (an EVPN MAC's destination names its VNI) in every mac-vrf. */
  macs(vni: number, mac?: string) {
    return this.fact([SRL_PATHS.bridgeTables], ([a]) => {
      const doc = stripModules(a!.data) as { 'network-instance'?: Array<{ name?: string; 'bridge-table'?: unknown }> };
      const macVrfs = (doc['network-instance'] ?? []).filter((n) => n['bridge-table'] !== undefined);
      return macVrfs
        .flatMap((n) => parseSrlBridgeTable(doc, String(n.name), a!))
        .filter((m) => m.vni === vni && (mac === undefined || m.mac === mac.toLowerCase()));
    });
  }

  version() {
    return this.fact([SRL_PATHS.system], ([a]) => parseSrlVersion(a!.data, a!).version);
  }
}

// Nokia SR Linux, a fabric dialect: every fact is a JSON-RPC `get` of YANG state paths over
// HTTPS, read by ./normalize.ts. SR Linux switches are fabric routers here; what only a
// cluster node is asked is refused as unread, never answered empty.
import { ExecError } from '../../transports/exec.ts';
import { srlGet, type JsonRpcTarget } from '../../transports/json-rpc.ts';
import type { Evidence, EvpnQuery, Fact, Router } from '../../ports.ts';
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

export class SrlinuxRouter implements Router {
  readonly nos = 'srlinux';
  readonly diagnosticCommands = Object.values(SRL_PATHS);

  constructor(
    readonly name: string,
    private readonly target: JsonRpcTarget,
  ) {}

  get via(): string {
    return `JSON-RPC ${this.target.url}`;
  }

  private async get(paths: string[]): Promise<Evidence[]> {
    const answers = await srlGet(this.name, this.target, paths);
    return paths.map((command, i) => ({
      router: this.name,
      command,
      raw: JSON.stringify(answers[i], null, 2),
      data: answers[i],
    }));
  }

  private async fact<T>(paths: string[], read: (e: Evidence[]) => T): Promise<Fact<T>> {
    const evidence = await this.get(paths);
    return { router: this.name, value: read(evidence), evidence };
  }

  private unread(what: string): Promise<never> {
    return Promise.reject(
      new ExecError(this.name, what, 'is not read by the srlinux dialect (SR Linux switches are fabric routers here)'),
    );
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

  vniRoutes(vni: number): Promise<Fact<never[]>> {
    return this.unread(`vniRoutes ${vni}`);
  }

  vrfRoutes(vrf: string): Promise<Fact<never[]>> {
    return this.unread(`vrfRoutes ${vrf}`);
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

  arpCache(vni: number): Promise<Fact<never[]>> {
    return this.unread(`arpCache ${vni}`);
  }

  duplicateDetection(): Promise<Fact<never>> {
    return this.unread('duplicateDetection');
  }

  interfaces(vrf?: string): Promise<Fact<never[]>> {
    return this.unread(`interfaces ${vrf ?? ''}`.trim());
  }

  version() {
    return this.fact([SRL_PATHS.system], ([a]) => parseSrlVersion(a!.data, a!).version);
  }

  async show(path: string): Promise<Evidence> {
    return (await this.get([path]))[0]!;
  }
}

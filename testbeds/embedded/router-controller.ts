// openperouter's controller for an embedded cluster: it realizes the Underlay and the
// L3/L2 VNIs on every node's router (node-router.ts), redoing only what changed.
import type { Cluster } from '../../topology/schema.ts';
import type { Underlay, L3Vni, L2Vni } from './openperouter.ts';
import { NodeRouter, type NodeRouterOptions } from './node-router.ts';

/** What openperouter's objects ask of the nodes. */
export interface RouterState {
  underlay?: Underlay;
  l3: L3Vni[];
  l2: L2Vni[];
}

export class RouterController {
  private readonly routers: NodeRouter[];
  private realized: { underlay?: string; vnis?: string } = {};

  constructor(cluster: Cluster, ctx: Omit<NodeRouterOptions, 'node' | 'index'>) {
    this.routers = Object.entries(cluster.nodes).map(
      ([node, n]) =>
        new NodeRouter({
          paths: ctx.paths,
          node,
          index: n.index,
          startTimeoutMs: ctx.startTimeoutMs,
          signal: ctx.signal,
          fabricReady: ctx.fabricReady,
          openperouter: ctx.openperouter,
        }),
    );
  }

  async reconcile(d: RouterState): Promise<void> {
    const underlayKey = JSON.stringify(d.underlay ?? null);
    const vniKey = JSON.stringify([d.l3, d.l2]);
    if (underlayKey !== this.realized.underlay) {
      await Promise.all(this.routers.map((r) => r.removeUnderlay()));
      this.realized = {};
      if (d.underlay) await Promise.all(this.routers.map((r) => r.realizeUnderlay(d.underlay!)));
      this.realized.underlay = underlayKey;
    }
    // FRR starts here, once, with whatever VNIs are wanted: the Underlay and the VNIs
    // of one apply never cost two starts.
    if (d.underlay && vniKey !== this.realized.vnis) {
      await Promise.all(this.routers.map((r) => r.setVnis(d.l3, d.l2)));
      this.realized.vnis = vniKey;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.routers.map((r) => r.stop()));
  }
}

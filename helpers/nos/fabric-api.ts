// What the vendor dialects share: a fabric switch asked over its management API, each request's
// answer kept as evidence, and what only a cluster node is asked (a VNI's imports, VRF tables, the
// ARP cache, duplicate detection, interfaces) refused as unread, never answered empty.
import { ExecError } from '../transports/exec.ts';
import type { JsonRpcTarget } from '../transports/json-rpc.ts';
import type { Evidence, Fact } from '../ports.ts';
import type { Nos } from '../../topology/schema.ts';

export abstract class FabricApiRouter {
  abstract readonly nos: Nos;

  constructor(
    readonly name: string,
    protected readonly target: JsonRpcTarget,
  ) {}

  /** One answer per request (a CLI command, a YANG path), in order. */
  protected abstract ask(requests: string[]): Promise<unknown[]>;

  protected async answers(requests: string[]): Promise<Evidence[]> {
    const answers = await this.ask(requests);
    return requests.map((command, i) => ({
      router: this.name,
      command,
      raw: JSON.stringify(answers[i], null, 2),
      data: answers[i],
    }));
  }

  protected async fact<T>(requests: string[], read: (e: Evidence[]) => T): Promise<Fact<T>> {
    const evidence = await this.answers(requests);
    return { router: this.name, value: read(evidence), evidence };
  }

  private unread(what: string): Promise<never> {
    return Promise.reject(
      new ExecError(this.name, what, `is not read by the ${this.nos} dialect (its switches are fabric routers here)`),
    );
  }

  vniRoutes(vni: number): Promise<Fact<never[]>> {
    return this.unread(`vniRoutes ${vni}`);
  }

  vrfRoutes(vrf: string): Promise<Fact<never[]>> {
    return this.unread(`vrfRoutes ${vrf}`);
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

  async show(request: string): Promise<Evidence> {
    return (await this.answers([request]))[0]!;
  }
}

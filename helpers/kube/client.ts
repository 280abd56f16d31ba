// Talking to a real Kubernetes cluster with @kubernetes/client-node: server-side
// apply with strict field validation (a field the server does not know is an error,
// not silently dropped), reads that map "not found" to undefined, nodes, pods and
// their logs. Running commands in a pod is a transport: helpers/transports/kubectl-exec.ts.
import { existsSync } from 'node:fs';
import {
  KubeConfig,
  KubernetesObjectApi,
  CoreV1Api,
  ApiException,
  PatchStrategy,
  createConfiguration,
  ServerConfiguration,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Manifest } from '../../topology/manifests.ts';
import type { ClusterApi } from '../ports.ts';
import { selectedOpenPERouter } from '../../topology/openperouter.ts';

export const FIELD_MANAGER = 'l2stretch';
export const NODE_INDEX_ANNOTATION = 'openpe.io/nodeindex';

/** Where the suites' kinds live: their API version and namespace, as the walkthrough puts them. */
export const KIND_HOME: Record<string, { apiVersion: string; namespace: string }> = {
  VirtualMachine: { apiVersion: 'kubevirt.io/v1', namespace: 'default' },
  VirtualMachineInstance: { apiVersion: 'kubevirt.io/v1', namespace: 'default' },
  VirtualMachineInstanceMigration: { apiVersion: 'kubevirt.io/v1', namespace: 'default' },
  // openperouter's group is the selected release's (main renamed it); diagnostics list it.
  Underlay: { apiVersion: selectedOpenPERouter().apiVersion, namespace: 'openperouter-system' },
  L2VNI: { apiVersion: selectedOpenPERouter().apiVersion, namespace: 'openperouter-system' },
  L3VNI: { apiVersion: selectedOpenPERouter().apiVersion, namespace: 'openperouter-system' },
  NetworkAttachmentDefinition: { apiVersion: 'k8s.cni.cncf.io/v1', namespace: 'default' },
  KubeVirt: { apiVersion: 'kubevirt.io/v1', namespace: 'kubevirt' },
};

export function loadKubeConfig(path: string, context?: string): KubeConfig {
  if (!existsSync(path)) throw new Error(`kubeconfig ${path} does not exist`);
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (e) {
    throw new Error(`kubeconfig ${path}: ${(e as Error).message}`);
  }
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context))
      throw new Error(
        `kubeconfig ${path} has no context "${context}" (it has: ${kc
          .getContexts()
          .map((c) => c.name)
          .join(', ')})`,
      );
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig ${path}: no current context with a cluster`);
  return kc;
}

/** The message of a Status body, which the client hands over parsed or as text. */
function statusMessage(body: unknown): string | undefined {
  if (typeof body !== 'string') return (body as { message?: string } | undefined)?.message;
  try {
    return (JSON.parse(body) as { message?: string }).message;
  } catch {
    return body;
  }
}

/** What the API server said, in one line: its Status message when it sent one. */
export function apiMessage(e: unknown): string {
  if (!(e instanceof ApiException)) return (e as Error).message;
  return `HTTP ${e.code}: ${statusMessage(e.body) ?? 'no message'}`;
}

const isNotFound = (e: unknown) => e instanceof ApiException && e.code === 404;

export class KubeClient {
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  readonly server: string;

  constructor(
    readonly name: string,
    readonly kc: KubeConfig,
  ) {
    this.server = kc.getCurrentCluster()!.server;
    // Strict field validation on every write: the apiserver rejects unknown fields instead of dropping them.
    const strict = {
      pre: async (ctx: { getHttpMethod(): string; setQueryParam(k: string, v: string): void }) => {
        if (['POST', 'PUT', 'PATCH'].includes(ctx.getHttpMethod())) ctx.setQueryParam('fieldValidation', 'Strict');
        return ctx;
      },
      post: async <T>(rsp: T) => rsp,
    };
    this.objects = new KubernetesObjectApi(
      createConfiguration({
        baseServer: new ServerConfiguration(this.server, {}),
        authMethods: { default: kc },
        promiseMiddleware: [strict as never],
      }),
    );
    this.core = kc.makeApiClient(CoreV1Api);
  }

  private withHome(m: Manifest): KubernetesObject {
    const home = KIND_HOME[m.kind];
    return {
      ...m,
      metadata: { ...m.metadata, namespace: m.metadata.namespace ?? home?.namespace ?? 'default' },
    } as KubernetesObject;
  }

  async apply(manifests: Manifest[]): Promise<void> {
    for (const m of manifests) {
      try {
        await this.objects.patch(
          this.withHome(m),
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
      } catch (e) {
        throw new Error(`${this.name}: applying ${m.kind} ${m.metadata.name} failed: ${apiMessage(e)}`);
      }
    }
  }

  async delete(manifests: Manifest[]): Promise<void> {
    for (const m of manifests) {
      try {
        await this.objects.delete(this.withHome(m));
      } catch (e) {
        if (!isNotFound(e))
          throw new Error(`${this.name}: deleting ${m.kind} ${m.metadata.name} failed: ${apiMessage(e)}`);
      }
    }
  }

  async get<T = unknown>(
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<(Manifest & { status?: T }) | undefined> {
    const home = KIND_HOME[kind];
    if (!home)
      throw new Error(
        `${this.name}: no API version known for kind ${kind} (known: ${Object.keys(KIND_HOME).join(', ')})`,
      );
    try {
      return (await this.objects.read({
        apiVersion: home.apiVersion,
        kind,
        metadata: { name, namespace: namespace ?? home.namespace },
      })) as unknown as Manifest & { status?: T };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw new Error(`${this.name}: reading ${kind} ${name} failed: ${apiMessage(e)}`);
    }
  }

  async list(): Promise<Array<Manifest & { status?: unknown }>> {
    const lists = await Promise.all(
      Object.entries(KIND_HOME).map(async ([kind, home]) => {
        try {
          return (await this.objects.list(home.apiVersion, kind, home.namespace)).items as unknown as Manifest[];
        } catch (e) {
          return [{ apiVersion: home.apiVersion, kind, metadata: { name: `(could not list: ${apiMessage(e)})` } }];
        }
      }),
    );
    return lists.flat();
  }

  /** openperouter's index of a node (annotation openpe.io/nodeindex): its VTEP and router ID derive from it. */
  async nodeIndex(node: string): Promise<number> {
    let n;
    try {
      n = await this.core.readNode({ name: node });
    } catch (e) {
      throw new Error(`${this.name}: reading node ${node} failed: ${apiMessage(e)}`);
    }
    const v = n.metadata?.annotations?.[NODE_INDEX_ANNOTATION];
    if (v === undefined || !/^\d+$/.test(v))
      throw new Error(
        `${this.name}: node ${node} has no ${NODE_INDEX_ANNOTATION} annotation` +
          `${v === undefined ? '' : ` (it has "${v}")`}: is openperouter running?`,
      );
    return Number(v);
  }

  /** The last lines a container logged, e.g. a router pod's frr container for diagnostics. */
  async logs(namespace: string, pod: string, container: string, tailLines = 200): Promise<string> {
    try {
      return await this.core.readNamespacedPodLog({ name: pod, namespace, container, tailLines });
    } catch (e) {
      throw new Error(`${this.name}: logs of ${namespace}/${pod} (${container}) could not be read: ${apiMessage(e)}`);
    }
  }

  /**
   * Polls an object until `ready` says it is, reporting progress now and then; a
   * `failed` answer ends the wait at once with its reason.
   */
  async waitFor<T>(
    kind: string,
    name: string,
    o: {
      ready: (obj: (Manifest & { status?: T }) | undefined) => boolean;
      failed?: (obj: (Manifest & { status?: T }) | undefined) => string | undefined;
      deadlineMs: number;
      what: string;
      onProgress?: (line: string) => void;
      intervalMs?: number;
    },
  ): Promise<Manifest & { status?: T }> {
    const start = Date.now();
    let lastReport = start;
    for (;;) {
      const obj = await this.get<T>(kind, name);
      const why = o.failed?.(obj);
      if (why) throw new Error(`${this.name}: ${o.what}: ${why}`);
      if (o.ready(obj)) return obj!;
      const waited = Date.now() - start;
      if (waited > o.deadlineMs) throw new Error(`${this.name}: ${o.what}: not done within ${o.deadlineMs / 1000} s`);
      if (o.onProgress && Date.now() - lastReport >= 5000) {
        lastReport = Date.now();
        o.onProgress(
          `${this.name}: waiting for ${o.what} (${Math.round(waited / 1000)} s of ${o.deadlineMs / 1000} s)`,
        );
      }
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 1000));
    }
  }

  /** Names of the running pods matching a selector, e.g. every openperouter router pod. */
  async podsBySelector(namespace: string, labelSelector: string): Promise<string[]> {
    try {
      return (await this.core.listNamespacedPod({ namespace, labelSelector })).items.map((p) => p.metadata!.name!);
    } catch (e) {
      throw new Error(`${this.name}: listing pods ${labelSelector} in ${namespace} failed: ${apiMessage(e)}`);
    }
  }

  /** The pod matching the selector on a node, e.g. openperouter's router pod of that node. */
  async podOnNode(namespace: string, labelSelector: string, node: string): Promise<string> {
    let pods;
    try {
      pods = await this.core.listNamespacedPod({ namespace, labelSelector, fieldSelector: `spec.nodeName=${node}` });
    } catch (e) {
      throw new Error(`${this.name}: listing pods ${labelSelector} on ${node} failed: ${apiMessage(e)}`);
    }
    const running = pods.items.filter((p) => p.status?.phase === 'Running');
    if (!running.length)
      throw new Error(
        `${this.name}: no running pod with ${labelSelector} in ${namespace} on node ${node} ` +
          `(${pods.items.length} not running)`,
      );
    return running[0]!.metadata!.name!;
  }
}

/** A cluster of a real testbed, as the suites see every cluster. */
export class KubernetesClusterApi implements ClusterApi {
  constructor(
    readonly name: string,
    private readonly client: KubeClient,
  ) {}
  apply = (m: Manifest[]) => this.client.apply(m);
  delete = (m: Manifest[]) => this.client.delete(m);
  get = <T = unknown>(kind: string, name: string) => this.client.get<T>(kind, name);
  list = () => this.client.list();
}

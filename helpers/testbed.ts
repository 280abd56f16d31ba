// A testbed file opened into the ports of ./ports.ts: routers that answer in their
// dialect, workloads that run commands, clusters that take manifests. The suites
// never learn which testbed this is; a testbed file binds the topology's roles to
// how each one is reached.
import { z } from 'zod';
import { NetnsExecutor, DockerExecutor, runLocal } from './transports/exec.ts';
import { SshExecutor } from './transports/ssh.ts';
import { KubeClient, KubernetesClusterApi, loadKubeConfig } from './kube/client.ts';
import { KubectlExecutor } from './transports/kubectl-exec.ts';
import { RoamingConsoleExecutor } from './transports/vm-console.ts';
import { FrrRouter } from './nos/frr/dialect.ts';
import { EosRouter } from './nos/eos/dialect.ts';
import { SrlinuxRouter } from './nos/srlinux/dialect.ts';
import { EmbeddedClusterApi } from './kube/embedded-api.ts';
import { loadTopology } from '../topology/load.ts';
import { resolveDeadlines, type Deadlines, DEFAULT_DEADLINES } from './wait.ts';
import { TESTBED_KINDS, type ClusterApi, type Executor, type Router, type Testbed } from './ports.ts';
import { ALL_FEATURES, type Feature } from '../topology/features.ts';
import { name as memberName, type Topology } from '../topology/schema.ts';
import { readStructured, describeIssues, MAX_INPUT_BYTES } from '../topology/input.ts';

// Every string here reaches a command, a file path or a message: each is a strict
// type, and member names, which name diagnostics files, are plain names.
const line = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[^\p{Cc}]*$/u, 'one line without control characters');
const path = line;
const plainName = (what: string) =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, `${what} (letters, digits, ".", "-", "_")`);
const netnsName = plainName('a network namespace name');
const dnsName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'a Kubernetes name (lower-case letters, digits, "-", ".")');
const hostName = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9._:-]{0,252})$/, 'a host name or an IP address');
const userName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'a user name');
const argv = z.array(line).min(1);

const execSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('netns'), netns: netnsName }),
  z.strictObject({ type: z.literal('docker'), container: plainName('a container name') }),
  z.strictObject({
    type: z.literal('ssh'),
    host: hostName,
    port: z.number().int().min(1).max(65535).optional(),
    user: userName,
    identityFile: path.optional(),
    knownHostsFile: path,
    proxyCommand: argv.optional(),
  }),
  z.strictObject({
    type: z.literal('kubectl'),
    kubeconfig: path,
    context: line.optional(),
    namespace: dnsName,
    /** The pod is the one matching the selector on this node (openperouter's router pod: app=router). */
    labelSelector: line,
    node: dnsName,
    container: dnsName,
  }),
]);

const clusterApiSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('embedded'), socket: path }),
  z.strictObject({ type: z.literal('kubernetes'), kubeconfig: path, context: line.optional() }),
]);

// One member per dialect; the topology says which NOS a fabric router runs, and the two must agree.
// A management API over HTTPS: the password from an environment variable or a file, never in this file.
const httpsApi = z.strictObject({
  url: z.url({ protocol: /^https$/ }).max(2048),
  user: userName,
  password: z.union([
    z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name') }),
    z.strictObject({ file: path }),
  ]),
  /** PEM file of the CA that signed the device's certificate; without it, the system's CAs. */
  caFile: path.optional(),
  /** Skip certificate verification (logged); for lab devices with self-signed certificates. */
  insecure: z.boolean().optional(),
  /** The name the certificate holds, when the URL has an address. */
  serverName: hostName.optional(),
});

const routerSpec = z.discriminatedUnion('nos', [
  z.strictObject({ nos: z.literal('frr').default('frr'), exec: execSpec, vtysh: argv }),
  // Arista EOS over eAPI, Nokia SR Linux over its JSON-RPC server.
  z.strictObject({ nos: z.literal('eos'), api: httpsApi }),
  z.strictObject({ nos: z.literal('srlinux'), api: httpsApi }),
]);

const deadlineOverrides = z.strictObject(
  Object.fromEntries(Object.keys(DEFAULT_DEADLINES).map((k) => [k, z.number().int().positive().optional()])) as Record<
    keyof Deadlines,
    z.ZodOptional<z.ZodNumber>
  >,
);

export const testbedFileSchema = z.strictObject({
  kind: z.enum(TESTBED_KINDS),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a run id of letters, digits, ".", "-", "_"'),
  topology: path,
  /** How each router is reached, per its dialect (`nos`, default frr). */
  routers: z.record(memberName, routerSpec),
  workloads: z.record(memberName, z.strictObject({ exec: execSpec })),
  /** How to reach a VM by name (the embedded clusters give each VM a namespace). */
  vms: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('netns'), netnsPrefix: netnsName }),
      // A real cluster's VMs, over the serial console of whichever cluster runs them.
      z.strictObject({
        type: z.literal('console'),
        namespace: dnsName.default('default'),
        user: userName.default('fedora'),
        password: line.default('fedora'),
      }),
    ])
    .optional(),
  clusters: z.record(memberName, z.strictObject({ api: clusterApiSpec })),
  deadlines: deadlineOverrides.default({}),
  /**
   * How a VM starts the migration prober (argv before --target …); default the bundled Node prober, which the
   * embedded VMs can run.
   */
  prober: argv.optional(),
  /** Namespaces whose kernel state diagnostics dump (every router, VRF, node and VM of an embedded run). */
  kernel: z.strictObject({ type: z.literal('netns-prefix'), prefix: netnsName }).optional(),
  /**
   * Versions of what the testbed runs (openperouter, KubeVirt, Kubernetes, kind, containerlab…), quoted by the run
   * record.
   */
  versions: z.record(line.max(128), line).default({}),
  /** Testbed-specific facts the reports quote (ids, pids). */
  info: z.record(line.max(128), line).default({}),
  /** What the testbed can do; checks needing anything else are skipped with the reason. */
  features: z.array(z.enum(ALL_FEATURES as [Feature, ...Feature[]])).default(ALL_FEATURES),
  /** Features found missing when the run started, and why (a check needing one is skipped with that reason). */
  featureGaps: z.partialRecord(z.enum(ALL_FEATURES as [Feature, ...Feature[]]), line).default({}),
});

export type TestbedFile = z.infer<typeof testbedFileSchema>;
/** What a testbed writes; defaults fill the rest when it is read. */
export type TestbedFileInput = z.input<typeof testbedFileSchema>;

/** One client per kubeconfig and context, shared by the cluster API and the pod executors. */
class KubeClients {
  private readonly clients = new Map<string, KubeClient>();
  get(kubeconfig: string, context?: string): KubeClient {
    const key = `${kubeconfig}#${context ?? ''}`;
    let c = this.clients.get(key);
    if (!c) {
      const kc = loadKubeConfig(kubeconfig, context);
      this.clients.set(key, (c = new KubeClient(kc.getCurrentContext(), kc)));
    }
    return c;
  }
}

function executorFor(member: string, spec: z.infer<typeof execSpec>, kube: KubeClients): Executor {
  switch (spec.type) {
    case 'netns':
      return new NetnsExecutor(member, spec.netns);
    case 'docker':
      return new DockerExecutor(member, spec.container);
    case 'ssh':
      return new SshExecutor(member, spec);
    case 'kubectl':
      return new KubectlExecutor(member, kube.get(spec.kubeconfig, spec.context), spec);
  }
}

function routerFor(name: string, spec: z.infer<typeof routerSpec>, topology: Topology, kube: KubeClients): Router {
  const declared = topology.fabric.routers[name]?.nos ?? 'frr';
  if (spec.nos !== declared)
    throw new Error(
      `testbed file: router ${name} is reached as ${spec.nos}, but topology ${topology.name} says it runs ${declared}`,
    );
  switch (spec.nos) {
    case 'frr':
      return new FrrRouter(name, executorFor(name, spec.exec, kube), spec.vtysh);
    case 'eos':
      return new EosRouter(name, spec.api);
    case 'srlinux':
      return new SrlinuxRouter(name, spec.api);
  }
}

function clusterApiFor(name: string, spec: z.infer<typeof clusterApiSpec>, kube: KubeClients): ClusterApi {
  switch (spec.type) {
    case 'embedded':
      return new EmbeddedClusterApi(name, spec.socket);
    case 'kubernetes':
      return new KubernetesClusterApi(name, kube.get(spec.kubeconfig, spec.context));
  }
}

function lookup<T>(what: string, map: Map<string, T>, name: string): T {
  const v = map.get(name);
  if (!v) throw new Error(`the testbed has no ${what} "${name}" (it has: ${[...map.keys()].join(', ')})`);
  return v;
}

export function openTestbed(file: TestbedFile): Testbed {
  const topology = loadTopology(file.topology);
  const kube = new KubeClients();
  const routers = new Map(Object.entries(file.routers).map(([n, r]) => [n, routerFor(n, r, topology, kube)]));
  const workloads = new Map(Object.entries(file.workloads).map(([n, w]) => [n, executorFor(n, w.exec, kube)]));
  const clusters = new Map(Object.entries(file.clusters).map(([n, c]) => [n, clusterApiFor(n, c.api, kube)]));
  const kubeClients = Object.values(file.clusters).flatMap((c) =>
    c.api.type === 'kubernetes' ? [kube.get(c.api.kubeconfig, c.api.context)] : [],
  );
  // One executor per VM, kept: a console allows one session at a time.
  const vmExecutors = new Map<string, Executor>();
  const vmExecutor = (n: string): Executor => {
    const vms = file.vms;
    if (!vms) return lookup('workload', workloads, n);
    let ex = vmExecutors.get(n);
    if (!ex) {
      ex =
        vms.type === 'netns'
          ? new NetnsExecutor(n, `${vms.netnsPrefix}${n}`)
          : new RoamingConsoleExecutor(n, kubeClients, vms.namespace, { user: vms.user, password: vms.password });
      vmExecutors.set(n, ex);
    }
    return ex;
  };
  return {
    kind: file.kind,
    runId: file.runId,
    topology,
    deadlines: resolveDeadlines(file.deadlines),
    info: file.info,
    versions: file.versions,
    features: new Set(file.features.filter((f) => !Object.hasOwn(file.featureGaps, f))),
    featureGaps: file.featureGaps,
    ...(file.prober ? { proberArgv: file.prober } : {}),
    kubeClients,
    router: (n) => lookup('router', routers, n),
    routers: [...routers.values()],
    workload: (n) => workloads.get(n) ?? vmExecutor(n),
    cluster: (n) => lookup('cluster', clusters, n),
    clusters: [...clusters.values()],
    kernelMembers: async () => {
      const k = file.kernel;
      if (!k) return [];
      const names = (await runLocal('testbed', ['ip', 'netns', 'list'])).stdout
        .split('\n')
        .map((l) => l.split(' ')[0]!);
      return names
        .filter((n) => n.startsWith(k.prefix))
        .sort()
        .map((n) => new NetnsExecutor(n.slice(k.prefix.length), n));
    },
  };
}

export function readTestbedFile(path: string): TestbedFile {
  const raw = readStructured(path, `testbed file ${path}`, MAX_INPUT_BYTES.testbed, 'json');
  const r = testbedFileSchema.safeParse(raw);
  if (!r.success) throw new Error(`testbed file ${path}: ${describeIssues(r.error.issues).join('; ')}`);
  return r.data;
}

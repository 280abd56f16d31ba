// The ports: what the suites, the reports and the CLI ask of a testbed, and nothing
// of how any testbed does it. Implementations (transports, Kubernetes clients, NOS
// dialects, the embedded emulator) import this module; it imports none of them, so
// no implementation depends on another through a shared interface.
import type { CoreV1Api } from '@kubernetes/client-node';
import type { Nos, Topology } from '../topology/schema.ts';
import type { Manifest } from '../topology/manifests.ts';
import type { Deadlines } from './wait.ts';
import type { Feature } from '../topology/features.ts';
import type {
  BgpNeighbor,
  BgpPeer,
  DuplicateDetection,
  EvpnMac,
  EvpnNeighbor,
  EvpnRoute,
  EvpnVni,
  Interface,
  UnicastRoute,
} from './nos/records.ts';

// ---------------------------------------------------------------- executors

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  input?: string;
}

/** One way to run a command on a testbed member (network namespace, docker exec, kubectl exec, SSH, a VM console). */
export interface Executor {
  /** The testbed member this executor reaches, for messages. */
  readonly member: string;
  /** How it reaches it, e.g. "netns l2s-1a2b3c-spine". */
  readonly via: string;
  /** Runs argv; a non-zero exit is a result, not an error. Transport failures and timeouts throw ExecError. */
  run(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
}

// ---------------------------------------------------------------- routers

/** One answer of a router, kept as it was printed: it is attached to the check that read it. */
export interface Evidence {
  router: string;
  /** The command or request in the router's own terms, e.g. `show bgp summary json`. */
  command: string;
  /** Exactly what the router answered. */
  raw: string;
  /** The answer parsed (JSON), when it was. */
  data?: unknown;
}

/** A normalized fact with the answers it was read from. */
export interface Fact<T> {
  router: string;
  value: T;
  evidence: Evidence[];
}

/** Which EVPN routes to read from the global (all RDs) table. */
export interface EvpnQuery {
  /** 2 MAC/MAC+IP, 3 IMET, 5 IP prefix; all types when absent. */
  type?: 2 | 3 | 5;
  /** Include each path's table version and last update (the stability check needs them). */
  detail?: boolean;
}

/**
 * A router as the suites see it: normalized facts (records of helpers/nos/records.ts)
 * with the raw answers they came from. Each dialect (helpers/nos/<nos>/) implements it.
 *
 * Contract for every fact method: it asks the router, parses the answer into the
 * records, and returns them with every answer read as evidence. An answer of a shape
 * the dialect does not know throws UnrecognizedJson (through `refuse`), naming the
 * router, the command and the keys seen, never an empty list; a router that cannot
 * be reached or rejects the command throws ExecError. "None" is an empty list only
 * when the router said so (e.g. FRR's `{}` for a VNI it does not have).
 */
export interface Router {
  readonly name: string;
  readonly nos: Nos;
  /** How it is reached, for messages (e.g. "netns l2s-1a2b3c-spine"). */
  readonly via: string;
  /** Every BGP session of the default VRF, per address family (the summary view): state, peer AS, prefixes. */
  sessions(): Promise<Fact<BgpPeer[]>>;
  /** Every BGP neighbor (default VRF): state, connections established/dropped, up since, each family's capability. */
  neighbors(): Promise<Fact<BgpNeighbor[]>>;
  /** The EVPN routes of every RD (what the router received and originates), with each path. */
  evpnRoutes(query?: EvpnQuery): Promise<Fact<EvpnRoute[]>>;
  /** What one L2VNI imported (a VNI's own table: no RD); [] when the router has no such VNI. */
  vniRoutes(vni: number): Promise<Fact<EvpnRoute[]>>;
  /** The IPv4 unicast BGP table of a VRF; [] when the router has no such VRF. */
  vrfRoutes(vrf: string): Promise<Fact<UnicastRoute[]>>;
  /** The VNIs the data plane holds (all, or one): VTEP, remote VTEPs, SVI and VRF. */
  vnis(vni?: number): Promise<Fact<EvpnVni[]>>;
  /** The MACs of a VNI (all, or one with its mobility and duplicate-detection detail). */
  macs(vni: number, mac?: string): Promise<Fact<EvpnMac[]>>;
  /** The ARP/ND entries of a VNI (all, or one IP): local or remote, via which VTEP. */
  arpCache(vni: number, ip?: string): Promise<Fact<EvpnNeighbor[]>>;
  /** EVPN duplicate address detection settings. */
  duplicateDetection(): Promise<Fact<DuplicateDetection>>;
  /** Interfaces with MAC and addresses (of one VRF, or of the default one). */
  interfaces(vrf?: string): Promise<Fact<Interface[]>>;
  /** The NOS's version (e.g. "8.4.4"); the answer is the evidence. */
  version(): Promise<Fact<string>>;
  /** The dialect's commands for diagnostics, in the order a reader wants them. */
  readonly diagnosticCommands: readonly string[];
  /** Runs one command of the dialect's CLI and returns what it printed (diagnostics: no parsing). */
  show(command: string): Promise<Evidence>;
}

// ---------------------------------------------------------------- clusters

export interface ClusterApi {
  readonly name: string;
  apply(manifests: Manifest[]): Promise<void>;
  delete(manifests: Manifest[]): Promise<void>;
  /** The object as the cluster stores it, with its status; undefined when absent. */
  get<T = unknown>(kind: string, name: string): Promise<(Manifest & { status?: T }) | undefined>;
  /** Every object the cluster holds (the overlay CRs, VMs, instances, migrations), for diagnostics. */
  list(): Promise<Array<Manifest & { status?: unknown }>>;
}

/** A Kubernetes cluster's API beyond the overlay objects: what preflights, trust and diagnostics ask of it. */
export interface KubernetesApi {
  readonly name: string;
  readonly core: CoreV1Api;
  apply(manifests: Manifest[]): Promise<void>;
  get<T = unknown>(kind: string, name: string, namespace?: string): Promise<(Manifest & { status?: T }) | undefined>;
  podsBySelector(namespace: string, labelSelector: string): Promise<string[]>;
  logs(namespace: string, pod: string, container: string, tailLines?: number): Promise<string>;
}

// ---------------------------------------------------------------- testbed

/** The kinds of testbed testbeds/registry.ts provides; a testbed file names one. */
export const TESTBED_KINDS = ['embedded', 'kind', 'existing'] as const;
export type TestbedKind = (typeof TESTBED_KINDS)[number];

export interface Testbed {
  readonly kind: string;
  readonly runId: string;
  readonly topology: Topology;
  readonly deadlines: Deadlines;
  readonly info: Record<string, string>;
  readonly versions: Record<string, string>;
  readonly features: ReadonlySet<Feature>;
  readonly featureGaps: Partial<Record<Feature, string>>;
  /** argv that starts the migration prober inside a VM, when not the bundled Node one. */
  readonly proberArgv?: string[];
  /** The Kubernetes APIs of the clusters, for preflights that need more than the cluster API. */
  readonly kubeClients: KubernetesApi[];
  router(name: string): Router;
  readonly routers: Router[];
  /** A fabric host or a VM, by name. */
  workload(name: string): Executor;
  cluster(name: string): ClusterApi;
  readonly clusters: ClusterApi[];
  /** Where diagnostics read kernel state (links, addresses, routes, neighbors, FDB). */
  kernelMembers(): Promise<Executor[]>;
}

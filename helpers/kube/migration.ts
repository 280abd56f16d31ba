// Driving KubeVirt live migrations through a cluster API: in-cluster (a VMIM with
// only vmiName) and decentralized across clusters, in the order KubeVirt's own tests
// follow (tests/migration/namespace.go): the receiver VM (runStrategy WaitAsReceiver,
// restore-run-strategy Always) in the target; once its VMI waits for sync, the
// receive VMIM (KubeVirt refuses a VMIM whose VMI does not exist); then the sendTo
// VMIM in the source with connectURL taken verbatim from the target's
// synchronizationAddresses.
import { randomBytes } from 'node:crypto';
import type { Testbed } from '../ports.ts';
import type { Manifest } from '../../topology/manifests.ts';

export const KUBEVIRT_API = 'kubevirt.io/v1';

/** Gives a receiver VM its run strategy back once its migration completed. */
export const RESTORE_RUN_STRATEGY = 'kubevirt.io/restore-run-strategy';

export interface VmimStatus {
  phase?: string;
  synchronizationAddresses?: string[];
  migrationState?: {
    startTimestamp?: string;
    endTimestamp?: string;
    sourceNode?: string;
    targetNode?: string;
    failureReason?: string;
  };
}

export interface MigrationOutcome {
  startedAt: number;
  finishedAt: number;
  source: VmimStatus;
  target?: VmimStatus;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A VirtualMachineInstanceMigration: `{vmiName}` in-cluster, with `receive` on the target or `sendTo` on the source
 * across clusters.
 */
export function vmim(name: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: KUBEVIRT_API, kind: 'VirtualMachineInstanceMigration', metadata: { name }, spec };
}

/** The VM as its cluster stores it, as a manifest to apply elsewhere (no status). */
async function vmManifest(tb: Testbed, cluster: string, vm: string): Promise<Manifest> {
  const m = await tb.cluster(cluster).get('VirtualMachine', vm);
  if (!m) throw new Error(`${cluster}: VirtualMachine ${vm} does not exist`);
  const { status: _status, ...manifest } = m;
  return {
    ...manifest,
    metadata: { name: m.metadata.name, ...(m.metadata.annotations ? { annotations: m.metadata.annotations } : {}) },
  };
}

/**
 * The receiving VM of a decentralized migration: the same spec, waiting as receiver, running once the guest arrived.
 */
export function receiverOf(vm: Manifest): Manifest {
  const annotations = { ...(vm.metadata.annotations as Record<string, string> | undefined) };
  annotations[RESTORE_RUN_STRATEGY] = 'Always';
  return { ...vm, metadata: { ...vm.metadata, annotations }, spec: { ...vm.spec, runStrategy: 'WaitAsReceiver' } };
}

async function waitFor<T>(
  what: string,
  deadlineMs: number,
  poll: () => Promise<T | undefined>,
  onWait?: (elapsedMs: number) => void,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await poll();
    if (v !== undefined) return v;
    if (Date.now() - start > deadlineMs) throw new Error(`${what}: not done within ${deadlineMs / 1000} s`);
    onWait?.(Date.now() - start);
    await sleep(50);
  }
}

/** A VMIM that is gone was deleted (by someone else, or with its namespace): it will never succeed. */
async function vmimStatus(tb: Testbed, cluster: string, name: string): Promise<VmimStatus> {
  const m = await tb.cluster(cluster).get<VmimStatus>('VirtualMachineInstanceMigration', name);
  if (!m) throw new Error(`${cluster}: migration ${name} was deleted before it finished`);
  return m.status ?? {};
}

/** Polls until the VMIM Succeeded; a Failed one aborts at once with its reason. */
async function untilSucceeded(
  tb: Testbed,
  cluster: string,
  name: string,
  deadlineMs: number,
  onWait?: (ms: number) => void,
): Promise<VmimStatus> {
  return waitFor(
    `${cluster}: migration ${name}`,
    deadlineMs,
    async () => {
      const s = await vmimStatus(tb, cluster, name);
      if (s.phase === 'Failed')
        throw new Error(
          `${cluster}: migration ${name} failed: ${s.migrationState?.failureReason ?? 'no reason given'}`,
        );
      return s.phase === 'Succeeded' ? s : undefined;
    },
    onWait,
  );
}

export interface CrossClusterOptions {
  vm: string;
  from: string;
  to: string;
  /** Changes the receiver before it is applied (the suite's self-tests use it to break the target). */
  receiver?: (m: Manifest) => Manifest;
  onWait?: (message: string) => void;
}

export async function migrateAcrossClusters(tb: Testbed, o: CrossClusterOptions): Promise<MigrationOutcome> {
  const id = randomBytes(4).toString('hex');
  const deadline = tb.deadlines.crossClusterMigration;
  const receiver = (o.receiver ?? ((m) => m))(receiverOf(await vmManifest(tb, o.from, o.vm)));
  await tb.cluster(o.to).apply([receiver]);
  await waitFor(`${o.to}: receiver VirtualMachineInstance ${o.vm} in phase WaitingForSync`, deadline, async () => {
    const vmi = await tb.cluster(o.to).get<{ phase?: string }>('VirtualMachineInstance', o.vm);
    return vmi?.status?.phase === 'WaitingForSync' ? true : undefined;
  });
  await tb.cluster(o.to).apply([vmim(`${o.vm}-in-${id}`, { vmiName: o.vm, receive: { migrationID: id } })]);
  const connectURL = await waitFor(
    `${o.to}: synchronization address of migration ${o.vm}-in-${id}`,
    deadline,
    async () => (await vmimStatus(tb, o.to, `${o.vm}-in-${id}`)).synchronizationAddresses?.[0],
  );
  const startedAt = Date.now();
  await tb
    .cluster(o.from)
    .apply([vmim(`${o.vm}-out-${id}`, { vmiName: o.vm, sendTo: { migrationID: id, connectURL } })]);
  const onWait = (ms: number) => o.onWait?.(`migrating ${o.vm} ${o.from} → ${o.to} (${(ms / 1000).toFixed(1)} s)`);
  const [source, target] = await Promise.all([
    untilSucceeded(tb, o.from, `${o.vm}-out-${id}`, deadline, onWait),
    untilSucceeded(tb, o.to, `${o.vm}-in-${id}`, deadline),
  ]);
  return { startedAt, finishedAt: Date.now(), source, target };
}

export async function migrateWithinCluster(
  tb: Testbed,
  cluster: string,
  vm: string,
  onWait?: (message: string) => void,
): Promise<MigrationOutcome> {
  const name = `${vm}-move-${randomBytes(4).toString('hex')}`;
  const startedAt = Date.now();
  await tb.cluster(cluster).apply([vmim(name, { vmiName: vm })]);
  const source = await untilSucceeded(tb, cluster, name, tb.deadlines.inClusterMigration, (ms) =>
    onWait?.(`migrating ${vm} within ${cluster} (${(ms / 1000).toFixed(1)} s)`),
  );
  return { startedAt, finishedAt: Date.now(), source };
}

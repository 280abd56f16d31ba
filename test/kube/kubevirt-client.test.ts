// KubeVirt specifics against stand-in API servers (not clusters): the preflight that
// refuses a cross-cluster migration KubeVirt would silently turn into a local one,
// and reaching a VM over the console of whichever cluster runs it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockApiServer } from './mock-apiserver.ts';
import { KubeClient, loadKubeConfig } from '../../helpers/kube/client.ts';
import { crossClusterMigrationGap } from '../../helpers/kube/kubevirt-preflight.ts';
import { existingTestbed } from './testbed-files.ts';
import { notHere, type VmiPlacement } from '../../helpers/transports/vm-console.ts';

const a = new MockApiServer();
const b = new MockApiServer();
let dir: string;
let kcA: string;
let kcB: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-kubevirt-'));
  kcA = a.kubeconfig(dir, await a.start(), 'kind-pe-kind-a');
  kcB = b.kubeconfig(dir, await b.start(), 'kind-pe-kind-b');
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function kubevirt(server: MockApiServer, version: string | undefined, gates: string[]): void {
  server.objects.set(server.key('kubevirt.io/v1', 'KubeVirt', 'kubevirt', 'kubevirt'), {
    apiVersion: 'kubevirt.io/v1',
    kind: 'KubeVirt',
    metadata: { name: 'kubevirt', namespace: 'kubevirt' },
    spec: { configuration: { developerConfiguration: { featureGates: gates } } },
    status: version ? { observedKubeVirtVersion: version } : {},
  });
}

describe('KubeVirt preflight for cross-cluster migration', () => {
  const client = () => new KubeClient('pe-kind-a', loadKubeConfig(kcA));

  it('refuses KubeVirt before v1.6, where sendTo is dropped silently', async () => {
    kubevirt(a, 'v1.5.2', ['DecentralizedLiveMigration']);
    expect(await crossClusterMigrationGap(client())).toBe(
      'pe-kind-a: KubeVirt v1.5.2 is older than v1.6, which drops sendTo silently: a local migration could ' +
        'pass for a cross-cluster one',
    );
  });

  it('refuses KubeVirt without the feature gate, and accepts it with the gate', async () => {
    kubevirt(a, 'v1.6.2', ['LiveMigration']);
    expect(await crossClusterMigrationGap(client())).toBe(
      'pe-kind-a: KubeVirt v1.6.2 runs without the feature gate DecentralizedLiveMigration, so sendTo would ' +
        'be dropped silently',
    );
    kubevirt(a, 'v1.6.2', ['DecentralizedLiveMigration']);
    expect(await crossClusterMigrationGap(client())).toBeUndefined();
  });

  it('says when there is no KubeVirt or no version yet', async () => {
    a.objects.clear();
    expect(await crossClusterMigrationGap(client())).toBe('pe-kind-a: no KubeVirt CR kubevirt/kubevirt');
    kubevirt(a, undefined, ['DecentralizedLiveMigration']);
    expect(await crossClusterMigrationGap(client())).toBe(
      'pe-kind-a: KubeVirt reports no version yet (status.observedKubeVirtVersion)',
    );
  });
});

describe('a VM reached wherever it runs', () => {
  it('uses the console of the cluster whose instance is Running, before and after a move', async () => {
    const tb = existingTestbed(dir, 'testbed.json', {
      vms: { type: 'console' },
      clusters: {
        'pe-kind-a': { api: { type: 'kubernetes' as const, kubeconfig: kcA } },
        'pe-kind-b': { api: { type: 'kubernetes' as const, kubeconfig: kcB } },
      },
    });
    const vmi = (server: MockApiServer, phase: string) =>
      server.objects.set(server.key('kubevirt.io/v1', 'VirtualMachineInstance', 'default', 'vm-1'), {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstance',
        metadata: { name: 'vm-1', namespace: 'default' },
        status: { phase },
      });
    for (const [s, name] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      s.guests.set('vm-1', { user: 'fedora', password: 'fedora' });
      s.onConsole = (_vm, cmd) => ({ output: `cluster ${name}: ${cmd}\n`, status: 0 });
    }
    vmi(a, 'Running');
    expect((await tb.workload('vm-1').run(['hostname'])).stdout).toBe('cluster a: hostname\n');
    vmi(a, 'Succeeded');
    vmi(b, 'Running');
    expect((await tb.workload('vm-1').run(['hostname'])).stdout).toBe('cluster b: hostname\n');
    vmi(b, 'Failed');
    await expect(tb.workload('vm-1').run(['hostname'])).rejects.toThrow(
      'vm-1: `hostname` cannot be sent: no cluster runs its instance (kind-pe-kind-a: Succeeded, ' +
        'kind-pe-kind-b: Failed)',
    );
  });

  it('never picks the source of a decentralized migration while it hands over (still Running there)', async () => {
    const tb = existingTestbed(dir, 'testbed.json', {
      vms: { type: 'console' },
      clusters: {
        'pe-kind-a': { api: { type: 'kubernetes' as const, kubeconfig: kcA } },
        'pe-kind-b': { api: { type: 'kubernetes' as const, kubeconfig: kcB } },
      },
    });
    const vmi = (server: MockApiServer, status: VmiPlacement) =>
      server.objects.set(server.key('kubevirt.io/v1', 'VirtualMachineInstance', 'default', 'vm-1'), {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstance',
        metadata: { name: 'vm-1', namespace: 'default' },
        status,
      });
    for (const [s, name] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      s.guests.set('vm-1', { user: 'fedora', password: 'fedora' });
      s.onConsole = (_vm, cmd) => ({ output: `cluster ${name}: ${cmd}\n`, status: 0 });
    }
    // kubevirt v1.6.2: the source stays Running with a completed migration state until its pod ends.
    // fidelity: KV-VMI-001
    const handedOver = {
      phase: 'Running',
      nodeName: 'pe-kind-a-worker',
      migrationState: { sourceNode: 'pe-kind-a-worker', completed: true },
    };
    vmi(a, handedOver);
    vmi(b, {
      phase: 'Running',
      nodeName: 'pe-kind-b-worker',
      migrationState: { sourceNode: 'pe-kind-a-worker', targetNode: 'pe-kind-b-worker', completed: true },
    });
    expect((await tb.workload('vm-1').run(['hostname'])).stdout).toBe('cluster b: hostname\n');
    // Back home: in-cluster moves leave nodeName on the target, so a's instance is the VM again.
    vmi(a, {
      phase: 'Running',
      nodeName: 'pe-kind-a-control-plane',
      migrationState: { sourceNode: 'pe-kind-a-worker', targetNode: 'pe-kind-a-control-plane', completed: true },
    });
    vmi(b, { phase: 'Succeeded' });
    expect((await tb.workload('vm-1').run(['hostname'])).stdout).toBe('cluster a: hostname\n');
    expect(notHere(handedOver)).toBe('Running, handed over');
    expect(notHere({ ...handedOver, migrationState: { ...handedOver.migrationState, failed: true } })).toBeUndefined();
  });
});

// Decentralized live migration through the suites' own helper, against two stand-in
// API servers that admit and sequence as KubeVirt v1.6.2 does (stand-in-kubevirt.ts):
// the receive VMIM only once the receiver VMI waits for sync, the receiver VM back to
// Always through its restore-run-strategy annotation, the source halted and its
// instance gone, one active migration per VMI, a deleted VMIM never taken for a
// pending one, and KubeVirt before 1.6 (no sendTo/receive in its schema) an error.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockApiServer } from './mock-apiserver.ts';
import { StandInHub, StandInKubeVirt } from './stand-in-kubevirt.ts';
import type { Testbed } from '../../helpers/ports.ts';
import { existingTestbed } from './testbed-files.ts';
import { migrateAcrossClusters, migrateWithinCluster, receiverOf, vmim } from '../../helpers/kube/migration.ts';
import { stageManifests, type Manifest } from '../../topology/manifests.ts';

const a = new MockApiServer();
const b = new MockApiServer();
let kvA: StandInKubeVirt;
let kvB: StandInKubeVirt;
let dir: string;
let tb: Testbed;
const SYNC_B = '192.168.12.4:9185';
const vm1 = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-migration-'));
  const ka = a.kubeconfig(dir, await a.start(), 'kind-pe-kind-a');
  const kb = b.kubeconfig(dir, await b.start(), 'kind-pe-kind-b');
  const clusters = {
    'pe-kind-a': { api: { type: 'kubernetes' as const, kubeconfig: ka } },
    'pe-kind-b': { api: { type: 'kubernetes' as const, kubeconfig: kb } },
  };
  tb = existingTestbed(dir, 'testbed.json', {
    clusters,
    deadlines: { crossClusterMigration: 10_000, inClusterMigration: 10_000 },
  });
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const obj = (s: MockApiServer, kind: string, name = 'vm-1') =>
  s.objects.get(s.key('kubevirt.io/v1', kind, 'default', name));
const runStrategy = (s: MockApiServer) =>
  (obj(s, 'VirtualMachine')?.spec as { runStrategy?: string } | undefined)?.runStrategy;

beforeEach(async () => {
  // A migration a test abandoned finishes before the next test starts.
  await sleep(300);
  const hub = new StandInHub();
  for (const s of [a, b]) {
    s.objects.clear();
    s.specFieldsOf.clear();
    s.requests.length = 0;
  }
  kvA = new StandInKubeVirt(a, { hub, syncAddress: '192.168.11.3:9185' });
  kvB = new StandInKubeVirt(b, { hub, syncAddress: SYNC_B });
  await tb.cluster('pe-kind-a').apply([vm1]);
  while (obj(a, 'VirtualMachineInstance')?.status === undefined) await sleep(10);
});

describe('decentralized live migration (against stand-in KubeVirt)', () => {
  it('creates the receive VMIM only once the receiver VMI waits for sync; ends in KubeVirt’s end state', async () => {
    const outcome = await migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' });
    expect(outcome.source.phase).toBe('Succeeded');
    expect(outcome.target?.phase).toBe('Succeeded');
    const applies = b.requests.filter((r) => r.method === 'PATCH').map((r) => (r.body as Manifest).kind);
    expect(applies).toEqual(['VirtualMachine', 'VirtualMachineInstanceMigration']);
    const polls = b.requests.filter((r) => r.method === 'GET' && r.path.includes('/virtualmachineinstances/'));
    expect(polls.length, 'the receiver VMI was read before the receive VMIM').toBeGreaterThan(0);
    const receiver = b.requests.find((r) => r.method === 'PATCH')!.body as Manifest;
    expect(receiver.metadata.annotations).toEqual(
      expect.objectContaining({ 'kubevirt.io/restore-run-strategy': 'Always' }),
    );
    const target = [...b.objects.values()].find((o) => o.kind === 'VirtualMachineInstanceMigration')!;
    const source = [...a.objects.values()].find((o) => o.kind === 'VirtualMachineInstanceMigration')!;
    const { migrationID } = (target.spec as { receive: { migrationID: string } }).receive;
    expect((source.spec as { sendTo: unknown }).sendTo).toEqual({ migrationID, connectURL: SYNC_B });
    expect(runStrategy(b), 'target VM runs Always again').toBe('Always');
    expect(runStrategy(a), 'source VM').toBe('Halted');
    expect(obj(a, 'VirtualMachineInstance'), 'source VMI').toBeUndefined();
  });

  it('and back: the VM that received is the source now, and is halted in its turn', async () => {
    await migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' });
    await migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-b', to: 'pe-kind-a' });
    expect([runStrategy(a), runStrategy(b)]).toEqual(['Always', 'Halted']);
    expect(obj(b, 'VirtualMachineInstance')).toBeUndefined();
  });

  it('the stand-in refuses a receive VMIM applied with its VM, before its VMI exists (the old order)', async () => {
    const id = 'abcd1234';
    kvB.vmControllerHeld = true;
    const receive = vmim(`vm-1-in-${id}`, { vmiName: 'vm-1', receive: { migrationID: id } });
    await expect(tb.cluster('pe-kind-b').apply([receiverOf(vm1), receive])).rejects.toThrow(
      'pe-kind-b: applying VirtualMachineInstanceMigration vm-1-in-abcd1234 failed: HTTP 400: ' +
        'admission webhook "migration-create-validator.kubevirt.io" denied the request: the VMI ' +
        '"default/vm-1" does not exist',
    );
  });

  it('without the restore annotation the receiver stays WaitAsReceiver; back, the source is not halted', async () => {
    const bare = (m: Manifest): Manifest => ({ ...m, metadata: { name: m.metadata.name } });
    await migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b', receiver: bare });
    expect(runStrategy(b)).toBe('WaitAsReceiver');
    await migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-b', to: 'pe-kind-a' });
    expect(runStrategy(b), 'a WaitAsReceiver source is not halted').toBe('WaitAsReceiver');
    expect((obj(b, 'VirtualMachineInstance')?.status as { phase: string }).phase).toBe('Succeeded');
  });

  it('one active migration per VMI', async () => {
    kvA.failNext = undefined;
    const first = migrateWithinCluster(tb, 'pe-kind-a', 'vm-1');
    await sleep(20);
    await expect(tb.cluster('pe-kind-a').apply([vmim('vm-1-again', { vmiName: 'vm-1' })])).rejects.toThrow(
      /in-flight migration detected\. Active migration job \(uid-vm-1-move-[0-9a-f]+\) is currently already in progress for VMI vm-1\.$/,
    );
    await first;
    await tb.cluster('pe-kind-a').apply([vmim('vm-1-again', { vmiName: 'vm-1' })]);
  });

  it('a deleted source VMIM is an error at once, not a migration still pending', async () => {
    const start = Date.now();
    const run = migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' });
    while (![...a.objects.values()].some((o) => o.kind === 'VirtualMachineInstanceMigration')) await sleep(5);
    for (const [k, o] of a.objects) if (o.kind === 'VirtualMachineInstanceMigration') a.objects.delete(k);
    await expect(run).rejects.toThrow(/^pe-kind-a: migration vm-1-out-[0-9a-f]+ was deleted before it finished$/);
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('a migration that fails aborts at once with KubeVirt’s reason', async () => {
    kvA.failNext = 'target refused the connection';
    const start = Date.now();
    await expect(migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' })).rejects.toThrow(
      /^pe-kind-(a|b): migration vm-1-(out|in)-[0-9a-f]+ failed: target refused the connection$/,
    );
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('KubeVirt before 1.6 (no receive/sendTo in its schema) is an error, never a silent local migration', async () => {
    b.specFieldsOf.set('VirtualMachineInstanceMigration', ['vmiName']);
    await expect(migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' })).rejects.toThrow(
      /applying VirtualMachineInstanceMigration vm-1-in-[0-9a-f]+ failed: HTTP 400: .*unknown field "spec.receive"/,
    );
  });
});

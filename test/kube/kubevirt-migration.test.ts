// Decentralized live migration through the suites' own helper, against two stand-in
// API servers playing KubeVirt's phase sequences (not clusters): success, a failure
// that aborts at once, and KubeVirt before 1.6, whose schema has no sendTo/receive —
// strict field validation turns what would be a silent local migration into an error.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockApiServer, type Obj } from './mock-apiserver.ts';
import type { Testbed } from '../../helpers/testbed.ts';
import { existingTestbed } from './testbed-files.ts';
import { migrateAcrossClusters } from '../../helpers/migration.ts';
import { stageManifests } from '../../topology/manifests.ts';

const a = new MockApiServer();
const b = new MockApiServer();
let dir: string;
let tb: Testbed;
const SYNC = '192.168.12.4:9185';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-migration-'));
  const [ka, kb] = [a.kubeconfig(dir, await a.start(), 'kind-pe-kind-a'), b.kubeconfig(dir, await b.start(), 'kind-pe-kind-b')];
  tb = existingTestbed(dir, 'testbed.json', { clusters: { 'pe-kind-a': { api: { type: 'kubernetes', kubeconfig: ka } }, 'pe-kind-b': { api: { type: 'kubernetes', kubeconfig: kb } } }, deadlines: { crossClusterMigration: 10_000 } });
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const later = (ms: number, f: () => void) => setTimeout(f, ms);
const setStatus = (s: MockApiServer, o: Obj, status: unknown) => s.objects.set(s.key(o.apiVersion, o.kind, o.metadata.namespace!, o.metadata.name), { ...s.objects.get(s.key(o.apiVersion, o.kind, o.metadata.namespace!, o.metadata.name))!, status });

/** KubeVirt's phases: the target offers a synchronization address, the source sends to it. */
function playKubeVirt(sourceEnd: { phase: 'Succeeded' } | { phase: 'Failed'; reason: string }): { sentTo: string[] } {
  const sentTo: string[] = [];
  b.onApply = (o) => {
    if (o.kind !== 'VirtualMachineInstanceMigration') return;
    later(50, () => setStatus(b, o, { phase: 'Pending', synchronizationAddresses: [SYNC] }));
  };
  a.onApply = (o) => {
    if (o.kind !== 'VirtualMachineInstanceMigration') return;
    sentTo.push((o.spec as { sendTo: { connectURL: string } }).sendTo.connectURL);
    later(50, () => setStatus(a, o, { phase: 'Running' }));
    later(150, () => setStatus(a, o, sourceEnd.phase === 'Failed' ? { phase: 'Failed', migrationState: { failureReason: sourceEnd.reason } } : { phase: 'Succeeded' }));
    for (const [key, obj] of b.objects) if (obj.kind === 'VirtualMachineInstanceMigration') later(200, () => b.objects.set(key, { ...obj, status: { phase: sourceEnd.phase } }));
  };
  return { sentTo };
}

beforeEach(async () => {
  for (const s of [a, b]) {
    s.objects.clear();
    s.specFieldsOf.clear();
  }
  await tb.cluster('pe-kind-a').apply(stageManifests('pe-kind-a', 'workload').filter((m) => m.kind === 'VirtualMachine'));
});

describe('decentralized live migration (against stand-in KubeVirt phases)', () => {
  it('creates the receiver and both migrations, passing the synchronization address verbatim, and ends Succeeded', async () => {
    const { sentTo } = playKubeVirt({ phase: 'Succeeded' });
    const outcome = await migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' });
    expect(sentTo).toEqual([SYNC]);
    expect(outcome.source.phase).toBe('Succeeded');
    expect(outcome.target?.phase).toBe('Succeeded');
    const receiver = [...b.objects.values()].find((o) => o.kind === 'VirtualMachine')!;
    expect((receiver.spec as { runStrategy: string }).runStrategy).toBe('WaitAsReceiver');
    const target = [...b.objects.values()].find((o) => o.kind === 'VirtualMachineInstanceMigration')!;
    const source = [...a.objects.values()].find((o) => o.kind === 'VirtualMachineInstanceMigration')!;
    expect((source.spec as { sendTo: { migrationID: string } }).sendTo.migrationID).toBe((target.spec as { receive: { migrationID: string } }).receive.migrationID);
  });

  it('a migration that fails aborts at once with KubeVirt’s reason', async () => {
    playKubeVirt({ phase: 'Failed', reason: 'target refused the connection' });
    const start = Date.now();
    await expect(migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' })).rejects.toThrow(/^pe-kind-a: migration vm-1-out-[0-9a-f]+ failed: target refused the connection$/);
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('KubeVirt before 1.6 (no receive/sendTo in its schema) is an error, never a silent local migration', async () => {
    b.specFieldsOf.set('VirtualMachineInstanceMigration', ['vmiName']);
    playKubeVirt({ phase: 'Succeeded' });
    await expect(migrateAcrossClusters(tb, { vm: 'vm-1', from: 'pe-kind-a', to: 'pe-kind-b' })).rejects.toThrow(/applying VirtualMachineInstanceMigration vm-1-in-[0-9a-f]+ failed: HTTP 400: .*unknown field "spec.receive"/);
  });
});

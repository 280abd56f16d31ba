// The kind testbed's cross-cluster trust through the project's Kubernetes client,
// against two stand-in API servers whose ConfigMaps are owned as virt-operator owns
// them (an unforced server-side apply of kubevirt-external-ca is a conflict) and
// whose stand-in virt-operator merges and empties the external CA on each reconcile.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { MockApiServer } from './mock-apiserver.ts';
import { StandInHub, StandInKubeVirt } from './stand-in-kubevirt.ts';
import { KubeClient, loadKubeConfig } from '../../helpers/kube/client.ts';
import { recheckMigrationTrust, parseBundle } from '../../helpers/kube/kubevirt-trust.ts';

const servers = [new MockApiServer(), new MockApiServer()];
const hub = new StandInHub();
const kvs = servers.map((s) => new StandInKubeVirt(s, { hub, syncAddress: '192.168.11.3:9185' }));
let dir: string;
let clients: KubeClient[];
const pems: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-kind-trust-'));
  clients = [];
  for (const [i, s] of servers.entries()) {
    const name = `pe-kind-${'ab'[i]}`;
    const out = join(dir, `${name}.pem`);
    await execa('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, `${name}.key`),
      '-subj',
      `/CN=kubevirt.io@${name}`,
      '-days',
      '7',
      '-out',
      out,
    ]);
    pems.push(readFileSync(out, 'utf8'));
    clients.push(new KubeClient(name, loadKubeConfig(s.kubeconfig(dir, await s.start(), `kind-${name}`))));
  }
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const subjects = async (c: KubeClient) =>
  parseBundle(
    c.name,
    (await c.core.readNamespacedConfigMap({ name: 'kubevirt-ca', namespace: 'kubevirt' })).data!['ca-bundle']!,
  )
    .map((x) => x.subject)
    .sort();

describe('kubevirt CA exchange through the Kubernetes client (stand-in virt-operator)', () => {
  it("each kubevirt-ca ends up with the other cluster's CA, though virt-operator owns the key it writes", async () => {
    kvs.forEach((kv, i) => kv.installCA(pems[i]!));
    // virt-operator reconciles on its own schedule, not on our call.
    const operator = setInterval(() => kvs.forEach((kv) => kv.reconcileCA()), 20);
    const lines: string[] = [];
    try {
      await recheckMigrationTrust(clients, (l) => lines.push(l), { intervalMs: 50 });
    } finally {
      clearInterval(operator);
    }
    for (const c of clients)
      expect(await subjects(c)).toEqual(['CN=kubevirt.io@pe-kind-a', 'CN=kubevirt.io@pe-kind-b']);
    expect(lines).toContain('pe-kind-a: applying kubevirt-external-ca (1 peer certificate(s) not yet in kubevirt-ca)');
    // Server-side applies, forced: the stand-in refuses an unforced one with a 409.
    const applies = servers.flatMap((s) =>
      s.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/configmaps/kubevirt-external-ca')),
    );
    expect(applies.length).toBeGreaterThanOrEqual(2);
    expect(applies.every((r) => r.query.get('force') === 'true' && r.query.get('fieldManager') === 'l2stretch')).toBe(
      true,
    );
  });

  it('clusters whose operator never merges make the re-check fail, each named', async () => {
    kvs.forEach((kv, i) => kv.installCA(pems[i]!));
    await expect(recheckMigrationTrust(clients, () => {}, { intervalMs: 20, deadlineMs: 200 })).rejects.toThrow(
      /^pe-kind-a: kubevirt-ca still lacks CN=kubevirt.io@pe-kind-b .*\npe-kind-b: kubevirt-ca still lacks CN=kubevirt.io@pe-kind-a /,
    );
  });
});

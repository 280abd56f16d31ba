// The Kubernetes client against a local stand-in for the API server (not a cluster):
// what it sends for server-side apply, what strict validation does to an unknown
// field, reads and deletes, finding a node's router pod, and exec with exit codes,
// stdin and timeouts. test/embedded/kube-clients.test.ts runs this file inside a
// network namespace of its own, so the stand-in's traffic never leaves it.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { collectDiagnostics } from '../../reports/diagnostics.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockApiServer } from './mock-apiserver.ts';
import { KubeClient, loadKubeConfig } from '../../helpers/kube/client.ts';
import { KubectlExecutor } from '../../helpers/transports/kubectl-exec.ts';
import { FrrRouter, frr } from '../../helpers/nos/frr/dialect.ts';
import { existingTestbed, routerPodOn } from './testbed-files.ts';
import { stageManifests } from '../../topology/manifests.ts';
import { OPENPEROUTER_RELEASES } from '../../topology/openperouter.ts';

const mock = new MockApiServer(OPENPEROUTER_RELEASES['v0.0.5']);
let dir: string;
let kubeconfig: string;
let client: KubeClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-kube-'));
  kubeconfig = mock.kubeconfig(dir, await mock.start());
  client = new KubeClient('pe-kind-a', loadKubeConfig(kubeconfig));
});
afterAll(async () => {
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.requests.length = 0;
  mock.objects.clear();
  mock.pods = [
    {
      name: 'router-abcde',
      namespace: 'openperouter-system',
      node: 'pe-kind-a-worker',
      labels: { app: 'router' },
      phase: 'Running',
    },
    {
      name: 'router-fghij',
      namespace: 'openperouter-system',
      node: 'pe-kind-a-control-plane',
      labels: { app: 'router' },
      phase: 'Running',
    },
  ];
});

// The stand-in API server serves openperouter v0.0.5's CRD shapes here.
const overlay = () => stageManifests('pe-kind-a', 'overlay', 'v0.0.5');
const kubeTestbed = () => ({
  routers: {
    'pe-kind-a-worker': {
      exec: { type: 'kubectl' as const, kubeconfig, ...routerPodOn('pe-kind-a-worker') },
      vtysh: ['vtysh'],
    },
  },
  clusters: { 'pe-kind-a': { api: { type: 'kubernetes' as const, kubeconfig } } },
});

describe('Kubernetes client (against a stand-in API server)', () => {
  it('applies with server-side apply, its field manager, force and strict field validation', async () => {
    await client.apply(overlay());
    const patches = mock.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        '/apis/openpe.openperouter.github.io/v1alpha1/namespaces/openperouter-system/l2vnis/layer2',
      ]),
    );
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(Object.fromEntries(p.query)).toMatchObject({
        fieldManager: 'l2stretch',
        force: 'true',
        fieldValidation: 'Strict',
      });
      expect(p.authorization).toBe('Bearer mock-token');
    }
    const l2 = await client.get<unknown>('L2VNI', 'layer2');
    expect(l2?.spec).toMatchObject({ vni: 110, vrf: 'red' });
  });

  it('an unknown field is an error naming the object and the field, not silently dropped', async () => {
    const l2 = overlay().find((m) => m.kind === 'L2VNI')!;
    await expect(client.apply([{ ...l2, spec: { ...(l2.spec as object), vnii: 111 } }])).rejects.toThrow(
      'pe-kind-a: applying L2VNI layer2 failed: HTTP 400: L2VNI in version "v1alpha1" cannot be handled as a ' +
        'L2VNI: strict decoding error: unknown field "spec.vnii"',
    );
    expect(await client.get('L2VNI', 'layer2')).toBeUndefined();
  });

  it('reads what is absent as undefined, deletes, and lists for diagnostics', async () => {
    expect(await client.get('VirtualMachine', 'vm-1')).toBeUndefined();
    const vm = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    await client.apply([vm]);
    expect((await client.get('VirtualMachine', 'vm-1'))?.metadata.namespace).toBe('default');
    expect((await client.list()).map((m) => `${m.kind}/${m.metadata.name}`)).toContain('VirtualMachine/vm-1');
    await client.delete([vm]);
    expect(await client.get('VirtualMachine', 'vm-1')).toBeUndefined();
    await client.delete([vm]);
  });

  it("runs vtysh in the node's router pod, found by label and node", async () => {
    mock.onExec = ({ pod, container, command }) => ({ stdout: JSON.stringify({ pod, container, command }) });
    const router = new FrrRouter(
      'pe-kind-a-worker',
      new KubectlExecutor('pe-kind-a-worker', client, routerPodOn('pe-kind-a-worker')),
      ['vtysh'],
    );
    const a = await router.json<{ pod: string; container: string; command: string[] }>('show bgp summary json');
    expect(a.data).toEqual({
      pod: 'router-abcde',
      container: 'frr',
      command: ['vtysh', '-c', 'show bgp summary json'],
    });
    const list = mock.requests.find((r) => r.path === '/api/v1/namespaces/openperouter-system/pods')!;
    expect(Object.fromEntries(list.query)).toEqual({
      labelSelector: 'app=router',
      fieldSelector: 'spec.nodeName=pe-kind-a-worker',
    });
  });

  it('returns exit code, stdout and stderr, and passes stdin', async () => {
    const ex = new KubectlExecutor('pe-kind-a-worker', client, routerPodOn('pe-kind-a-worker'));
    mock.onExec = ({ stdin }) =>
      stdin ? { stdout: stdin.toUpperCase() } : { stdout: 'partial', stderr: 'oops\n', exitCode: 3 };
    expect(await ex.run(['sh', '-c', 'exit 3'])).toEqual({ stdout: 'partial', stderr: 'oops\n', exitCode: 3 });
    expect((await ex.run(['cat'], { input: 'hello' })).stdout).toBe('HELLO');
  });

  it('says which pod it could not find, and ends an exec that outlives its timeout', async () => {
    const missing = new KubectlExecutor('pe-kind-b-worker', client, routerPodOn('pe-kind-b-worker'));
    await expect(missing.run(['vtysh'])).rejects.toThrow(
      'pe-kind-b-worker: `vtysh` cannot be sent: pe-kind-a: no running pod with app=router in ' +
        'openperouter-system on node pe-kind-b-worker (0 not running)',
    );
    mock.onExec = () => ({ hang: true });
    const ex = new KubectlExecutor('pe-kind-a-worker', client, routerPodOn('pe-kind-a-worker'));
    await expect(ex.run(['sleep', '60'], { timeoutMs: 800 })).rejects.toThrow(
      'pe-kind-a/router-abcde: `sleep 60` did not finish within 800 ms (kubectl exec frr)',
    );
  });

  it('a testbed file with kubernetes clusters and kubectl routers opens and works', async () => {
    const tb = existingTestbed(dir, 'testbed.json', kubeTestbed());
    await tb.cluster('pe-kind-a').apply(overlay());
    expect((await tb.cluster('pe-kind-a').get('L3VNI', 'red'))?.spec).toMatchObject({ vni: 100 });
    mock.onExec = () => ({ stdout: '{"ok":true}' });
    expect((await frr(tb.router('pe-kind-a-worker')).json('show evpn vni json')).data).toEqual({ ok: true });
  });

  it("reads a node's openperouter index, a container's logs, and waits for a condition with progress", async () => {
    mock.nodes.set('pe-kind-a-worker', { 'openpe.io/nodeindex': '1' });
    mock.nodes.set('pe-kind-a-control-plane', {});
    expect(await client.nodeIndex('pe-kind-a-worker')).toBe(1);
    await expect(client.nodeIndex('pe-kind-a-control-plane')).rejects.toThrow(
      'pe-kind-a: node pe-kind-a-control-plane has no openpe.io/nodeindex annotation: is openperouter running?',
    );
    mock.logs.set('router-abcde/frr', 'line 1\nline 2\nline 3\n');
    expect(await client.logs('openperouter-system', 'router-abcde', 'frr', 2)).toBe('line 2\nline 3\n');

    const vmim = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstanceMigration',
      metadata: { name: 'm1' },
      spec: { vmiName: 'vm-1' },
    };
    await client.apply([vmim]);
    const key = mock.key('kubevirt.io/v1', 'VirtualMachineInstanceMigration', 'default', 'm1');
    setTimeout(() => mock.objects.set(key, { ...mock.objects.get(key)!, status: { phase: 'Succeeded' } }), 300);
    const done = await client.waitFor<{ phase?: string }>('VirtualMachineInstanceMigration', 'm1', {
      ready: (o) => o?.status?.phase === 'Succeeded',
      deadlineMs: 5000,
      what: 'migration m1',
      intervalMs: 100,
    });
    expect(done.status?.phase).toBe('Succeeded');
    mock.objects.set(key, { ...mock.objects.get(key)!, status: { phase: 'Failed' } });
    await expect(
      client.waitFor<{ phase?: string }>('VirtualMachineInstanceMigration', 'm1', {
        ready: (o) => o?.status?.phase === 'Succeeded',
        failed: (o) => (o?.status?.phase === 'Failed' ? 'phase Failed' : undefined),
        deadlineMs: 5000,
        what: 'migration m1',
      }),
    ).rejects.toThrow('pe-kind-a: migration m1: phase Failed');
    await expect(
      client.waitFor('VirtualMachine', 'nope', {
        ready: (o) => o !== undefined,
        deadlineMs: 300,
        what: 'VM nope',
        intervalMs: 100,
      }),
    ).rejects.toThrow('pe-kind-a: VM nope: not done within 0.3 s');
  });

  it('diagnostics of a Kubernetes testbed: vtysh via router pod, cluster objects, pod logs, no secret', async () => {
    const tb = existingTestbed(dir, 'diag-testbed.json', kubeTestbed());
    mock.onExec = ({ command }) => ({
      stdout: command.includes('show running-config')
        ? 'router bgp 64514\n neighbor 192.168.11.2 password hunter2\n'
        : '{}',
    });
    mock.logs.set('router-abcde/frr', 'bgpd started\n');
    mock.logs.set('router-fghij/frr', 'zebra started\n');
    await client.apply(overlay());
    const out = join(dir, 'diag');
    await collectDiagnostics(tb, out, 'a failing check');
    const read = (f: string) => readFileSync(join(out, f), 'utf8');
    expect(read('routers/pe-kind-a-worker.txt')).toContain('neighbor 192.168.11.2 password <redacted>');
    expect(read('routers/pe-kind-a-worker.txt')).not.toContain('hunter2');
    expect(read('pods/kind-pe-kind-a/router-abcde-frr.log')).toBe('bgpd started\n');
    expect(read('clusters/pe-kind-a.yaml')).toMatch(/kind: L2VNI[\s\S]*name: layer2/);
    expect(read('README.txt')).toContain('this testbed names no members whose kernel state can be read');
  });

  it('a kubeconfig that is missing or lacks the context is one clear error', () => {
    expect(() => loadKubeConfig(join(dir, 'nope'))).toThrow(`kubeconfig ${join(dir, 'nope')} does not exist`);
    expect(() => loadKubeConfig(kubeconfig, 'kind-pe-kind-z')).toThrow(
      `kubeconfig ${kubeconfig} has no context "kind-pe-kind-z" (it has: kind-pe-kind-a)`,
    );
  });
});

// The kind bring-up's corrections, proven without Docker: the CA exchange against an
// emulation of virt-operator's merge and cleanup (kubevirt v1.6.2 core.go), the
// external CA as a real PEM in valid YAML, the plan's pins, retries, pre-pulls and
// order, commands that fail loudly, a failed bring-up torn down, idempotent bridges,
// and preflight over a fake machine.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { loadTopology } from '../topology/load.ts';
import { kindUpPlan, WEBHOOK_RETRY, type Stage, type Step } from '../testbeds/kind/plan.ts';
import { renderContainerlab } from '../testbeds/kind/containerlab.ts';
import {
  ensureKubevirtTrust,
  externalCaConfigMap,
  parseBundle,
  type KubevirtCaStore,
} from '../helpers/kube/kubevirt-trust.ts';
import { runOrTearDown, runStages, kindTestbedFile, kindOptions, KIND_WAITS } from '../testbeds/kind/testbed.ts';
import { kindPreflight } from '../testbeds/kind/preflight.ts';
import { KIND_VERSIONS } from '../testbeds/kind/versions.ts';
import { consoleLine, consoleResult } from '../helpers/transports/vm-console.ts';
import type { Manifest } from '../topology/manifests.ts';

const t = loadTopology('multicluster');
const o = { labDir: '/lab', versions: { ...KIND_VERSIONS }, emulation: false, arch: 'amd64' };
const up = kindUpPlan(t, o);
const runs = (stages: Stage[]) =>
  stages
    .flatMap((s) => s.steps.map((st) => ({ stage: s.name, st })))
    .filter((x): x is { stage: string; st: Extract<Step, { kind: 'run' }> } => x.st.kind === 'run');
const argvs = (stages: Stage[]) => runs(stages).map((r) => r.st.argv.join(' '));
const stageOf = (name: string) => up.findIndex((s) => s.name === name);

let dir: string;
const certs: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-kind-bringup-'));
  for (const cn of ['kubevirt.io@1700000001', 'kubevirt.io@1700000002', 'kubevirt.io@1700000003']) {
    const key = join(dir, `${cn}.key`);
    await execa('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '7',
      '-out',
      join(dir, `${cn}.pem`),
    ]);
    certs.push(readFileSync(join(dir, `${cn}.pem`), 'utf8'));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One cluster's virt-operator as kubevirt v1.6.2 reconciles the CA ConfigMaps
 * (createOrUpdateComponentsWithCertificates): read kubevirt-external-ca, append
 * its valid certificates not yet in kubevirt-ca, then empty kubevirt-external-ca
 * with an unconditional Update — a write that lands between the read and the
 * Update is lost unread.
 */
// fidelity: KV-OP-002
class FakeVirtOperator implements KubevirtCaStore {
  external = '';
  applied: Manifest[] = [];
  constructor(
    readonly name: string,
    private caBundle: string,
    /** Writes the next reconciles lose (emptied before being read). */
    private lose = 0,
    private merges = true,
    /** Its own CA is past the overlap: MergeCABundle keeps only it, so a merge lasts one reconcile. */
    private pastOverlap = false,
  ) {}
  async bundle() {
    this.reconcile();
    return this.caBundle;
  }
  async applyExternal(m: Manifest) {
    this.applied.push(m);
    this.external = (m.data as Record<string, string>)['ca-bundle']!;
  }
  private reconcile() {
    if (this.pastOverlap) this.caBundle = parseBundle(this.name, this.caBundle)[0]!.toString();
    if (this.lose > 0 && this.external) this.lose--;
    else if (this.merges) {
      const have = new Set(parseBundle(this.name, this.caBundle).map((c) => c.fingerprint256));
      for (const c of parseBundle(this.name, this.external))
        if (!have.has(c.fingerprint256)) this.caBundle += c.toString();
    }
    this.external = '';
  }
}

const quick = { deadlineMs: 2000, intervalMs: 5, reapplyEvery: 3, onProgress: () => {} };

describe('kubevirt CA exchange (against an emulated virt-operator)', () => {
  it('the external CA is valid YAML whose bundle is a real PEM block, each certificate loading as X.509', () => {
    const text = stringify(externalCaConfigMap([new X509Certificate(certs[0]!), new X509Certificate(certs[1]!)]));
    expect(text).toContain('ca-bundle: |');
    const doc = parse(text) as {
      kind: string;
      metadata: { name: string; namespace: string };
      data: Record<string, string>;
    };
    expect([doc.kind, doc.metadata.name, doc.metadata.namespace]).toEqual([
      'ConfigMap',
      'kubevirt-external-ca',
      'kubevirt',
    ]);
    const loaded = (
      doc.data['ca-bundle']!.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? []
    ).map((p) => new X509Certificate(p));
    expect(loaded.map((c) => c.subject)).toEqual(['CN=kubevirt.io@1700000001', 'CN=kubevirt.io@1700000002']);
  });

  it('refuses a bundle that is not PEM, naming where it came from', () => {
    expect(() => parseBundle('pe-kind-a: ConfigMap kubevirt/kubevirt-ca', `${certs[0]}garbage`)).toThrow(
      'pe-kind-a: ConfigMap kubevirt/kubevirt-ca: the CA bundle holds text that is not a PEM certificate: "garbage"',
    );
  });

  it('each cluster ends up trusting the others, even when virt-operator empties a write unread', async () => {
    const a = new FakeVirtOperator('pe-kind-a', certs[0]!, 1);
    const b = new FakeVirtOperator('pe-kind-b', certs[1]!);
    const c = new FakeVirtOperator('pe-kind-c', certs[2]!, 2);
    const lines: string[] = [];
    await ensureKubevirtTrust([a, b, c], { ...quick, onProgress: (l) => lines.push(l) });
    for (const x of [a, b, c])
      expect(
        parseBundle(x.name, await x.bundle())
          .map((p) => p.subject)
          .sort(),
      ).toEqual(['CN=kubevirt.io@1700000001', 'CN=kubevirt.io@1700000002', 'CN=kubevirt.io@1700000003']);
    expect([a.applied.length, b.applied.length, c.applied.length]).toEqual([2, 1, 3]);
    expect(lines).toContain(
      'pe-kind-a: re-applying kubevirt-external-ca (2 peer certificate(s) not yet in kubevirt-ca)',
    );
    // What is applied is the peers' certificates, never the cluster's own.
    expect(
      parseBundle('b', (b.applied[0]!.data as Record<string, string>)['ca-bundle']!).map((p) => p.subject),
    ).toEqual(['CN=kubevirt.io@1700000001', 'CN=kubevirt.io@1700000003']);
  });

  it('a cluster that never merges fails the exchange, named with the certificate it lacks', async () => {
    const a = new FakeVirtOperator('pe-kind-a', certs[0]!);
    const b = new FakeVirtOperator('pe-kind-b', certs[1]!, 0, false);
    await expect(ensureKubevirtTrust([a, b], { ...quick, deadlineMs: 100 })).rejects.toThrow(
      /^pe-kind-b: kubevirt-ca still lacks CN=kubevirt.io@1700000001 \(sha256 [0-9A-F:]+…\) after 0.1 s of applying kubevirt-external-ca$/,
    );
  });

  it('a merge virt-operator drops at its next reconcile (own CA past overlap) is not trust, and says why', async () => {
    // Only the clock moves: 3 days into the 7-day CAs, past their 1.4-day overlap.
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3 * 86_400_000);
    try {
      const a = new FakeVirtOperator('pe-kind-a', certs[0]!, 0, true, true);
      const b = new FakeVirtOperator('pe-kind-b', certs[1]!);
      await expect(ensureKubevirtTrust([a, b], { ...quick, deadlineMs: 100 })).rejects.toThrow(
        /^pe-kind-a: kubevirt-ca (still lacks|took) CN=kubevirt.io@1700000002 .* after 0.1 s of applying kubevirt-external-ca; its own CA \(CN=kubevirt.io@1700000001, valid from .*\) is older than 33.6 h, after which virt-operator drops merged CAs at each reconcile/,
      );
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('a re-check on a testbed already trusted applies nothing', async () => {
    const a = new FakeVirtOperator('pe-kind-a', certs[0]! + certs[1]!);
    const b = new FakeVirtOperator('pe-kind-b', certs[1]! + certs[0]!);
    await ensureKubevirtTrust([a, b], quick);
    expect([a.applied.length, b.applied.length]).toEqual([0, 0]);
  });
});

describe('kind bring-up plan: what was wrong, corrected', () => {
  it('exchanges the CA in the trust step (KubeVirt ready, images on every node), never by server-side apply', () => {
    expect(argvs(up).some((a) => a.includes('kubevirt-external-ca') || a.includes('configmap kubevirt-ca'))).toBe(
      false,
    );
    expect(runs(up).some((r) => r.st.stdin?.includes('kubevirt-external-ca'))).toBe(false);
    const trust = up.flatMap((s) => s.steps).find((s) => s.kind === 'trust');
    expect(trust).toEqual({
      kind: 'trust',
      title: "each cluster's kubevirt-ca holds the others' CA (pe-kind-a, pe-kind-b)",
      clusters: [
        { name: 'pe-kind-a', kubeconfig: '/lab/kubeconfig-pe-kind-a' },
        { name: 'pe-kind-b', kubeconfig: '/lab/kubeconfig-pe-kind-b' },
      ],
    });
    expect(stageOf('readiness')).toBeLessThan(stageOf('vm images on every node'));
    expect(stageOf('vm images on every node')).toBeLessThan(stageOf('cross-cluster migration'));
    expect(stageOf('cross-cluster migration')).toBeLessThan(stageOf('walkthrough'));
  });

  it('pulls virt-launcher and every containerDisk the walkthrough runs on every node, before any VM starts', () => {
    const pulls = argvs(up.filter((s) => s.name === 'vm images on every node'));
    const nodes = Object.values(t.clusters).flatMap((c) => Object.keys(c.nodes));
    for (const n of nodes) {
      expect(pulls).toContain(`docker exec ${n} crictl pull quay.io/kubevirt/virt-launcher:v1.6.2`);
      expect(pulls).toContain(
        `docker exec ${n} crictl pull quay.io/kubevirt/fedora-with-test-tooling-container-disk:v1.5.2`,
      );
    }
    expect(pulls).toHaveLength(nodes.length * 2);
  });

  it('runs pinned Multus thick with a memory limit above the OOMing one, whereabouts at its tag; awaits both', () => {
    const a = argvs(up);
    expect(a).toContain(
      'kubectl --kubeconfig /lab/kubeconfig-pe-kind-a -n kube-system set image daemonset/kube-multus-ds ' +
        'kube-multus=ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.2-thick ' +
        'install-multus-binary=ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.2-thick',
    );
    expect(a).toContain(
      'kubectl --kubeconfig /lab/kubeconfig-pe-kind-b -n kube-system set resources daemonset/kube-multus-ds ' +
        '-c kube-multus --requests=cpu=100m,memory=50Mi --limits=cpu=500m,memory=256Mi',
    );
    expect(a).toContain(
      'kubectl --kubeconfig /lab/kubeconfig-pe-kind-b -n kube-system set image daemonset/whereabouts ' +
        'whereabouts=ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.1',
    );
    expect(a).toContain(
      'kubectl --kubeconfig /lab/kubeconfig-pe-kind-a -n kube-system rollout status daemonset/whereabouts --timeout=5m',
    );
    expect(a.every((x) => !x.includes('latest') && !x.includes('snapshot'))).toBe(true);
    // The pins come before the rollouts are awaited.
    expect(a.findIndex((x) => x.includes('set image daemonset/whereabouts'))).toBeLessThan(
      a.findIndex((x) => x.includes('rollout status daemonset/whereabouts')),
    );
  });

  it("gives KubeVirt a CA whose overlap outlasts a kept testbed's 1.5 days, within what its webhook admits", () => {
    const crs = runs(up)
      .flatMap((r) => (r.st.stdin ? parseAllDocuments(r.st.stdin).map((d) => d.toJS() as Manifest) : []))
      .filter((m) => m.kind === 'KubeVirt');
    expect(crs).toHaveLength(2);
    for (const cr of crs) {
      const ca = (
        cr.spec as { certificateRotateStrategy: { selfSigned: { ca: { duration: string; renewBefore: string } } } }
      ).certificateRotateStrategy.selfSigned.ca;
      expect(ca).toEqual({ duration: '8760h', renewBefore: '8000h' });
      // kubevirt-update-admitter.go: renewBefore <= duration, and the 24 h server certificates within the CA.
      expect(parseInt(ca.renewBefore)).toBeLessThanOrEqual(parseInt(ca.duration));
      expect(parseInt(ca.renewBefore)).toBeGreaterThan(30 * 24);
    }
  });

  it('records the KinD version containerlab embeds, not a CLI version', () => {
    expect(KIND_VERSIONS.kind).toBe('v0.31.0');
  });

  it('retries every manifest applied after the webhook wait 50 × 5 s, as openperouter does', () => {
    const applies = runs(up).filter((r) => r.st.stdin !== undefined);
    expect(applies.length).toBe(10);
    expect(applies.every((r) => r.st.retry === WEBHOOK_RETRY)).toBe(true);
    expect(WEBHOOK_RETRY).toEqual({ attempts: 50, delayMs: 5000 });
  });

  it("fetches the CNI plugins for the node's architecture and checks the release's SHA-256", () => {
    const arm = argvs(kindUpPlan(t, { ...o, arch: 'arm64' })).filter((a) => a.includes('cni-plugins'));
    expect(arm).toHaveLength(4);
    for (const a of arm) {
      expect(a).toContain(
        'https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-arm64-v1.7.1.tgz.sha256',
      );
      expect(a).toContain(
        'sha256sum -c cni-plugins-linux-arm64-v1.7.1.tgz.sha256; tar -xzf cni-plugins-linux-arm64-v1.7.1.tgz',
      );
      expect(a).not.toContain('amd64');
    }
  });

  it("each member's kernel set-up is a plan step that stops bring-up on failure, not a logged clab exec", () => {
    const doc = renderContainerlab(t, o.versions) as { topology: { nodes: Record<string, { exec?: unknown }> } };
    expect(
      Object.entries(doc.topology.nodes)
        .filter(([, n]) => n.exec)
        .map(([n]) => n),
    ).toEqual([]);
    const lab = argvs(up.filter((s) => s.name === 'lab'));
    for (const m of [...Object.keys(t.fabric.routers), ...Object.keys(t.hosts)])
      expect(lab).toContain(`docker exec clab-kind-${m} sh /setup.sh`);
    expect(lab.findIndex((a) => a.startsWith('containerlab deploy'))).toBeLessThan(
      lab.findIndex((a) => a.includes('sh /setup.sh')),
    );
  });
});

describe('kind bring-up runner', () => {
  const step = (title: string, script: string, extra: Partial<Extract<Step, { kind: 'run' }>> = {}): Step => ({
    kind: 'run',
    title,
    argv: ['sh', '-c', script],
    ...extra,
  });

  it('retries a failing step, saying so, until it passes; gives up after N attempts with the last error', async () => {
    const n = join(dir, 'count');
    const flaky =
      `c=$(cat ${n} 2>/dev/null || echo 0); echo $((c+1)) > ${n}; [ "$c" -ge 2 ] || { echo "webhook not ready" ` +
      `>&2; exit 1; }`;
    const lines: string[] = [];
    await runStages([{ name: 's', steps: [step('flaky apply', flaky, { retry: { attempts: 5, delayMs: 1 } })] }], (l) =>
      lines.push(l),
    );
    expect(readFileSync(n, 'utf8').trim()).toBe('3');
    expect(lines.filter((l) => l.startsWith('flaky apply: attempt'))).toEqual([
      'flaky apply: attempt 1 of 5 exited 1: webhook not ready; again in 0.001 s',
      'flaky apply: attempt 2 of 5 exited 1: webhook not ready; again in 0.001 s',
    ]);
    await expect(
      runStages(
        [{ name: 's', steps: [step('never', 'echo nope >&2; exit 3', { retry: { attempts: 2, delayMs: 1 } })] }],
        () => {},
      ),
    ).rejects.toThrow("kind testbed, stage s, never: `sh -c 'echo nope >&2; exit 3'` exited 3: nope (attempt 2 of 2)");
  });

  it('a failed bring-up is torn down before its error is reported', async () => {
    const torn = join(dir, 'torn-down');
    const lines: string[] = [];
    const upStages = [{ name: 'lab', steps: [step('deploy', 'exit 1')] }];
    const down = [{ name: 'teardown', steps: [step('remove', `touch ${torn}`, { mayFail: true })] }];
    await expect(runOrTearDown(upStages, down, (l) => lines.push(l))).rejects.toThrow(
      'kind testbed, stage lab, deploy',
    );
    expect(existsSync(torn)).toBe(true);
    expect(lines).toContain(
      "bring-up failed, tearing down what it made: kind testbed, stage lab, deploy: `sh -c 'exit 1'` exited 1: ",
    );
  });

  it('creates a bridge only when it is absent, so a second kind-up does not stop at step one', async () => {
    const bin = join(dir, 'bin');
    await execa('mkdir', ['-p', bin]);
    const log = join(dir, 'ip.log');
    writeFileSync(join(bin, 'ip'), `#!/bin/sh\necho "$*" >> ${log}\n[ "$2" != show ] || [ -f ${dir}/exists ]\n`);
    chmodSync(join(bin, 'ip'), 0o755);
    const br = runs(up).find((r) => r.st.title === 'bridge leafkind-sw-a')!.st.argv;
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    await execa(br[0]!, br.slice(1), { env });
    writeFileSync(join(dir, 'exists'), '');
    const again = await execa(br[0]!, br.slice(1), { env, reject: false });
    expect(again.exitCode).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'link show dev leafkind-sw-a',
      'link add name leafkind-sw-a type bridge',
      'link show dev leafkind-sw-a',
    ]);
  });
});

describe('kind preflight and testbed file', () => {
  it('reports all missing resources at once: RAM, CPUs, Docker data-root disk, inotify, node (sudo)', async () => {
    const bin = join(dir, 'fake-tools');
    await execa('mkdir', ['-p', bin]);
    const tools = {
      docker: 'echo /srv/docker',
      node: 'echo v18.19.1',
      kind: 'true',
      containerlab: 'true',
      kubectl: 'true',
    };
    for (const [name, body] of Object.entries(tools)) {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const sysctls: Record<string, number> = {
      'fs.inotify.max_user_instances': 128,
      'fs.inotify.max_user_watches': 8192,
    };
    const problems = await kindPreflight({
      labDir: join(dir, 'lab'),
      emulation: true,
      path: bin,
      machine: {
        memoryBytes: 8 * 2 ** 30,
        cpus: 2,
        arch: 'ppc64',
        kvm: false,
        sysctl: (s) => sysctls[s]!,
        freeBytes: (p) => (p === '/srv/docker' ? 5 * 2 ** 30 : 50 * 2 ** 30),
      },
    });
    expect(problems).toEqual([
      "disk: 5.0 GiB free under Docker's data root /srv/docker; the node, FRR, KubeVirt and VM images need " +
        'about 20 GiB',
      expect.stringMatching(/^node: v18\.19\.1 is first on PATH, 20\.6 or later is needed/),
      "fs.inotify.max_user_instances is 128: KubeVirt's virt-handler and KinD nodes fail below 1024; run " +
        '`sysctl -w fs.inotify.max_user_instances=1024`',
      "fs.inotify.max_user_watches is 8192: KubeVirt's virt-handler and KinD nodes fail below 524288; run " +
        '`sysctl -w fs.inotify.max_user_watches=524288`',
      'memory: 8.0 GiB; two KinD clusters with KubeVirt, openperouter and two VMs need about 16 GiB',
      'CPUs: 2; two KinD clusters with KubeVirt and two VMs need at least 4',
      'architecture ppc64: the kind testbed installs CNI plugins for amd64 and arm64 only',
    ]);
  });

  it('the testbed file carries the wait times with the reason for each', () => {
    const file = kindTestbedFile(t, kindOptions({ labDir: '/lab', onProgress: () => {} }));
    expect(file.deadlines).toEqual({
      bgpEstablished: 120_000,
      evpnRoutes: 120_000,
      dataPlane: 60_000,
      memberReady: 60_000,
      migrationObserve: 120_000,
    });
    for (const [k, w] of Object.entries(KIND_WAITS)) expect(file.info![`wait ${k}`]).toBe(`${w.ms / 1000} s: ${w.why}`);
    expect(file.info!['wait migrationObserve']).toContain('openperouter#203');
    // A pass/fail limit is not a wait time: the loss budget stays with its check.
    expect(Object.keys(file.deadlines!)).not.toContain('migrationLossBudget');
  });
});

describe('the line the serial console types, run by a real shell', () => {
  it('returns stdout and stderr apart, each whole, with the exit status, whatever is printed last', async () => {
    const bin = join(dir, 'no-sudo');
    await execa('mkdir', ['-p', bin]);
    // This shell is not a guest: a stand-in sudo keeps `dmesg -n 1` off the machine running the test.
    writeFileSync(join(bin, 'sudo'), `#!/bin/sh\necho "$*" > ${dir}/sudo-args\n`);
    chmodSync(join(bin, 'sudo'), 0o755);
    const id = 'cafe0001';
    const cmd = `printf '{"a":1}'; echo 'warn' >&2; printf 'no newline' >&2; exit 3`;
    const r = await execa('/bin/sh', ['-c', consoleLine(cmd, id)], {
      env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: dir },
    });
    const tty = String(r.stdout).replace(/\n/g, '\r\n');
    expect(consoleResult(tty, (w) => `L2S-${w}${id}`)).toEqual({
      stdout: '{"a":1}',
      stderr: 'warn\nno newline',
      exitCode: 3,
    });
    expect(readFileSync(join(dir, 'sudo-args'), 'utf8').trim()).toBe('-n dmesg -n 1');
    // Until the end marker arrives the result is not taken.
    expect(consoleResult(tty.slice(0, tty.indexOf(`L2S-END${id}`)), (w) => `L2S-${w}${id}`)).toBeUndefined();
    // The typed text itself (echoed by the terminal) never reads as a marker.
    expect(consoleResult(consoleLine(cmd, id), (w) => `L2S-${w}${id}`)).toBeUndefined();
  });
});

// The kind testbed as plans and documents (no Docker here, so none of it runs):
// the ordered commands and manifests of `testbed up/down --testbed kind`, held by a
// snapshot; every manifest it applies validated against the real schemas; the lab
// files; the testbed file it writes; and the preflight that says what is missing.
import { describe, it, expect } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { loadTopology } from '../topology/load.ts';
import { renderFabricRouter } from '../topology/frr-fabric.ts';
import { kindUpPlan, kindDownPlan, formatPlan, type Stage } from '../testbeds/kind/plan.ts';
import { toBeMade } from '../testbeds/kind/marker.ts';
import { renderLab, kindConfig, routerSetup } from '../testbeds/kind/lab.ts';
import { kindTestbedFile, upKind, kindOptions } from '../testbeds/kind/testbed.ts';
import { kindPreflight } from '../testbeds/kind/preflight.ts';
import { KIND_VERSIONS } from '../testbeds/kind/versions.ts';
import { ManifestSchemas } from '../testbeds/kind/manifest-schemas.ts';
import { testbedFileSchema, openTestbed } from '../helpers/testbed.ts';
import type { Manifest } from '../topology/manifests.ts';
import { hasShared, NO_SHARED, referencePath, skipWithoutShared, openperouterCrds } from './shared.ts';
import { OPENPEROUTER_VERSIONS } from '../topology/openperouter.ts';

const t = loadTopology('multicluster');
const o = { labDir: '/lab', versions: { ...KIND_VERSIONS }, emulation: false, arch: 'amd64' };
const up = kindUpPlan(t, o);

const appliedManifests = (stages: Stage[]) =>
  stages
    .flatMap((s) => s.steps)
    .flatMap((st) =>
      st.kind === 'run' && st.stdin ? parseAllDocuments(st.stdin).map((d) => d.toJS() as Manifest) : [],
    );

describe('kind testbed plan (commands and manifests, not a running lab)', () => {
  it('up and down are what the snapshot holds', () => {
    expect(formatPlan(up)).toMatchSnapshot();
    expect(formatPlan(kindDownPlan(toBeMade(t, o.labDir), o))).toMatchSnapshot();
  });

  it('runs the stages in the walkthrough order', () => {
    expect(up.map((s) => s.name)).toEqual([
      'lab',
      'node addresses',
      'kubeconfigs',
      'multus and CNI plugins',
      'openperouter',
      'kubevirt',
      'readiness',
      'vm images on every node',
      'cross-cluster migration',
      'walkthrough',
      'guest agents',
    ]);
  });

  it('turns KubeVirt emulation on only when asked', () => {
    const cr = (emulation: boolean) =>
      appliedManifests(kindUpPlan(t, { ...o, emulation })).find((m) => m.kind === 'KubeVirt')!;
    expect(
      (cr(true).spec as { configuration: { developerConfiguration: { useEmulation?: boolean } } }).configuration
        .developerConfiguration.useEmulation,
    ).toBe(true);
    expect(
      (cr(false).spec as { configuration: { developerConfiguration: { useEmulation?: boolean } } }).configuration
        .developerConfiguration.useEmulation,
    ).toBeUndefined();
  });

  it('gives each cluster its own half of the migration network', () => {
    const nads = appliedManifests(up).filter(
      (m) => m.kind === 'NetworkAttachmentDefinition' && m.metadata.name === 'migration-evpn',
    );
    expect(
      nads.map(
        (n) => (JSON.parse((n.spec as { config: string }).config) as { ipam: { exclude: string[] } }).ipam.exclude,
      ),
    ).toEqual([
      ['192.170.10.1/32', '192.170.10.128/25'],
      ['192.170.10.1/32', '192.170.10.0/25'],
    ]);
  });

  it('a dry run writes nothing', async () => {
    const dir = `/tmp/l2s-kind-dry-${process.pid}`;
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string) => (out.push(c), true)) as typeof process.stdout.write;
    try {
      expect(await upKind(t, { ...kindOptions({ dryRun: true, labDir: dir, onProgress: () => {} }) })).toBeUndefined();
    } finally {
      process.stdout.write = write;
    }
    expect(existsSync(dir)).toBe(false);
    expect(out.join('')).toContain(`containerlab deploy --topo ${dir}/kind.clab.yml`);
  });
});

describe.skipIf(skipWithoutShared)(
  `kind testbed manifests against the APIs' schemas (${hasShared ? 'from ../shared' : NO_SHARED})`,
  () => {
    it.each(OPENPEROUTER_VERSIONS)(
      'openperouter %s: every openperouter and KubeVirt manifest the plan applies is valid (strict fields)',
      (version) => {
        const s = new ManifestSchemas()
          .addCrds(openperouterCrds(version))
          .addSwagger(referencePath('schemas', 'kubevirt-v1.6.2.swagger.json'), 'kubevirt.io', [
            'v1.VirtualMachine',
            'v1.KubeVirt',
          ]);
        const plan = kindUpPlan(t, { ...o, versions: { ...KIND_VERSIONS, openperouter: version } });
        expect(formatPlan(plan)).toContain(
          `https://raw.githubusercontent.com/openperouter/openperouter/${version}/config/all-in-one/openpe.yaml`,
        );
        // NetworkAttachmentDefinitions and ConfigMaps have no schema among the references.
        const checked = appliedManifests(plan).filter(
          (m) => !['NetworkAttachmentDefinition', 'ConfigMap'].includes(m.kind),
        );
        expect(new Set(checked.map((m) => m.kind))).toEqual(
          new Set(['L2VNI', 'KubeVirt', 'Underlay', 'L3VNI', 'VirtualMachine']),
        );
        expect(checked.flatMap((m) => s.problems(m))).toEqual([]);
      },
    );
  },
);

describe('kind lab files', () => {
  it('the fabric FRR configs are the very ones the embedded testbed runs (only the log file differs)', () => {
    const lab = renderLab(t, o.versions);
    for (const r of Object.keys(t.fabric.routers)) {
      const conf = lab.find((f) => f.path === `${r}/frr.conf`)!.content;
      expect(conf).toBe(renderFabricRouter(t, r, { logFile: '/etc/frr/frr.log' }));
      expect(conf.replace('/etc/frr/frr.log', 'X')).toBe(renderFabricRouter(t, r, { logFile: 'X' }));
    }
  });

  it("a leaf's kernel set-up builds its VRFs with their L3VNI, VTEP and router MAC", () => {
    const s = routerSetup(t, 'leafA');
    for (const line of [
      'addr add 100.64.0.1/32 dev lo',
      'link add red type vrf table 1100',
      'link set br100 master red address aa:bb:cc:00:00:65 addrgenmode none',
      'link add vni100 type vxlan id 100 local 100.64.0.1 dstport 4789 nolearning',
      'link set ethred master red',
      'addr add 192.168.20.1/24 dev ethred',
      'link add blue type vrf table 1101',
    ]) {
      expect(s).toContain(line);
    }
  });

  it('KinD configs name the nodes as the topology does, or say why not', () => {
    expect(kindConfig(t, 'pe-kind-a', o.versions)).toContain('role: worker');
    const renamed = structuredClone(t);
    const c = renamed.clusters['pe-kind-a']!;
    c.nodes = {
      'pe-kind-a-control-plane': c.nodes['pe-kind-a-control-plane']!,
      'node-7': c.nodes['pe-kind-a-worker']!,
    };
    expect(() => kindConfig(renamed, 'pe-kind-a', o.versions)).toThrow(
      'cluster pe-kind-a: KinD will name its nodes pe-kind-a-control-plane, pe-kind-a-worker; the topology ' +
        'names them pe-kind-a-control-plane, node-7',
    );
  });
});

describe('kind testbed file and preflight', () => {
  it('the testbed file binds fabric routers to containers and node routers to their router pods', () => {
    const file = testbedFileSchema.parse(kindTestbedFile(t, kindOptions({ labDir: '/lab', onProgress: () => {} })));
    const exec = (r: (typeof file.routers)[string] | undefined) => (r && 'exec' in r ? r.exec : undefined);
    expect(exec(file.routers.spine)).toEqual({ type: 'docker', container: 'clab-kind-spine' });
    expect(exec(file.routers['pe-kind-a-worker'])).toEqual({
      type: 'kubectl',
      kubeconfig: '/lab/kubeconfig-pe-kind-a',
      namespace: 'openperouter-system',
      labelSelector: 'app=router',
      node: 'pe-kind-a-worker',
      container: 'frr',
    });
    expect(file.clusters['pe-kind-b']!.api).toEqual({ type: 'kubernetes', kubeconfig: '/lab/kubeconfig-pe-kind-b' });
    expect(file.vms).toEqual({ type: 'console', namespace: 'default', user: 'fedora', password: 'fedora' });
    expect(file.features).toEqual(expect.arrayContaining(['workload-exec', 'migration-probe']));
    expect(file.prober).toEqual(['python3', '/tmp/l2stretch_guest.py', 'probe']);
    // Opening it without the lab says which kubeconfig is missing.
    expect(() => openTestbed(file)).toThrow('kubeconfig /lab/kubeconfig-pe-kind-a does not exist');
  });

  it('preflight reports everything missing at once, one actionable line each', async () => {
    // An empty PATH stands for a machine without the tools, whatever this one has.
    const problems = await kindPreflight({
      labDir: `/tmp/l2s-kind-preflight-${process.pid}`,
      emulation: false,
      path: '/nonexistent',
    });
    expect(problems.slice(0, 4)).toEqual([
      'docker: the docker CLI is not installed (https://docs.docker.com/engine/install/)',
      'kind: not found on PATH; install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)',
      'containerlab: not found on PATH; install containerlab (https://containerlab.dev/install/)',
      'kubectl: not found on PATH; install kubectl (https://kubernetes.io/docs/tasks/tools/)',
    ]);
    expect(problems.some((p) => p.startsWith('/dev/kvm'))).toBe(!existsSync('/dev/kvm'));
    const withEmulation = await kindPreflight({
      labDir: `/tmp/l2s-kind-preflight-${process.pid}`,
      emulation: true,
      path: '/nonexistent',
    });
    expect(withEmulation.some((p) => p.startsWith('/dev/kvm'))).toBe(false);
    rmSync(`/tmp/l2s-kind-preflight-${process.pid}`, { recursive: true, force: true });
  });
});

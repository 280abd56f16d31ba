// KubeVirt's and openperouter's admission rules (testbeds/embedded/admission.ts),
// with their upstream messages, and the embedded cluster refusing by them before it
// touches the machine. The stand-in API server runs the same rules:
// test/kube/kubevirt-migration.test.ts and test/kube/stand-in-admission.test.ts.
import { describe, it, expect } from 'vitest';
import {
  admit,
  admitMigrationCreate,
  admitOpenperouter,
  AdmissionError,
  type MigrationView,
  type VmiPhase,
} from '../testbeds/embedded/admission.ts';
import { EmbeddedCluster } from '../testbeds/embedded/cluster.ts';
import { RunPaths } from '../testbeds/embedded/run.ts';
import { WorkloadServers } from '../testbeds/embedded/workloads.ts';
import { MigrationHub } from '../testbeds/embedded/migration.ts';
import { restoredRunStrategy, haltsAfterSending } from '../testbeds/embedded/kubevirt.ts';
import { receiverOf, vmim } from '../helpers/kube/migration.ts';
import { loadTopology } from '../topology/load.ts';
import { OPENPEROUTER_RELEASES, selectedOpenPERouter } from '../topology/openperouter.ts';
import { stageManifests, type Manifest } from '../topology/manifests.ts';

const V005 = OPENPEROUTER_RELEASES['v0.0.5'];
type Migrations = ReturnType<MigrationView['migrations']>;
const view = (vmis: Record<string, VmiPhase>, migrations: Migrations = []): MigrationView => ({
  namespace: 'default',
  vmiPhase: (n) => vmis[n],
  migrations: () => migrations,
});
const KV_CREATE = 'admission webhook "migration-create-validator.kubevirt.io" denied the request: ';
const OPE = (kind: string) => `admission webhook "${kind}validationwebhook.openperouter.io" denied the request: `;
const create =
  (spec: Record<string, unknown>, vmis: Record<string, VmiPhase>, migrations: Migrations = []) =>
  () =>
    admitMigrationCreate(vmim('m', spec), view(vmis, migrations));
const denied = (f: () => void) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AdmissionError);
    return (e as AdmissionError).message;
  }
  throw new Error('admitted');
};

describe("KubeVirt's migration admission (migration-create-admitter.go, v1.6.2)", () => {
  it('refuses a VMIM without vmiName', () => {
    expect(denied(create({}, {}))).toBe(`${KV_CREATE}spec.vmiName: vmiName is missing`);
  });

  it('refuses a VMIM whose VMI does not exist, and one whose VMI is final', () => {
    const receive = { vmiName: 'vm-1', receive: { migrationID: 'x' } };
    expect(denied(create(receive, {}))).toBe(`${KV_CREATE}the VMI "default/vm-1" does not exist`);
    for (const phase of ['Succeeded', 'Failed'] as const) {
      expect(denied(create({ vmiName: 'vm-1' }, { 'vm-1': phase }))).toBe(
        `${KV_CREATE}Cannot migrate VMI in finalized state.`,
      );
    }
    expect(create(receive, { 'vm-1': 'WaitingForSync' })).not.toThrow();
  });

  it('one active migration per VMI: a finished one does not count', () => {
    const spec = { vmiName: 'vm-1' };
    const running = { 'vm-1': 'Running', 'vm-2': 'Running' } as const;
    const other = { name: 'm1', uid: 'u-1', vmiName: 'vm-1', phase: 'Running' };
    expect(denied(create(spec, running, [other]))).toBe(
      `${KV_CREATE}in-flight migration detected. Active migration job (u-1) is currently already in progress ` +
        `for VMI vm-1.`,
    );
    expect(denied(create(spec, running, [{ ...other, phase: undefined }]))).toMatch(/in-flight/);
    for (const phase of ['Succeeded', 'Failed']) expect(create(spec, running, [{ ...other, phase }])).not.toThrow();
    expect(create(spec, running, [{ ...other, vmiName: 'vm-2' }])).not.toThrow();
  });

  it('sendTo and receive together must carry one migration ID', () => {
    const spec = { vmiName: 'vm-1', receive: { migrationID: 'a' }, sendTo: { migrationID: 'b', connectURL: 'x:9185' } };
    expect(denied(create(spec, { 'vm-1': 'Running' }))).toBe(
      `${KV_CREATE}sendTo migrationID b does not match receive migrationID a`,
    );
    expect(create({ ...spec, sendTo: { ...spec.sendTo, migrationID: 'a' } }, { 'vm-1': 'Running' })).not.toThrow();
  });

  it("refuses a change to an existing migration's spec (migration-update-admitter.go)", () => {
    const prev = vmim('m', { vmiName: 'vm-1' });
    expect(denied(() => admit(vmim('m', { vmiName: 'vm-2' }), [prev], view({}), V005))).toBe(
      'admission webhook "migration-update-validator.kubevirt.io" denied the request: update of Migration ' +
        "object's spec is restricted",
    );
    expect(() => admit(vmim('m', { vmiName: 'vm-1' }), [prev], view({}), V005)).not.toThrow();
  });
});

describe("KubeVirt's VM controller rules around a decentralized migration (vm.go, v1.6.2)", () => {
  it('a receiver returns to the run strategy of its restore annotation, else stays WaitAsReceiver', () => {
    const vm = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    expect(restoredRunStrategy(receiverOf(vm).metadata.annotations as Record<string, unknown>)).toBe('Always');
    expect(restoredRunStrategy(undefined)).toBeUndefined();
    expect(restoredRunStrategy({ 'kubevirt.io/restore-run-strategy': 'Sometimes' })).toBeUndefined();
  });

  it('only a source that runs Always is halted', () => {
    expect(haltsAfterSending('Always')).toBe(true);
    for (const rs of ['WaitAsReceiver', 'RerunOnFailure', 'Manual', 'Once'] as const) {
      expect(haltsAfterSending(rs), rs).toBe(false);
    }
  });
});

describe("openperouter's webhooks (internal/webhooks, v0.0.5)", () => {
  const l2 = stageManifests('pe-kind-a', 'overlay', 'v0.0.5').find((m) => m.kind === 'L2VNI')!;
  const underlay = stageManifests('pe-kind-a', 'underlay', 'v0.0.5')[0]!;

  it('validate the object with every stored one of its kind, the stored one of its name replaced', () => {
    expect(denied(() => admitOpenperouter({ ...underlay, metadata: { name: 'second' } }, [underlay], V005))).toBe(
      `${OPE('underlay')}validation failed: can't have more than one underlay`,
    );
    expect(() => admitOpenperouter(underlay, [underlay], V005)).not.toThrow();
    const dup: Manifest = { ...l2, metadata: { name: 'other' } };
    expect(
      denied(() => admitOpenperouter(dup, [l2], V005)).startsWith(
        `${OPE('l2vni')}validation failed: duplicate vni 110`,
      ),
    ).toBe(true);
  });

  it("an L2VNI's gateway cannot change", () => {
    const moved: Manifest = { ...l2, spec: { ...l2.spec, l2gatewayip: '192.170.1.254/24' } };
    expect(denied(() => admitOpenperouter(moved, [l2], V005))).toBe(`${OPE('l2vni')}L2GatewayIP cannot be changed`);
    expect(() => admitOpenperouter(moved, [], V005)).not.toThrow();
    const v020 = OPENPEROUTER_RELEASES['v0.2.0'];
    const l2v020 = stageManifests('pe-kind-a', 'overlay', 'v0.2.0').find((m) => m.kind === 'L2VNI')!;
    const movedV020: Manifest = { ...l2v020, spec: { ...l2v020.spec, l2gatewayips: ['192.170.1.254/24'] } };
    expect(denied(() => admitOpenperouter(movedV020, [l2v020], v020))).toBe(
      `${OPE('l2vni')}L2GatewayIPs cannot be changed`,
    );
    expect(new AdmissionError('l2vnivalidationwebhook.openperouter.io', 'x').code).toBe(403);
    expect(new AdmissionError('migration-create-validator.kubevirt.io', 'x').code).toBe(400);
  });
});

describe('the embedded cluster admits before it touches the machine', () => {
  const cluster = () => {
    const paths = new RunPaths('l2s-000000', '/nonexistent');
    const workloads = new WorkloadServers('l2s-000000', '/nonexistent', '/nonexistent/pids');
    const ctx = {
      paths,
      startTimeoutMs: 1000,
      fabricReady: Promise.resolve(),
      workloads,
      hub: new MigrationHub(),
      openperouter: selectedOpenPERouter(),
    };
    return new EmbeddedCluster(loadTopology('multicluster'), 'pe-kind-b', ctx);
  };

  it('refuses a receive VMIM applied with its receiver VM: the receiver VMI does not exist yet', async () => {
    const vm = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    await expect(
      cluster().apply([receiverOf(vm), vmim('vm-1-in-1', { vmiName: 'vm-1', receive: { migrationID: '1' } })]),
    ).rejects.toThrow(`${KV_CREATE}the VMI "default/vm-1" does not exist`);
  });

  it('a WaitAsReceiver VM gets a receiver VMI waiting for sync; its receive VMIM is admitted, not a 2nd', async () => {
    const c = cluster();
    const vm = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    await c.apply([receiverOf(vm)]);
    expect((c.get('VirtualMachineInstance', 'vm-1')?.status as { phase: string }).phase).toBe('WaitingForSync');
    expect((c.get('VirtualMachine', 'vm-1')?.status as { printableStatus: string }).printableStatus).toBe(
      'WaitingForReceiver',
    );
    await c.apply([vmim('vm-1-in-1', { vmiName: 'vm-1', receive: { migrationID: '1' } })]);
    const status = c.get('VirtualMachineInstanceMigration', 'vm-1-in-1')?.status as {
      phase: string;
      synchronizationAddresses: string[];
    };
    expect(status).toEqual(
      expect.objectContaining({ phase: 'WaitingForSync', synchronizationAddresses: ['192.168.12.3:9185'] }),
    );
    await expect(c.apply([vmim('vm-1-in-2', { vmiName: 'vm-1', receive: { migrationID: '2' } })])).rejects.toThrow(
      /in-flight migration detected/,
    );
    await expect(c.apply([vmim('vm-1-in-1', { vmiName: 'vm-1', receive: { migrationID: '3' } })])).rejects.toThrow(
      /spec is restricted$/,
    );
  });

  it("refuses a second Underlay with openperouter's message", async () => {
    const underlay = stageManifests('pe-kind-b', 'underlay')[0]!;
    await expect(cluster().apply([underlay, { ...underlay, metadata: { name: 'second' } }])).rejects.toThrow(
      `${OPE('underlay')}validation failed: can't have more than one underlay`,
    );
  });

  it('does not emulate a migration between namespaces (sendTo with receive), and says so', async () => {
    const spec = { vmiName: 'vm-2', receive: { migrationID: 'a' }, sendTo: { migrationID: 'a', connectURL: 'x:9185' } };
    await expect(cluster().apply([vmim('m', spec)])).rejects.toThrow(
      'VirtualMachineInstanceMigration m: spec.receive with spec.sendTo (a migration between namespaces) is ' +
        'not emulated',
    );
  });
});

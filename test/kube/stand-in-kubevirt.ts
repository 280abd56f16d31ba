// KubeVirt (v1.6.2) and openperouter (v0.0.5) as far as the stand-in API server
// needs them: their admission webhooks (the same rules as the embedded clusters,
// testbeds/embedded/admission.ts), KubeVirt's VM and migration controllers reduced
// to the phases and end states the suites read, and virt-operator's handling of the
// CA ConfigMaps. It plays what the real controllers do, asynchronously, so a client
// that skips a wait is caught as it would be on a real cluster.
import { admit, AdmissionError, VMIM_KIND, type VmiPhase } from '../../testbeds/embedded/admission.ts';
import { restoredRunStrategy, haltsAfterSending, type RunStrategy } from '../../testbeds/embedded/kubevirt.ts';
import type { Manifest } from '../../topology/manifests.ts';
import type { MockApiServer, Obj } from './mock-apiserver.ts';

const KV = 'kubevirt.io/v1';
const CREATE_MIGRATION_TARGET = 'kubevirt.io/create-migration-target';

/** The receivers of decentralized migrations of every stand-in, by migration ID: what connectURL reaches. */
export class StandInHub {
  readonly receivers = new Map<string, { kv: StandInKubeVirt; vmim: Obj }>();
}

export interface StandInOptions {
  hub: StandInHub;
  syncAddress: string;
  /** How long each controller step takes. */
  stepMs?: number;
}

export class StandInKubeVirt {
  /** The reason the next migration fails with, if it should. */
  failNext?: string;
  /** While set, the VM controller has not yet seen new VMs (a slow controller, as a real one can be). */
  vmControllerHeld = false;
  private readonly step: number;

  constructor(
    readonly server: MockApiServer,
    private readonly o: StandInOptions,
  ) {
    this.step = o.stepMs ?? 30;
    server.admit = (obj, stored) => this.admit(obj, stored);
    server.onApply = (obj) => this.react(obj);
  }

  private key(kind: string, name: string, ns = 'default'): string {
    return this.server.key(KV, kind, ns, name);
  }

  private find(kind: string, name: string, ns = 'default'): Obj | undefined {
    return this.server.objects.get(this.key(kind, name, ns));
  }

  private patchStatus(o: Obj, status: Record<string, unknown>): void {
    const k = this.server.key(o.apiVersion, o.kind, o.metadata.namespace ?? 'default', o.metadata.name);
    const cur = this.server.objects.get(k);
    if (cur) this.server.objects.set(k, { ...cur, status: { ...(cur.status as object | undefined), ...status } });
  }

  private later(f: () => void, steps = 1): void {
    setTimeout(f, this.step * steps);
  }

  private admit(obj: Obj, stored: Obj[]): { code: number; message: string } | undefined {
    const ns = obj.metadata.namespace ?? 'default';
    try {
      admit(
        obj as Manifest,
        stored as Manifest[],
        {
          namespace: ns,
          vmiPhase: (n) => {
            const vmi = stored.find((o) => o.kind === 'VirtualMachineInstance' && o.metadata.name === n);
            return vmi && ((vmi.status as { phase?: VmiPhase } | undefined)?.phase ?? 'Pending');
          },
          migrations: () =>
            stored
              .filter((o) => o.kind === VMIM_KIND)
              .map((o) => ({
                name: o.metadata.name,
                uid: String(o.metadata.uid),
                vmiName: String((o.spec as { vmiName?: string }).vmiName),
                phase: (o.status as { phase?: string } | undefined)?.phase,
              })),
        },
        this.server.openperouter,
      );
      return undefined;
    } catch (e) {
      if (e instanceof AdmissionError) return { code: e.code, message: e.message };
      throw e;
    }
  }

  private createVmi(vm: Obj, phase: VmiPhase, receiver: boolean): void {
    const ns = vm.metadata.namespace ?? 'default';
    const annotations = receiver ? { [CREATE_MIGRATION_TARGET]: 'true' } : {};
    this.server.objects.set(this.key('VirtualMachineInstance', vm.metadata.name, ns), {
      apiVersion: KV,
      kind: 'VirtualMachineInstance',
      metadata: { name: vm.metadata.name, namespace: ns, uid: `vmi-${vm.metadata.name}-${Date.now()}`, annotations },
      status: { phase },
    });
  }

  /** KubeVirt's VM controller: a VM's run strategy decides its instance. */
  private react(obj: Obj): void {
    if (obj.kind === 'VirtualMachine') {
      const rs = (obj.spec as { runStrategy?: RunStrategy }).runStrategy;
      if (this.vmControllerHeld) return;
      if (this.find('VirtualMachineInstance', obj.metadata.name, obj.metadata.namespace)) return;
      // fidelity: KV-VM-002
      if (rs === 'WaitAsReceiver') this.later(() => this.createVmi(obj, 'WaitingForSync', true), 3);
      else if (rs === 'Always') this.later(() => this.createVmi(obj, 'Running', false), 3);
      return;
    }
    if (obj.kind !== VMIM_KIND) return;
    type Spec = {
      vmiName: string;
      receive?: { migrationID: string };
      sendTo?: { migrationID: string; connectURL: string };
    };
    const spec = obj.spec as Spec;
    this.patchStatus(obj, { phase: 'Pending' });
    if (spec.receive) {
      this.later(() => {
        this.patchStatus(obj, { phase: 'WaitingForSync', synchronizationAddresses: [this.o.syncAddress] });
        this.o.hub.receivers.set(spec.receive!.migrationID, { kv: this, vmim: obj });
      });
    } else if (spec.sendTo) {
      this.later(() => this.send(obj, spec.vmiName, spec.sendTo!));
    } else {
      this.later(() => this.patchStatus(obj, { phase: 'Running' }));
      this.later(() => this.patchStatus(obj, { phase: 'Succeeded' }), 3);
    }
  }

  private send(vmim: Obj, vmiName: string, to: { migrationID: string; connectURL: string }): void {
    const r = this.o.hub.receivers.get(to.migrationID);
    let reason = this.failNext;
    if (!r) reason = `no migration target waits for migration ID ${to.migrationID}`;
    else if (r.kv.o.syncAddress !== to.connectURL) reason = `connectURL ${to.connectURL} does not reach the target`;
    this.failNext = undefined;
    if (reason) {
      this.patchStatus(vmim, { phase: 'Failed', migrationState: { failed: true, failureReason: reason } });
      if (r) r.kv.patchStatus(r.vmim, { phase: 'Failed', migrationState: { failed: true, failureReason: reason } });
      return;
    }
    this.patchStatus(vmim, { phase: 'Running' });
    r!.kv.patchStatus(r!.vmim, { phase: 'Running' });
    this.later(() => {
      this.o.hub.receivers.delete(to.migrationID);
      r!.kv.arrived(r!.vmim, vmiName);
      this.sent(vmim, vmiName);
    }, 3);
  }

  /** The source side once the guest left: the instance finished, the VM halted if it ran Always. */
  private sent(vmim: Obj, vmiName: string): void {
    const ns = vmim.metadata.namespace ?? 'default';
    const vmi = this.find('VirtualMachineInstance', vmiName, ns);
    if (vmi) this.patchStatus(vmi, { phase: 'Succeeded', migrationState: { completed: true } });
    const vm = this.find('VirtualMachine', vmiName, ns);
    const rs = (vm?.spec as { runStrategy?: RunStrategy } | undefined)?.runStrategy;
    if (vm && rs && haltsAfterSending(rs)) {
      this.setRunStrategy(vm, 'Halted');
      this.server.objects.delete(this.key('VirtualMachineInstance', vmiName, ns));
    }
    this.patchStatus(vmim, { phase: 'Succeeded', migrationState: { completed: true } });
  }

  /** The target side: the receiver instance runs the guest, the VM gets its run strategy back if annotated. */
  private arrived(vmim: Obj, vmiName: string): void {
    const ns = vmim.metadata.namespace ?? 'default';
    const vmi = this.find('VirtualMachineInstance', vmiName, ns);
    if (vmi) {
      const status = { phase: 'Running', migrationState: { completed: true } };
      this.server.objects.set(this.key('VirtualMachineInstance', vmiName, ns), {
        ...vmi,
        metadata: { ...vmi.metadata, annotations: {} },
        status,
      });
    }
    const vm = this.find('VirtualMachine', vmiName, ns);
    const restore = restoredRunStrategy(vm?.metadata.annotations as Record<string, unknown> | undefined);
    if (vm && restore) this.setRunStrategy(vm, restore);
    this.patchStatus(vmim, { phase: 'Succeeded', migrationState: { completed: true } });
  }

  /** virt-operator's first reconcile: both CA ConfigMaps exist, the external one empty and its own. */
  installCA(ownCa: string): void {
    this.operatorWrites('kubevirt-ca', ownCa);
    this.operatorWrites('kubevirt-external-ca', '');
  }

  /**
   * virt-operator's reconcile of the CA bundles: the external CA's certificates join
   * kubevirt-ca, then the external ConfigMap is emptied again, by an update without
   * resourceVersion.
   */
  // fidelity: KV-OP-001
  reconcileCA(): void {
    const ext = this.server.configMaps.get('kubevirt/kubevirt-external-ca');
    const ca = this.server.configMaps.get('kubevirt/kubevirt-ca');
    if (!ext || !ca) return;
    const certs =
      (ext.data['ca-bundle'] ?? '').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
    const bundle = ca.data['ca-bundle'] ?? '';
    const merged = [bundle, ...certs.filter((c) => !bundle.includes(c))].filter(Boolean).join('\n');
    this.operatorWrites('kubevirt-ca', merged);
    this.operatorWrites('kubevirt-external-ca', '');
  }

  /** An update by virt-operator: it owns the key afterwards. */
  private operatorWrites(configMap: string, bundle: string): void {
    this.server.configMaps.set(`kubevirt/${configMap}`, {
      data: { 'ca-bundle': bundle },
      owners: { 'ca-bundle': 'virt-operator' },
    });
  }

  private setRunStrategy(vm: Obj, runStrategy: RunStrategy): void {
    const k = this.key('VirtualMachine', vm.metadata.name, vm.metadata.namespace);
    this.server.objects.set(k, { ...vm, spec: { ...vm.spec, runStrategy } });
  }
}

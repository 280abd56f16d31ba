// The manifests every testbed applies, proven as documents against the real APIs'
// schemas with strict field validation (openperouter's CRDs, KubeVirt's OpenAPI):
// what the embedded clusters accept, a real API server accepts too.
import { describe, it, expect } from 'vitest';
import { ManifestSchemas } from '../testbeds/kind/manifest-schemas.ts';
import { stageManifests, WALKTHROUGH_STAGES, type Manifest } from '../topology/manifests.ts';
import { receiverOf, vmim } from '../helpers/kube/migration.ts';
import { hasShared, NO_SHARED, referencePath, skipWithoutShared, openperouterCrds } from './shared.ts';
import { selectedOpenPERouter } from '../topology/openperouter.ts';

const clusters = ['pe-kind-a', 'pe-kind-b'];
// The selected openperouter release's manifests (every release's: test/openperouter-versions.test.ts).
const release = selectedOpenPERouter();
const all = clusters.flatMap((c) => WALKTHROUGH_STAGES.flatMap((s) => stageManifests(c, s, release.version)));

describe.skipIf(skipWithoutShared)(
  `manifest documents against the APIs' schemas (${hasShared ? 'from ../shared' : NO_SHARED})`,
  () => {
    const schemas = (kubevirt = '1.6.2') =>
      new ManifestSchemas()
        .addCrds(openperouterCrds(release.version))
        .addSwagger(referencePath('schemas', `kubevirt-v${kubevirt}.swagger.json`), 'kubevirt.io', [
          'v1.VirtualMachine',
          'v1.VirtualMachineInstanceMigration',
        ]);

    for (const kubevirt of ['1.6.2', '1.9.0']) {
      it(`the walkthrough's manifests are valid for openperouter ${release.version} and KubeVirt v${kubevirt}`, () => {
        const s = schemas(kubevirt);
        const checked = all.filter((m) => m.kind !== 'NetworkAttachmentDefinition');
        expect(checked.map((m) => m.kind).sort()).toEqual([
          'L2VNI',
          'L2VNI',
          'L3VNI',
          'L3VNI',
          'Underlay',
          'Underlay',
          'VirtualMachine',
          'VirtualMachine',
        ]);
        expect(checked.flatMap((m) => s.problems(m))).toEqual([]);
      });
    }

    it('the receiving VM of a cross-cluster migration is valid too (runStrategy WaitAsReceiver)', () => {
      const vm = all.find((m) => m.kind === 'VirtualMachine')!;
      expect(schemas().problems(receiverOf(vm))).toEqual([]);
    });

    it('the migrations the suite creates are valid: in-cluster, decentralized receive and sendTo', () => {
      for (const kubevirt of ['1.6.2', '1.9.0']) {
        const s = schemas(kubevirt);
        expect(s.problems(vmim('vm-1-move-1', { vmiName: 'vm-1' }))).toEqual([]);
        expect(s.problems(vmim('vm-1-in-1', { vmiName: 'vm-1', receive: { migrationID: 'ab12' } }))).toEqual([]);
        expect(
          s.problems(
            vmim('vm-1-out-1', { vmiName: 'vm-1', sendTo: { migrationID: 'ab12', connectURL: '192.168.11.4:9185' } }),
          ),
        ).toEqual([]);
      }
    });

    it('an unknown field, a wrong type and an unknown kind are errors naming object and field', () => {
      const s = schemas();
      const l2 = all.find((m) => m.kind === 'L2VNI')!;
      expect(s.problems({ ...l2, spec: { ...(l2.spec as object), vnii: 110 } } as Manifest)).toEqual([
        `L2VNI ${l2.metadata.name}: /spec has unknown field "vnii"`,
      ]);
      expect(s.problems({ ...l2, spec: { ...(l2.spec as object), vni: 'one hundred ten' } } as Manifest)).toEqual([
        `L2VNI ${l2.metadata.name}: /spec/vni must be integer`,
      ]);
      const vm = all.find((m) => m.kind === 'VirtualMachine')!;
      expect(s.problems({ ...vm, spec: { ...(vm.spec as object), runStrategi: 'Always' } } as Manifest)).toEqual([
        `VirtualMachine ${vm.metadata.name}: /spec has unknown field "runStrategi"`,
      ]);
      expect(s.problems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0]).toMatch(
        /^Widget w: no schema for example.com\/v1\/Widget/,
      );
    });
  },
);

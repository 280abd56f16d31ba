import { describe, it, expect } from 'vitest';
import { parseUnderlays as parseUnderlaysOf, ValidationError } from '../testbeds/embedded/openperouter.ts';
import { OPENPEROUTER_RELEASES, type OpenPERouterRelease } from '../topology/openperouter.ts';
import { EmbeddedCluster } from '../testbeds/embedded/cluster.ts';
import { RunPaths } from '../testbeds/embedded/run.ts';
import { WorkloadServers } from '../testbeds/embedded/workloads.ts';
import { MigrationHub } from '../testbeds/embedded/migration.ts';
import { loadTopology } from '../topology/load.ts';
import { stageManifests, parseManifests, type Manifest } from '../topology/manifests.ts';

const V005 = OPENPEROUTER_RELEASES['v0.0.5'];
const parseUnderlays = (m: Manifest[], r: OpenPERouterRelease = V005) => parseUnderlaysOf(m, r);
const underlay = (spec: Record<string, unknown>, name = 'underlay'): Manifest => ({
  apiVersion: V005.apiVersion,
  kind: 'Underlay',
  metadata: { name },
  spec,
});
const good = {
  asn: 64514,
  evpn: { vtepcidr: '100.65.0.0/24' },
  nics: ['toswitch'],
  neighbors: [{ asn: 64512, address: '192.168.11.2' }],
};

describe("embedded cluster: openperouter v0.0.5's Underlay rules and messages", () => {
  it("accepts the walkthrough's underlays, with routeridcidr defaulting to 10.0.0.0/24", () => {
    expect(parseUnderlays(stageManifests('pe-kind-a', 'underlay', 'v0.0.5'))[0]!.spec.routeridcidr).toBe('10.0.0.0/24');
    expect(parseUnderlays(stageManifests('pe-kind-b', 'underlay', 'v0.0.5'))[0]!.spec.routeridcidr).toBe('10.0.1.0/24');
  });

  it.each([
    [
      'local ASN equal to the neighbor',
      [underlay({ ...good, neighbors: [{ asn: 64514, address: '192.168.11.2' }] })],
      'underlay underlay local ASN 64514 must be different from remote ASN 64514',
    ],
    ['two underlays', [underlay(good), underlay(good, 'other')], "can't have more than one underlay"],
    [
      'a bad VTEP CIDR',
      [underlay({ ...good, evpn: { vtepcidr: '100.65.0.0/33' } })],
      'invalid vtep CIDR format for underlay underlay: 100.65.0.0/33',
    ],
    ['two NICs', [underlay({ ...good, nics: ['a', 'b'] })], 'underlay underlay can only have one nic, found 2'],
    ['an ASN of 0', [underlay({ ...good, asn: 0 })], 'underlay underlay must have a valid ASN'],
    [
      'a field it does not know',
      [underlay({ ...good, vtepcidr: '100.65.0.0/24' })],
      'Underlay underlay: spec: unknown field(s) "vtepcidr"',
    ],
  ])('refuses %s', (_what, manifests, message) => {
    expect(() => parseUnderlays(manifests)).toThrowError(ValidationError);
    expect(() => parseUnderlays(manifests)).toThrowError(message);
  });

  it('refuses kinds it cannot realize, listing the supported ones, before touching the machine', async () => {
    const paths = new RunPaths('l2s-000000', '/nonexistent');
    const workloads = new WorkloadServers('l2s-000000', '/nonexistent', '/nonexistent/pids');
    const cluster = new EmbeddedCluster(loadTopology('multicluster'), 'pe-kind-a', {
      paths,
      startTimeoutMs: 1000,
      fabricReady: Promise.resolve(),
      workloads,
      hub: new MigrationHub(),
      openperouter: V005,
    });
    const vm = parseManifests(
      'apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstancePreset\nmetadata: {name: vm-1}\n',
      'inline',
    );
    await expect(cluster.apply(vm)).rejects.toThrowError(
      /kind VirtualMachineInstancePreset \(vm-1\) is not supported by the embedded cluster; supported: Underlay \(openpe\.openperouter\.github\.io\/v1alpha1\), L3VNI/,
    );
    await expect(
      cluster.apply([{ ...underlay(good), apiVersion: 'network.openperouter.io/v1alpha1' }]),
    ).rejects.toThrowError(/apiVersion network\.openperouter\.io\/v1alpha1 is not served/);
  });

  it('rejects a manifest file without kind or name, naming the document', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: Foo\n---\nkind: Bar\n', 'x.yaml')).toThrowError(
      'x.yaml, document 1: a manifest needs apiVersion, kind and metadata.name',
    );
  });
});

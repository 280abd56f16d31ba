// The stand-in API server refuses what the real webhooks refuse (through the
// project's Kubernetes client), and holds the CA ConfigMaps as virt-operator does:
// its field ownership makes a server-side apply of kubevirt-external-ca without force
// a conflict, a merge patch (client-side apply) goes through, and virt-operator then
// merges the bundle into kubevirt-ca and empties the external one again.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockApiServer } from './mock-apiserver.ts';
import { StandInHub, StandInKubeVirt } from './stand-in-kubevirt.ts';
import { existingTestbed } from './testbed-files.ts';
import type { Testbed } from '../../helpers/ports.ts';
import { stageManifests, type Manifest } from '../../topology/manifests.ts';
import { OPENPEROUTER_RELEASES } from '../../topology/openperouter.ts';

const server = new MockApiServer(OPENPEROUTER_RELEASES['v0.0.5']);
let kv: StandInKubeVirt;
let url: string;
let dir: string;
let tb: Testbed;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-admission-'));
  url = await server.start();
  kv = new StandInKubeVirt(server, { hub: new StandInHub(), syncAddress: '192.168.11.3:9185' });
  const kubeconfig = server.kubeconfig(dir, url);
  tb = existingTestbed(dir, 'testbed.json', { clusters: { 'pe-kind-a': { api: { type: 'kubernetes', kubeconfig } } } });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the stand-in API server runs openperouter's webhooks (v0.0.5)", () => {
  it("a second Underlay is refused with 403 and openperouter's message; the same one again is not", async () => {
    const underlay = stageManifests('pe-kind-a', 'underlay', 'v0.0.5')[0]!;
    await tb.cluster('pe-kind-a').apply([underlay]);
    await tb.cluster('pe-kind-a').apply([underlay]);
    await expect(tb.cluster('pe-kind-a').apply([{ ...underlay, metadata: { name: 'second' } }])).rejects.toThrow(
      'HTTP 403: admission webhook "underlayvalidationwebhook.openperouter.io" denied the request: ' +
        "validation failed: can't have more than one underlay",
    );
  });

  it("an L2VNI's gateway cannot change", async () => {
    const l2 = stageManifests('pe-kind-a', 'overlay', 'v0.0.5').find((m) => m.kind === 'L2VNI')!;
    await tb.cluster('pe-kind-a').apply([l2]);
    const moved: Manifest = { ...l2, spec: { ...l2.spec, l2gatewayip: '192.170.1.254/24' } };
    await expect(tb.cluster('pe-kind-a').apply([moved])).rejects.toThrow(
      'denied the request: L2GatewayIP cannot be changed',
    );
  });
});

describe("virt-operator's CA ConfigMaps on the stand-in", () => {
  const PEER = '-----BEGIN CERTIFICATE-----\nMIIBpeer\n-----END CERTIFICATE-----';
  const OWN = '-----BEGIN CERTIFICATE-----\nMIIBown\n-----END CERTIFICATE-----';
  const path = `/api/v1/namespaces/kubevirt/configmaps/kubevirt-external-ca`;
  const patch = (type: string, query: string) =>
    fetch(`${url}${path}?${query}`, {
      method: 'PATCH',
      headers: { 'content-type': type },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kubevirt-external-ca', namespace: 'kubevirt' },
        data: { 'ca-bundle': PEER },
      }),
    });
  const bundle = async (name: string) => {
    const cm = (await (await fetch(`${url}/api/v1/namespaces/kubevirt/configmaps/${name}`)).json()) as {
      data: Record<string, string>;
    };
    return cm.data['ca-bundle'];
  };

  it('server-side apply without force conflicts with virt-operator; a merge patch passes, then emptied', async () => {
    kv.installCA(OWN);
    const ssa = await patch('application/apply-patch+yaml', 'fieldManager=l2stretch');
    expect(ssa.status).toBe(409);
    expect(((await ssa.json()) as { message: string }).message).toBe(
      'Apply failed with 1 conflict: conflict with "virt-operator" using v1: .data.ca-bundle',
    );
    expect(await bundle('kubevirt-external-ca')).toBe('');
    const csa = await patch('application/merge-patch+json', 'fieldManager=kubectl-client-side-apply');
    expect(csa.status).toBe(200);
    expect(await bundle('kubevirt-external-ca')).toBe(PEER);
    kv.reconcileCA();
    expect(await bundle('kubevirt-ca')).toBe(`${OWN}\n${PEER}`);
    expect(await bundle('kubevirt-external-ca')).toBe('');
    // Emptied by the operator, owned by it again: the next server-side apply conflicts too.
    expect((await patch('application/apply-patch+yaml', 'fieldManager=l2stretch')).status).toBe(409);
    expect((await patch('application/apply-patch+yaml', 'fieldManager=l2stretch&force=true')).status).toBe(200);
  });
});

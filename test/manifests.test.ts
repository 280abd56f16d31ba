import { describe, it, expect } from 'vitest';
import { stageManifests, parseManifests, WALKTHROUGH_STAGES } from '../topology/manifests.ts';
import { parseVirtualMachine, parseNad, stableMac } from '../testbeds/embedded/kubevirt.ts';
import { parseL3Vnis, parseL2Vnis, ValidationError } from '../testbeds/embedded/openperouter.ts';
import { anycastGatewayMac } from '../testbeds/embedded/openperouter-node.ts';
import { OPENPEROUTER_RELEASES, OPENPEROUTER_VERSIONS } from '../topology/openperouter.ts';
import { loadTopology } from '../topology/load.ts';
import { addressOf } from '../topology/ip.ts';
import { VXLAN_MTU } from '../topology/kernel.ts';

const t = loadTopology('multicluster');

describe("the walkthrough's manifests", () => {
  it('every cluster has every stage, and the workloads are the VMs the topology declares', () => {
    for (const cluster of Object.keys(t.clusters)) {
      for (const stage of WALKTHROUGH_STAGES)
        expect(stageManifests(cluster, stage).length, `${cluster}/${stage}`).toBeGreaterThan(0);
      const vms = stageManifests(cluster, 'workload')
        .filter((m) => m.kind === 'VirtualMachine')
        .map((m) => parseVirtualMachine(m, cluster));
      const declared = Object.entries(t.overlay!.vms).filter(([, v]) => v.cluster === cluster);
      expect(vms.map((v) => v.name)).toEqual(declared.map(([n]) => n));
      for (const [name, v] of declared) {
        const vm = vms.find((x) => x.name === name)!;
        expect(vm.nics[0]!.addresses).toEqual([v.ipv4]);
        expect(vm.nics[0]!.gateway).toBe(addressOf(t.overlay!.l2vnis[v.network]!.gateway));
      }
    }
  });

  it.each(OPENPEROUTER_VERSIONS)(
    "openperouter %s: the overlay manifests carry the topology's VNIs, VRF and gateway",
    (version) => {
      const release = OPENPEROUTER_RELEASES[version];
      for (const cluster of Object.keys(t.clusters)) {
        const overlay = stageManifests(cluster, 'overlay', version);
        expect(overlay.every((m) => m.apiVersion === release.apiVersion)).toBe(true);
        const l3 = parseL3Vnis(
          overlay.filter((m) => m.kind === 'L3VNI'),
          release,
        );
        const l2 = parseL2Vnis(
          overlay.filter((m) => m.kind === 'L2VNI'),
          l3,
          release,
        );
        expect(l3.map((v) => [v.name, v.spec.vni, v.spec.vrf])).toEqual(
          Object.entries(t.overlay!.l3vnis).map(([n, v]) => [n, v.vni, v.vrf]),
        );
        expect(l2.map((v) => [v.name, v.spec.vni, v.spec.vrf, v.spec.gateway])).toEqual(
          Object.entries(t.overlay!.l2vnis).map(([n, v]) => [n, v.vni, v.vrf, v.gateway]),
        );
      }
    },
  );

  it('the NAD plugs into the L2VNI host bridge at the VXLAN MTU (a deviation from the walkthrough: see README)', () => {
    for (const cluster of Object.keys(t.clusters)) {
      const nad = stageManifests(cluster, 'workload').find((m) => m.kind === 'NetworkAttachmentDefinition')!;
      expect(parseNad(nad), cluster).toEqual({ bridge: 'br-hs-110', mtu: VXLAN_MTU });
    }
  });
});

describe('KubeVirt VirtualMachine reading', () => {
  const vm = (spec: string) =>
    parseManifests(
      `apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: v}\nspec:\n${spec}`,
      'inline',
    )[0]!;
  const minimal = `  runStrategy: Always
  template:
    spec:
      domain: {devices: {interfaces: [{name: n, bridge: {}, macAddress: "02:AA:00:00:00:01"}]}}
      networks: [{name: n, multus: {networkName: evpn}}]
      volumes:
        - name: c
          cloudInitNoCloud: {networkData: "version: 2\\nethernets:\\n  eth0:\\n    addresses: [10.0.0.5/24]\\n"}
`;
  it('takes the MAC of the interface (lower-cased), or a stable generated one', () => {
    expect(parseVirtualMachine(vm(minimal), 'c').nics[0]!.mac).toBe('02:aa:00:00:00:01');
    expect(stableMac('c', 'v', 'n')).toBe(stableMac('c', 'v', 'n'));
    expect(stableMac('c', 'v', 'n')).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(stableMac('c', 'v', 'n')).not.toBe(stableMac('c', 'w', 'n'));
  });

  it('refuses what it cannot realize, naming the VM and the field', () => {
    expect(() =>
      parseVirtualMachine(
        vm(
          minimal
            .replace('networkName: evpn', 'networkName: evpn}, {name: x')
            .replace('[{name: n, multus', '[{name: m, multus'),
        ),
        'c',
      ),
    ).toThrowError(/VirtualMachine v: interface n has no network of that name/);
    expect(() => parseVirtualMachine(vm(minimal.replace('[10.0.0.5/24]', '[10.0.0.5]')), 'c')).toThrowError(
      /VirtualMachine v: cloud-init networkData: ethernets\.eth0\.addresses\.0: an IPv4 address with prefix/,
    );
    expect(() => parseVirtualMachine(vm(minimal.replace('Always', 'Sometimes')), 'c')).toThrowError(ValidationError);
  });

  it('refuses a NAD of a CNI it does not emulate', () => {
    const [nad] = parseManifests(
      `apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: m}\nspec: {config: ` +
        `'{"type": "macvlan"}'}\n`,
      'inline',
    );
    expect(() => parseNad(nad!)).toThrowError(
      'NetworkAttachmentDefinition m: CNI type macvlan is not supported by the embedded cluster; supported: bridge',
    );
  });

  it("gives pods the NAD's mtu, else the veth default of 1500, as bridge CNI does", () => {
    const nad = (config: string) =>
      parseManifests(
        `apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: m}\nspec: ` +
          `{config: '${config}'}\n`,
        'inline',
      )[0]!;
    expect(parseNad(nad('{"type": "bridge", "bridge": "br0"}'))).toEqual({ bridge: 'br0', mtu: 1500 });
    expect(parseNad(nad('{"type": "bridge", "bridge": "br0", "mtu": 0}'))).toEqual({ bridge: 'br0', mtu: 1500 });
    expect(parseNad(nad('{"type": "bridge", "bridge": "br0", "mtu": 1400}'))).toEqual({ bridge: 'br0', mtu: 1400 });
    expect(() => parseNad(nad('{"type": "bridge", "bridge": "br0", "mtu": "1400"}'))).toThrowError(
      'NetworkAttachmentDefinition m: "mtu" must be a non-negative integer, not "1400"',
    );
  });
});

describe("openperouter v0.0.5's VNI rules", () => {
  const V005 = OPENPEROUTER_RELEASES['v0.0.5'];
  const l3 = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: V005.apiVersion,
    kind: 'L3VNI',
    metadata: { name },
    spec,
  });
  const l2 = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: V005.apiVersion,
    kind: 'L2VNI',
    metadata: { name },
    spec,
  });
  it('refuses duplicate VRFs and VNIs with its messages', () => {
    expect(() =>
      parseL3Vnis([l3('a', { vni: 100, vrf: 'red' }), l3('b', { vni: 101, vrf: 'red' })], V005),
    ).toThrowError('duplicate vrf red: a - b');
    expect(() =>
      parseL3Vnis([l3('a', { vni: 100, vrf: 'red' }), l3('b', { vni: 100, vrf: 'blue' })], V005),
    ).toThrowError('duplicate vni 100:a - b');
    expect(() =>
      parseL2Vnis([l2('x', { vni: 100 })], parseL3Vnis([l3('a', { vni: 100, vrf: 'red' })], V005), V005),
    ).toThrowError('duplicate vni 100:a - x');
    expect(() => parseL3Vnis([l3('a', { vni: 100, vrf: 'averyveryverylongvrf' })], V005)).toThrowError(
      "invalid vrf name for vni a: averyveryverylongvrf - interface name averyveryverylongvrf can't be longer " +
        'than 15 characters',
    );
    expect(() => parseL2Vnis([l2('x', { vni: 110, l2gatewayip: '192.170.1.1' })], [], V005)).toThrowError(
      'invalid l2gatewayip for vni x: 192.170.1.1',
    );
    expect(() => parseL2Vnis([l2('x', { vni: 110, hostsession: {} })], [], V005)).toThrowError(
      /L2VNI x: spec: unknown field\(s\) "hostsession"/,
    );
  });

  it('gives every L2VNI bridge the same anycast gateway MAC: 00:f3 + (VNI+1)', () => {
    expect(anycastGatewayMac(110)).toBe('00:f3:00:00:00:6f');
    expect(anycastGatewayMac(0x1234567)).toBe('00:f3:01:23:45:68');
  });
});

// `l2stretch topology generate`: a topology of N clusters in the walkthrough's pattern, with every
// cluster's manifests for every openperouter release. Numbers follow the reference multicluster.yaml
// so that two clusters give it back (test/generate.test.ts says where and why they differ).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { OPENPEROUTER_RELEASES, OPENPEROUTER_VERSIONS, type OpenPERouterVersion } from './openperouter.ts';
import type { Manifest } from './manifests.ts';

export interface GenerateOptions {
  clusters: number;
  nodesPerCluster: number;
  vmsPerCluster: number;
  l2vnis: number;
  vrfs: number;
}

export class GenerateError extends Error {
  override name = 'GenerateError';
}

// blue is the fabric's VRF that no node imports: what the isolation checks must find dropped.
const NODE_VRFS = ['red', 'green', 'yellow', 'purple', 'orange', 'cyan', 'magenta', 'brown'];
const ISOLATED_VRF = 'blue';
// Each cluster's VMs take a block of addresses of each L2VNI's /24: cluster c from .3 + 27c (vm-2 of
// the reference is .30), nine clusters up to .245.
const VM_BLOCK = 27;
const MAX_CLUSTERS = 9;
// 192.170.<n>.0/24 per L2VNI, stopping before 192.170.10.0/24, the kind testbed's migration network.
const MAX_L2VNIS = 9;
// A node's address is .3 + its index in 192.168.<11 + c>.0/24, its VTEP and router-id index hosts of /24s.
const MAX_NODES = 250;
const NAMESPACE = 'openperouter-system';

/** Why these options cannot make a topology, one reason each; none: they can. */
export function refusals(o: GenerateOptions): string[] {
  const r: string[] = [];
  const whole = (v: number, flag: string, min: number, max: number, why: string) => {
    if (!Number.isInteger(v) || v < min || v > max)
      r.push(`--${flag} ${v}: a whole number from ${min} to ${max} (${why})`);
  };
  whole(
    o.clusters,
    'clusters',
    2,
    MAX_CLUSTERS,
    'one cluster stretches nothing; each cluster has its own block of addresses',
  );
  whole(o.nodesPerCluster, 'nodes-per-cluster', 1, MAX_NODES, "each node takes an address of its cluster's /24");
  whole(o.l2vnis, 'l2vnis', 1, MAX_L2VNIS, '192.170.1-9.0/24; 192.170.10.0/24 is the migration network');
  whole(o.vrfs, 'vrfs', 1, NODE_VRFS.length, `named ${NODE_VRFS.join(', ')}`);
  whole(o.vmsPerCluster, 'vms-per-cluster', 1, VM_BLOCK * MAX_L2VNIS, 'at least one VM per cluster to stretch to');
  if (r.length) return r;
  if (o.vrfs > o.l2vnis)
    r.push(`--vrfs ${o.vrfs} > --l2vnis ${o.l2vnis}: a VRF without an L2VNI has no VM to prove its reachability`);
  if (Math.ceil(o.vmsPerCluster / o.l2vnis) > VM_BLOCK)
    r.push(
      `--vms-per-cluster ${o.vmsPerCluster} over --l2vnis ${o.l2vnis}: at most ${VM_BLOCK} VMs of a cluster ` +
        `per L2VNI (its block of the /24)`,
    );
  return r;
}

const letter = (c: number) => String.fromCharCode(97 + c);
const hex = (n: number) => n.toString(16).padStart(2, '0');
const clusterName = (c: number) => `pe-kind-${letter(c)}`;
const torName = (c: number) => `leafkind-${letter(c)}`;
// The reference's ToR/node ASes (64512/64514, 64516/64518) go on in steps of 4, stepping over the leaves' 64520:
// a ToR in the leaves' AS would drop their routes as an AS-path loop.
const clusterAsnBase = (c: number) => 64512 + 4 * c + (c >= 2 ? 4 : 0);
const torAsn = (c: number) => clusterAsnBase(c);
const nodeAsn = (c: number) => clusterAsnBase(c) + 2;
const nodeSubnet = (c: number) => `192.168.${11 + c}`;
const nodeName = (c: number, i: number) =>
  i === 0 ? `${clusterName(c)}-control-plane` : `${clusterName(c)}-worker${i > 1 ? i : ''}`;
const nodePort = (c: number, i: number) =>
  i === 0 ? `kindctrlpl${letter(c)}` : `kindworker${letter(c)}${i > 1 ? i : ''}`;
const l2vniName = (n: number) => (n === 0 ? 'layer2' : `layer2-${n + 1}`);
const nadName = (n: number) => (n === 0 ? 'evpn' : `evpn-${n + 1}`);
const l3vni = (v: number) => (v === 0 ? 100 : 100 * (v + 2));
const SPINE_ASN = 64612;
const LEAF_ASN = 64520;

interface Vm {
  name: string;
  cluster: number;
  network: number;
  ipv4: string;
  mac: string;
}

function vmsOf(o: GenerateOptions): Vm[] {
  const vms: Vm[] = [];
  for (let c = 0; c < o.clusters; c++) {
    for (let k = 0; k < o.vmsPerCluster; k++) {
      const network = k % o.l2vnis;
      const slot = Math.floor(k / o.l2vnis);
      vms.push({
        name: `vm-${c * o.vmsPerCluster + k + 1}`,
        cluster: c,
        network,
        ipv4: `192.170.${network + 1}.${3 + VM_BLOCK * c + slot}/24`,
        mac: `02:03:04:${hex(5 + c)}:${hex(6 + network)}:${hex(7 + slot)}`,
      });
    }
  }
  return vms;
}

export interface Generated {
  /** The topology, as it is written to topology.yaml (its manifests in the folder `manifests`). */
  topology: Record<string, unknown>;
  /** Manifest files by path relative to the topology file: manifests/<cluster>/... */
  files: Map<string, Manifest[]>;
}

export function generateTopology(o: GenerateOptions): Generated {
  const problems = refusals(o);
  if (problems.length) throw new GenerateError(problems.join('; '));
  const nodeVrfs = NODE_VRFS.slice(0, o.vrfs);
  const fabricVrfs = [...nodeVrfs, ISOLATED_VRF];
  const vrfVni = (v: string) => (v === ISOLATED_VRF ? 200 : l3vni(nodeVrfs.indexOf(v)));
  const vms = vmsOf(o);
  const routers: Record<string, unknown> = {};
  const links: Array<[string, string]> = [];
  const hosts: Record<string, unknown> = {};
  const spineIfs: Record<string, unknown> = {};
  const spineNeighbors: Array<{ address: string; asn: number }> = [];
  // Spine port k (eth<k+1>) reaches leafA, leafB, then each cluster's ToR over 192.168.1.<2k>/31.
  const uplink = (router: string, k: number, asn: number) => {
    spineIfs[`eth${k + 1}`] = { ipv4: `192.168.1.${2 * k}/31` };
    spineNeighbors.push({ address: `192.168.1.${2 * k + 1}`, asn });
    links.push([`${router}:eth1`, `spine:eth${k + 1}`]);
    return {
      interfaces: { eth1: { ipv4: `192.168.1.${2 * k + 1}/31` } },
      neighbors: [{ address: `192.168.1.${2 * k}`, asn: SPINE_ASN }],
    };
  };
  routers.spine = { role: 'spine', asn: SPINE_ASN, interfaces: spineIfs, neighbors: spineNeighbors };
  ['A', 'B'].forEach((side, l) => {
    const name = `leaf${side}`;
    const net = l === 0 ? '192.168' : '192.169';
    const up = uplink(name, l, LEAF_ASN);
    const vrfs: Record<string, unknown> = {};
    fabricVrfs.forEach((vrf, j) => {
      const ifname = `eth${vrf}`;
      vrfs[vrf] = {
        l3vni: vrfVni(vrf),
        table: 1100 + j,
        routerMac: `aa:bb:cc:00:00:${hex(0x65 + l * fabricVrfs.length + j)}`,
        interfaces: {
          [ifname]: { ipv4: `${net}.${20 + j}.1/24`, ipv6: `2001:db8:${l === 0 ? '' : '169:'}${20 + j}::1/64` },
        },
      };
      const host = `host${side}_${vrf}`;
      hosts[host] = { iface: 'eth1', ipv4: `${net}.${20 + j}.2/24`, gateway: `${net}.${20 + j}.1`, leaf: name, vrf };
      links.push([`${name}:${ifname}`, `${host}:eth1`]);
    });
    if (l === 0) {
      const dflt = `192.168.${20 + fabricVrfs.length}`;
      Object.assign(up.interfaces, { ethdefault: { ipv4: `${dflt}.1/24` } });
      hosts.hostA_default = { iface: 'eth1', ipv4: `${dflt}.2/24`, gateway: `${dflt}.1`, leaf: name, vrf: 'default' };
      links.push([`${name}:ethdefault`, 'hostA_default:eth1']);
    }
    routers[name] = {
      role: 'leaf',
      asn: LEAF_ASN,
      vtep: `100.64.0.${l + 1}/32`,
      ...up,
      redistributeConnectedInVrfs: true,
      vrfs,
    };
  });
  const clusters: Record<string, unknown> = {};
  const switches: string[] = [];
  const files = new Map<string, Manifest[]>();
  for (let c = 0; c < o.clusters; c++) {
    const tor = torName(c);
    const sw = `leafkind-sw-${letter(c)}`;
    const subnet = nodeSubnet(c);
    const up = uplink(tor, 2 + c, torAsn(c));
    routers[tor] = {
      role: 'tor',
      asn: torAsn(c),
      interfaces: { ...up.interfaces, toswitch: { ipv4: `${subnet}.2/24` } },
      neighbors: up.neighbors,
      listenRanges: [{ range: `${subnet}.0/24`, remoteAs: nodeAsn(c), peerGroup: 'kind-nodes' }],
    };
    switches.push(sw);
    links.push([`${tor}:toswitch`, `${sw}:leaf${c + 2}`]);
    const nodes: Record<string, unknown> = {};
    for (let i = 0; i < o.nodesPerCluster; i++) {
      nodes[nodeName(c, i)] = {
        nic: 'toswitch',
        ipv4: `${subnet}.${3 + i}/24`,
        index: i,
        ...(i === 0 ? { controlPlane: true } : {}),
      };
      links.push([`${nodeName(c, i)}:toswitch`, `${sw}:${nodePort(c, i)}`]);
    }
    const cluster = {
      tor,
      asn: nodeAsn(c),
      vtepCidr: `100.65.${c}.0/24`,
      routerIdCidr: `10.0.${c}.0/24`,
      nodes,
    };
    clusters[clusterName(c)] = cluster;
    const dir = `manifests/${clusterName(c)}`;
    for (const v of OPENPEROUTER_VERSIONS) {
      files.set(`${dir}/openperouter-${v}/underlay.yaml`, [
        underlayManifest(v, {
          asn: cluster.asn,
          vtepCidr: cluster.vtepCidr,
          routerIdCidr: cluster.routerIdCidr,
          tor: { asn: torAsn(c), address: `${subnet}.2` },
        }),
      ]);
      files.set(`${dir}/openperouter-${v}/overlay.yaml`, [
        ...nodeVrfs.map((vrf) => l3vniManifest(v, vrf, vrfVni(vrf))),
        ...Array.from({ length: o.l2vnis }, (_, n) =>
          l2vniManifest(v, l2vniName(n), 110 + n, nodeVrfs[n % o.vrfs]!, `192.170.${n + 1}.1/24`),
        ),
      ]);
    }
    files.set(`${dir}/workload.yaml`, [
      ...Array.from({ length: o.l2vnis }, (_, n) => nadManifest(nadName(n), 110 + n)),
      ...vms.filter((vm) => vm.cluster === c).map((vm) => vmManifest(vm)),
    ]);
  }
  // The other side of each switch port is declared by the links: switches take any port name.
  const topology: Record<string, unknown> = {
    name: `generated-${o.clusters}x${o.nodesPerCluster}x${o.vmsPerCluster}`,
    description:
      `generated: ${o.clusters} clusters × ${o.nodesPerCluster} nodes × ${o.vmsPerCluster} VMs, ` +
      `${o.l2vnis} L2VNI(s), ${o.vrfs} VRF(s) on the nodes (l2stretch topology generate)`,
    fabric: { routers, switches },
    hosts,
    clusters,
    overlay: {
      l3vnis: Object.fromEntries(nodeVrfs.map((vrf) => [vrf, { vni: vrfVni(vrf), vrf }])),
      l2vnis: Object.fromEntries(
        Array.from({ length: o.l2vnis }, (_, n) => [
          l2vniName(n),
          { vni: 110 + n, vrf: nodeVrfs[n % o.vrfs]!, gateway: `192.170.${n + 1}.1/24` },
        ]),
      ),
      vms: Object.fromEntries(
        vms.map((vm) => [vm.name, { cluster: clusterName(vm.cluster), network: l2vniName(vm.network), ipv4: vm.ipv4 }]),
      ),
    },
    links,
    manifests: 'manifests',
  };
  return { topology, files };
}

const meta = (name: string) => ({ name, namespace: NAMESPACE });

/**
 * The Underlay in each release's API; a router-id range equal to openperouter's default 10.0.0.0/24 is left out, as
 * its examples do.
 */
function underlayManifest(
  v: OpenPERouterVersion,
  u: { asn: number; vtepCidr: string; routerIdCidr: string; tor: { asn: number; address: string } },
): Manifest {
  const apiVersion = OPENPEROUTER_RELEASES[v].apiVersion;
  const neighbors = [{ asn: u.tor.asn, address: u.tor.address }];
  const base = { apiVersion, kind: 'Underlay', metadata: meta('underlay') };
  const routerId =
    u.routerIdCidr === '10.0.0.0/24' ? {} : { [v === 'main' ? 'routerIDCIDR' : 'routeridcidr']: u.routerIdCidr };
  if (v === 'v0.0.5' || v === 'v0.1.0')
    return {
      ...base,
      spec: { asn: u.asn, evpn: { vtepcidr: u.vtepCidr }, ...routerId, nics: ['toswitch'], neighbors },
    };
  return {
    ...base,
    spec: {
      asn: u.asn,
      tunnelEndpoint: { cidrs: [u.vtepCidr] },
      ...routerId,
      interfaces: [{ type: 'NetworkDevice', networkDevice: { interfaceName: 'toswitch' } }],
      neighbors,
    },
  };
}

function l3vniManifest(v: OpenPERouterVersion, vrf: string, vni: number): Manifest {
  return { apiVersion: OPENPEROUTER_RELEASES[v].apiVersion, kind: 'L3VNI', metadata: meta(vrf), spec: { vni, vrf } };
}

/** An L2VNI whose host bridge openperouter creates (br-hs-<vni>), in each release's API. */
function l2vniManifest(v: OpenPERouterVersion, name: string, vni: number, vrf: string, gateway: string): Manifest {
  const spec =
    v === 'v0.0.5'
      ? { hostmaster: { autocreate: true, type: 'bridge' }, l2gatewayip: gateway, vni, vrf }
      : v === 'main'
        ? {
            hostMaster: { type: 'LinuxBridge', linuxBridge: { lifecycle: 'Managed' } },
            gatewayIPs: [gateway],
            vni,
            routingDomain: { type: 'L3VNI', l3vni: { name: vrf } },
          }
        : {
            hostmaster: { type: 'linux-bridge', linuxBridge: { autoCreate: true } },
            l2gatewayips: [gateway],
            vni,
            vrf,
          };
  return { apiVersion: OPENPEROUTER_RELEASES[v].apiVersion, kind: 'L2VNI', metadata: meta(name), spec };
}

/** The Multus network on an L2VNI's host bridge, with the VXLAN's MTU (see README, "MTU: a deviation"). */
function nadManifest(name: string, vni: number): Manifest {
  const config = {
    cniVersion: '0.3.1',
    name,
    type: 'bridge',
    bridge: `br-hs-${vni}`,
    mtu: 1450,
    macspoofchk: false,
    disableContainerInterface: true,
  };
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name },
    spec: { config: `${JSON.stringify(config, null, 2)}\n` },
  };
}

/** The walkthrough's VM, with its own MAC (a migrated VM keeps it in the receiving cluster). */
function vmManifest(vm: Vm): Manifest {
  const nad = nadName(vm.network);
  const gateway = `192.170.${vm.network + 1}.1`;
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: vm.name },
    spec: {
      runStrategy: 'Always',
      template: {
        metadata: { labels: { 'kubevirt.io/vm': vm.name } },
        spec: {
          tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
          domain: {
            devices: {
              interfaces: [{ bridge: {}, name: nad, macAddress: vm.mac }],
              disks: [
                { disk: { bus: 'virtio' }, name: 'containerdisk' },
                { disk: { bus: 'virtio' }, name: 'cloudinitdisk' },
              ],
            },
            resources: { requests: { memory: '2048M' } },
            machine: { type: '' },
          },
          networks: [{ multus: { networkName: nad }, name: nad }],
          terminationGracePeriodSeconds: 0,
          volumes: [
            {
              containerDisk: { image: 'quay.io/kubevirt/fedora-with-test-tooling-container-disk:v1.5.2' },
              name: 'containerdisk',
            },
            {
              cloudInitNoCloud: {
                networkData:
                  `version: 2\nethernets:\n  eth0:\n    addresses:\n    - ${vm.ipv4}\n    gateway4: ${gateway}` + `\n`,
              },
              name: 'cloudinitdisk',
            },
          ],
        },
      },
    },
  };
}

const flagsOf = (o: GenerateOptions) =>
  `--clusters ${o.clusters} --nodes-per-cluster ${o.nodesPerCluster} --vms-per-cluster ${o.vmsPerCluster} ` +
  `--l2vnis ${o.l2vnis} --vrfs ${o.vrfs}`;

/** Writes <out>/topology.yaml and <out>/manifests/ into a new or empty folder; returns the topology file. */
export function writeGenerated(o: GenerateOptions, out: string): string {
  if (existsSync(out) && readdirSync(out).length)
    throw new GenerateError(`${out}: not empty; give --out a new or empty folder`);
  const g = generateTopology(o);
  const header = '# Written by `l2stretch topology generate';
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  };
  write('topology.yaml', `${header} ${flagsOf(o)}\`\n${stringify(g.topology)}`);
  for (const [path, manifests] of g.files)
    write(path, `${header}\`\n${manifests.map((m) => stringify(m)).join('---\n')}`);
  return join(out, 'topology.yaml');
}

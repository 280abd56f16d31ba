// The typed description of a testbed. Every testbed (embedded, kind, a vendor's
// lab) is realized from it, and every conformance expectation is derived from it,
// never from what the routers report.
// Every value here ends up in a command run as root (ip, FRR configs, lab scripts):
// each field is a strict type, so that nothing but its value can get through.
import { z } from 'zod';
import { isIpv4Cidr, isIpv4 } from './ip.ts';
import { OPENPEROUTER_VERSIONS } from './openperouter.ts';

/** Keys a plain object inherits: a member named so would be found where none was declared. */
export const isInheritedName = (s: string): boolean => s in Object.prototype;

// Namespace names (run id + member + VRF) stay well under the 255 bytes of a file name.
export const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'a name of letters, digits, "-" or "_" (at most 63 characters)')
  .refine((s) => !isInheritedName(s), 'a name that is not a JavaScript object property (constructor, toString…)');
export const ifname = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/, 'a Linux interface name (at most 15 characters)')
  .refine((s) => !isInheritedName(s), 'an interface name that is not a JavaScript object property (constructor…)');
export const asn = z.number().int().min(1).max(4294967295);
export const ipv4 = z.string().refine(isIpv4, 'an IPv4 address such as 192.168.1.1');
export const cidr4 = z.string().refine(isIpv4Cidr, 'an IPv4 prefix such as 192.168.1.0/31');
const cidr6 = z.cidrv6('an IPv6 prefix such as 2001:db8::1/64');
export const mac = z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'a lower-case MAC address (aa:bb:cc:00:00:65)');

const iface = z.strictObject({
  ipv4: cidr4.optional(),
  ipv6: cidr6.optional(),
});

const neighbor = z.strictObject({ address: ipv4, asn });

const listenRange = z.strictObject({
  range: cidr4,
  remoteAs: asn,
  peerGroup: name,
});

const vrf = z.strictObject({
  l3vni: z.number().int().min(1).max(16777215),
  table: z.number().int().min(1),
  routerMac: mac,
  interfaces: z.record(ifname, iface).default({}),
});

/** The router dialects l2stretch speaks (helpers/nos/<nos>/); a router's `nos`, default frr. */
export const NOS_NAMES = ['frr', 'eos', 'srlinux'] as const;
export type Nos = (typeof NOS_NAMES)[number];
export const nos = z.enum(NOS_NAMES);

export const fabricRouterSchema = z.strictObject({
  /** The network OS this router runs: which dialect reads it. Cluster nodes run openperouter's FRR. */
  nos: nos.default('frr'),
  role: z.enum(['spine', 'leaf', 'tor']),
  asn,
  vtep: cidr4.optional(),
  interfaces: z.record(ifname, iface),
  neighbors: z.array(neighbor).default([]),
  listenRanges: z.array(listenRange).default([]),
  vrfs: z.record(name, vrf).default({}),
  // Leaves announce their VRF subnets as type-5 routes only with this set
  // (DEMO_MODE=true in the walkthrough); the L3 suites rely on those routes.
  redistributeConnectedInVrfs: z.boolean().default(false),
});

export const hostSchema = z.strictObject({
  iface: ifname,
  ipv4: cidr4,
  gateway: ipv4,
  leaf: name,
  vrf: name,
  port: z.number().int().min(1).max(65535).default(8090),
});

const node = z.strictObject({
  nic: ifname,
  ipv4: cidr4,
  // The index openperouter's nodemarker assigns (annotation openpe.io/nodeindex).
  index: z.number().int().min(0),
  // Control-plane nodes carry the NoSchedule taint: only workloads that tolerate it land there.
  controlPlane: z.boolean().default(false),
});

export const clusterSchema = z.strictObject({
  tor: name,
  asn,
  vtepCidr: cidr4,
  routerIdCidr: cidr4.default('10.0.0.0/24'),
  nodes: z.record(name, node),
});

// The overlay the manifests are meant to build; the suites check the network against it.
const overlaySchema = z.strictObject({
  l2vnis: z.record(name, z.strictObject({ vni: z.number().int().min(1).max(16777215), vrf: name, gateway: cidr4 })),
  l3vnis: z.record(name, z.strictObject({ vni: z.number().int().min(1).max(16777215), vrf: name })),
  vms: z.record(
    name,
    z.strictObject({
      cluster: name,
      network: name,
      ipv4: cidr4,
      port: z.number().int().min(1).max(65535).default(8090),
    }),
  ),
});

// A topology's own manifests: a folder (relative to the topology file) laid out as topology/manifests/,
// or inline per cluster: `workload`, and openperouter's `underlay`/`overlay` per release.
const manifestList = z.array(z.record(z.string(), z.unknown()));
const inlineManifestsSchema = z.record(
  name,
  z.strictObject({
    workload: manifestList,
    openperouter: z.partialRecord(
      z.enum(OPENPEROUTER_VERSIONS),
      z.strictObject({ underlay: manifestList, overlay: manifestList }),
    ),
  }),
);
const manifestFolder = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[^\p{Cc}]*$/u, 'a folder path without control characters');

const endpoint = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*:[A-Za-z][A-Za-z0-9_.-]{0,14}$/, '"member:interface"');

export const topologySchema = z.strictObject({
  name,
  description: z
    .string()
    .max(500)
    .regex(/^[^\p{Cc}]*$/u, 'one line of text without control characters')
    .optional(),
  fabric: z.strictObject({
    routers: z.record(name, fabricRouterSchema),
    switches: z.array(name).default([]),
  }),
  hosts: z.record(name, hostSchema).default({}),
  clusters: z.record(name, clusterSchema),
  overlay: overlaySchema.optional(),
  links: z.array(z.tuple([endpoint, endpoint])),
  manifests: z.union([manifestFolder, inlineManifestsSchema]).optional(),
});

/** Inline manifests with the topology file they came from, so that errors name it. */
export interface InlineManifests {
  file: string;
  clusters: z.infer<typeof inlineManifestsSchema>;
}

/** A loaded topology: its manifest folder is absolute, its inline manifests know their file. */
export type Topology = Omit<z.infer<typeof topologySchema>, 'manifests'> & { manifests?: string | InlineManifests };
export type FabricRouter = z.infer<typeof fabricRouterSchema>;
export type Host = z.infer<typeof hostSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
export type ClusterNode = z.infer<typeof node>;
export type Neighbor = z.infer<typeof neighbor>;
export type Overlay = z.infer<typeof overlaySchema>;

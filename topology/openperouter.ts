// The openperouter releases the suite speaks, and what differs between them in
// what a node does (read from each tag's source: internal/hostnetwork,
// internal/sysctl, internal/frr/templates, internal/netnamespace).
import type { Feature } from './features.ts';

export const OPENPEROUTER_VERSIONS = ['v0.0.5', 'v0.1.0', 'v0.2.0', 'main'] as const;
export type OpenPERouterVersion = (typeof OPENPEROUTER_VERSIONS)[number];

export interface OpenPERouterRelease {
  version: OpenPERouterVersion;
  /** The commit the suite's knowledge of this version comes from. */
  commit: string;
  apiVersion: string;
  /** The FRR its router pod runs. */
  frr: string;
  /**
   * arp_accept / accept_untracked_na where the SVIs live: a moved VM's gratuitous ARPs update its MAC+IP route at
   * once.
   */
  arpAccept: boolean;
  /** The device holding the VTEP address in the router's namespace (a dummy `lound`, later `lo`). */
  vtepDevice: 'lound' | 'lo';
  /** The router's network namespace: the router pod's own, or the named `perouter` the pod enters. */
  routerNamespace: 'pod' | 'perouter';
  /** `exit` / `!` close each `router bgp` block (FRR 10.6 templates). */
  closesBgpBlocks: boolean;
  /** The default VRF's l2vpn evpn advertises the SVIs' (anycast gateways') addresses. */
  advertiseSviIp: boolean;
}

const OPENPE_GROUP = 'openpe.openperouter.github.io/v1alpha1';

// fidelity: OPE-API-001
export const OPENPEROUTER_RELEASES: Record<OpenPERouterVersion, OpenPERouterRelease> = {
  'v0.0.5': {
    version: 'v0.0.5',
    commit: '26415084469f3dc4aaf8ff5a5b2a457f007ad99f',
    apiVersion: OPENPE_GROUP,
    frr: '10.2.1',
    arpAccept: false,
    vtepDevice: 'lound',
    routerNamespace: 'pod',
    closesBgpBlocks: false,
    advertiseSviIp: true,
  },
  'v0.1.0': {
    version: 'v0.1.0',
    commit: '46f5f660e0d807450c9ea6f5fee7b3233e8a49c2',
    apiVersion: OPENPE_GROUP,
    frr: '10.2.1',
    arpAccept: true,
    vtepDevice: 'lound',
    routerNamespace: 'pod',
    closesBgpBlocks: false,
    advertiseSviIp: true,
  },
  'v0.2.0': {
    version: 'v0.2.0',
    commit: 'ac3d5ed4bb708a2fc3dc04c0b7657dd6918e53a7',
    apiVersion: OPENPE_GROUP,
    frr: '10.6.0',
    arpAccept: true,
    vtepDevice: 'lo',
    routerNamespace: 'perouter',
    closesBgpBlocks: true,
    advertiseSviIp: true,
  },
  main: {
    version: 'main',
    commit: '1d5dcdfd8b9e538d46ecee90df4249a00d33e948',
    apiVersion: 'network.openperouter.io/v1alpha1',
    frr: '10.6.0',
    arpAccept: true,
    vtepDevice: 'lo',
    routerNamespace: 'perouter',
    closesBgpBlocks: true,
    advertiseSviIp: false,
  },
};

/** The newest release. */
export const DEFAULT_OPENPEROUTER: OpenPERouterVersion = 'v0.2.0';

export const OPENPEROUTER_ENV = 'L2STRETCH_OPENPEROUTER';

export class OpenPERouterVersionError extends Error {
  override name = 'OpenPERouterVersionError';
}

export function isOpenPERouterVersion(v: string): v is OpenPERouterVersion {
  return (OPENPEROUTER_VERSIONS as readonly string[]).includes(v);
}

/** A release by its name, e.g. a pin in a testbed's versions. */
export function releaseNamed(v: string, source = 'openperouter version'): OpenPERouterRelease {
  if (!isOpenPERouterVersion(v)) {
    throw new OpenPERouterVersionError(
      `${source} "${v}" is not a supported openperouter version; supported: ${OPENPEROUTER_VERSIONS.join(', ')}`,
    );
  }
  return OPENPEROUTER_RELEASES[v];
}

/** The release L2STRETCH_OPENPEROUTER names (default: the newest release). */
export function selectedOpenPERouter(env: NodeJS.ProcessEnv = process.env): OpenPERouterRelease {
  return releaseNamed(env[OPENPEROUTER_ENV]?.trim() || DEFAULT_OPENPEROUTER, OPENPEROUTER_ENV);
}

/** What a testbed of this release cannot offer, and why: the suites skip the checks that need it, with the reason. */
// fidelity: OPE-NODE-001
export function releaseGaps(r: OpenPERouterRelease): Partial<Record<Feature, string>> {
  return r.arpAccept
    ? {}
    : {
        'garp-moves-mac-ip':
          `openperouter ${r.version} sets neither arp_accept nor accept_untracked_na where the SVIs live ` +
          `(v0.1.0 does)`,
      };
}

/** How a run record and a testbed file name the release: version, commit and API group. */
export function describeRelease(r: OpenPERouterRelease): string {
  return `${r.version} (${r.commit.slice(0, 8)}, ${r.apiVersion})`;
}

// What a testbed can do beyond BGP and EVPN routes. A testbed declares its features;
// a check that needs one the testbed lacks is skipped, and the skip says which.
export const FEATURES = {
  l2vni: 'an L2VNI stretched across the clusters, with VMs on it',
  l3vni: 'an L3VNI routing the stretched segment into a VRF with external hosts',
  'workload-exec': 'commands run inside the VMs and the fabric hosts',
  'in-cluster-migration': 'KubeVirt live migration between nodes of one cluster',
  'cross-cluster-migration':
    'KubeVirt decentralized live migration between clusters (v1.6+, feature gate DecentralizedLiveMigration)',
  'garp-moves-mac-ip':
    "the node routers take a moved VM's gratuitous ARPs into their neighbor tables (arp_accept, " +
    'accept_untracked_na: openperouter v0.1.0 and later), so its MAC+IP route follows it at once',
  'migration-probe':
    'a prober inside the observer VM that times a request every 100 ms and holds a long-lived stream during a ' +
    'migration (the embedded VMs run the bundled Node one, real VMs the Python guest agent)',
} as const;
export type Feature = keyof typeof FEATURES;

export const ALL_FEATURES = Object.keys(FEATURES) as Feature[];

// Before a cross-cluster migration is trusted: KubeVirt older than v1.6, or without
// the DecentralizedLiveMigration feature gate, silently drops `sendTo`, and the
// source would then migrate within its own cluster — a run could pass falsely.
import type { KubernetesApi } from '../ports.ts';

interface KubeVirtCr {
  spec?: { configuration?: { developerConfiguration?: { featureGates?: string[] } } };
}

export const DECENTRALIZED_GATE = 'DecentralizedLiveMigration';

/** Why this cluster cannot take part in a cross-cluster migration, or undefined when it can. */
export async function crossClusterMigrationGap(client: KubernetesApi): Promise<string | undefined> {
  const kv = await client.get<{ observedKubeVirtVersion?: string }>('KubeVirt', 'kubevirt');
  if (!kv) return `${client.name}: no KubeVirt CR kubevirt/kubevirt`;
  const version = kv.status?.observedKubeVirtVersion;
  const m = version ? /^v?(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return `${client.name}: KubeVirt reports no version yet (status.observedKubeVirtVersion)`;
  if (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 6)) {
    return (
      `${client.name}: KubeVirt ${version} is older than v1.6, which drops sendTo silently: a local migration ` +
      `could pass for a cross-cluster one`
    );
  }
  const gates = (kv as KubeVirtCr).spec?.configuration?.developerConfiguration?.featureGates ?? [];
  if (!gates.includes(DECENTRALIZED_GATE))
    return (
      `${client.name}: KubeVirt ${version} runs without the feature gate ${DECENTRALIZED_GATE}, so sendTo would ` +
      `be dropped silently`
    );
  return undefined;
}

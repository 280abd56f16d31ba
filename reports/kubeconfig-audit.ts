// What the kubeconfigs of a certified testbed let l2stretch do that a reviewer
// should know: run a program to get credentials (an exec plugin runs as root here)
// and talk to an API server without checking its certificate. Recorded in the
// bundle (kubeconfigs.json) and flagged when certify runs and when it is verified.
import { parse } from 'yaml';
import { readCapped, MAX_INPUT_BYTES } from '../topology/input.ts';
import type { TestbedFile } from '../helpers/testbed.ts';

export const KUBECONFIG_AUDIT_FILE = 'kubeconfigs.json';

export interface KubeconfigFinding {
  kubeconfig: string;
  /** `user <name>: exec plugin <command>` or `cluster <name>: insecure-skip-tls-verify`. */
  flag: string;
}

interface Kubeconfig {
  clusters?: Array<{ name?: string; cluster?: { 'insecure-skip-tls-verify'?: boolean } }>;
  users?: Array<{ name?: string; user?: { exec?: { command?: string }; 'auth-provider'?: { name?: string } } }>;
}

function kubeconfigsOf(file: TestbedFile): string[] {
  const paths = new Set<string>();
  for (const c of Object.values(file.clusters)) if (c.api.type === 'kubernetes') paths.add(c.api.kubeconfig);
  for (const m of [...Object.values(file.routers), ...Object.values(file.workloads)]) {
    if ('exec' in m && m.exec.type === 'kubectl') paths.add(m.exec.kubeconfig);
  }
  return [...paths].sort();
}

export function auditKubeconfigs(file: TestbedFile): KubeconfigFinding[] {
  return kubeconfigsOf(file).flatMap((path) => {
    let k: Kubeconfig;
    try {
      k = (parse(readCapped(path, `kubeconfig ${path}`, MAX_INPUT_BYTES.testbed)) ?? {}) as Kubeconfig;
    } catch (e) {
      return [{ kubeconfig: path, flag: `unreadable: ${(e as Error).message.split('\n')[0]}` }];
    }
    const flags = [
      ...(k.users ?? []).flatMap((u) => [
        ...(u.user?.exec ? [`user ${u.name}: exec plugin ${u.user.exec.command ?? '(no command)'}`] : []),
        ...(u.user?.['auth-provider'] ? [`user ${u.name}: auth-provider ${u.user['auth-provider'].name}`] : []),
      ]),
      ...(k.clusters ?? [])
        .filter((c) => c.cluster?.['insecure-skip-tls-verify'] === true)
        .map((c) => `cluster ${c.name}: insecure-skip-tls-verify (the API server's certificate is not checked)`),
    ];
    return flags.map((flag) => ({ kubeconfig: path, flag }));
  });
}

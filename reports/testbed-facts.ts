// What the run record says about the testbed: which one, which topology, what it
// can do and the versions of what it runs. FRR's version is asked of a router and
// the kernel's of a member, so it is right on any testbed.
import type { Testbed } from '../helpers/testbed.ts';

export interface TestbedFacts {
  kind: string;
  runId: string;
  topology: string;
  features: string[];
  versions: Record<string, string>;
  /** The wait times in effect (ms): the defaults, the testbed file's and L2STRETCH_DEADLINES' overrides. */
  waits: Record<string, number>;
}

async function frrVersion(tb: Testbed): Promise<string | undefined> {
  const r = tb.routers[0];
  if (!r) return undefined;
  const out = await r.vtysh('show version').catch(() => '');
  return /FRRouting (\S+)/.exec(out)?.[1];
}

async function kernelVersion(tb: Testbed): Promise<string | undefined> {
  const [m] = await tb.kernelMembers().catch(() => []);
  const r = await m?.run(['uname', '-r']).catch(() => undefined);
  return r?.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function testbedFacts(tb: Testbed): Promise<TestbedFacts> {
  const [frr, kernel] = await Promise.all([frrVersion(tb), kernelVersion(tb)]);
  return {
    kind: tb.kind,
    runId: tb.runId,
    topology: tb.topology.name,
    features: [...tb.features].sort(),
    versions: { ...(frr ? { frr } : {}), ...(kernel ? { kernel } : {}), ...tb.versions },
    waits: { ...tb.deadlines },
  };
}

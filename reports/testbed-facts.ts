// What the run record says about the testbed: which one, which topology, what it
// can do, which NOS each router runs and the versions of what it runs. Each NOS's
// version is asked of one of its routers and the kernel's of a member, so it is
// right on any testbed.
import type { Router, Testbed } from '../helpers/ports.ts';

export interface TestbedFacts {
  kind: string;
  runId: string;
  topology: string;
  features: string[];
  versions: Record<string, string>;
  /** The dialect each router was read with (`nos` of the topology and the testbed file). */
  nos: Record<string, string>;
  /** The wait times in effect (ms): the defaults, the testbed file's and L2STRETCH_DEADLINES' overrides. */
  waits: Record<string, number>;
}

/** One version per NOS, keyed by its name (frr: "8.4.4"), asked of the first router running it. */
async function nosVersions(tb: Testbed): Promise<Record<string, string>> {
  const first = new Map(tb.routers.map((r): [string, Router] => [r.nos, r]).reverse());
  const versions: Record<string, string> = {};
  await Promise.all(
    [...first].map(async ([nos, r]) => {
      const v = await r.version().catch(() => undefined);
      if (v) versions[nos] = v.value;
    }),
  );
  return versions;
}

async function kernelVersion(tb: Testbed): Promise<string | undefined> {
  const [m] = await tb.kernelMembers().catch(() => []);
  const r = await m?.run(['uname', '-r']).catch(() => undefined);
  return r?.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function testbedFacts(tb: Testbed): Promise<TestbedFacts> {
  const [nos, kernel] = await Promise.all([nosVersions(tb), kernelVersion(tb)]);
  return {
    kind: tb.kind,
    runId: tb.runId,
    topology: tb.topology.name,
    features: [...tb.features].sort(),
    nos: Object.fromEntries(tb.routers.map((r) => [r.name, r.nos])),
    versions: { ...nos, ...(kernel ? { kernel } : {}), ...tb.versions },
    waits: { ...tb.deadlines },
  };
}

// What the run record says about the testbed: which one, which topology, what it
// can do, which NOS each router runs and the versions of what it runs. Each NOS's
// version is asked of one of its routers and the kernel's of a member, so it is
// right on any testbed.
import type { Testbed } from '../helpers/ports.ts';

export interface TestbedFacts {
  kind: string;
  runId: string;
  topology: string;
  features: string[];
  versions: Record<string, string>;
  /** The dialect each router was read with (`nos` of the topology and the testbed file). */
  nos: Record<string, string>;
  /** Each router's software version as the device reports it (routers that did not answer are left out). */
  routerVersions: Record<string, string>;
  /** The wait times in effect (ms): the defaults, the testbed file's and L2STRETCH_DEADLINES' overrides. */
  waits: Record<string, number>;
}

/** Each router's version, asked of every router: a vendor fabric may run several releases. */
async function routerVersions(tb: Testbed): Promise<Record<string, string>> {
  const asked = await Promise.all(
    tb.routers.map(async (r) => [r.name, (await r.version().catch(() => undefined))?.value] as const),
  );
  return Object.fromEntries(asked.filter((a): a is readonly [string, string] => a[1] !== undefined));
}

/** One version per NOS, keyed by its name (frr: "8.4.4"): the first of its routers that answered. */
function nosVersions(tb: Testbed, byRouter: Record<string, string>): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const r of tb.routers) {
    const v = byRouter[r.name];
    if (v !== undefined) versions[r.nos] ??= v;
  }
  return versions;
}

async function kernelVersion(tb: Testbed): Promise<string | undefined> {
  const [m] = await tb.kernelMembers().catch(() => []);
  const r = await m?.run(['uname', '-r']).catch(() => undefined);
  return r?.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function testbedFacts(tb: Testbed): Promise<TestbedFacts> {
  const [byRouter, kernel] = await Promise.all([routerVersions(tb), kernelVersion(tb)]);
  const nos = nosVersions(tb, byRouter);
  return {
    kind: tb.kind,
    runId: tb.runId,
    topology: tb.topology.name,
    features: [...tb.features].sort(),
    nos: Object.fromEntries(tb.routers.map((r) => [r.name, r.nos])),
    routerVersions: byRouter,
    versions: { ...nos, ...(kernel ? { kernel } : {}), ...tb.versions },
    waits: { ...tb.deadlines },
  };
}

// `l2stretch testbed up|down|status`: each kind's provider (testbeds/registry.ts) stands
// its testbed up and down; status lists the embedded testbeds of this machine.
// Bring-up's modules take most of a second to load: each provider says what it starts first, then loads them.
import { listRuns } from '../testbeds/embedded/runs.ts';
import { PROVIDERS } from '../testbeds/registry.ts';
import type { UpDownFlag, UpDownFlags } from '../testbeds/provider.ts';
import { TESTBED_KINDS, type TestbedKind } from '../helpers/ports.ts';
import { EXIT, UsageError } from './exit.ts';

const FLAG_NAMES: Record<UpDownFlag, string> = { dryRun: '--dry-run', labDir: '--lab-dir', run: '--run', all: '--all' };

/** Flags another kind takes, refused rather than ignored, naming the kinds that take them. */
function refuseForeignFlags(kind: TestbedKind, direction: 'up' | 'down', flags: UpDownFlags): void {
  const given = (Object.keys(FLAG_NAMES) as UpDownFlag[]).filter((f) => flags[f] !== undefined && flags[f] !== false);
  const foreign = given.filter((f) => !PROVIDERS[kind].flags[direction].includes(f));
  if (!foreign.length) return;
  const owners = TESTBED_KINDS.filter((k) => foreign.every((f) => PROVIDERS[k].flags[direction].includes(f)));
  throw new UsageError(
    `${foreign.map((f) => FLAG_NAMES[f]).join(' and ')}: only with --testbed ${owners.join(' or ') || '(none)'}`,
  );
}

async function upOrDown(direction: 'up' | 'down', flags: UpDownFlags & { testbed: TestbedKind }): Promise<number> {
  const provider = PROVIDERS[flags.testbed];
  const act = provider[direction];
  if (!act) throw new UsageError(`the ${flags.testbed} testbed is not stood ${direction} by l2stretch`);
  refuseForeignFlags(flags.testbed, direction, flags);
  return (await act(flags)) === 'interrupted' ? EXIT.interrupted : EXIT.passed;
}

export const testbedUp = (flags: UpDownFlags & { testbed: TestbedKind }) => upOrDown('up', flags);
export const testbedDown = (flags: UpDownFlags & { testbed: TestbedKind }) => upOrDown('down', flags);

/** `testbed preflight`: what this machine lacks to stand the testbed up, one line each; nothing is changed. */
export async function testbedPreflight(flags: { testbed: TestbedKind; topology?: string; labDir?: string }) {
  const problems = await PROVIDERS[flags.testbed].preflight(flags);
  if (!problems.length) {
    process.stdout.write(`this machine can stand the ${flags.testbed} testbed up\n`);
    return EXIT.passed;
  }
  process.stdout.write(`the ${flags.testbed} testbed cannot start here:\n  ${problems.join('\n  ')}\n`);
  return EXIT.usage;
}

export async function testbedStatus(): Promise<number> {
  const runs = await listRuns();
  if (!runs.length) process.stdout.write('no l2stretch testbed on this machine\n');
  for (const r of runs) {
    const role = r.notYours
      ? 'not yours: another user runs it; whether it is in use cannot be told from here (never remove it)'
      : r.kept
        ? 'kept'
        : r.inUse
          ? 'in use by a run'
          : 'leftover of a run that is gone (remove with `l2stretch testbed down`)';
    process.stdout.write(`${r.runId}  controller ${r.controller}  ${role}  ${r.stateFile ?? '(no testbed file)'}\n`);
  }
  return EXIT.passed;
}

// What a kind of testbed offers the global setup and the CLI. Each kind is a folder
// with a provider.ts, listed once in ./registry.ts; a provider loads its bring-up
// modules only when asked (the CLI starts without them).
import type { TestbedKind } from '../helpers/ports.ts';

/** `l2stretch testbed up|down` flags a kind may take beyond --topology. */
export interface UpDownFlags {
  topology?: string;
  /** kind: print the plan (every command and manifest) instead of running it. */
  dryRun?: boolean;
  labDir?: string;
  /** embedded, down: this run only. */
  run?: string;
  /** embedded, down: also runs a conformance run still uses. */
  all?: boolean;
}
export type UpDownFlag = Exclude<keyof UpDownFlags, 'topology'>;

/** A testbed stood up for one conformance run. */
export interface RunTestbed {
  /** Its testbed file. */
  file: string;
  /** Removes it (or keeps it, saying so, when the user asked to keep it). */
  down(): Promise<void>;
}

/** How `up` or `down` ended: done, or cut short by Ctrl-C after cleaning up (the CLI exits 130). */
export type Outcome = 'done' | 'interrupted';

export interface TestbedProvider {
  readonly kind: TestbedKind;
  /**
   * What this machine lacks to stand the testbed up, one line each with the fix; [] when nothing.
   * A kind brought by the user is checked through its testbed file instead (its routers must answer).
   */
  preflight(o: { topology?: string; labDir?: string; testbedFile?: string }): Promise<string[]>;
  /** Stands it up for one conformance run, with progress lines on stderr. Absent: it comes as a testbed file. */
  upForRun?(o: { topology?: string }): Promise<RunTestbed>;
  /** Why a run of this kind needs L2STRETCH_TESTBED_FILE, when it has no upForRun. */
  readonly needsFile?: string;
  /** `testbed up` (its plan with --dry-run): stands it up and keeps it, printing its testbed file. */
  up?(flags: UpDownFlags): Promise<Outcome>;
  /** `testbed down`: removes kept testbeds of this kind (with --dry-run: what it would do). */
  down?(flags: UpDownFlags): Promise<Outcome>;
  /** Flags `up` and `down` take; the CLI refuses the others, naming the kind that takes them. */
  readonly flags: { up: readonly UpDownFlag[]; down: readonly UpDownFlag[] };
}

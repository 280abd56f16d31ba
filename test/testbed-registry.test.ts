// The registry of testbed kinds: one provider per kind of the testbed file, the CLI's
// choices derived from it, and flags of another kind refused naming the kind.
import { describe, it, expect } from 'vitest';
import { TESTBED_KINDS } from '../helpers/ports.ts';
import { PROVIDERS, UP_KINDS, isTestbedKind } from '../testbeds/registry.ts';
import { testbedFileSchema } from '../helpers/testbed.ts';
import { testbedDown, testbedUp } from '../cli/testbed.ts';

describe('testbed providers', () => {
  it('one per kind a testbed file may name, each under its own name', () => {
    expect(Object.keys(PROVIDERS).sort()).toEqual([...TESTBED_KINDS].sort());
    for (const k of TESTBED_KINDS) expect(PROVIDERS[k].kind).toBe(k);
    expect(testbedFileSchema.shape.kind.options).toEqual([...TESTBED_KINDS]);
    expect(isTestbedKind('kind')).toBe(true);
    expect(isTestbedKind('minikube')).toBe(false);
  });

  it('the kinds l2stretch stands up are those with up and down; existing comes as a testbed file', () => {
    expect(UP_KINDS).toEqual(['embedded', 'kind']);
    for (const k of UP_KINDS) expect(PROVIDERS[k].down).toBeDefined();
    expect(PROVIDERS.existing.upForRun).toBeUndefined();
    expect(PROVIDERS.existing.needsFile).toMatch(/^L2STRETCH_TESTBED=existing needs L2STRETCH_TESTBED_FILE/);
  });

  it("refuses another kind's flags before doing anything, naming the kind that takes them", async () => {
    await expect(testbedUp({ testbed: 'embedded', dryRun: true, labDir: '/x' })).rejects.toThrow(
      '--dry-run and --lab-dir: only with --testbed kind',
    );
    await expect(testbedDown({ testbed: 'kind', run: 'l2s-000000', all: true })).rejects.toThrow(
      '--run and --all: only with --testbed embedded',
    );
    await expect(testbedUp({ testbed: 'existing' })).rejects.toThrow(
      'the existing testbed is not stood up by l2stretch',
    );
  });

  it('existing: preflight asks for the testbed file', async () => {
    expect(await PROVIDERS.existing.preflight({})).toEqual([
      'no testbed file: name the one that says how to reach your lab',
    ]);
  });
});

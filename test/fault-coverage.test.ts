// A check that always passes is caught only when some fault is shown to fail it: every
// catalogue check must be named by a row of the fault catalogue (test/faults) or by an
// embedded fault test (test/embedded/*fault*.test.ts, the ID in the test's title).
// A row names a check by a fragment of its title that carries the ID; the catalogue
// run proves each fragment matches exactly one failed check, so the ID named here is
// the one that failed there.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULT_GROUPS } from './faults/catalogue.ts';
import { checkIds, type CheckId } from '../suites/catalogue.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ID = /L2S-[A-Z0-9]+-\d{3}/g;

/** Checks that no fault proves, each with the reason no fault can (empty: every check has one). */
const NO_FAULT: Partial<Record<CheckId, string>> = {};

const rows = FAULT_GROUPS.flatMap((g) => g.faults.map((f) => ({ name: `${g.name}: ${f.name}`, breaks: f.breaks })));

function embeddedFaultTests(): Map<string, string[]> {
  const dir = join(root, 'test', 'embedded');
  const byFile = new Map<string, string[]>();
  for (const f of readdirSync(dir).filter((x) => /fault.*\.test\.ts$/.test(x))) {
    const titles = [...readFileSync(join(dir, f), 'utf8').matchAll(/\bit\(\s*(['"`])(.*?)\1/g)].map((m) => m[2]!);
    byFile.set(
      f,
      titles.flatMap((t) => t.match(ID) ?? []),
    );
  }
  return byFile;
}

describe('a fault behind every check', () => {
  it('every fragment a fault row expects to fail names exactly one known check ID', () => {
    const known = new Set<string>(checkIds());
    const bad = rows.flatMap((r) =>
      r.breaks
        .filter((b) => (b.match(ID) ?? []).length !== 1 || !known.has(b.match(ID)![0]!))
        .map((b) => `${r.name}: "${b}"`),
    );
    expect(bad).toEqual([]);
  });

  it('every catalogue check is failed by some fault row or embedded fault test, or says why none can', () => {
    const proven = new Set([
      ...rows.flatMap((r) => r.breaks.flatMap((b) => b.match(ID) ?? [])),
      ...[...embeddedFaultTests().values()].flat(),
    ]);
    const unproven = checkIds().filter((id) => !proven.has(id) && !NO_FAULT[id]);
    expect(unproven, 'checks no fault is shown to fail').toEqual([]);
    const needless = Object.keys(NO_FAULT).filter((id) => proven.has(id));
    expect(needless, 'allow-listed checks that a fault does prove (drop them from NO_FAULT)').toEqual([]);
    for (const [id, why] of Object.entries(NO_FAULT))
      expect(why!.length, `${id} needs a written reason`).toBeGreaterThan(20);
  });
});

// A check that always passes is caught only when some fault is shown to fail it: every
// catalogue check must be named by a row of the fault catalogue (test/faults) or by an
// embedded fault test (test/embedded/*fault*.test.ts, the ID in the test's title).
// A row names each instance it must fail by its key; the catalogue run proves each
// such instance failed, so the ID of the key is the check that failed there.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULT_GROUPS } from './faults/catalogue.ts';
import { checkIds, type CheckId } from '../suites/catalogue.ts';
import { parseKey } from '../suites/keys.ts';

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
  it('every instance a fault row expects to fail is named by a well-formed key, once', () => {
    const bad = rows.flatMap((r) =>
      r.breaks.flatMap((k) => {
        try {
          parseKey(k);
          return r.breaks.indexOf(k) === r.breaks.lastIndexOf(k) ? [] : [`${r.name}: ${k} named twice`];
        } catch (e) {
          return [`${r.name}: ${(e as Error).message}`];
        }
      }),
    );
    expect(bad).toEqual([]);
  });

  it('every catalogue check is failed by some fault row or embedded fault test, or says why none can', () => {
    const proven = new Set([
      ...rows.flatMap((r) => r.breaks.map((k) => parseKey(k).id)),
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

// The published catalogue (conformance.yaml) and the suites must say the same thing.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, catalogueYaml, checkIds, idOfTitle, selectedTiers } from '../suites/catalogue.ts';
import { suiteVersion } from '../reports/suite-identity.ts';

const root = join(import.meta.dirname, '..');
const suiteSources = readdirSync(join(root, 'suites'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => readFileSync(join(root, 'suites', f), 'utf8'))
  .join('\n');

describe('conformance catalogue', () => {
  it('conformance.yaml is what suites/catalogue.ts generates (run `npm run catalogue` after changing it)', () => {
    expect(readFileSync(join(root, 'conformance.yaml'), 'utf8')).toBe(catalogueYaml(suiteVersion()));
  });

  it('every catalogue ID is checked by a suite, and every ID a suite checks is in the catalogue', () => {
    const used = new Set([...suiteSources.matchAll(/'(L2S-[A-Z0-9]+-\d{3})'/g)].map((m) => m[1]!));
    expect([...used].filter((id) => !(id in CATALOGUE))).toEqual([]);
    expect(checkIds().filter((id) => !used.has(id))).toEqual([]);
  });

  it('requirements use RFC 2119 words and IDs follow L2S-<AREA>-<nnn>', () => {
    for (const id of checkIds()) {
      expect(id).toMatch(/^L2S-[A-Z0-9]+-\d{3}$/);
      expect(CATALOGUE[id].requirement, id).toMatch(/\b(MUST|MUST NOT|SHOULD|SHOULD NOT|MAY)\b/);
      // The conformance tier is what certification requires: its words are MUST, not SHOULD.
      if (CATALOGUE[id].tier === 'conformance') expect(CATALOGUE[id].requirement, id).toMatch(/\bMUST\b/);
    }
  });

  it('finds the ID at the start of a test name only', () => {
    expect(idOfTitle('L2S-BGP-001 spine: leafA Established')).toBe('L2S-BGP-001');
    expect(idOfTitle('spine: L2S-BGP-001')).toBeUndefined();
    expect(idOfTitle('L2S-BGP-999 not in the catalogue')).toBeUndefined();
  });

  it('L2STRETCH_TIERS selects tiers and rejects unknown ones', () => {
    expect(selectedTiers(undefined)).toEqual(['conformance', 'extended']);
    expect(selectedTiers('conformance')).toEqual(['conformance']);
    expect(() => selectedTiers('conformance,nightly')).toThrow(
      'L2STRETCH_TIERS: unknown tier nightly (tiers: conformance, extended)',
    );
    expect(() => selectedTiers('constructor')).toThrow('L2STRETCH_TIERS: unknown tier constructor');
  });
});

// The fidelity ledger (docs/fidelity-ledger.md) against the code: every rule the
// code tags as emulated (`// fidelity: <ID>`) has a row, every row is tagged in the
// code, names emulating files that exist and hold the named functions, and names
// tests that exist (a file holding the quoted title).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ledger = readFileSync(join(root, 'docs/fidelity-ledger.md'), 'utf8');

interface Row {
  id: string;
  emulatedIn: string;
  provenBy: string;
}

function rows(): Row[] {
  const lines = ledger.split('\n').filter((l) => /^\| [A-Z]+(-[A-Z0-9]+)+ \|/.test(l));
  return lines.map((l) => {
    const cells = l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, ''));
    if (cells.length !== 5) throw new Error(`ledger row with ${cells.length} cells instead of 5: ${l.slice(0, 80)}`);
    return { id: cells[0]!, emulatedIn: cells[3]!, provenBy: cells[4]! };
  });
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((f) => {
    const p = join(root, dir, f);
    if (f === 'node_modules' || f.startsWith('.')) return [];
    if (statSync(p).isDirectory()) return sources(relative(root, p));
    return f.endsWith('.ts') ? [relative(root, p)] : [];
  });
}

/** Tagged IDs and where: `// fidelity: A, B`. */
function tags(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of ['testbeds', 'helpers', 'suites', 'topology', 'test'].flatMap(sources)) {
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(/\/\/ fidelity: ([A-Z0-9, -]+)$/gm)) {
      for (const id of m[1]!.split(',').map((x) => x.trim())) found.set(id, [...(found.get(id) ?? []), file]);
    }
  }
  return found;
}

/** Backslash escapes dropped, so a title quoted in the ledger is found in the test's source. */
const source = (file: string) => readFileSync(join(root, file), 'utf8').replace(/\\/g, '');

describe('the fidelity ledger', () => {
  const all = rows();
  const tagged = tags();

  it('has rows, each ID once', () => {
    expect(all.length).toBeGreaterThan(10);
    expect(all.map((r) => r.id).filter((id, i, a) => a.indexOf(id) !== i)).toEqual([]);
  });

  it('has a row for every rule the code tags as emulated', () => {
    const ids = new Set(all.map((r) => r.id));
    expect(
      [...tagged].filter(([id]) => !ids.has(id)).map(([id, files]) => `${id} (tagged in ${files.join(', ')})`),
    ).toEqual([]);
  });

  it('every row is tagged in the code and names emulating files that exist and hold the named function', () => {
    const problems: string[] = [];
    for (const r of all) {
      if (!tagged.has(r.id)) problems.push(`${r.id}: no "// fidelity: ${r.id}" in the code`);
      const named = [...r.emulatedIn.matchAll(/`([^`]+\.ts)` `([^`]+)`/g)];
      if (!named.length) problems.push(`${r.id}: "emulated in" names no file and function`);
      for (const [, file, fn] of named) {
        if (!existsSync(join(root, file!))) problems.push(`${r.id}: ${file} does not exist`);
        else if (!source(file!).includes(fn!.split('.').pop()!)) problems.push(`${r.id}: ${file} has no ${fn}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every row names a test that exists', () => {
    const problems: string[] = [];
    for (const r of all) {
      const named = [...r.provenBy.matchAll(/`([^`]+\.ts)` "([^"]+)"/g)];
      if (!named.length) problems.push(`${r.id}: "proven by" names no test file and title`);
      for (const [, file, title] of named) {
        if (!existsSync(join(root, file!))) problems.push(`${r.id}: ${file} does not exist`);
        else if (!source(file!).includes(title!)) problems.push(`${r.id}: ${file} has no test "${title}"`);
      }
    }
    expect(problems).toEqual([]);
  });
});

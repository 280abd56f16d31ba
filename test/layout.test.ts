// README's "Layout" table against the tree: every top-level folder, and every folder of
// helpers/ and testbeds/, is in the table, and everything the table names exists; the
// typecheck covers every TypeScript file of the tree.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const folders = (parent: string) => [
  ...new Set(
    tracked
      .filter((f) => f.startsWith(parent) && f.slice(parent.length).includes('/'))
      .map((f) => f.slice(parent.length).split('/')[0]!)
      .filter((d) => !d.startsWith('.')),
  ),
];

/** The table's rows: the folders of the first cell, the backquoted `name/` tokens of the second. */
function table(): Array<{ folders: string[]; named: string[] }> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## Layout$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error('README.md has no "## Layout" section');
  const rows = section.split('\n').filter((l) => /^\| `/.test(l));
  if (!rows.length) throw new Error('README.md\'s "Layout" section has no table rows naming folders');
  return rows.map((l) => {
    const [first = '', second = ''] = l.split(' | ');
    const tokens = (cell: string) => [...cell.matchAll(/`([a-z][\w-]*)\/`/g)].map((m) => m[1]!);
    return { folders: tokens(first), named: tokens(second) };
  });
}

describe("README's layout table", () => {
  const rows = table();
  const listed = rows.flatMap((r) => r.folders);

  it('names every top-level folder, and names none that does not exist', () => {
    expect(folders('').sort()).toEqual([...listed].sort());
  });

  it.each(['helpers', 'testbeds'])('names every folder of %s/, and none that does not exist', (parent) => {
    const row = rows.find((r) => r.folders.includes(parent));
    expect(row, `no row for ${parent}/`).toBeDefined();
    expect(folders(`${parent}/`).sort()).toEqual([...new Set(row!.named)].sort());
    for (const d of row!.named) expect(existsSync(join(root, parent, d)), `${parent}/${d}`).toBe(true);
  });
});

describe('the typecheck', () => {
  it("covers every TypeScript file: each one's folder is in tsconfig.json's include", () => {
    const include = (JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] }).include;
    const outside = tracked.filter(
      (f) => f.endsWith('.ts') && !include.some((i) => (i === '*.ts' ? !f.includes('/') : f.startsWith(`${i}/`))),
    );
    expect(outside).toEqual([]);
  });
});

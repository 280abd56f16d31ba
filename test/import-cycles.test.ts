// No import cycle, type imports included (ESLint's import-x/no-cycle skips `import type`):
// the graph of relative imports among the tracked modules outside test/, read with
// TypeScript's own import scanner, has no strongly connected component of two or more.
import { describe, it, expect } from 'vitest';
import ts from 'typescript';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function importGraph(): Map<string, string[]> {
  const files = execFileSync('git', ['ls-files', '*.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('test/'));
  const known = new Set(files);
  return new Map(
    files.map((f) => [
      f,
      ts
        .preProcessFile(readFileSync(join(root, f), 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName)
        .filter((s) => s.startsWith('.'))
        .map((s) => normalize(join(dirname(f), s)))
        .filter((p) => known.has(p)),
    ]),
  );
}

/** Tarjan's strongly connected components of two or more modules: the cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) visit(w);
      if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = stack.splice(stack.indexOf(v));
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports', () => {
  it('finds a cycle where there is one', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('no module of the project is part of an import cycle, counting type imports', () => {
    expect(cycles(importGraph())).toEqual([]);
  });
});

// `l2stretch list`: the catalogue's checks, as a table or JSON.
import { CATALOGUE, checkIds, type Tier } from '../suites/catalogue.ts';

export function list(opts: { tier?: Tier; json?: boolean }): number {
  const ids = checkIds().filter((id) => !opts.tier || CATALOGUE[id].tier === opts.tier);
  const rows = ids.map((id) => ({ id, ...CATALOGUE[id] }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const width = (k: 'id' | 'tier' | 'suite') => Math.max(k.length, ...rows.map((r) => r[k].length));
  const [w1, w2, w3] = [width('id'), width('tier'), width('suite')];
  const needs = (n: readonly string[]) => (n.length ? n.join(', ') : '-');
  const w4 = Math.max(5, ...rows.map((r) => needs(r.needs).length));
  const line = (a: string, b: string, c: string, d: string, e: string) =>
    `${a.padEnd(w1)}  ${b.padEnd(w2)}  ${c.padEnd(w3)}  ${d.padEnd(w4)}  ${e}`;
  process.stdout.write(
    [
      line('ID', 'tier', 'suite', 'needs', 'requirement'),
      ...rows.map((r) => line(r.id, r.tier, r.suite, needs(r.needs), r.requirement)),
    ].join('\n') + `\n${rows.length} checks\n`,
  );
  return 0;
}

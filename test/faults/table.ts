// The fault catalogue's table (reports/fault-catalogue.md), made by a reporter from
// the rows the parts' tests carry (shard.ts): the same table from one run of every
// part or from the merged reports of shards run on several machines
// (`vitest --merge-reports --reporter=./test/faults/table.ts`). A row whose test
// ended before it could judge (a testbed that did not come up) is listed as failed,
// with its error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

declare module 'vitest' {
  interface TaskMeta {
    /** The row's line of the table, and its place: the row's order in the catalogue. */
    faultRow?: { order: number; line: string };
  }
}

export const TABLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reports', 'fault-catalogue.md');
const PART = /[\\/]test[\\/]faults[\\/]part-\d+\.test\.ts$/;

const HEADER = [
  '| fault | checks expected to fail | checks that failed | seconds (inject + run) | verdict |',
  '|---|---|---|---|---|',
];

/** The table's lines for these test cases, in catalogue order; undefined when none is a fault row. */
export function faultTable(cases: TestCase[]): string | undefined {
  if (!cases.length) return undefined;
  const rows: Array<{ order: number; line: string }> = [];
  for (const c of cases) {
    const row = c.meta().faultRow;
    const result = c.result();
    if (row) rows.push(row);
    else if (result.state === 'failed') {
      const error = (result.errors?.[0]?.message ?? 'no error recorded').split('\n')[0]!;
      rows.push({
        order: Number.MAX_SAFE_INTEGER,
        line: `| ${c.fullName} | - | - | - | FAIL (${error.replaceAll('|', '\\|')}) |`,
      });
    }
  }
  rows.sort((a, b) => a.order - b.order);
  return [...HEADER, ...rows.map((r) => r.line)].join('\n');
}

export default class FaultCatalogueTable implements Reporter {
  constructor(private readonly options: { outputFile?: string } = {}) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const cases = modules.filter((m) => PART.test(m.moduleId)).flatMap((m) => [...m.children.allTests()]);
    const table = faultTable(cases);
    if (table === undefined) return;
    const file = this.options.outputFile ?? TABLE;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `# Fault catalogue\n\n${table}\n`);
    process.stdout.write(`\n${table}\n\n(${file})\n`);
  }
}

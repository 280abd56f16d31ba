// The fault catalogue's table: each shard leaves its rows in SHARD_DIR; once every
// shard is done (vitest's global teardown) they become one table, in shard order.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const reports = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reports');
export const SHARD_DIR = join(reports, 'fault-catalogue.shards');
const TABLE = join(reports, 'fault-catalogue.md');

export function setup(): () => void {
  rmSync(SHARD_DIR, { recursive: true, force: true });
  return () => {
    mkdirSync(SHARD_DIR, { recursive: true });
    const shards = readdirSync(SHARD_DIR).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const rows = shards.flatMap((f) => readFileSync(join(SHARD_DIR, f), 'utf8').split('\n').filter(Boolean));
    const table = [
      '| fault | checks expected to fail | checks that failed | seconds (inject + run) | verdict |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n');
    writeFileSync(TABLE, `# Fault catalogue\n\n${table}\n`);
    rmSync(SHARD_DIR, { recursive: true, force: true });
    process.stdout.write(`\n${table}\n\n(${TABLE})\n`);
  };
}

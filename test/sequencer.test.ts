// The self-tests' start order (test/sequencer.ts) on a clean clone, where vitest has
// no durations cached and would start the largest files first.
import { describe, it, expect } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LongestWaitFirst, STARTS_FIRST } from './sequencer.ts';
import config from '../vitest.config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('self-test start order', () => {
  it('is the sequencer of the root config, the only one vitest reads', () => {
    expect(config.test?.sequence?.sequencer).toBe(LongestWaitFirst);
  });

  it('names files that exist', () => {
    for (const f of STARTS_FIRST) expect(existsSync(join(root, f)), f).toBe(true);
  });

  it('starts the longest waits first, then the other embedded files, then the rest, each in vitest order', async () => {
    const files = [
      'test/topology.test.ts',
      'test/embedded/reports.test.ts',
      'test/hostile-input.test.ts',
      ...STARTS_FIRST,
      'test/embedded/stages.test.ts',
    ];
    const project = { name: 'self', config: { sequence: { groupOrder: 0 }, isolate: true } };
    const cache = {
      getFileTestResults: () => undefined,
      getFileStats: (key: string) => ({ size: statSync(join(root, key.slice('self:'.length))).size }),
    };
    const sequencer = new LongestWaitFirst({ config: { root }, cache } as never);
    const sorted = await sequencer.sort(files.map((f) => ({ project, moduleId: join(root, f) })) as never);
    const order = (sorted as unknown as Array<{ moduleId: string }>).map((s) => relative(root, s.moduleId));
    const bySize = (fs: string[]) =>
      [...fs].sort((a, b) => statSync(join(root, b)).size - statSync(join(root, a)).size);
    expect(order).toEqual([
      ...STARTS_FIRST,
      ...bySize(['test/embedded/reports.test.ts', 'test/embedded/stages.test.ts']),
      ...bySize(['test/topology.test.ts', 'test/hostile-input.test.ts']),
    ]);
  });
});

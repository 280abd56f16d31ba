// Every check ends in the suite's own words (router, peer or route, expected, seen):
// a matcher's comparison ("expected [ Array(1) ] to deeply equal []") says none of it.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const suites = join(dirname(fileURLToPath(import.meta.url)), '..', 'suites');
const files = readdirSync(suites, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

describe('house style of the checks', () => {
  it('no suite judges with a matcher: checks end in judge() or expectEventually()', () => {
    const found = files.flatMap((f) =>
      readFileSync(join(suites, f), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /\bexpect\s*\(|\.expect\s*\(|\bassert\s*\(/.test(line) ? [`suites/${f}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });
});

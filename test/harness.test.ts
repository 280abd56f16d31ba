// The conformance harness wraps every check's body alike (labels, diagnostics at the first
// failure), yet vitest must still set up only the fixtures the body names: a check that
// does not need the VMs must not greet them. vitest finds those names in the test
// function's source; withFixturesOf makes the wrapper show the body's.
import { test as base, describe, it, expect } from 'vitest';
import { withFixturesOf } from '../suites/context.ts';
import { verdictOf } from '../suites/verdict.ts';

const made: string[] = [];
const wrapped: string[] = [];
const test = base.extend<{ heavy: number; light: string }>({
  heavy: [
    async ({}, use) => {
      made.push('heavy');
      await use(42);
    },
    { scope: 'file' },
  ],
  light: [async ({}, use) => use('x'), { scope: 'file' }],
});

function check<F>(name: string, body: (f: F, ctx: unknown) => void | Promise<void>) {
  test(
    name,
    withFixturesOf(body, async (ctx) => {
      wrapped.push(name);
      await body(ctx as F, ctx);
    }) as never,
  );
}

describe('checks set up only the fixtures they name', () => {
  check('light only', ({ light }: { light: string }) => {
    expect(light).toBe('x');
    expect(made).toEqual([]);
  });
  check<object>('none at all', ({}, ctx) => {
    expect((ctx as { task: { name: string } }).task.name).toBe('none at all');
    expect(made).toEqual([]);
  });
  check('heavy', ({ heavy }: { heavy: number }) => {
    expect(heavy).toBe(42);
    expect(made).toEqual(['heavy']);
  });
  check('heavy again: set up once per file', ({ heavy }: { heavy: number }) => {
    expect(heavy).toBe(42);
    expect(made).toEqual(['heavy']);
    expect(wrapped).toEqual(['light only', 'none at all', 'heavy', 'heavy again: set up once per file']);
  });
});

describe('verdicts', () => {
  it('hold without a problem and join several, one per line, keeping the evidence', () => {
    expect(verdictOf(undefined)).toEqual({ evidence: [] });
    expect(verdictOf([undefined, undefined])).toEqual({ evidence: [] });
    const a = { router: 'spine', command: 'show bgp summary json', raw: '{}', data: {} };
    expect(verdictOf(['spine: x', undefined, 'spine: y'], [a])).toEqual({
      problem: 'spine: x\nspine: y',
      evidence: [a],
    });
    expect(verdictOf('leafA: z')).toEqual({ problem: 'leafA: z', evidence: [] });
  });
});

// Reference material lives in ../shared (never copied into the project); tests
// that compare against it skip with the reason when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.L2STRETCH_SHARED ?? join(root, '..', 'shared');
export const REFERENCE = join(SHARED, 'reference');
export const hasShared = existsSync(REFERENCE);
export const NO_SHARED = `reference material not found at ${REFERENCE} (set L2STRETCH_SHARED)`;

export function sharedText(...parts: string[]): string {
  return readFileSync(join(REFERENCE, ...parts), 'utf8');
}

export function sharedJson(...parts: string[]): unknown {
  return JSON.parse(sharedText(...parts));
}

export function fixtureJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(root, 'test', 'fixtures', ...parts), 'utf8'));
}

/** Skips the running test, with the reason, when the reference material is absent. */
export function needsShared(ctx: { skip: (note?: string) => void }): void {
  if (!hasShared) ctx.skip(NO_SHARED);
}

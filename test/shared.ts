// Reference material lives in ../shared (never copied into the project). Without it,
// tests that compare against it skip with the reason on a developer's machine; with
// CI set they fail instead, so a CI run can never pass by skipping them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE, type CheckId } from '../suites/catalogue.ts';
import { checkKey, type KeyParams } from '../suites/keys.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.L2STRETCH_SHARED ?? join(root, '..', 'shared');
export const REFERENCE = join(SHARED, 'reference');
export const hasShared = existsSync(REFERENCE);
export const NO_SHARED = `reference material not found at ${REFERENCE} (set L2STRETCH_SHARED)`;
/** CI's convention (vitest's too): set and not "false" or "0". */
export const inCi = !!process.env.CI && !['false', '0'].includes(process.env.CI);
/** For `describe.skipIf`: skip only where skipping is allowed. */
export const skipWithoutShared = !hasShared && !inCi;

/** A path under the reference material; throws (naming it) when the material is absent. */
export function referencePath(...parts: string[]): string {
  if (!hasShared) throw new Error(`${NO_SHARED}; CI is set, so a test that needs it fails instead of skipping`);
  return join(REFERENCE, ...parts);
}

export function sharedText(...parts: string[]): string {
  return readFileSync(referencePath(...parts), 'utf8');
}

export function sharedJson(...parts: string[]): unknown {
  return JSON.parse(sharedText(...parts));
}

export function fixtureJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(root, 'test', 'data', ...parts), 'utf8'));
}

/** Captures and samples the project keeps (test/data/SOURCES.md says where each comes from). */
export function dataJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(root, 'test', 'data', ...parts), 'utf8'));
}

/** The CRDs of an openperouter release in the reference data (main: the commit the suite knows). */
export function openperouterCrds(version: string): string {
  return referencePath('openperouter', version === 'main' ? 'head-1d5dcdfd' : version, 'config', 'crd', 'bases');
}

/** Skips the running test, with the reason, when the reference material is absent (fails instead under CI). */
export function needsShared(ctx: { skip: (note?: string) => void }): void {
  if (hasShared) return;
  if (inCi) throw new Error(`${NO_SHARED}; CI is set, so a test that needs it fails instead of skipping`);
  ctx.skip(NO_SHARED);
}

/** A well-formed key of check `id`: every key parameter set to `value`. */
export function sampleKey(id: CheckId, value = 'x'): string {
  return checkKey(id, Object.fromEntries(CATALOGUE[id].params.map((p) => [p, value])) as KeyParams<CheckId>);
}

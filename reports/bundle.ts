// The certification bundle a vendor hands over: the product file, the run record,
// JUnit, the run's log, the Allure results, the catalogue it was judged against,
// and SHA256SUMS over all of them. Every text file is redacted on the way in.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, existsSync, cpSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { z } from 'zod';
import { redact } from './redact.ts';
import { RUN_FILES } from './paths.ts';
import { readStructured, describeIssues, MAX_INPUT_BYTES } from '../topology/input.ts';

// Names end up in the bundle's folder name and in what verify-bundle prints: short,
// one line, no control characters; a version is no path.
const label = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'one line of at most 100 characters without control characters');
const versionLabel = label.regex(/^[A-Za-z0-9][A-Za-z0-9_.+~-]*$/, 'a version of letters, digits, ".", "-", "+", "~"');

export const productSchema = z.strictObject({
  vendor: label,
  product: label,
  version: versionLabel,
  contact: label,
  /** What the vendor put in place of the reference testbed's parts; at least one. */
  replaced: z
    .strictObject({
      fabricNos: label.optional(),
      peImplementation: label.optional(),
      kubevirtDistribution: label.optional(),
    })
    .refine((r) => Object.keys(r).length > 0, 'name at least one of fabricNos, peImplementation, kubevirtDistribution'),
  notes: z
    .string()
    .max(4000)
    .regex(/^[^\x00-\x08\x0b-\x1f\x7f]*$/, 'text without control characters (newlines and tabs allowed)')
    .optional(),
});
export type Product = z.infer<typeof productSchema>;

export function readProduct(path: string): Product {
  const raw = readStructured(path, `product file ${path}`, MAX_INPUT_BYTES.product);
  const r = productSchema.safeParse(raw);
  if (!r.success) throw new Error(`product file ${path}: ${describeIssues(r.error.issues).join('; ')}`);
  return r.data;
}

export const BUNDLE_FILES = {
  product: 'product.yaml',
  catalogue: 'conformance.yaml',
  record: RUN_FILES.record,
  junit: RUN_FILES.junit,
  log: RUN_FILES.log,
  allureResults: RUN_FILES.allureResults,
  sums: 'SHA256SUMS',
} as const;

const TEXT = /\.(json|ya?ml|xml|txt|log|svg|html|csv|md)$/i;

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

export const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function copyRedacted(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  if (TEXT.test(from)) writeFileSync(to, redact(readFileSync(from, 'utf8')));
  else cpSync(from, to);
}

export interface BundleSources {
  product: string;
  catalogue: string;
  runDir: string;
}

/** Assembles the bundle in `out` from a finished run's report directory and writes SHA256SUMS last. */
export function writeBundle(src: BundleSources, out: string): string[] {
  mkdirSync(out, { recursive: true });
  copyRedacted(src.product, join(out, BUNDLE_FILES.product));
  copyRedacted(src.catalogue, join(out, BUNDLE_FILES.catalogue));
  for (const f of [RUN_FILES.record, RUN_FILES.junit, RUN_FILES.log]) {
    if (existsSync(join(src.runDir, f))) copyRedacted(join(src.runDir, f), join(out, f));
  }
  const results = join(src.runDir, RUN_FILES.allureResults);
  if (existsSync(results)) for (const f of filesUnder(results)) copyRedacted(join(results, f), join(out, RUN_FILES.allureResults, f));
  const files = filesUnder(out).filter((f) => f !== BUNDLE_FILES.sums);
  writeFileSync(join(out, BUNDLE_FILES.sums), files.map((f) => `${sha256(join(out, f))}  ${f}\n`).join(''));
  return files;
}

// The certification bundle a vendor hands over: the product file, the run record,
// JUnit, the run's log, the Allure results, the catalogue it was judged against,
// and SHA256SUMS over all of them. Every text file is redacted on the way in.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, existsSync, cpSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { redact } from './redact.ts';
import { RUN_FILES } from './paths.ts';

export const productSchema = z.strictObject({
  vendor: z.string().min(1),
  product: z.string().min(1),
  version: z.string().min(1),
  contact: z.string().min(1),
  /** What the vendor put in place of the reference testbed's parts; at least one. */
  replaced: z
    .strictObject({
      fabricNos: z.string().min(1).optional(),
      peImplementation: z.string().min(1).optional(),
      kubevirtDistribution: z.string().min(1).optional(),
    })
    .refine((r) => Object.keys(r).length > 0, 'name at least one of fabricNos, peImplementation, kubevirtDistribution'),
  notes: z.string().optional(),
});
export type Product = z.infer<typeof productSchema>;

export function readProduct(path: string): Product {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`product file ${path}: ${(e as Error).message}`);
  }
  const r = productSchema.safeParse(raw);
  if (!r.success) throw new Error(`product file ${path}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`);
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

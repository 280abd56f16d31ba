// The certification bundle a vendor hands over: the product file, the run record,
// JUnit, the run's log, the Allure results, the catalogue it was judged against,
// and SHA256SUMS over all of them. Every text file is redacted on the way in.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, lstatSync, existsSync } from 'node:fs';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { z } from 'zod';
import { redactFile, redactJson } from './redact.ts';
import { KUBECONFIG_AUDIT_FILE, type KubeconfigFinding } from './kubeconfig-audit.ts';
import { runRecordSchema } from './run-record.ts';
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
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
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

export class BundleError extends Error {
  override name = 'BundleError';
}

/** Every regular file under dir, relative; a link or a special file anywhere is reported, never followed. */
export function walkBundle(dir: string): { files: string[]; strange: string[] } {
  const files: string[] = [];
  const strange: string[] = [];
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const st = lstatSync(join(dir, f));
    if (st.isSymbolicLink()) strange.push(`${f}: a symbolic link (a bundle holds files only)`);
    else if (st.isFile()) files.push(f);
    else if (!st.isDirectory()) strange.push(`${f}: not a regular file`);
  }
  return { files, strange };
}

export function filesUnder(dir: string): string[] {
  return walkBundle(dir).files;
}

export const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function copyRedacted(from: string, to: string): void {
  const st = lstatSync(from);
  if (!st.isFile()) throw new BundleError(`${from}: not a regular file (a link?): it does not go into a bundle`);
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  writeFileSync(to, redactFile(from, readFileSync(from)), { flag: 'wx', mode: 0o600 });
}

export interface BundleSources {
  product: string;
  catalogue: string;
  runDir: string;
  /** What the testbed's kubeconfigs let the run do (exec plugins, unchecked TLS): recorded in the bundle. */
  kubeconfigs?: KubeconfigFinding[];
}

/**
 * A bundle goes into a folder of its own: `out` must not exist, or be an empty
 * directory (never a link), so that no earlier file can pass for this run's.
 */
export function assertBundleTarget(out: string): void {
  let st;
  try {
    st = lstatSync(out);
  } catch {
    return;
  }
  if (st.isSymbolicLink() || !st.isDirectory()) throw new BundleError(`--out ${out}: exists and is not a directory`);
  if (readdirSync(out).length) {
    throw new BundleError(`--out ${out}: not empty (a bundle never mixes with earlier files)`);
  }
}

/** The run record, complete and valid, or why no bundle can be written from this run. */
function finishedRecord(runDir: string): void {
  const file = join(runDir, RUN_FILES.record);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'not JSON';
    throw new BundleError(`no bundle written: ${file}: ${why} (the run did not finish)`);
  }
  if (!runRecordSchema.safeParse(raw).success) {
    throw new BundleError(`no bundle written: ${file} is not a complete run record`);
  }
}

/**
 * Assembles the bundle from a finished run's report directory: built in a fresh
 * folder next to `out`, SHA256SUMS written last, then renamed into place, so `out`
 * holds a whole bundle of this run or nothing.
 */
export function writeBundle(src: BundleSources, out: string): string[] {
  assertBundleTarget(out);
  finishedRecord(src.runDir);
  mkdirSync(dirname(out), { recursive: true });
  const building = mkdtempSync(join(dirname(out), '.l2s-bundle-'));
  try {
    copyRedacted(src.product, join(building, BUNDLE_FILES.product));
    copyRedacted(src.catalogue, join(building, BUNDLE_FILES.catalogue));
    for (const f of [RUN_FILES.record, RUN_FILES.junit, RUN_FILES.log]) {
      if (existsSync(join(src.runDir, f))) copyRedacted(join(src.runDir, f), join(building, f));
    }
    const results = join(src.runDir, RUN_FILES.allureResults);
    if (existsSync(results)) {
      const { files, strange } = walkBundle(results);
      if (strange.length) throw new BundleError(`no bundle written: ${results}: ${strange.join('; ')}`);
      for (const f of files) copyRedacted(join(results, f), join(building, RUN_FILES.allureResults, f));
    }
    if (src.kubeconfigs) {
      const audit = redactJson(JSON.stringify(src.kubeconfigs, null, 2));
      writeFileSync(join(building, KUBECONFIG_AUDIT_FILE), audit, { flag: 'wx', mode: 0o600 });
    }
    const files = filesUnder(building);
    const sums = files.map((f) => `${sha256(join(building, f))}  ${f}\n`).join('');
    writeFileSync(join(building, BUNDLE_FILES.sums), sums, { flag: 'wx', mode: 0o600 });
    // Replaces an empty `out` directory in one step.
    renameSync(building, out);
    return files;
  } catch (e) {
    rmSync(building, { recursive: true, force: true });
    throw e;
  }
}

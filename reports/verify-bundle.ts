// `l2stretch verify-bundle <dir>`: is this a clean, complete certification run of
// the product it names? Every reason it is not is reported, not just the first.
// SHA256SUMS proves the files are the ones the run wrote; it is not a signature.
import { readFileSync, lstatSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { BUNDLE_FILES, walkBundle, sha256, productSchema } from './bundle.ts';
import { oneLine } from '../topology/input.ts';
import { KUBECONFIG_AUDIT_FILE, type KubeconfigFinding } from './kubeconfig-audit.ts';
import { runRecordSchema, type RunRecord } from './run-record.ts';
import { CATALOGUE, checkIds } from '../suites/catalogue.ts';
import { duplicateKeys, parseKey } from '../suites/keys.ts';
import { suiteVersion } from './suite-identity.ts';

export interface Verification {
  ok: boolean;
  problems: string[];
  /** What the bundle certifies, when it could be read. */
  summary?: string;
}

/** A path SHA256SUMS may name: relative, inside the bundle, no `..`. */
const insideBundle = (f: string) => !isAbsolute(f) && normalize(f) === f && !f.startsWith('..') && !f.includes('\\');

function checkSums(dir: string, present: Set<string>, problems: string[]): void {
  const sumsFile = join(dir, BUNDLE_FILES.sums);
  if (!present.has(BUNDLE_FILES.sums)) {
    problems.push(`${BUNDLE_FILES.sums} is missing: the files cannot be checked`);
    return;
  }
  const listed = new Map<string, string>();
  for (const line of readFileSync(sumsFile, 'utf8').split('\n').filter(Boolean)) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) problems.push(`${BUNDLE_FILES.sums}: malformed line "${line}"`);
    else if (!insideBundle(m[2]!)) problems.push(`${BUNDLE_FILES.sums}: names ${m[2]}, a file outside the bundle`);
    else listed.set(m[2]!, m[1]!);
  }
  for (const [f, hash] of listed) {
    if (!present.has(f)) problems.push(`${f}: listed in ${BUNDLE_FILES.sums} but missing`);
    else if (sha256(join(dir, f)) !== hash)
      problems.push(`${f}: its SHA-256 differs from ${BUNDLE_FILES.sums} (changed after the run)`);
  }
  for (const f of present) {
    if (f !== BUNDLE_FILES.sums && !listed.has(f))
      problems.push(`${f}: not listed in ${BUNDLE_FILES.sums} (added after the run)`);
  }
}

function readJsonOrYaml(dir: string, present: Set<string>, file: string, problems: string[]): unknown {
  if (!present.has(file)) return undefined;
  try {
    const text = readFileSync(join(dir, file), 'utf8');
    return file.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (e) {
    problems.push(`${file}: cannot be read (${(e as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

function checkRecord(r: RunRecord, catalogueIds: string[], problems: string[]): void {
  if (r.suite.dirty)
    problems.push(
      `run-record.json: l2stretch ${r.suite.commit} had local changes: a certification must run an unmodified suite`,
    );
  if (!r.tiers.includes('conformance')) problems.push('run-record.json: the conformance tier was not run');
  for (const id of catalogueIds) {
    const c = r.checks.find((x) => x.id === id);
    if (!c) problems.push(`${id}: absent from the run`);
    else if (c.verdict !== 'passed') {
      const bad = c.instances
        .filter((i) => i.verdict !== 'passed')
        .map((i) => `${i.verdict}: ${i.title}${i.message ? ` (${i.message.split('\n')[0]})` : ''}`);
      const more = bad.length > 3 ? `; … ${bad.length - 3} more` : '';
      problems.push(`${id}: ${c.verdict}${bad.length ? ` — ${bad.slice(0, 3).join('; ')}${more}` : ''}`);
    }
  }
  // An instance the record files under a check it is no key of, or two under one key, cannot be told apart.
  for (const c of r.checks) {
    for (const i of c.instances) {
      let id: string | undefined;
      try {
        id = parseKey(i.key).id;
      } catch (e) {
        problems.push(`${c.id}: instance "${i.title}": ${(e as Error).message}`);
      }
      if (id !== undefined && id !== c.id) problems.push(`${c.id}: instance ${i.key} is a key of ${id}`);
    }
  }
  for (const k of duplicateKeys(r.checks.flatMap((c) => c.instances.map((i) => i.key))))
    problems.push(`run-record.json: two instances under the key ${k}`);
  for (const s of r.strays) problems.push(`a test without a check key ran: ${s}`);
  for (const e of r.errors) problems.push(`error outside the checks: ${e}`);
  if (r.verdict !== 'passed') problems.push('run-record.json: the run did not pass');
  if (!r.testbed.versions.frr) problems.push('run-record.json: the FRR version of the testbed is not recorded');
  // l2stretch builds these testbeds from reference parts only: a vendor's product is in none of them.
  const reference = REFERENCE_TESTBEDS.includes(r.testbed.kind)
    ? r.testbed.kind
    : Object.values(r.testbed.versions).some((v) => /^embedded\b/.test(v))
      ? 'embedded (by its component versions)'
      : undefined;
  if (reference)
    problems.push(
      `run-record.json: the run was on the ${reference} testbed, which contains none of the product: it ` +
        `certifies nothing`,
    );
}

const REFERENCE_TESTBEDS = ['embedded', 'kind'];

/** What certify recorded about the testbed's kubeconfigs, for the reader to weigh (not a failure). */
function flags(dir: string, present: Set<string>): string[] {
  if (!present.has(KUBECONFIG_AUDIT_FILE)) return [];
  try {
    const found = JSON.parse(readFileSync(join(dir, KUBECONFIG_AUDIT_FILE), 'utf8')) as KubeconfigFinding[];
    return found.map((f) => `${f.kubeconfig}: ${f.flag}`);
  } catch {
    return [`${KUBECONFIG_AUDIT_FILE} cannot be read`];
  }
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function checkJunit(dir: string, present: Set<string>, problems: string[]): void {
  const file = join(dir, BUNDLE_FILES.junit);
  if (!present.has(BUNDLE_FILES.junit)) return void problems.push(`${BUNDLE_FILES.junit} is missing`);
  const suites = [...readFileSync(file, 'utf8').matchAll(/<testsuite\s([^>]*)>/g)].map((m) => m[1]!);
  const total = (n: string) =>
    suites.reduce((sum, a) => sum + Number(new RegExp(`\\b${n}="(\\d+)"`).exec(a)?.[1] ?? 0), 0);
  if (!(total('tests') > 0)) problems.push(`${BUNDLE_FILES.junit}: no tests recorded`);
  for (const n of ['failures', 'errors', 'skipped'])
    if (total(n) > 0) problems.push(`${BUNDLE_FILES.junit}: ${total(n)} ${n}`);
}

/** The PE the run tested, when it was openperouter: a product that replaced it records none. */
const openperouterOf = (versions: Record<string, string>) =>
  versions.openperouter ? `, openperouter ${versions.openperouter}` : '';

/** Every problem and the summary as one line each, control characters shown, never sent to the terminal. */
function printable(v: Verification): Verification {
  return { ...v, problems: v.problems.map(oneLine), ...(v.summary ? { summary: oneLine(v.summary) } : {}) };
}

export function verifyBundle(dir: string): Verification {
  return printable(verify(dir));
}

function verify(dir: string): Verification {
  const problems: string[] = [];
  let top;
  try {
    top = lstatSync(dir);
  } catch {
    return { ok: false, problems: [`${dir} does not exist`] };
  }
  if (top.isSymbolicLink() || !top.isDirectory()) return { ok: false, problems: [`${dir}: not a directory (a link?)`] };
  // Only regular files count; nothing is read through a link.
  const walked = walkBundle(dir);
  problems.push(...walked.strange);
  const present = new Set(walked.files);
  checkSums(dir, present, problems);
  for (const f of [BUNDLE_FILES.product, BUNDLE_FILES.catalogue, BUNDLE_FILES.record, BUNDLE_FILES.log]) {
    if (!present.has(f)) problems.push(`${f} is missing`);
  }
  if (!isDirectory(join(dir, BUNDLE_FILES.allureResults))) problems.push(`${BUNDLE_FILES.allureResults}/ is missing`);

  const product = productSchema.safeParse(readJsonOrYaml(dir, present, BUNDLE_FILES.product, problems));
  if (!product.success)
    problems.push(
      `${BUNDLE_FILES.product}: ${product.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const record = runRecordSchema.safeParse(readJsonOrYaml(dir, present, BUNDLE_FILES.record, problems));
  if (!record.success)
    problems.push(
      `${BUNDLE_FILES.record}: not a run record (${record.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')})`,
    );
  const catalogue = readJsonOrYaml(dir, present, BUNDLE_FILES.catalogue, problems) as
    | { version?: string; checks?: Array<{ id: string; tier: string; thresholds?: Record<string, { value: number }> }> }
    | undefined;

  // The bundle is judged against its own catalogue; when it is this verifier's
  // version, that catalogue must also be the verifier's.
  const bundled = (catalogue?.checks ?? []).filter((c) => c.tier === 'conformance').map((c) => c.id);
  if (catalogue?.version === suiteVersion()) {
    const mine = checkIds().filter((id) => CATALOGUE[id].tier === 'conformance');
    if (!isDeepStrictEqual([...bundled].sort(), [...mine].sort()))
      problems.push(
        `${BUNDLE_FILES.catalogue}: its conformance checks differ from those of l2stretch ${suiteVersion()}`,
      );
  }
  if (catalogue && !bundled.length) problems.push(`${BUNDLE_FILES.catalogue}: lists no conformance check`);

  if (record.success) {
    const r = record.data;
    checkRecord(r, bundled, problems);
    if (catalogue?.version && catalogue.version !== r.suite.version)
      problems.push(
        `versions disagree: ${BUNDLE_FILES.catalogue} is of l2stretch ${catalogue.version}, the run was ` +
          `l2stretch ${r.suite.version}`,
      );
    if (product.success && !isDeepStrictEqual(r.product, product.data))
      problems.push(`${BUNDLE_FILES.record} names another product than ${BUNDLE_FILES.product}`);
    // A pass/fail limit relaxed for the run (an edited record or catalogue) voids it.
    for (const c of catalogue?.checks ?? []) {
      const want = Object.fromEntries(Object.entries(c.thresholds ?? {}).map(([k, t]) => [k, t.value]));
      const seen = r.thresholds[c.id] ?? {};
      if (!isDeepStrictEqual(want, seen))
        problems.push(
          `${c.id}: the run's thresholds ${JSON.stringify(seen)} differ from ${BUNDLE_FILES.catalogue}'s ` +
            `${JSON.stringify(want)}`,
        );
    }
  }
  checkJunit(dir, present, problems);
  const summary =
    product.success && record.success
      ? `${product.data.vendor} ${product.data.product} ${product.data.version} — l2stretch ` +
        `${record.data.suite.version} (${record.data.suite.commit.slice(0, 12)}) on ` +
        `${/^[aeiou]/.test(record.data.testbed.kind) ? 'an' : 'a'} ${record.data.testbed.kind} testbed, FRR ` +
        `${record.data.testbed.versions.frr ?? '?'}${openperouterOf(record.data.testbed.versions)}, ` +
        `${record.data.finishedAt}`
      : undefined;
  const flagged = flags(dir, present);
  const described = summary && flagged.length ? `${summary}; flagged: ${flagged.join('; ')}` : summary;
  return { ok: problems.length === 0, problems, ...(described ? { summary: described } : {}) };
}

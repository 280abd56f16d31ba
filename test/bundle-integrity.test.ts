// Bundles that cannot lie: no bundle over stale files or from a run without its
// record, nothing read through a link or outside the bundle, no reference testbed
// passed off as a product's, no terminal escape from a field reaching the screen,
// and redaction that never breaks the JSON/YAML it goes through.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  existsSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeBundle, BundleError } from '../reports/bundle.ts';
import { verifyBundle } from '../reports/verify-bundle.ts';
import type { RunRecord } from '../reports/run-record.ts';
import { writeBundleInputs, writeFakeRun } from './run-fixture.ts';
import { CATALOGUE, checkIds, thresholdValues } from '../suites/catalogue.ts';
import { sampleKey } from './shared.ts';
import { auditKubeconfigs } from '../reports/kubeconfig-audit.ts';
import { testbedFileSchema } from '../helpers/testbed.ts';

const PRODUCT = {
  vendor: 'Acme',
  product: 'Fabric',
  version: '4.2.1',
  contact: 'c@acme.example',
  replaced: { fabricNos: 'AcmeOS' },
};
const ids = checkIds().filter((id) => CATALOGUE[id].tier === 'conformance');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-integrity-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(
  edit: (r: RunRecord) => void = () => {},
  product: object = PRODUCT,
): { runDir: string; product: string; catalogue: string } {
  const runDir = join(dir, 'run');
  const inputs = writeBundleInputs(dir, product);
  const tests = ids.map((id) => ({
    name: `${id} x`,
    key: sampleKey(id),
    title: `s > ${id} x`,
    verdict: 'passed' as const,
    durationMs: 1,
    annotations: [],
  }));
  const record = {
    testbed: { kind: 'existing', runId: 'lab', topology: 'multicluster', features: [], versions: { frr: '10.2' } },
    thresholds: thresholdValues(),
    product: parse(stringify(product)),
  } satisfies Partial<RunRecord>;
  writeFakeRun(runDir, tests, { record }, edit);
  return { runDir, ...inputs };
}

const out = () => join(dir, 'bundle');
/** SHA256SUMS rewritten by hand after an edit, as a forger would. */
function resum(b: string, extra: string[] = []): void {
  const files = readdirSync(b, { recursive: true, encoding: 'utf8' }).filter(
    (f) => /\.\w+$/.test(f) && f !== 'SHA256SUMS',
  );
  const hash = (f: string) =>
    createHash('sha256')
      .update(readFileSync(join(b, f)))
      .digest('hex');
  writeFileSync(join(b, 'SHA256SUMS'), [...files.map((f) => `${hash(f)}  ${f}`), ...extra].join('\n') + '\n');
}

describe('certify writes a bundle only of this run', () => {
  it('a clean run of a product on its own lab verifies', () => {
    writeBundle(run(), out());
    expect(verifyBundle(out()).problems).toEqual([]);
  });

  it('refuses an --out that holds earlier files, and writes nothing into it', () => {
    mkdirSync(out());
    writeFileSync(join(out(), 'junit.xml'), 'stale');
    expect(() => writeBundle(run(), out())).toThrow(BundleError);
    expect(() => writeBundle(run(), out())).toThrow(`--out ${out()}: not empty`);
    expect(readdirSync(out())).toEqual(['junit.xml']);
  });

  it('an empty --out is replaced by the whole bundle in one step; no build folder is left behind', () => {
    mkdirSync(out());
    writeBundle(run(), out());
    expect(verifyBundle(out()).problems).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.l2s-bundle-'))).toEqual([]);
  });

  it('writes no bundle from a run that left no complete run record', () => {
    const src = run();
    rmSync(join(src.runDir, 'run-record.json'));
    expect(() => writeBundle(src, out())).toThrow(
      /no bundle written: .*run-record.json: ENOENT \(the run did not finish\)/,
    );
    writeFileSync(join(src.runDir, 'run-record.json'), '{"schema":"l2stretch.run-record/v2"}');
    expect(() => writeBundle(src, out())).toThrow('is not a complete run record');
    expect(existsSync(out())).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.l2s-bundle-'))).toEqual([]);
  });

  it("refuses a link among the run's results instead of copying what it points at", () => {
    const src = run();
    writeFileSync(join(dir, 'elsewhere.json'), '{"forged":true}');
    symlinkSync(join(dir, 'elsewhere.json'), join(src.runDir, 'allure-results', 'y-result.json'));
    expect(() => writeBundle(src, out())).toThrow('y-result.json: a symbolic link');
    expect(existsSync(out())).toBe(false);
  });

  it('a product note `lab token: none` keeps every file valid JSON/YAML, and the bundle verifies', () => {
    writeBundle(run(undefined, { ...PRODUCT, notes: 'lab token: none\npassword: |\n  hunter2' }), out());
    const record = JSON.parse(readFileSync(join(out(), 'run-record.json'), 'utf8')) as RunRecord;
    const product = parse(readFileSync(join(out(), 'product.yaml'), 'utf8')) as { notes: string };
    expect(record.product?.notes).toBe(product.notes);
    expect(product.notes).not.toContain('hunter2');
    expect(verifyBundle(out()).problems).toEqual([]);
  });
});

describe('verify-bundle believes nothing it cannot check', () => {
  it('refuses a run on the embedded or kind testbed, and one relabelled as another', () => {
    for (const kind of ['embedded', 'kind']) {
      rmSync(out(), { recursive: true, force: true });
      writeBundle(
        run((r) => (r.testbed.kind = kind)),
        out(),
      );
      expect(verifyBundle(out()).problems).toEqual([
        `run-record.json: the run was on the ${kind} testbed, which contains none of the product: it certifies nothing`,
      ]);
    }
    rmSync(out(), { recursive: true, force: true });
    writeBundle(
      run((r) => (r.testbed.versions.openperouter = 'embedded (openpe.openperouter.github.io/v1alpha1)')),
      out(),
    );
    expect(verifyBundle(out()).problems).toEqual([
      'run-record.json: the run was on the embedded (by its component versions) testbed, which contains none ' +
        'of the product: it certifies nothing',
    ]);
  });

  it('refuses links inside the bundle and never reads through them', () => {
    writeBundle(run(), out());
    const real = join(dir, 'real-log');
    writeFileSync(real, readFileSync(join(out(), 'run.log')));
    rmSync(join(out(), 'run.log'));
    symlinkSync(real, join(out(), 'run.log'));
    expect(verifyBundle(out()).problems).toEqual([
      'run.log: a symbolic link (a bundle holds files only)',
      'run.log: listed in SHA256SUMS but missing',
      'run.log is missing',
    ]);
    symlinkSync(out(), join(dir, 'link-to-bundle'));
    expect(verifyBundle(join(dir, 'link-to-bundle')).problems).toEqual([
      `${join(dir, 'link-to-bundle')}: not a directory (a link?)`,
    ]);
  });

  it('refuses SHA256SUMS naming files outside the bundle', () => {
    writeBundle(run(), out());
    resum(out(), [`${'0'.repeat(64)}  ../elsewhere.txt`, `${'0'.repeat(64)}  /etc/passwd`]);
    expect(verifyBundle(out()).problems).toEqual([
      'SHA256SUMS: names ../elsewhere.txt, a file outside the bundle',
      'SHA256SUMS: names /etc/passwd, a file outside the bundle',
    ]);
  });

  it('prints control characters of a field visibly: an ANSI sequence cannot repaint the verdict', () => {
    writeBundle(
      run((r) => r.errors.push('boom\u001b[1A\u001b[2K\rbundle x: VERIFIED')),
      out(),
    );
    const v = verifyBundle(out());
    expect(v.ok).toBe(false);
    const all = [...v.problems, v.summary ?? ''].join('\n');
    expect(all).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(v.problems).toContain('error outside the checks: boom\\x1b[1A\\x1b[2K\\x0dbundle x: VERIFIED');
  });
});

describe('kubeconfig hygiene of a certified testbed', () => {
  it('exec plugins and insecure-skip-tls-verify are recorded in the bundle and flagged when it is verified', () => {
    const kubeconfig = join(dir, 'kubeconfig-a');
    writeFileSync(
      kubeconfig,
      stringify({
        clusters: [{ name: 'a', cluster: { server: 'https://10.0.0.1:6443', 'insecure-skip-tls-verify': true } }],
        users: [
          {
            name: 'eks',
            user: { exec: { command: 'aws', env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'kubeexecsecret' }] } },
          },
        ],
      }),
    );
    const file = testbedFileSchema.parse({
      kind: 'existing',
      runId: 'lab',
      topology: 'multicluster',
      routers: {},
      workloads: {},
      clusters: { 'pe-kind-a': { api: { type: 'kubernetes', kubeconfig } } },
    });
    const kubeconfigs = auditKubeconfigs(file);
    expect(kubeconfigs).toEqual([
      { kubeconfig, flag: 'user eks: exec plugin aws' },
      { kubeconfig, flag: "cluster a: insecure-skip-tls-verify (the API server's certificate is not checked)" },
    ]);
    writeBundle({ ...run(), kubeconfigs }, out());
    const v = verifyBundle(out());
    expect(v.problems).toEqual([]);
    expect(v.summary).toContain(
      `flagged: ${kubeconfig}: user eks: exec plugin aws; ${kubeconfig}: cluster a: insecure-skip-tls-verify`,
    );
    expect(readFileSync(join(out(), 'kubeconfigs.json'), 'utf8')).not.toContain('kubeexecsecret');
  });
});

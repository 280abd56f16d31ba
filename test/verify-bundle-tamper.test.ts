// verify-bundle against bundles written here by hand, file by file: no helper the
// verifier itself trusts (catalogue rendering, verdict computation, bundle writer,
// its SHA-256 helper) builds them, so a verifier that agrees with a broken helper
// still fails here. Each test tampers with one thing and expects exactly its problem.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBundle } from '../reports/verify-bundle.ts';
import type { CheckId } from '../suites/catalogue.ts';
import { sampleKey } from './shared.ts';
import { suiteVersion } from '../reports/suite-identity.ts';

const PRODUCT =
  'vendor: Acme\nproduct: Acme Fabric\nversion: 4.2.1\ncontact: cert@acme.example\nreplaced:\n  fabricNos: ' +
  'AcmeOS 4.2\n';
const PRODUCT_JSON = {
  vendor: 'Acme',
  product: 'Acme Fabric',
  version: '4.2.1',
  contact: 'cert@acme.example',
  replaced: { fabricNos: 'AcmeOS 4.2' },
};

interface Hand {
  version: string;
  catalogue: Array<[id: string, tier: string]>;
  checks: Array<[id: string, tier: string, verdict: string, instances?: number]>;
  tiers: string[];
  junit: string;
  verdict: string;
  errors: string[];
}

/** A catalogue of another l2stretch version: three conformance checks and one extended. */
const CLEAN: Hand = {
  version: '0.0.9',
  catalogue: [
    ['L2S-BGP-001', 'conformance'],
    ['L2S-EVPN-001', 'conformance'],
    ['L2S-EVPN-004', 'extended'],
    ['L2S-L2-001', 'conformance'],
  ],
  checks: [
    ['L2S-BGP-001', 'conformance', 'passed'],
    ['L2S-EVPN-001', 'conformance', 'passed'],
    ['L2S-L2-001', 'conformance', 'passed'],
  ],
  tiers: ['conformance'],
  junit:
    '<testsuites tests="3" failures="0" errors="0">\n<testsuite name="bgp" tests="1" failures="0" errors="0" ' +
    'skipped="0"></testsuite>\n<testsuite name="evpn" tests="2" failures="0" errors="0" ' +
    'skipped="0"></testsuite>\n</testsuites>\n',
  verdict: 'passed',
  errors: [],
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-tamper-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(h: Hand): string {
  const b = join(dir, 'bundle');
  mkdirSync(join(b, 'allure-results'), { recursive: true });
  const files: Record<string, string> = {
    'product.yaml': PRODUCT,
    'conformance.yaml':
      `catalogue: l2stretch\nversion: ${h.version}\nchecks:\n` +
      `${h.catalogue.map(([id, tier]) => `  - id: ${id}\n    tier: ${tier}\n`).join('')}`,
    'run-record.json': JSON.stringify({
      schema: 'l2stretch.run-record/v2',
      suite: { name: 'l2stretch', version: h.version, commit: 'c0ffee'.padEnd(40, '0'), dirty: false },
      testbed: {
        kind: 'existing',
        runId: 'vendor-lab',
        topology: 'multicluster',
        features: ['l2vni'],
        versions: { frr: '8.4.4', openperouter: 'v0.2.0' },
      },
      tiers: h.tiers,
      waits: { bgpEstablished: 30_000 },
      thresholds: {},
      product: PRODUCT_JSON,
      startedAt: '2026-11-28T00:00:00.000Z',
      finishedAt: '2026-11-28T00:09:00.000Z',
      checks: h.checks.map(([id, tier, verdict, n = 1]) => ({
        id,
        tier,
        requirement: 'r',
        verdict,
        durationMs: 5,
        instances: Array.from({ length: n }, (_, i) => ({
          key: sampleKey(id as CheckId, `x${i}`),
          title: `${id} x${i || ''}`,
          verdict,
          durationMs: 5,
          ...(i === 1 ? { message: 'first line\nsecond' } : {}),
        })),
      })),
      strays: [],
      errors: h.errors,
      verdict: h.verdict,
    }),
    'junit.xml': h.junit,
    'run.log': 'ran\n',
    'allure-results/a-result.json': '{"status":"passed"}',
  };
  for (const [f, text] of Object.entries(files)) writeFileSync(join(b, f), text);
  const listed = readdirSync(b, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.includes('.'))
    .sort();
  writeFileSync(
    join(b, 'SHA256SUMS'),
    listed
      .map(
        (f) =>
          `${createHash('sha256')
            .update(readFileSync(join(b, f)))
            .digest('hex')}  ${f}\n`,
      )
      .join(''),
  );
  return b;
}

describe('verify-bundle on hand-written bundles', () => {
  it('accepts the clean one, judged against its own catalogue', () => {
    const v = verifyBundle(write(CLEAN));
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe(
      'Acme Acme Fabric 4.2.1 — l2stretch 0.0.9 (c0ffee000000) on an existing testbed, FRR 8.4.4, ' +
        'openperouter v0.2.0, 2026-11-28T00:09:00.000Z',
    );
  });

  it("a catalogue of its own version that left out conformance checks is not the verifier's", () => {
    const v = verifyBundle(write({ ...CLEAN, version: suiteVersion() }));
    expect(v.problems).toEqual([
      `conformance.yaml: its conformance checks differ from those of l2stretch ${suiteVersion()}`,
    ]);
  });

  it("a conformance check demoted to extended in the bundle's catalogue is no longer required, and is caught", () => {
    const demoted: Hand = {
      ...CLEAN,
      catalogue: CLEAN.catalogue.map(([id, tier]) => [id, id === 'L2S-L2-001' ? 'extended' : tier]),
      checks: CLEAN.checks.slice(0, 2),
    };
    expect(verifyBundle(write(demoted)).problems).toEqual([]);
    expect(verifyBundle(write({ ...demoted, version: suiteVersion() })).problems).toContain(
      `conformance.yaml: its conformance checks differ from those of l2stretch ${suiteVersion()}`,
    );
  });

  it('a catalogue that lists no conformance check certifies nothing', () => {
    expect(verifyBundle(write({ ...CLEAN, catalogue: [['L2S-EVPN-004', 'extended']] })).problems).toEqual([
      'conformance.yaml: lists no conformance check',
    ]);
  });

  it('a run of the extended tier only did not run the conformance tier', () => {
    expect(verifyBundle(write({ ...CLEAN, tiers: ['extended'] })).problems).toEqual([
      'run-record.json: the conformance tier was not run',
    ]);
  });

  it('JUnit errors, failures and skips are each named, summed over the test suites', () => {
    const junit =
      '<testsuites>\n<testsuite name="a" tests="2" failures="1" errors="1" ' +
      'skipped="0"></testsuite>\n<testsuite name="b" tests="1" failures="0" errors="1" ' +
      'skipped="2"></testsuite>\n</testsuites>\n';
    expect(verifyBundle(write({ ...CLEAN, junit })).problems).toEqual([
      'junit.xml: 1 failures',
      'junit.xml: 2 errors',
      'junit.xml: 2 skipped',
    ]);
  });

  it('a JUnit file that recorded no test is refused', () => {
    expect(
      verifyBundle(
        write({ ...CLEAN, junit: '<testsuites>\n<testsuite name="a" tests="0"></testsuite>\n</testsuites>\n' }),
      ).problems,
    ).toEqual(['junit.xml: no tests recorded']);
    expect(verifyBundle(write({ ...CLEAN, junit: '<testsuites></testsuites>\n' })).problems).toEqual([
      'junit.xml: no tests recorded',
    ]);
  });

  it('a check the catalogue requires that the run lacks or failed is named; so are errors and the verdict', () => {
    const h: Hand = {
      ...CLEAN,
      checks: [
        ['L2S-BGP-001', 'conformance', 'failed'],
        ['L2S-EVPN-001', 'conformance', 'skipped'],
      ],
      errors: ['teardown: EBUSY'],
      verdict: 'failed',
    };
    expect(verifyBundle(write(h)).problems).toEqual([
      'L2S-BGP-001: failed — failed: L2S-BGP-001 x',
      'L2S-EVPN-001: skipped — skipped: L2S-EVPN-001 x',
      'L2S-L2-001: absent from the run',
      'error outside the checks: teardown: EBUSY',
      'run-record.json: the run did not pass',
    ]);
  });

  it('a run record of another version than its catalogue is named', () => {
    const b = write(CLEAN);
    const record = JSON.parse(readFileSync(join(b, 'run-record.json'), 'utf8'));
    record.suite.version = '0.0.8';
    writeFileSync(join(b, 'run-record.json'), JSON.stringify(record));
    expect(verifyBundle(b).problems).toEqual([
      'run-record.json: its SHA-256 differs from SHA256SUMS (changed after the run)',
      'versions disagree: conformance.yaml is of l2stretch 0.0.9, the run was l2stretch 0.0.8',
    ]);
  });

  /** Rewrites one file of a written bundle and its line in SHA256SUMS, as a forger would. */
  function forge(b: string, file: string, text: string): void {
    writeFileSync(join(b, file), text);
    const sums = readFileSync(join(b, 'SHA256SUMS'), 'utf8').replace(
      new RegExp(`^[0-9a-f]{64}  ${file.replace('.', '\\.')}$`, 'm'),
      `${createHash('sha256').update(text).digest('hex')}  ${file}`,
    );
    writeFileSync(join(b, 'SHA256SUMS'), sums);
  }

  it('a failed check with many failed instances shows three and counts the rest, first lines only', () => {
    const h: Hand = {
      ...CLEAN,
      checks: [['L2S-BGP-001', 'conformance', 'failed', 5], ...CLEAN.checks.slice(1)],
      verdict: 'failed',
    };
    expect(verifyBundle(write(h)).problems).toEqual([
      'L2S-BGP-001: failed — failed: L2S-BGP-001 x; failed: L2S-BGP-001 x1 (first line); failed: L2S-BGP-001 ' +
        'x2; … 2 more',
      'run-record.json: the run did not pass',
    ]);
    const three: Hand = {
      ...CLEAN,
      checks: [['L2S-BGP-001', 'conformance', 'failed', 3], ...CLEAN.checks.slice(1)],
      verdict: 'failed',
    };
    expect(verifyBundle(write(three)).problems[0]).toBe(
      'L2S-BGP-001: failed — failed: L2S-BGP-001 x; failed: L2S-BGP-001 x1 (first line); failed: L2S-BGP-001 x2',
    );
    const none: Hand = {
      ...CLEAN,
      checks: [['L2S-BGP-001', 'conformance', 'not run', 0], ...CLEAN.checks.slice(1)],
      verdict: 'incomplete',
    };
    expect(verifyBundle(write(none)).problems[0]).toBe('L2S-BGP-001: not run');
  });

  it('SHA256SUMS lines must be exactly "<64 hex>  <file>"', () => {
    const b = write(CLEAN);
    const sums = readFileSync(join(b, 'SHA256SUMS'), 'utf8');
    const [first, ...rest] = sums.trimEnd().split('\n');
    writeFileSync(
      join(b, 'SHA256SUMS'),
      [`x${first}`, ...rest, `${first!.slice(0, 64)} ${first!.slice(66)}`, ''].join('\n'),
    );
    const file = first!.slice(66);
    expect(verifyBundle(b).problems).toEqual([
      `SHA256SUMS: malformed line "x${first}"`,
      `SHA256SUMS: malformed line "${first!.slice(0, 64)} ${file}"`,
      `${file}: not listed in SHA256SUMS (added after the run)`,
    ]);
  });

  it('files that are missing or cannot be read are each named', () => {
    const b = write(CLEAN);
    for (const f of ['run.log', 'product.yaml']) rmSync(join(b, f));
    rmSync(join(b, 'allure-results'), { recursive: true });
    writeFileSync(join(b, 'SHA256SUMS'), '');
    expect(verifyBundle(b).problems).toEqual([
      'conformance.yaml: not listed in SHA256SUMS (added after the run)',
      'junit.xml: not listed in SHA256SUMS (added after the run)',
      'run-record.json: not listed in SHA256SUMS (added after the run)',
      'product.yaml is missing',
      'run.log is missing',
      'allure-results/ is missing',
      'product.yaml: : Invalid input: expected object, received undefined',
    ]);
  });

  it('a record or product that is not what l2stretch writes is refused, with the fields', () => {
    const b = write(CLEAN);
    forge(b, 'run-record.json', '{"schema":"l2stretch.run-record/v2",');
    forge(b, 'product.yaml', 'vendor: [unclosed');
    const p = verifyBundle(b).problems;
    expect(p).toEqual([
      expect.stringMatching(/^product\.yaml: cannot be read \(.+\)$/),
      'product.yaml: : Invalid input: expected object, received undefined',
      expect.stringMatching(/^run-record\.json: cannot be read \(.+\)$/),
      'run-record.json: not a run record (: Invalid input: expected object, received undefined)',
    ]);
    const c = write(CLEAN);
    forge(c, 'run-record.json', JSON.stringify({ schema: 'l2stretch.run-record/v1', suite: {}, tiers: ['gold'] }));
    forge(c, 'product.yaml', 'vendor: Acme\n');
    expect(verifyBundle(c).problems).toEqual([
      'product.yaml: product: Invalid input: expected string, received undefined; version: Invalid input: ' +
        'expected string, received undefined; contact: Invalid input: expected string, received undefined; ' +
        'replaced: Invalid input: expected object, received undefined',
      'run-record.json: not a run record (schema: Invalid input: expected "l2stretch.run-record/v2"; ' +
        'suite.name: Invalid input: expected "l2stretch"; suite.version: Invalid input: expected string, ' +
        'received undefined)',
    ]);
  });

  it('a run that did not record its FRR version says so, and the summary shows "?"', () => {
    const b = write(CLEAN);
    const r = JSON.parse(readFileSync(join(b, 'run-record.json'), 'utf8'));
    r.testbed.versions = {};
    forge(b, 'run-record.json', JSON.stringify(r));
    const v = verifyBundle(b);
    expect(v.problems).toEqual(['run-record.json: the FRR version of the testbed is not recorded']);
    expect(v.summary).toBe(
      'Acme Acme Fabric 4.2.1 — l2stretch 0.0.9 (c0ffee000000) on an existing testbed, FRR ?, 2026-11-28T00:09:00.000Z',
    );
  });

  it('an instance key that is malformed, of another check or shared by two instances is refused', () => {
    const b = write(CLEAN);
    const r = JSON.parse(readFileSync(join(b, 'run-record.json'), 'utf8'));
    const [first, second] = r.checks as Array<{ id: string; instances: Array<{ key: string; title: string }> }>;
    second!.instances.push({ ...second!.instances[0]! });
    first!.instances[0]!.key = second!.instances[0]!.key;
    forge(b, 'run-record.json', JSON.stringify(r));
    expect(verifyBundle(b).problems).toEqual([
      `${first!.id}: instance ${second!.instances[1]!.key} is a key of ${second!.id}`,
      `run-record.json: two instances under the key ${second!.instances[1]!.key}`,
    ]);
    second!.instances[0]!.key = 'spine';
    forge(b, 'run-record.json', JSON.stringify(r));
    expect(verifyBundle(b).problems).toContainEqual(
      `${second!.id}: instance "${second!.instances[0]!.title}": "spine" is not a check key ` +
        '(ID[param=value,…], e.g. L2S-BGP-001[router=spine])',
    );
  });
});

// verify-bundle on bundles built from synthetic runs: it accepts a clean, complete
// run and names every reason it rejects one. (The embedded certification test
// builds a bundle from a real run.)
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeBundle, readProduct } from '../reports/bundle.ts';
import { verifyBundle } from '../reports/verify-bundle.ts';
import { checkVerdicts, runVerdict, type FinishedTest, type RunRecord } from '../reports/run-record.ts';
import { writeBundleInputs, writeFakeRun } from './run-fixture.ts';
import { CATALOGUE, checkIds, thresholdValues } from '../suites/catalogue.ts';
import { sampleKey } from './shared.ts';
import { suiteVersion } from '../reports/suite-identity.ts';

const PRODUCT = {
  vendor: 'Acme',
  product: 'Acme Fabric',
  version: '4.2.1',
  contact: 'cert@acme.example',
  replaced: { fabricNos: 'AcmeOS 4.2' },
  notes: 'lab password hunter2',
};
const conformanceIds = checkIds().filter((id) => CATALOGUE[id].tier === 'conformance');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-bundle-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function passing(): FinishedTest[] {
  return conformanceIds.map((id) => ({
    name: `${id} one instance`,
    key: sampleKey(id),
    title: `suite > ${id} one instance`,
    verdict: 'passed',
    durationMs: 10,
    annotations: ['converged after 0.25 s (2 attempts)'],
  }));
}

/** A finished run's report directory and product file, as the conformance run leaves them. */
function fakeRun(
  tests: FinishedTest[],
  edit: (r: RunRecord) => void = () => {},
): { runDir: string; product: string; catalogue: string } {
  const runDir = join(dir, 'run');
  const inputs = writeBundleInputs(dir, PRODUCT);
  const record = {
    testbed: {
      kind: 'existing',
      runId: 'vendor-lab',
      topology: 'multicluster',
      features: [],
      versions: { frr: '8.4.4' },
    },
    waits: { bgpEstablished: 30_000 },
    thresholds: thresholdValues(),
    product: readProduct(inputs.product),
  } satisfies Partial<RunRecord>;
  writeFakeRun(
    runDir,
    tests,
    {
      record,
      log: 'l2stretch: using kubeconfig with token: abc123secret\n',
      allure: {
        name: 'x',
        status: 'passed',
        parameters: [{ name: 'Authorization', value: 'Authorization: Bearer abc123secret' }],
      },
    },
    edit,
  );
  return { runDir, ...inputs };
}

const bundle = () => join(dir, 'bundle');

describe('certification bundle', () => {
  it('verifies a clean, complete run, and carries no secret', () => {
    writeBundle(fakeRun(passing()), bundle());
    const v = verifyBundle(bundle());
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toContain('Acme Acme Fabric 4.2.1 — l2stretch');
    for (const f of [
      'SHA256SUMS',
      'product.yaml',
      'conformance.yaml',
      'run-record.json',
      'junit.xml',
      'run.log',
      'allure-results/x-result.json',
    ]) {
      const text = readFileSync(join(bundle(), f), 'utf8');
      expect(text, f).not.toContain('abc123secret');
      expect(text, f).not.toContain('hunter2');
    }
  });

  it("rejects a run whose thresholds are not its catalogue's", () => {
    writeBundle(
      fakeRun(passing(), (r) => void (r.thresholds = { ...r.thresholds, 'L2S-MIG-006': { lossBudget: 60_000 } })),
      bundle(),
    );
    expect(verifyBundle(bundle()).problems).toEqual([
      'L2S-MIG-006: the run\'s thresholds {"lossBudget":60000} differ from conformance.yaml\'s {"lossBudget":2000}',
    ]);
  });

  it('rejects a failed, a skipped and a missing conformance check, naming each', () => {
    const tests = passing();
    tests[0] = {
      ...tests[0]!,
      verdict: 'failed',
      message: 'spine: session to leafA … expected Established, seen Idle',
    };
    tests[1] = { ...tests[1]!, verdict: 'skipped', message: 'needs l3vni' };
    tests.pop();
    writeBundle(fakeRun(tests), bundle());
    const v = verifyBundle(bundle());
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(
      expect.arrayContaining([
        `${conformanceIds[0]}: failed — failed: suite > ${conformanceIds[0]} one instance (spine: session to ` +
          `leafA … expected Established, seen Idle)`,
        `${conformanceIds[1]}: skipped — skipped: suite > ${conformanceIds[1]} one instance (needs l3vni)`,
        `${conformanceIds.at(-1)}: not run`,
        'run-record.json: the run did not pass',
        'junit.xml: 1 failures',
        'junit.xml: 1 skipped',
      ]),
    );
  });

  it('rejects a changed file, an added file and a removed file', () => {
    writeBundle(fakeRun(passing()), bundle());
    appendFileSync(join(bundle(), 'run.log'), 'one more line\n');
    writeFileSync(join(bundle(), 'extra.txt'), 'x');
    rmSync(join(bundle(), 'allure-results', 'x-result.json'));
    expect(verifyBundle(bundle()).problems.sort()).toEqual([
      'allure-results/x-result.json: listed in SHA256SUMS but missing',
      'extra.txt: not listed in SHA256SUMS (added after the run)',
      'run.log: its SHA-256 differs from SHA256SUMS (changed after the run)',
    ]);
  });

  it('rejects a modified suite, another product, stray tests and inconsistent versions', () => {
    writeBundle(
      fakeRun(passing(), (r) => {
        r.suite.dirty = true;
        r.suite.version = '0.0.1';
        r.product = { ...r.product, version: '9.9.9' };
        r.strays = ['a test without an ID'];
        r.testbed.versions = {};
      }),
      bundle(),
    );
    expect(verifyBundle(bundle()).problems).toEqual(
      expect.arrayContaining([
        `run-record.json: l2stretch ${'a'.repeat(40)} had local changes: a certification must run an unmodified suite`,
        `versions disagree: conformance.yaml is of l2stretch ${suiteVersion()}, the run was l2stretch 0.0.1`,
        'run-record.json names another product than product.yaml',
        'a test without a check key ran: a test without an ID',
        'run-record.json: the FRR version of the testbed is not recorded',
      ]),
    );
  });

  it('a run with a skipped or unrun check is incomplete, never passed', () => {
    const tests = passing();
    expect(runVerdict({ ...checkVerdicts(tests, ['conformance']), errors: [] })).toBe('passed');
    tests[0] = { ...tests[0]!, verdict: 'skipped', message: 'needs l3vni' };
    expect(runVerdict({ ...checkVerdicts(tests, ['conformance']), errors: [] })).toBe('incomplete');
    expect(runVerdict({ ...checkVerdicts(tests.slice(1), ['conformance']), errors: [] })).toBe('incomplete');
  });

  it('says what is wrong with a product file', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      stringify({ vendor: 'Acme', product: 'X', version: '1', contact: 'c', replaced: {}, colour: 'red' }),
    );
    expect(() => readProduct(bad)).toThrow(
      `product file ${bad}: replaced: name at least one of fabricNos, peImplementation, kubevirtDistribution; ` +
        `(top level): Unrecognized key: "colour"`,
    );
    writeFileSync(bad, stringify({ vendor: 'Acme', product: 'X', version: '1', contact: 'c', replaced: {} }));
    expect(() => readProduct(bad)).toThrow(
      'replaced: name at least one of fabricNos, peImplementation, kubevirtDistribution',
    );
  });

  it('rejects a directory that is no bundle', () => {
    expect(verifyBundle(join(dir, 'nothing')).problems).toEqual([`${join(dir, 'nothing')} does not exist`]);
    mkdirSync(join(dir, 'empty'));
    expect(verifyBundle(join(dir, 'empty')).problems).toContain('SHA256SUMS is missing: the files cannot be checked');
  });
});

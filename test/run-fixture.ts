// A finished run's report folder, written literally for the tests of what reads one
// (results, certify, verify-bundle): a run record, JUnit, a log and one Allure
// result. Built from literals, never by the writers the bundle verifier trusts (#20),
// and tuned per test through `edit` on the record.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { checkVerdicts, runVerdict, type FinishedTest, type RunRecord } from '../reports/run-record.ts';
import { catalogueYaml, type CheckId, type Tier } from '../suites/catalogue.ts';
import { suiteVersion } from '../reports/suite-identity.ts';

export interface FakeRun {
  tiers?: Tier[];
  /** The checks the run selected (default: every check of its tiers). */
  selected?: CheckId[];
  record?: Partial<RunRecord>;
  /** What run.log holds. */
  log?: string;
  /** The one Allure result's JSON. */
  allure?: object;
}

/** A record of these outcomes: embedded testbed, conformance tier, fixed times, unless `o.record` says otherwise. */
export function fakeRecord(tests: FinishedTest[], o: FakeRun = {}): RunRecord {
  const tiers = o.tiers ?? ['conformance'];
  const { checks, strays } = checkVerdicts(tests, tiers, o.selected);
  return {
    schema: 'l2stretch.run-record/v2',
    suite: { name: 'l2stretch', version: suiteVersion(), commit: 'a'.repeat(40), dirty: false },
    testbed: { kind: 'embedded', runId: 'l2s-000000', topology: 'multicluster', features: [], versions: {} },
    tiers,
    waits: {},
    thresholds: {},
    startedAt: '2026-11-28T00:00:00.000Z',
    finishedAt: '2026-11-28T00:01:00.000Z',
    checks,
    strays,
    errors: [],
    verdict: runVerdict({ checks, strays, errors: [] }),
    ...o.record,
  };
}

/** Writes the run's folder at `runDir` and returns its record as written. */
export function writeFakeRun(
  runDir: string,
  tests: FinishedTest[],
  o: FakeRun = {},
  edit: (r: RunRecord) => void = () => {},
): RunRecord {
  mkdirSync(join(runDir, 'allure-results'), { recursive: true });
  const record = fakeRecord(tests, o);
  edit(record);
  writeFileSync(join(runDir, 'run-record.json'), JSON.stringify(record, null, 2));
  const n = tests.length;
  const failures = tests.filter((t) => t.verdict === 'failed').length;
  const skipped = tests.filter((t) => t.verdict === 'skipped').length;
  writeFileSync(
    join(runDir, 'junit.xml'),
    `<testsuites name="l2stretch conformance" tests="${n}" failures="${failures}" errors="0">\n` +
      `<testsuite name="s" tests="${n}" failures="${failures}" errors="0" skipped="${skipped}"></testsuite>` +
      `</testsuites>\n`,
  );
  writeFileSync(join(runDir, 'run.log'), o.log ?? 'ran\n');
  writeFileSync(join(runDir, 'allure-results', 'x-result.json'), JSON.stringify(o.allure ?? { status: 'passed' }));
  return record;
}

/** The product file and the catalogue a certification takes beside the run. */
export function writeBundleInputs(dir: string, product: object): { product: string; catalogue: string } {
  const files = { product: join(dir, 'product.yaml'), catalogue: join(dir, 'conformance.yaml') };
  writeFileSync(files.product, stringify(product));
  writeFileSync(files.catalogue, catalogueYaml(suiteVersion()));
  return files;
}

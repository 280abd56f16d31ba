// A vitest reporter for the conformance run: writes the run record next to the
// JUnit and Allure results, points reports/latest at this run, and ends the run
// with the verdict table and where everything is.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter, TestModule, TestCase, SerializedError } from 'vitest/node';
import { checkVerdicts, runVerdict, verdictTable, type FinishedTest, type RunRecord } from './run-record.ts';
import { suiteIdentity } from './suite-identity.ts';
import { selectedTiers, thresholdValues } from '../suites/catalogue.ts';
import { selectedChecks } from '../suites/selection.ts';
import { pointLatestAt, RUN_FILES } from './paths.ts';
import { redactJson } from './redact.ts';
import { readProduct } from './bundle.ts';
import type { TestbedFacts } from './testbed-facts.ts';

function finished(t: TestCase): FinishedTest {
  const r = t.result();
  const verdict = r.state === 'passed' ? 'passed' : r.state === 'failed' ? 'failed' : 'skipped';
  const message = r.state === 'failed' ? r.errors?.[0]?.message : r.state === 'skipped' ? r.note : undefined;
  return {
    name: t.name,
    ...(t.meta().checkKey ? { key: t.meta().checkKey } : {}),
    title: t.fullName,
    verdict,
    durationMs: t.diagnostic()?.duration ?? 0,
    ...(message ? { message } : {}),
    annotations: t.annotations().map((a) => a.message),
  };
}

export default class RunRecordReporter implements Reporter {
  private startedAt = new Date();

  onTestRunStart(): void {
    this.startedAt = new Date();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): void {
    const dir = process.env.L2STRETCH_REPORT_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const factsFile = join(dir, RUN_FILES.testbed);
    const facts: TestbedFacts | undefined = existsSync(factsFile)
      ? (JSON.parse(readFileSync(factsFile, 'utf8')) as TestbedFacts)
      : undefined;
    const tiers = selectedTiers();
    // Instances an Allure test plan left out (`run --rerun-failed`) were not selected, not skipped.
    const tests = modules.flatMap((m) =>
      [...m.children.allTests()].filter((t) => !(t.meta() as { allureSkip?: boolean }).allureSkip).map(finished),
    );
    const { checks, strays, duplicates } = checkVerdicts(tests, tiers, selectedChecks());
    const product = process.env.L2STRETCH_PRODUCT_FILE ? readProduct(process.env.L2STRETCH_PRODUCT_FILE) : undefined;
    // A failed beforeAll skips its tests: that is an error of the run, never a pass.
    const hookErrors = modules.flatMap((m) => [
      ...m.errors().map((e) => `${m.moduleId.replace(/^.*\/suites\//, 'suites/')}: ${e.message}`),
      ...[...m.children.allSuites()].flatMap((s) => s.errors().map((e) => `${s.fullName}: ${e.message}`)),
    ]);
    const partial = {
      checks,
      strays,
      errors: [
        ...errors.map((e) => e.message ?? String(e)),
        ...hookErrors,
        ...duplicates.map((k) => `check key ${k} names more than one test: its instances cannot be told apart`),
        ...(facts ? [] : ['the testbed was never stood up: no testbed facts were recorded']),
      ],
    };
    const record: RunRecord = {
      schema: 'l2stretch.run-record/v2',
      suite: suiteIdentity(),
      testbed: facts
        ? {
            kind: facts.kind,
            runId: facts.runId,
            topology: facts.topology,
            features: facts.features,
            versions: facts.versions,
            nos: facts.nos,
            routerVersions: facts.routerVersions,
          }
        : { kind: 'unknown', runId: 'none', topology: 'unknown', features: [], versions: {} },
      tiers,
      waits: facts?.waits ?? {},
      thresholds: thresholdValues(),
      ...(product ? { product } : {}),
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      ...partial,
      verdict: runVerdict(partial),
    };
    writeFileSync(join(dir, RUN_FILES.record), redactJson(JSON.stringify(record, null, 2)) + '\n');
    pointLatestAt(dir);
    // vitest runs in the package directory (l2stretch run): a path outside it is shown whole.
    const inside = relative(process.cwd(), dir);
    const rel = inside.startsWith('..') ? dir : inside;
    process.stdout.write(
      [
        '',
        verdictTable(record, process.stdout.columns || 120),
        '',
        `l2stretch: ${record.verdict.toUpperCase()} on the ${record.testbed.kind} testbed` +
          (record.verdict === 'incomplete'
            ? ` (${checks.filter((c) => c.verdict !== 'passed').length} checks skipped or not run: see the table)`
            : '') +
          (strays.length ? `; ${strays.length} test(s) without a check key` : '') +
          (partial.errors.length
            ? `; ${partial.errors.length} error(s) outside the checks:\n  ` +
              `${partial.errors.map((e) => e.split('\n')[0]).join('\n  ')}`
            : ''),
        `  report:     ${rel}/ (run-record.json, junit.xml, allure-results/` +
          `${existsSync(join(dir, RUN_FILES.diagnostics)) ? ', diagnostics/' : ''})`,
        '  HTML:       l2stretch report   (= make report: one file, with the history of earlier runs)',
        '',
      ].join('\n'),
    );
  }
}

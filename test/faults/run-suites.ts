// Runs the conformance suites as a user would (`npm run conformance`) against a
// kept testbed, with the catalogue's deadlines and no stage gating, and returns the
// checks that did not pass.
import { runConformance } from '../../reports/conformance-run.ts';

export async function runSuites(testbedFile: string, files: string[], deadlines: string): Promise<Map<string, string>> {
  // Only the JSON report, in a scratch folder runConformance removes: no run record, so reports/latest stays.
  return (
    await runConformance(files, {
      L2STRETCH_TESTBED_FILE: testbedFile,
      L2STRETCH_STAGE_GATE: 'off',
      L2STRETCH_DEADLINES: deadlines,
    })
  ).notPassed;
}

// Runs the conformance suites as a user would (`npm run conformance`) against a
// kept testbed, with the catalogue's deadlines and no stage gating, and returns the
// checks that did not pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../../reports/conformance-run.ts';

export async function runSuites(testbedFile: string, files: string[], deadlines: string): Promise<Map<string, string>> {
  const reports = mkdtempSync(join(tmpdir(), 'l2s-faults-'));
  try {
    // The run's own JSON report, where the conformance config writes it (its json reporter names the file).
    return (
      await runConformance(
        files,
        { L2STRETCH_TESTBED_FILE: testbedFile, L2STRETCH_STAGE_GATE: 'off', L2STRETCH_DEADLINES: deadlines },
        reports,
      )
    ).notPassed;
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

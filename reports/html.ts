// `l2stretch report` / `make report`: a run's Allure HTML report (default the latest
// run) as one self-contained file that opens from disk, with the history of every
// earlier run rendered on this machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { REPORTS, RUN_FILES } from './paths.ts';
import { allureCli, PACKAGE_ROOT } from '../cli/paths.ts';
import { EXIT, UsageError } from '../cli/exit.ts';
import { runDirOf } from '../cli/run.ts';

/** Renders the report; returns where its index.html is. */
export function renderHtml(runDir: string): string {
  const results = join(runDir, RUN_FILES.allureResults);
  if (!existsSync(results)) throw new UsageError(`${results} does not exist: that run wrote no Allure results`);
  const output = join(runDir, RUN_FILES.allureReport);
  const r = spawnSync(
    process.execPath,
    [
      allureCli(),
      'generate',
      '--config',
      join(PACKAGE_ROOT, 'allurerc.yaml'),
      // allurerc.yaml keeps the history in reports/, relative to this.
      '--cwd',
      dirname(REPORTS),
      '--output',
      output,
      results,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (r.status !== 0) throw new UsageError(`allure generate exited ${r.status ?? r.signal}`);
  return join(output, 'index.html');
}

export function renderReport(dir: string | undefined): number {
  const index = renderHtml(runDirOf(dir));
  const shown = relative(process.cwd(), index);
  process.stdout.write(`l2stretch: report in ${shown} (one file: open it in a browser, e.g. xdg-open ${shown})\n`);
  return EXIT.passed;
}

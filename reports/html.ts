// `npm run report` / `make report`: the Allure HTML report of a run (default the
// latest), with the history of every earlier run rendered on this machine.
import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { LATEST, REPORTS, RUN_FILES } from './paths.ts';

const run = realpathSync(process.argv[2] ?? LATEST);
const results = join(run, RUN_FILES.allureResults);
if (!existsSync(results)) {
  process.stderr.write(`l2stretch: ${results} does not exist: run the conformance suites first (npm run conformance)\n`);
  process.exit(2);
}
const root = join(REPORTS, '..');
const output = join(run, RUN_FILES.allureReport);
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'allure', 'cli.js'), 'generate', '--config', join(root, 'allurerc.yaml'), '--cwd', root, '--output', output, results], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
process.stdout.write(`l2stretch: report in ${relative(process.cwd(), output)}/index.html (history: ${relative(process.cwd(), join(REPORTS, 'allure-history.jsonl'))})\n`);

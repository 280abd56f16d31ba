#!/usr/bin/env node
// The package's command. It runs the JavaScript that `npm run build` compiles next to
// each TypeScript file (`prepare` and `npm pack` run it); in a git checkout whose
// sources changed since the last build, it runs the TypeScript through tsx instead
// (slower to start). An installed package is never edited, and npm does not keep
// the files' times, so there the build is taken as it is.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'cli', 'l2stretch.js');
const SOURCES = ['cli', 'topology', 'testbeds', 'helpers', 'suites', 'reports', 'bench'];

function staleSince(builtMs) {
  for (const dir of SOURCES) {
    // reports/ also holds the runs' output: only its own files are sources.
    for (const f of readdirSync(join(root, dir), { recursive: dir !== 'reports' })) {
      if (f.endsWith('.ts') && !f.endsWith('.test.ts') && statSync(join(root, dir, f)).mtimeMs > builtMs)
        return join(dir, f);
    }
  }
  return undefined;
}

const checkout = existsSync(join(root, '.git'));
const newer = !existsSync(compiled) ? 'no build' : checkout ? staleSince(statSync(compiled).mtimeMs) : undefined;
if (newer === undefined) {
  await import(compiled);
} else {
  if (process.env.L2STRETCH_BUILD_WARNING !== '0') {
    const why = newer === 'no build' ? 'not built' : `${newer} changed since the last build`;
    process.stderr.write(`l2stretch: ${why}: running the TypeScript (\`npm run build\` starts faster)\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/l2stretch.ts');
}

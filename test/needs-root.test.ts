// Run instead of test/embedded/ when the tests do not run as root (vitest.config.ts):
// each of those files shows as skipped, saying why, rather than failing or vanishing.
import { it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync(join(import.meta.dirname, 'embedded')).filter((f) => f.endsWith('.test.ts'));
for (const f of files) {
  it(`test/embedded/${f}`, (ctx) => {
    ctx.skip(`needs root (network namespaces and FRR daemons of an embedded testbed): run as root, e.g. sudo npm test`);
  });
}

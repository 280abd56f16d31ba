// The lint configuration (eslint.config.mjs): each layer rule reports a violating import in a
// file of the tree (linted as text, never written), the cycle rule a cycle between two files of
// a scratch directory, max-len a long line; allowed imports are left alone.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = join(root, 'eslint.config.mjs');
const eslint = new ESLint({ cwd: root, overrideConfigFile: config });
let scratch: string;

/** Rule ids and messages for `text` linted as the file `path` of the tree. */
async function lint(path: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(root, path) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const importing = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'l2s-lint-'));
  writeFileSync(join(scratch, 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
  writeFileSync(join(scratch, 'b.ts'), "import { a } from './a.ts';\nexport const b = () => a;\n");
  writeFileSync(join(scratch, 'c.ts'), "import { b } from './b.ts';\nexport const c = () => b;\n");
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lint rules', () => {
  it('a suite importing bring-up code is reported; the global setup, helpers and test code may', async () => {
    expect(await lint('suites/zz-lint.test.ts', importing('../testbeds/embedded/testbed.ts'))).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*bring-up code \(testbeds\/\)/),
    ]);
    expect(await lint('suites/global-setup.ts', importing('../testbeds/embedded/testbed.ts'))).toEqual([]);
    expect(await lint('suites/zz-lint.ts', importing('../helpers/wait.ts'))).toEqual([]);
    expect(await lint('test/zz-lint.test.ts', importing('../testbeds/embedded/testbed.ts'))).toEqual([]);
  });

  it('the oracle importing a suite or a testbed, and a helper importing a testbed, are reported', async () => {
    for (const from of ['../suites/catalogue.ts', '../testbeds/embedded/testbed.ts'])
      expect(await lint('topology/zz-expectations.ts', importing(from))).toEqual([
        expect.stringMatching(/^import-x\/no-restricted-paths: .*topology\/ \(the model and the oracle\)/),
      ]);
    expect(await lint('helpers/kube/zz-lint.ts', importing('../../testbeds/embedded/testbed.ts'))).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*helpers\/ /),
    ]);
    expect(await lint('testbeds/zz-lint.ts', importing('../suites/catalogue.ts'))).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*bring-up code \(testbeds\/\) may not depend/),
    ]);
  });

  it('an import cycle is reported, an import of a cycle from outside it is not', async () => {
    const scratchLint = new ESLint({ cwd: scratch, overrideConfigFile: config });
    const messages = async (f: string) =>
      (await scratchLint.lintFiles([join(scratch, f)]))[0]!.messages.map((m) => m.ruleId);
    expect(await messages('a.ts')).toEqual(['import-x/no-cycle']);
    expect(await messages('c.ts')).toEqual([]);
  });

  it('a line over 120 characters is reported, unless it is a regular expression or a URL', async () => {
    expect(await lint('helpers/zz-lint.ts', `export const s = '${'x'.repeat(120)}';\n`)).toEqual([
      expect.stringMatching(/^max-len: /),
    ]);
    expect(await lint('helpers/zz-lint.ts', `export const r = /${'x'.repeat(120)}/;\n`)).toEqual([]);
    expect(await lint('helpers/zz-lint.ts', `export const u = 'https://example.com/${'x'.repeat(120)}';\n`)).toEqual(
      [],
    );
  });
});

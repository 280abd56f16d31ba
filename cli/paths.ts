// Where the package and the programs it runs live, wherever it is installed: found
// through module resolution, never by a node_modules path.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const packageDir = (specifier: string) => dirname(fileURLToPath(import.meta.resolve(specifier)));

/** vitest's command line (its package exports package.json, next to which vitest.mjs lies). */
export const vitestCli = (): string => join(packageDir('vitest/package.json'), 'vitest.mjs');

/** allure's command line (its main module is dist/index.js; cli.js is its bin). */
export const allureCli = (): string => join(packageDir('allure'), '..', 'cli.js');

export const CONFORMANCE_CONFIG = join(PACKAGE_ROOT, 'vitest.conformance.config.ts');

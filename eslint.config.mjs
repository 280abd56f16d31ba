// ESLint: the layer rules of the architecture (README "Layout"), no import cycle, and lines ≤ 120.
// Prettier owns the rest of the formatting; the typecheck (tsc) owns types.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Layer rules: a `from` folder that a `target` folder may not import, and why (shown in the lint error). */
const zones = [
  {
    target: './suites',
    from: './testbeds',
    message: 'suites judge any testbed through helpers/; bring-up code (testbeds/) belongs to the global setup',
  },
  {
    target: './topology',
    from: ['./testbeds', './suites', './helpers', './reports', './cli', './bench'],
    message: 'topology/ (the model and the oracle) is pure data: it may not import what it describes or judges',
  },
  {
    target: './helpers',
    from: ['./suites', './testbeds', './cli', './bench'],
    message: 'helpers/ (transports, clients, NOS dialects) serve suites and testbeds alike: they may import neither',
  },
  {
    target: './testbeds',
    from: ['./suites', './cli', './reports', './bench'],
    message: 'bring-up code (testbeds/) may not depend on the checks, the reports or the CLI',
  },
  {
    target: './reports',
    from: ['./testbeds'],
    message: 'reports/ read run records and testbed facts, never bring-up code',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'reports/*',
      '!reports/*.ts',
      'test/data/**',
      '**/*.js',
      '!bin/l2stretch.js',
      '.stryker-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', 'bin/l2stretch.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js'] })],
      // no-cycle parses the files it follows: with the TypeScript parser, as ESLint does.
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mjs', '.js'] },
      'import-x/ignore': ['node_modules'],
    },
    rules: {
      'max-len': ['error', { code: 120, ignoreRegExpLiterals: true, ignoreUrls: true }],
      // A leading underscore marks a binding kept on purpose; a rest sibling leaves the others out of a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
    },
  },
  {
    // vitest reads the fixtures a test, hook or fixture needs from its first argument's pattern: `({}, ctx)` has none.
    files: ['suites/**', 'test/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    // Test code digs into captured JSON freely.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The global setup is where the run stands its testbed up: the one suite file that wires bring-up code in.
    files: ['suites/global-setup.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { basePath: root, zones: zones.filter((z) => z.target !== './suites') },
      ],
    },
  },
);

// Generated documentation stays what its sources say: docs/checks.md from the
// catalogue and the fault catalogue, schemas/ from the zod schemas. Regenerate with
// `npm run docs`.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { checksMarkdown, faultRows, schemaJson, SCHEMAS } from '../docs/generate.ts';
import { checkIds } from '../suites/catalogue.ts';

const root = join(import.meta.dirname, '..');
const committed = (path: string) => readFileSync(join(root, path), 'utf8');

describe('generated documentation', () => {
  it('docs/checks.md is up to date (npm run docs)', () => {
    expect(committed('docs/checks.md'), 'docs/checks.md is stale: run npm run docs').toBe(checksMarkdown());
  });

  it('documents every check, and every fault-catalogue expectation is a check instance key', () => {
    const md = checksMarkdown();
    for (const id of checkIds()) expect(md).toContain(`## ${id}\n`);
    expect(faultRows().unclaimed, 'fault expectations that are no check key').toEqual([]);
  });

  it.each(Object.keys(SCHEMAS))('schemas/%s is up to date (npm run docs)', (name) => {
    expect(committed(`schemas/${name}`), `schemas/${name} is stale: run npm run docs`).toBe(
      schemaJson(name as keyof typeof SCHEMAS),
    );
  });

  it('the schemas accept what the tool accepts and refuse an unknown field', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const product = ajv.compile(JSON.parse(committed('schemas/product-file.schema.json')) as object);
    const good = {
      vendor: 'Acme',
      product: 'Acme Fabric',
      version: '4.2.1',
      contact: 'cert@acme.example',
      replaced: { fabricNos: 'AcmeOS 4.2' },
    };
    expect(product(good), JSON.stringify(product.errors)).toBe(true);
    expect(product({ ...good, colour: 'red' })).toBe(false);
    const testbed = ajv.compile(JSON.parse(committed('schemas/testbed-file.schema.json')) as object);
    const file = {
      kind: 'existing',
      runId: 'lab-1',
      topology: 'multicluster',
      routers: {},
      workloads: {},
      clusters: {},
    };
    expect(testbed(file), JSON.stringify(testbed.errors)).toBe(true);
    expect(testbed({ ...file, routers: { spine: { exec: { type: 'telnet' }, vtysh: ['vtysh'] } } })).toBe(false);
  });
});

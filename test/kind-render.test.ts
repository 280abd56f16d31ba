// The kind testbed's rendered documents, proven as documents (no lab runs here):
// the containerlab topology validates against containerlab's own JSON schema and
// has the walkthrough's members, kinds, commands and links.
import { describe, it, expect } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { loadTopology } from '../topology/load.ts';
import { renderContainerlab, containerlabYaml } from '../testbeds/kind/containerlab.ts';
import { KIND_VERSIONS } from '../testbeds/kind/versions.ts';
import { hasShared, NO_SHARED, sharedJson, sharedText, skipWithoutShared } from './shared.ts';

const t = loadTopology('multicluster');
const rendered = parse(containerlabYaml(t, KIND_VERSIONS)) as {
  name: string;
  topology: {
    nodes: Record<string, { kind: string; cmd?: string; image?: string }>;
    links: Array<{ endpoints: string[] }>;
  };
};

describe.skipIf(skipWithoutShared)(
  `containerlab topology document (${hasShared ? 'against ../shared' : NO_SHARED})`,
  () => {
    it('validates against the containerlab v0.79.0 JSON schema', () => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      const validate = ajv.compile(sharedJson('schemas', 'containerlab-v0.79.0.clab.schema.json') as object);
      const ok = validate(renderContainerlab(t, KIND_VERSIONS));
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    });

    it('a wrong document fails the same schema (the validation can fail)', () => {
      const ajv = new Ajv({ strict: false });
      const validate = ajv.compile(sharedJson('schemas', 'containerlab-v0.79.0.clab.schema.json') as object);
      const doc = renderContainerlab(t, KIND_VERSIONS) as { topology: { links: unknown[] } };
      expect(validate({ ...doc, topology: { ...doc.topology, links: [{ endpoints: 'spine:eth1' }] } })).toBe(false);
    });

    it("has the walkthrough's lab: same members with the same kinds, host commands and links", () => {
      const walkthrough = parse(
        sharedText('openperouter', 'c9d591a', 'clab', 'multicluster', 'kind.clab.yml'),
      ) as typeof rendered;
      expect(rendered.name).toBe(walkthrough.name);
      const kinds = (d: typeof rendered) =>
        Object.fromEntries(Object.entries(d.topology.nodes).map(([n, x]) => [n, x.kind]));
      expect(kinds(rendered)).toEqual(kinds(walkthrough));
      const cmds = (d: typeof rendered) =>
        Object.fromEntries(
          Object.entries(d.topology.nodes)
            .filter(([, x]) => x.cmd)
            .map(([n, x]) => [n, x.cmd]),
        );
      expect(cmds(rendered)).toEqual(cmds(walkthrough));
      const links = (d: typeof rendered) => d.topology.links.map((l) => [...l.endpoints].sort().join(' ')).sort();
      expect(links(rendered)).toEqual(links(walkthrough));
      expect(rendered.topology.nodes.spine!.image).toBe(walkthrough.topology.nodes.spine!.image);
    });
  },
);

// Hostile values in every file l2stretch reads and every renderer that turns them
// into commands: each is refused with one line naming the file and the field, and
// nothing reaches a shell, an `ip -batch` line or an FRR config.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadTopology, TopologyError } from '../topology/load.ts';
import { readTestbedFile } from '../helpers/testbed.ts';
import { readProduct } from '../reports/bundle.ts';
import { addressLines, batchLine, UnsafeCommandError } from '../topology/kernel.ts';
import { ipBatch } from '../testbeds/embedded/netns.ts';
import { routerSetup, hostSetup } from '../testbeds/kind/lab.ts';
import { parseUnderlays, ValidationError } from '../testbeds/embedded/openperouter.ts';
import { MAX_INPUT_BYTES } from '../topology/input.ts';
import { OPENPEROUTER_RELEASES } from '../topology/openperouter.ts';
import type { Topology } from '../topology/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'l2s-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const write = (ext: string, text: string) => {
  const f = join(dir, `input-${++n}.${ext}`);
  writeFileSync(f, text);
  return f;
};

/** Values that must never reach a command: each one tries another way out. */
const HOSTILE: Record<string, string> = {
  newline: '192.168.1.1/31\nnetns exec l2s-x id',
  'command substitution': '$(id >/tmp/l2s-pwned)',
  backticks: '`id`',
  semicolon: 'eth1;id',
  'path traversal': '../../etc/x',
  'control characters': 'eth1\u001b[32mVERIFIED\u0007',
  'very long': 'a'.repeat(5000),
  constructor: 'constructor',
  'prototype key': '__proto__',
};

const base = parse(readFileSync(join(import.meta.dirname, '..', 'topology', 'multicluster.yaml'), 'utf8'));

/** Sets a value (or renames a key when `key` is true) at a dotted path of a copy of the built-in topology. */
function plant(path: string, value: string, key = false): unknown {
  const t = structuredClone(base);
  const parts = path.split('.');
  let o = t;
  for (const p of parts.slice(0, -1)) o = o[p];
  const last = parts.at(-1)!;
  if (key) {
    // A key named __proto__ must be an own key, as a YAML or JSON file gives it.
    Object.defineProperty(o, value, { value: o[last], enumerable: true, configurable: true, writable: true });
    delete o[last];
  } else {
    o[Array.isArray(o) ? Number(last) : last] = value;
  }
  return t;
}

const TOPOLOGY_VALUES = [
  'name',
  'fabric.routers.leafA.vtep',
  'fabric.routers.spine.interfaces.eth1.ipv4',
  'fabric.routers.leafA.vrfs.red.interfaces.ethred.ipv6',
  'fabric.routers.spine.neighbors.0.address',
  'fabric.routers.leafkind-a.listenRanges.0.range',
  'fabric.routers.leafkind-a.listenRanges.0.peerGroup',
  'fabric.routers.leafA.vrfs.red.routerMac',
  'fabric.switches.0',
  'hosts.hostA_red.iface',
  'hosts.hostA_red.gateway',
  'hosts.hostA_red.leaf',
  'hosts.hostA_red.vrf',
  'clusters.pe-kind-a.tor',
  'clusters.pe-kind-a.vtepCidr',
  'clusters.pe-kind-a.nodes.pe-kind-a-worker.nic',
  'clusters.pe-kind-a.nodes.pe-kind-a-worker.ipv4',
  'overlay.l2vnis.layer2.gateway',
  'overlay.vms.vm-1.cluster',
  'links.0.0',
];
const TOPOLOGY_KEYS = [
  'fabric.routers.spine',
  'fabric.routers.spine.interfaces.eth1',
  'fabric.routers.leafA.vrfs.red',
  'hosts.hostA_red',
  'clusters.pe-kind-a.nodes.pe-kind-a-worker',
];
type ErrorClass = new (...a: never[]) => Error;

function expectOneLineRefusal(f: () => unknown, file: string, field: string, type: ErrorClass = Error): void {
  let message = '';
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    message = (e as Error).message;
  }
  expect(message, 'refused').not.toBe('');
  expect(message.split('\n'), message).toHaveLength(1);
  expect(message).not.toMatch(/\p{Cc}/u);
  expect(message).toContain(file);
  expect(message).toContain(field);
}

describe('hostile values in a topology', () => {
  const refusesTopology = (t: unknown, field: string) => {
    const file = write('yaml', stringify(t));
    expectOneLineRefusal(() => loadTopology(file), file, field, TopologyError);
  };
  const parent = (field: string) => field.split('.').slice(0, -1).join('.');
  for (const field of TOPOLOGY_VALUES) {
    for (const [what, value] of Object.entries(HOSTILE)) {
      it(`${field} = ${what}: refused naming file and field`, () =>
        refusesTopology(plant(field, value), parent(field)));
    }
  }
  for (const field of TOPOLOGY_KEYS) {
    for (const [what, value] of Object.entries(HOSTILE)) {
      it(`a key ${field} renamed to ${what}: refused naming file and place`, () =>
        refusesTopology(plant(field, value, true), parent(field)));
    }
  }

  it('the reproduction: an ipv6 value carrying a second ip command and a $(…) is refused at load', () => {
    const field = 'fabric.routers.leafA.vrfs.red.interfaces.ethred.ipv6';
    refusesTopology(plant(field, '2001:db8:20::1/64 $(id)\nnetns exec x id'), `${field}: an IPv6 prefix`);
  });

  it('a description with a terminal escape and a topology over its size cap are refused', () => {
    refusesTopology({ ...base, description: 'ok\u001b]0;x\u0007' }, 'description');
    const big = write('yaml', `${stringify(base)}\n#${'x'.repeat(MAX_INPUT_BYTES.topology)}\n`);
    expectOneLineRefusal(() => loadTopology(big), big, 'more than the', TopologyError);
  });

  it('an address given twice and two members sharing a namespace are refused', () => {
    refusesTopology(
      plant('hosts.hostB_red.ipv4', '192.168.20.2/24'),
      'hosts.hostB_red.ipv4: 192.168.20.2 is already the address of hosts.hostA_red.ipv4',
    );
    const clash = structuredClone(base);
    clash.hosts['leafA-red'] = clash.hosts.hostA_red;
    delete clash.hosts.hostA_red;
    const why = 'hosts.leafA-red: its namespace suffix "leafA-red" is already that of fabric.routers.leafA.vrfs.red';
    refusesTopology(clash, why);
  });
});

describe('hostile values in a testbed file', () => {
  const good = {
    kind: 'existing',
    runId: 'lab',
    topology: 'multicluster',
    routers: {
      spine: {
        exec: { type: 'ssh', host: 'spine.lab', user: 'admin', knownHostsFile: '/etc/ssh/known_hosts' },
        vtysh: ['vtysh'],
      },
    },
    workloads: { hostA_red: { exec: { type: 'docker', container: 'clab-host' } } },
    clusters: { 'pe-kind-a': { api: { type: 'kubernetes', kubeconfig: '/k/a' } } },
    info: { lab: 'ok' },
  };
  it('the file itself is accepted', () => {
    expect(readTestbedFile(write('json', JSON.stringify(good))).routers.spine).toBeDefined();
  });

  // Free text (a path, an argv word, a note) may hold `$(`, `;` or `../`: it never meets a
  // shell unquoted. Names, hosts and users may not.
  const TEXT = ['newline', 'control characters', 'very long'];
  const NAMES = Object.keys(HOSTILE).filter((k) => k !== 'constructor');
  const asKey = (v: string) => JSON.parse(`{${JSON.stringify(v)}: ${JSON.stringify(good.routers.spine)}}`);
  const fields: Array<[string, string, (t: any, v: string) => void, string[]]> = [
    ['routers (a key naming a diagnostics file)', 'routers', (t, v) => (t.routers = asKey(v)), Object.keys(HOSTILE)],
    ['routers.spine.exec.host', 'routers.spine', (t, v) => (t.routers.spine.exec.host = v), NAMES],
    ['routers.spine.exec.user', 'routers.spine', (t, v) => (t.routers.spine.exec.user = v), NAMES.slice(0, -1)],
    ['routers.spine.exec.knownHostsFile', 'routers.spine', (t, v) => (t.routers.spine.exec.knownHostsFile = v), TEXT],
    ['routers.spine.vtysh.0', 'routers.spine', (t, v) => (t.routers.spine.vtysh = [v]), TEXT],
    ['workloads.hostA_red.exec.container', 'workloads', (t, v) => (t.workloads.hostA_red.exec.container = v), NAMES],
    ['runId', 'runId', (t, v) => (t.runId = v), NAMES],
    ['info.lab', 'info.lab', (t, v) => (t.info.lab = v), ['newline', 'control characters']],
  ];
  for (const [title, field, set, kinds] of fields) {
    for (const what of kinds) {
      it(`${title} = ${what}: refused naming file and field`, () => {
        const t = structuredClone(good);
        set(t, HOSTILE[what]!);
        const file = write('json', JSON.stringify(t));
        expectOneLineRefusal(() => readTestbedFile(file), `testbed file ${file}`, field);
      });
    }
  }
});

describe('hostile values in a product file', () => {
  const good = { vendor: 'Acme', product: 'OS', version: '1.0', contact: 'a@b.example', replaced: { fabricNos: 'X' } };
  const cases = [
    ['vendor', 'very long'],
    ['vendor', 'newline'],
    ['product', 'control characters'],
    ['version', 'path traversal'],
    ['contact', 'newline'],
  ] as const;
  for (const [field, what] of cases) {
    it(`${field} = ${what}: refused up front, naming file and field`, () => {
      const file = write('yaml', stringify({ ...good, [field]: HOSTILE[what] }));
      expectOneLineRefusal(() => readProduct(file), `product file ${file}`, field);
    });
  }
  it('a prototype key is refused, not dropped', () => {
    const text = 'vendor: A\nproduct: p\nversion: "1"\ncontact: c\nreplaced: {fabricNos: x}\n__proto__: {notes: x}\n';
    const file = write('yaml', text);
    expectOneLineRefusal(() => readProduct(file), `product file ${file}`, '__proto__');
  });
});

describe('renderers refuse what the loaders would have refused', () => {
  const t = loadTopology('multicluster');
  const poisoned = (v: string): Topology => {
    const c = structuredClone(t);
    c.fabric.routers.leafA!.vrfs.red!.interfaces.ethred!.ipv6 = v;
    c.hosts.hostA_red!.gateway = v;
    return c;
  };
  for (const [what, value] of Object.entries(HOSTILE)) {
    if (['constructor', 'prototype key', 'path traversal'].includes(what)) continue;
    it(`${what}: no ip line, no lab script, no batch run`, async () => {
      expect(() => addressLines('eth1', { ipv6: value })).toThrow(UnsafeCommandError);
      expect(() => batchLine('link', 'set', value, 'up')).toThrow(UnsafeCommandError);
      expect(() => routerSetup(poisoned(value), 'leafA')).toThrow(UnsafeCommandError);
      expect(() => hostSetup(poisoned(value), 'hostA_red')).toThrow(UnsafeCommandError);
      // Refused before iproute2 starts: nothing is created.
      await expect(ipBatch([`netns add ${value}`])).rejects.toThrow(UnsafeCommandError);
    });
  }
  it('lab scripts quote their heredoc: the shell expands nothing in the ip lines', () => {
    expect(routerSetup(t, 'leafA')).toContain("ip -batch - <<'EOF'\n");
  });
  it('an Underlay neighbor address that is no IP address never reaches frr.conf, whatever the release', () => {
    const nics = { interfaces: [{ type: 'NetworkDevice', networkDevice: { interfaceName: 'toswitch' } }] };
    for (const release of Object.values(OPENPEROUTER_RELEASES)) {
      const modern = release.version === 'v0.2.0' || release.version === 'main';
      for (const value of Object.values(HOSTILE)) {
        const spec = { asn: 64514, neighbors: [{ asn: 64512, address: value }], ...(modern ? nics : {}) };
        const m = { apiVersion: release.apiVersion, kind: 'Underlay', metadata: { name: 'underlay' }, spec };
        expect(() => parseUnderlays([m], release)).toThrow(ValidationError);
        expect(() => parseUnderlays([m], release)).toThrow(
          /^underlay underlay: neighbor address ".*" is not an IP address$/s,
        );
      }
    }
  });
  it('no planted value ran anything', () => expect(existsSync('/tmp/l2s-pwned')).toBe(false));
});

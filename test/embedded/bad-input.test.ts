// Bad input gives one clear error and a non-zero exit: never a stack trace, never a hang.
import { describe, it, expect, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'l2stretch.js');
const scratch = mkdtempSync(join(tmpdir(), 'l2s-badinput-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(scratch, name);
  writeFileSync(p, text);
  return p;
}

async function l2stretch(args: string[], env: Record<string, string> = {}) {
  const r = await execa('node', [cli, ...args], { reject: false, timeout: 60_000, env: { NO_COLOR: '1', ...env } });
  return { code: r.exitCode, out: `${r.stdout}\n${r.stderr}` };
}

const noStack = (out: string) => expect(out, 'no stack trace').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('bad input', () => {
  it('a topology that is not YAML names the file', async () => {
    const f = file('broken.yaml', 'name: [unclosed\n');
    const r = await l2stretch(['testbed', 'up', '--topology', f]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`l2stretch: ${f}: not valid YAML`);
    noStack(r.out);
  });

  it('a topology with an unknown field names the field', async () => {
    const f = file('unknown.yaml', 'name: x\nfabric: { routers: {} }\nclusters: {}\nlinks: []\nspines: 2\n');
    const r = await l2stretch(['testbed', 'up', '--topology', f]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/invalid topology: \(top level\): Unrecognized key: "spines"/);
    noStack(r.out);
  });

  it('a testbed file that is not one says what is missing', async () => {
    const f = file('testbed.json', '{"kind": "embedded", "runId": "l2s-abcdef"}');
    const r = await l2stretch(['run', '--testbed-file', f]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      `l2stretch: testbed file ${f}: topology: Invalid input: expected string, received undefined`,
    );
    noStack(r.out);
  });

  it('a testbed whose routers do not answer stops the run at once, naming them', async () => {
    const router = (n: string) => ({
      exec: { type: 'netns', netns: `l2s-ffffff-${n}` },
      vtysh: ['vtysh', '--vty_socket', `/tmp/l2s-ffffff/frr/${n}`],
    });
    const f = file(
      'gone.json',
      JSON.stringify({
        kind: 'embedded',
        runId: 'l2s-ffffff',
        topology: 'multicluster',
        routers: { spine: router('spine'), leafA: router('leafA') },
        workloads: {},
        clusters: {},
      }),
    );
    const start = Date.now();
    const r = await l2stretch(['run', '--testbed-file', f]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(
      /the testbed of .*gone\.json is not usable:\n\s+router spine does not answer: spine: `vtysh .*` exited \d+ \(netns l2s-ffffff-spine\): Cannot open network namespace/,
    );
    expect(r.out).toContain('router leafA does not answer');
    expect(Date.now() - start).toBeLessThan(30_000);
    noStack(r.out);
  });

  it('a testbed file naming a kubeconfig that does not exist stops the run with that name', async () => {
    const kubeconfig = join(scratch, 'kubeconfig-pe-kind-a');
    const f = file(
      'nokubeconfig.json',
      JSON.stringify({
        kind: 'existing',
        runId: 'lab',
        topology: 'multicluster',
        routers: {},
        workloads: {},
        clusters: { 'pe-kind-a': { api: { type: 'kubernetes', kubeconfig } } },
      }),
    );
    const r = await l2stretch(['run', '--testbed-file', f]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`l2stretch: kubeconfig ${kubeconfig} does not exist`);
    noStack(r.out);
  });

  it('an existing testbed without its testbed file, or an unknown kind, is refused saying what to give', async () => {
    const existing = await l2stretch(['run'], { L2STRETCH_TESTBED: 'existing' });
    expect(existing.code).toBe(2);
    expect(existing.out).toContain('l2stretch: L2STRETCH_TESTBED=existing needs L2STRETCH_TESTBED_FILE');
    const other = await l2stretch(['run'], { L2STRETCH_TESTBED: 'minikube' });
    expect(other.code).toBe(2);
    expect(other.out).toContain('l2stretch: L2STRETCH_TESTBED=minikube: not a testbed (embedded, kind, existing)');
    noStack(existing.out + other.out);
  });

  it('a malformed run id and an unknown command are refused', async () => {
    const down = await l2stretch(['testbed', 'down', '--run', 'mine']);
    expect(down.code).toBe(2);
    expect(down.out).toContain('l2stretch: "mine" is not an l2stretch run id (l2s- followed by 6 hex digits)');
    const unknown = await l2stretch(['testbed', 'explode']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain("l2stretch: unknown command 'explode'");
    expect(unknown.out).toContain('l2stretch --help lists the commands');
  });

  it('a bad deadline override is refused with the names it accepts', async () => {
    const r = await l2stretch(['testbed', 'up'], { L2STRETCH_DEADLINES: 'forever=1' });
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      'L2STRETCH_DEADLINES: "forever=1" is not <name>=<number>[s|ms] with a name among bgpEstablished',
    );
    noStack(r.out);
  });
});

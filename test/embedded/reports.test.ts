// What users get from a run, proven on a real embedded testbed: a failing check
// yields a run record, JUnit and Allure results naming it, diagnostics taken once,
// and no secret anywhere (the fault here is itself a secret: a TCP-MD5 password the
// peer does not share). Then a clean certification run yields a complete bundle,
// which verify-bundle refuses for what it is (the embedded testbed holds no
// vendor's product) and, once a file in it changes, for that too.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync, appendFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { upEmbedded, type RunningTestbed } from '../../testbeds/embedded/testbed.ts';
import { eventually } from '../../helpers/wait.ts';
import { checkRouterSessions } from '../../suites/bgp-sessions/checks.ts';
import { expectedSessions } from '../../topology/expectations.ts';
import { runRecordSchema } from '../../reports/run-record.ts';
import { suiteIdentity } from '../../reports/suite-identity.ts';
import { checkIds } from '../../suites/catalogue.ts';
import { stageManifests } from '../../topology/manifests.ts';
import { SECRET_SHAPES } from '../secret-shapes.ts';
import { frr } from '../../helpers/nos/frr/dialect.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'l2stretch.js');
const SECRET = 's3cr3t-md5-pass';

interface AllureStep {
  attachments: Array<{ name: string }>;
  steps?: AllureStep[];
}
interface AllureResult extends AllureStep {
  name: string;
  status: string;
  labels: Array<{ name: string; value: string }>;
}

let tb: RunningTestbed;
let dir: string;

function textOfEveryFile(d: string): string {
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-reports-test-'));
  tb = await upEmbedded();
});
afterAll(async () => {
  await tb?.down();
  rmSync(dir, { recursive: true, force: true });
});

const spine = () => frr(tb.testbed.router('spine'));
const healthy = () =>
  eventually(
    async () =>
      (
        await checkRouterSessions(
          spine(),
          expectedSessions(tb.testbed.topology).filter((s) => s.router === 'spine'),
        )
      ).problem,
    30_000,
  );

describe('reports of a real run', () => {
  it('a failing check: run record, JUnit and Allure name it, diagnostics are taken once, no secret leaks', async () => {
    await healthy();
    await spine().vtysh('configure terminal', 'router bgp 64612', `neighbor 192.168.1.5 password ${SECRET}`);
    const report = join(dir, 'failing');
    const run = await execa('node', [cli, 'run', '--testbed-file', tb.stateFile, '--check', 'L2S-BGP-001'], {
      cwd: root,
      reject: false,
      env: { L2STRETCH_REPORT_DIR: report, L2STRETCH_DEADLINES: 'bgpEstablished=4s', NO_COLOR: '1' },
    });
    await spine().vtysh('configure terminal', 'router bgp 64612', `no neighbor 192.168.1.5 password ${SECRET}`);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/L2S-BGP-001\s+conformance\s+FAILED 2\/9/);
    expect(run.stdout).toContain('l2stretch: FAILED on the embedded testbed');

    const record = runRecordSchema.parse(JSON.parse(readFileSync(join(report, 'run-record.json'), 'utf8')));
    expect(record.verdict).toBe('failed');
    expect(record.testbed.versions.frr).toMatch(/^\d+\.\d+/);
    const bgp = record.checks.find((c) => c.id === 'L2S-BGP-001')!;
    expect(bgp.verdict).toBe('failed');
    expect(bgp.instances.filter((i) => i.verdict === 'failed').map((i) => i.message?.split('\n')[0])).toEqual([
      expect.stringMatching(
        /^spine: session to leafkind-a \(192\.168\.1\.5, AS 64512\) in IPv4 unicast: expected Established, seen (Active|Connect|OpenSent|Idle)/,
      ),
      expect.stringMatching(
        /^leafkind-a: session to spine \(192\.168\.1\.4, AS 64612\) in IPv4 unicast: expected Established, seen /,
      ),
    ]);
    expect(bgp.instances.filter((i) => i.verdict === 'passed').every((i) => i.convergedMs !== undefined)).toBe(true);

    expect(readFileSync(join(report, 'junit.xml'), 'utf8')).toMatch(
      /<testsuite name="suites\/bgp-sessions\/bgp-sessions.test.ts"[^>]* tests="9" failures="2"/,
    );

    const results = readdirSync(join(report, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(report, 'allure-results', f), 'utf8')) as AllureResult);
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.name).sort()).toEqual([
      expect.stringMatching(/^L2S-BGP-001 leafkind-a:/),
      expect.stringMatching(/^L2S-BGP-001 spine:/),
    ]);
    const attached = (r: AllureStep): string[] => [
      ...r.attachments.map((a) => a.name),
      ...(r.steps ?? []).flatMap(attached),
    ];
    for (const r of failed)
      expect(attached(r)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/: show bgp summary json$/),
          expect.stringMatching(/: show bgp neighbors json$/),
        ]),
      );
    expect(failed.flatMap(attached)).toContain('diagnostics (routers, kernel state, cluster objects)');
    expect(results.every((r) => r.labels.some((l) => l.name === 'checkId' && l.value === 'L2S-BGP-001'))).toBe(true);

    const diag = join(report, 'diagnostics');
    expect(readFileSync(join(diag, 'routers', 'spine.txt'), 'utf8')).toContain(
      'neighbor 192.168.1.5 password <redacted>',
    );
    expect(readFileSync(join(diag, 'kernel', 'pe-kind-a-worker-router-red.txt'), 'utf8')).toMatch(
      /vni110[\s\S]*vxlan id 110/,
    );
    expect(readFileSync(join(diag, 'clusters', 'pe-kind-b.yaml'), 'utf8')).toMatch(
      /kind: VirtualMachine[\s\S]*name: vm-2/,
    );
    expect(readFileSync(join(diag, 'README.txt'), 'utf8')).toMatch(
      /when this check failed first:\n {2}.* > L2S-BGP-001 (spine|leafkind-a): /,
    );

    expect(textOfEveryFile(report)).not.toContain(SECRET);
  });

  it('every secret shape planted into a failing run is in no file of its report', async () => {
    await healthy();
    // Three ways in: the product file (run record), a VM's annotations (cluster objects in the
    // diagnostics, their attachment and Allure), a neighbor's description (the router's configuration).
    const product = join(dir, 'secret-product.yaml');
    const notes = SECRET_SHAPES.map((s) => s.text).join('\n');
    writeFileSync(
      product,
      stringify({ vendor: 'Example', product: 'P', version: '1', contact: 'c', replaced: { fabricNos: 'x' }, notes }),
    );
    const vm = stageManifests('pe-kind-a', 'workload').find((m) => m.kind === 'VirtualMachine')!;
    const annotations = Object.fromEntries(SECRET_SHAPES.map((s, i) => [`l2stretch.io/planted-${i}`, s.text]));
    await tb.testbed.cluster('pe-kind-a').apply([{ ...vm, metadata: { ...vm.metadata, annotations } }]);
    const oneLiners = SECRET_SHAPES.filter((s) => !s.text.includes('\n') && s.text.length <= 70);
    for (const s of oneLiners.slice(0, 8))
      await spine().vtysh('configure terminal', 'router bgp 64612', `neighbor 192.168.1.5 description ${s.text}`);
    await spine().vtysh('configure terminal', 'router bgp 64612', `neighbor 192.168.1.5 password ${SECRET}`);
    const report = join(dir, 'secrets');
    const run = await execa('node', [cli, 'run', '--testbed-file', tb.stateFile, '--check', 'L2S-BGP-001'], {
      cwd: root,
      reject: false,
      env: {
        L2STRETCH_REPORT_DIR: report,
        L2STRETCH_DEADLINES: 'bgpEstablished=4s',
        L2STRETCH_PRODUCT_FILE: product,
        NO_COLOR: '1',
      },
    });
    await spine().vtysh(
      'configure terminal',
      'router bgp 64612',
      `no neighbor 192.168.1.5 password ${SECRET}`,
      'no neighbor 192.168.1.5 description',
    );
    await tb.testbed.cluster('pe-kind-a').apply([vm]);
    expect(run.exitCode).toBe(1);
    // Attachments a reporter embeds as base64 count as text too.
    const text = textOfEveryFile(report);
    const embedded = [...text.matchAll(/"content":"([A-Za-z0-9+/=]+)","encoding":"base64"/g)].map((m) =>
      Buffer.from(m[1]!, 'base64').toString('utf8'),
    );
    const everything = [text, ...embedded].join('\n');
    // Planted where the reports look: the cluster dump and the record hold the annotations and notes, redacted.
    expect(readFileSync(join(report, 'diagnostics', 'clusters', 'pe-kind-a.yaml'), 'utf8')).toContain(
      'l2stretch.io/planted-0',
    );
    expect(JSON.parse(readFileSync(join(report, 'run-record.json'), 'utf8')).product.notes).toContain('<redacted>');
    for (const s of SECRET_SHAPES) expect(everything, s.shape).not.toContain(s.leak);
    for (const f of readdirSync(report, { recursive: true, encoding: 'utf8' })) {
      const mode = statSync(join(report, f)).mode & 0o777;
      expect(mode & 0o077, `${f} is closed to others`).toBe(0);
      if (f.endsWith('.json')) expect(() => JSON.parse(readFileSync(join(report, f), 'utf8')), f).not.toThrow();
    }
  });

  it('a suite whose setup fails is a failed run, not skipped checks that pass', async () => {
    await execa('ip', ['-n', `${tb.runId}-vm-vm-1`, 'link', 'set', 'dev', 'eth0', 'down']);
    const report = join(dir, 'setup-failure');
    const run = await execa(
      'node',
      [cli, 'run', '--testbed-file', tb.stateFile, '--check', ...checkIds().filter((id) => id.startsWith('L2S-MIG'))],
      {
        cwd: root,
        reject: false,
        env: {
          L2STRETCH_REPORT_DIR: report,
          L2STRETCH_DEADLINES: 'dataPlane=2s',
          L2STRETCH_STAGE_GATE: 'off',
          NO_COLOR: '1',
        },
      },
    );
    // The link coming back does not bring the guest's default route back: the test does.
    await execa('ip', ['-n', `${tb.runId}-vm-vm-1`, 'link', 'set', 'dev', 'eth0', 'up']);
    await execa('ip', [
      '-n',
      `${tb.runId}-vm-vm-1`,
      'route',
      'replace',
      'default',
      'via',
      '192.170.1.1',
      'dev',
      'eth0',
    ]);
    // The harness hands a failed preparation to each leg's first check (L2S-MIG-001): it
    // fails with the reason, and every other check of the leg is skipped naming it.
    const why = 'live migration could not be prepared: vm-2 → vm-1: curl http://192.170.1.3:8090/clientip failed';
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/L2S-MIG-001 +conformance FAILED 3\/3/);
    expect(run.stdout).toMatch(/l2stretch: FAILED on the embedded testbed\n/);
    const record = runRecordSchema.parse(JSON.parse(readFileSync(join(report, 'run-record.json'), 'utf8')));
    expect(record.verdict).toBe('failed');
    const instances = record.checks.filter((c) => c.id.startsWith('L2S-MIG')).flatMap((c) => c.instances);
    const first = instances.filter((i) => i.key.startsWith('L2S-MIG-001['));
    expect(first.map((i) => i.verdict)).toEqual(['failed', 'failed', 'failed']);
    for (const i of first) expect(i.message).toContain(why);
    const rest = instances.filter((i) => !i.key.startsWith('L2S-MIG-001['));
    expect(rest).toHaveLength(21);
    for (const i of rest)
      expect([i.key, i.verdict, i.message]).toEqual([i.key, 'skipped', expect.stringContaining(why)]);
  });

  it('an embedded certification run yields a complete bundle that certifies nothing; a changed one fails', async () => {
    await healthy();
    const product = join(dir, 'product.yaml');
    writeFileSync(
      product,
      stringify({
        vendor: 'Example',
        product: 'Embedded reference',
        version: '1.0',
        contact: 'lab@example.org',
        replaced: { peImplementation: 'openperouter emulation' },
        notes: `lab password ${SECRET}\nlab token: none`,
      }),
    );
    const bundle = join(dir, 'bundle');
    const run = await execa(
      'node',
      [cli, 'certify', '--product', product, '--testbed-file', tb.stateFile, '--out', bundle],
      { cwd: root, reject: false, env: { NO_COLOR: '1' } },
    );
    // The embedded testbed holds none of a vendor's product: the one complaint, besides a modified checkout.
    const reference =
      'run-record.json: the run was on the embedded testbed, which contains none of the product: it certifies nothing';
    const dirtyProblem =
      `run-record.json: l2stretch ${suiteIdentity().commit} had local changes: a certification must run an ` +
      `unmodified suite`;
    const verified = await execa('node', [cli, 'verify-bundle', bundle], { reject: false });
    const problems = verified.stdout.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems.sort(), run.stdout.slice(-3000)).toEqual(
      [`  - ${reference}`, ...(suiteIdentity().dirty ? [`  - ${dirtyProblem}`] : [])].sort(),
    );
    expect(verified.exitCode).toBe(1);
    expect(run.exitCode).toBe(1);
    const record = runRecordSchema.parse(JSON.parse(readFileSync(join(bundle, 'run-record.json'), 'utf8')));
    expect(record.tiers).toEqual(['conformance']);
    expect(record.checks.every((c) => c.tier === 'conformance' && c.verdict === 'passed')).toBe(true);
    expect(textOfEveryFile(bundle)).not.toContain(SECRET);

    appendFileSync(join(bundle, 'junit.xml'), '<!-- edited -->\n');
    const tampered = await execa('node', [cli, 'verify-bundle', bundle], { reject: false });
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stdout).toContain('junit.xml: its SHA-256 differs from SHA256SUMS (changed after the run)');
  });
});

// The command line as a user meets it: help and version everywhere, one-line errors
// with exit 2, `list`, `results` and the exit code of every verdict. In-process
// (main()) where the outcome is the same, as a process where only a process shows it.
import { describe, it, expect, vi, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import { EXIT } from '../cli/exit.ts';
import { CATALOGUE, checkIds, type CheckId } from '../suites/catalogue.ts';
import { sampleKey } from './shared.ts';
import type { FinishedTest, RunRecord } from '../reports/run-record.ts';
import { writeFakeRun } from './run-fixture.ts';
import { selectedChecks, stagesLeftOut } from '../suites/selection.ts';
import { rerunPlan } from '../cli/run.ts';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'l2stretch.js');
const scratch = mkdtempSync(join(tmpdir(), 'l2s-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI in this process, capturing what it writes. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const oneLine = (s: string) => {
  expect(s, 'no stack trace').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(s.trim().split('\n')[0]).toMatch(/^l2stretch: /);
};

describe('help and version', () => {
  const commands = [
    [],
    ['testbed'],
    ['testbed', 'up'],
    ['testbed', 'down'],
    ['testbed', 'status'],
    ['run'],
    ['list'],
    ['results'],
    ['report'],
    ['certify'],
    ['verify-bundle'],
  ];
  it.each(commands.map((c) => [c.join(' ') || '(none)', c]))(
    '%s: -h and --help print usage and exit 0',
    async (_, c) => {
      for (const flag of ['-h', '--help']) {
        const r = await cli([...(c as string[]), flag]);
        expect(r.code, `${c} ${flag}`).toBe(0);
        expect(r.out).toContain(`Usage: l2stretch ${(c as string[]).join(' ')}`.trim());
      }
    },
  );

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect([r.code, r.out.trim()]).toEqual([0, version]);
  });

  it('the top-level help has the exit-code table', async () => {
    const r = await cli(['--help']);
    for (const code of ['0 ', '1 ', '2 ', '3 ']) expect(r.out).toMatch(new RegExp(`^  ${code}\\s+\\S`, 'm'));
  });
});

describe('usage errors: one line, exit 2', () => {
  it.each([
    [['explode'], "unknown command 'explode'"],
    [['testbed', 'explode'], "unknown command 'explode'"],
    [['list', '--colour'], "unknown option '--colour'"],
    [['list', 'extra'], "too many arguments for 'list'"],
    [['run', 'suites/bgp-sessions'], "too many arguments for 'run'"],
    [['testbed', 'status', 'now'], "too many arguments for 'status'"],
    [['testbed', 'up', '--testbed', 'minikube'], "argument 'minikube' is invalid. Allowed choices are embedded, kind"],
    [
      ['testbed', 'down', '--testbed', 'minikube'],
      "argument 'minikube' is invalid. Allowed choices are embedded, kind",
    ],
    [['testbed', 'up', '--dry-run'], '--dry-run: only with --testbed kind'],
    [['testbed', 'down', '--run', 'mine'], '"mine" is not an l2stretch run id'],
    [['run', '--tier', 'nightly'], "argument 'nightly' is invalid"],
    [['run', '--check', 'L2S-NOPE-001'], '--check: unknown check L2S-NOPE-001'],
    [['run', '--skip', 'L2S-BGP-001,L2S-X-1'], '--skip: unknown check L2S-X-1'],
    // A prototype name is no check (it used to pass the lookup and select nothing).
    [['run', '--check', 'constructor'], '--check: unknown check constructor'],
    [['run', '--tier', 'extended', '--check', 'L2S-BGP-001'], 'the selection leaves no check to run'],
    [['run', '--rerun-failed', '--check', 'L2S-BGP-001'], '--rerun-failed takes its selection from the earlier run'],
    [['run', '--testbed-file', '/nonexistent/testbed.json'], '/nonexistent/testbed.json'],
    [['results', '/nonexistent/run'], '/nonexistent/run: no such run directory'],
    [['verify-bundle', '/nonexistent/bundle'], '/nonexistent/bundle: no such bundle directory'],
    [['certify'], "required option '--product <file>' not specified"],
  ])('%j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(message);
    oneLine(r.err);
  });

  it('L2STRETCH_TESTBED naming no testbed is refused by testbed down, never read as embedded', async () => {
    vi.stubEnv('L2STRETCH_TESTBED', 'minikube');
    try {
      const r = await cli(['testbed', 'down']);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toContain('L2STRETCH_TESTBED=minikube: testbed up/down know embedded and kind');
      expect(r.out).toBe('');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('list', () => {
  it('every check with tier, suite, needs and requirement', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    for (const id of checkIds()) {
      const c = CATALOGUE[id];
      expect(r.out).toMatch(
        new RegExp(`^${id}\\s+${c.tier}\\s+${c.suite}\\s+${c.needs.length ? c.needs.join(', ') : '-'}\\s+`, 'm'),
      );
    }
    expect(r.out).toContain(`${checkIds().length} checks`);
  });

  it('--json is the catalogue; --tier narrows it', async () => {
    const all = JSON.parse((await cli(['list', '--json'])).out) as Array<{ id: string }>;
    expect(all.map((c) => c.id)).toEqual(checkIds());
    const ext = JSON.parse((await cli(['list', '--tier', 'extended', '--json'])).out) as Array<{
      id: string;
      tier: string;
    }>;
    expect(ext.length).toBeGreaterThan(0);
    expect(ext.every((c) => c.tier === 'extended')).toBe(true);
    expect(ext.length).toBe(checkIds().filter((id) => CATALOGUE[id].tier === 'extended').length);
  });
});

describe('selection', () => {
  it('--check, --skip and the tier combine; unknown IDs are refused', () => {
    expect(selectedChecks({ L2STRETCH_CHECKS: 'L2S-BGP-001,L2S-L2-001' })).toEqual(['L2S-BGP-001', 'L2S-L2-001']);
    expect(selectedChecks({ L2STRETCH_SKIP: 'L2S-BGP-001' })).not.toContain('L2S-BGP-001');
    expect(selectedChecks({ L2STRETCH_SKIP: 'L2S-BGP-001' })).toHaveLength(checkIds().length - 1);
    expect(selectedChecks({ L2STRETCH_TIERS: 'extended', L2STRETCH_CHECKS: 'L2S-BGP-001' })).toEqual([]);
    expect(() => selectedChecks({ L2STRETCH_CHECKS: 'L2S-BGP-999' })).toThrow(
      'L2STRETCH_CHECKS: unknown check L2S-BGP-999',
    );
  });

  it('a stage left out is named by the later stages, never counted as their failure', () => {
    expect(stagesLeftOut('l2-stretch', ['L2S-L2-001'])).toEqual(['bgp-sessions', 'evpn-routes']);
    expect(stagesLeftOut('l2-stretch', ['L2S-BGP-001', 'L2S-EVPN-001', 'L2S-L2-001'])).toEqual([]);
    expect(stagesLeftOut('bgp-sessions', ['L2S-BGP-001'])).toEqual([]);
  });
});

/** A run directory with a run record of these test outcomes. */
function runDir(name: string, tests: FinishedTest[], edit: (r: RunRecord) => void = () => {}): string {
  const dir = join(scratch, name);
  writeFakeRun(dir, tests, { tiers: ['conformance', 'extended'], selected: ['L2S-BGP-001', 'L2S-EVPN-001'] }, edit);
  return dir;
}

const test = (id: string, verdict: FinishedTest['verdict'], message?: string): FinishedTest => ({
  name: `${id} spine`,
  key: sampleKey(id as CheckId, 'spine'),
  title: `suite > ${id} spine`,
  verdict,
  durationMs: 1200,
  annotations: [],
  ...(message ? { message } : {}),
});

describe('results and the exit code of each verdict', () => {
  it('0: every selected check passed', async () => {
    const r = await cli(['results', runDir('passed', [test('L2S-BGP-001', 'passed'), test('L2S-EVPN-001', 'passed')])]);
    expect(r.code).toBe(EXIT.passed);
    expect(r.out).toMatch(/L2S-BGP-001\s+conformance\s+passed 1\/1/);
    expect(r.out).toContain('PASSED');
    // Only the selected checks are judged: the catalogue has more.
    expect(r.out).not.toContain('L2S-L2-001');
  });

  it('1: a check failed', async () => {
    const r = await cli([
      'results',
      runDir('failed', [test('L2S-BGP-001', 'failed', 'spine: expected Established'), test('L2S-EVPN-001', 'passed')]),
    ]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toMatch(/L2S-BGP-001\s+conformance\s+FAILED 1\/1/);
    expect(r.out).toContain('FAILED (1 of 2 checks did not pass)');
  });

  it('3: incomplete, a selected check skipped or not run', async () => {
    const skipped = await cli([
      'results',
      runDir('skipped', [test('L2S-BGP-001', 'passed'), test('L2S-EVPN-001', 'skipped', 'needs l2vni')]),
    ]);
    expect(skipped.code).toBe(EXIT.incomplete);
    expect(skipped.out).toMatch(/L2S-EVPN-001\s+conformance\s+skipped 1\/1/);
    const unrun = await cli(['results', runDir('unrun', [test('L2S-BGP-001', 'passed')])]);
    expect(unrun.code).toBe(EXIT.incomplete);
    expect(unrun.out).toMatch(/L2S-EVPN-001\s+conformance\s+not run/);
  });

  it('2: the testbed never came up, or the run left no record', async () => {
    const never = runDir('never', [], (r) => {
      r.testbed = { kind: 'unknown', runId: 'none', topology: 'unknown', features: [], versions: {} };
      r.errors = ['the testbed was never stood up: no testbed facts were recorded'];
      r.verdict = 'failed';
    });
    expect((await cli(['results', never])).code).toBe(EXIT.usage);
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const r = await cli(['results', empty]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('run-record.json: no run record');
    oneLine(r.err);
  });

  it('--json prints the run record', async () => {
    const dir = runDir('json', [test('L2S-BGP-001', 'passed'), test('L2S-EVPN-001', 'failed', 'x')]);
    const r = await cli(['results', dir, '--json']);
    expect(r.code).toBe(EXIT.failed);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(join(dir, 'run-record.json'), 'utf8')));
  });
});

describe('--rerun-failed reads the Allure results of the earlier run', () => {
  const results = (name: string, rs: object[]) => {
    const dir = join(scratch, name);
    mkdirSync(join(dir, 'allure-results'), { recursive: true });
    rs.forEach((r, i) => writeFileSync(join(dir, 'allure-results', `${i}-result.json`), JSON.stringify(r)));
    return dir;
  };
  const label = (id: string) => [{ name: 'checkId', value: id }];

  it('plans what failed or was skipped, by full name, and selects their checks', () => {
    const dir = results('rerun-mixed', [
      { name: 'L2S-BGP-001 spine: …', fullName: 'f#spine', status: 'passed', labels: label('L2S-BGP-001') },
      { name: 'L2S-BGP-001 leafA: …', fullName: 'f#leafA', status: 'failed', labels: label('L2S-BGP-001') },
      { name: 'L2S-EVPN-001 spine: …', fullName: 'g#spine', status: 'skipped', labels: [] },
      { name: 'L2S-L2-001 vm-1 → vm-2: …', fullName: 'h#vm', status: 'broken', labels: label('L2S-L2-001') },
    ]);
    expect(rerunPlan(dir)).toEqual({
      ids: ['L2S-BGP-001', 'L2S-EVPN-001', 'L2S-L2-001'],
      tests: [{ selector: 'f#leafA' }, { selector: 'g#spine' }, { selector: 'h#vm' }],
    });
  });

  it('nothing to rerun is a pass; a run without Allure results is refused', async () => {
    const passed = results('rerun-none', [{ name: 'L2S-BGP-001 x', fullName: 'f#x', status: 'passed', labels: [] }]);
    const r = await cli(['run', '--rerun-failed', passed]);
    expect(r.code).toBe(EXIT.passed);
    expect(r.out).toMatch(/^nothing to rerun: every check of .*rerun-none passed/);
    const bare = join(scratch, 'rerun-bare');
    mkdirSync(bare);
    const refused = await cli(['run', '--rerun-failed', bare]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain('allure-results: missing, so which checks failed cannot be told');
  });
});

describe('as a process', () => {
  const l2stretch = (args: string[], opts: { cwd?: string; uid?: number; env?: Record<string, string> } = {}) =>
    execa('node', [bin, ...args], {
      reject: false,
      cwd: opts.cwd ?? scratch,
      env: { L2STRETCH_BUILD_WARNING: '0', ...opts.env },
      ...(opts.uid ? { uid: opts.uid, gid: opts.uid } : {}),
    });

  it('exit codes reach the shell: 0 for --version, 2 for a usage error', async () => {
    expect((await l2stretch(['--version'])).exitCode).toBe(0);
    const bad = await l2stretch(['run', '--tier', 'nightly']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^l2stretch: option '--tier <tier>' argument 'nightly' is invalid/);
  });

  it('report and results before any run: one line, exit 2', async () => {
    const cwd = mkdtempSync(join(scratch, 'fresh-'));
    for (const cmd of ['report', 'results']) {
      const r = await l2stretch([cmd], { cwd });
      expect(r.exitCode, cmd).toBe(2);
      expect(r.stderr.trim()).toBe('l2stretch: no run yet under reports/: run the suites first (l2stretch run)');
    }
  });

  it('soak and bench refuse bad arguments before running anything', async () => {
    for (const script of ['bench/soak.ts', 'bench/embedded.ts']) {
      for (const args of [
        ['--runs', 'abc'],
        ['--runs', '0'],
        ['--rnus', '3'],
      ]) {
        const r = await execa('node', ['--import', 'tsx', join(root, script), ...args], { reject: false, cwd: root });
        expect(r.exitCode, `${script} ${args.join(' ')}`).toBe(2);
        expect(r.stderr).toMatch(/^(soak|bench): .*\nusage: npm run/);
      }
    }
  });

  describe('testbed status tells another user’s run (EPERM, EACCES) from one that is gone (ESRCH)', () => {
    const nobody = 65534;
    const tmp = join(scratch, 'tmp');
    beforeAll(async () => {
      mkdirSync(tmp, { recursive: true });
      chmodSync(scratch, 0o755);
      chmodSync(tmp, 0o1777);
      const dead = (await execa('sh', ['-c', 'echo $$'])).stdout.trim();
      const fake = (id: string, mode: number, ownerPid: string) => {
        mkdirSync(join(tmp, id), { mode });
        writeFileSync(join(tmp, id, 'owner.json'), JSON.stringify({ pid: Number(ownerPid), kept: false }));
        chmodSync(join(tmp, id), mode);
      };
      fake('l2s-c11001', 0o700, '1');
      fake('l2s-c11002', 0o755, '1');
      fake('l2s-c11003', 0o755, dead);
    });

    const title =
      'as another user: not yours for an unreadable run or a live process of root, ' +
      'leftover when the owner is gone';
    it(title, async (ctx) => {
      if (process.getuid?.() !== 0) ctx.skip('needs root, to run the command as another user');
      const r = await l2stretch(['testbed', 'status'], { uid: nobody, env: { TMPDIR: tmp } });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^l2s-c11001 .*not yours: another user runs it/m);
      expect(r.stdout).toMatch(/^l2s-c11002 .*not yours: another user runs it/m);
      expect(r.stdout).toMatch(/^l2s-c11003 .*leftover of a run that is gone/m);
      expect(r.stdout).not.toMatch(/^l2s-c1100[12] .*leftover/m);
    });
  });
});

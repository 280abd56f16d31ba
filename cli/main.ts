// The l2stretch command line (bin/l2stretch.js runs it). Each command loads its modules when it runs, so that
// help, version and list answer at once and no command pays for another's imports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError } from './exit.ts';
import { PACKAGE_ROOT } from './paths.ts';
import { TESTBED_KINDS, type TestbedKind } from '../helpers/ports.ts';
import { UP_KINDS } from '../testbeds/registry.ts';
import type { RunFlags } from './run.ts';
import { splitKeyList } from '../suites/keys.ts';

const TIERS = ['conformance', 'extended'] as const;

const EXIT_CODES = `
Exit codes:
  0    every selected check passed (other commands: done)
  1    a check failed (verify-bundle: the bundle is not verified)
  2    usage or tool error: bad flag, argument or file, the testbed could not start
  3    incomplete: nothing failed, but a selected check was skipped or not run
  130  interrupted`;

/** --testbed of `testbed up|down`, by default L2STRETCH_TESTBED, which is refused when it names no such testbed. */
function testbedKind(flag: TestbedKind | undefined): TestbedKind {
  if (flag) return flag;
  const env = process.env.L2STRETCH_TESTBED;
  if (env === undefined) return 'embedded';
  const known = UP_KINDS.find((k) => k === env);
  if (known) return known;
  throw new UsageError(`L2STRETCH_TESTBED=${env}: testbed up/down know ${UP_KINDS.join(' and ')}`);
}

/** `--check A,B C` and `--check A --check B` alike. */
const idList = (value: string, previous: string[] | undefined) => [...(previous ?? []), ...splitKeyList(value)];

/** Set by the command that ran: the exit code of its result. */
let exitCode: number = EXIT.passed;
const done = (code: number) => void (exitCode = code);

function program(vitestArgs: string[]): Command {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const p = new Command('l2stretch')
    .description(
      'End-to-end conformance suite for a Layer 2 network stretched across KubeVirt clusters with EVPN/VXLAN',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(l2stretch --help lists the commands)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`l2stretch: ${s.replace(/^error: /, '')}`) })
    .addHelpText('after', EXIT_CODES);

  const kindOption = () =>
    new Option('--testbed <kind>', `${UP_KINDS.join(' or ')} (default embedded, or L2STRETCH_TESTBED)`).choices(
      UP_KINDS,
    );
  const topology = () =>
    new Option('--topology <name|file>', 'built-in topology or YAML file').env('L2STRETCH_TOPOLOGY');
  const testbed = p.command('testbed').description('stand a testbed up or down, or see which run on this machine');
  testbed
    .command('up')
    .description('stand a testbed up and keep it; prints its testbed file')
    .addOption(kindOption())
    .addOption(topology())
    .option('--dry-run', 'kind: print every command and manifest instead of running them')
    .option('--lab-dir <dir>', 'kind: the lab directory (default L2STRETCH_KIND_DIR or ~/.cache/l2stretch/kind)')
    .action(async (o: { testbed?: TestbedKind; topology?: string; dryRun?: boolean; labDir?: string }) => {
      const { testbedUp } = await import('./testbed.ts');
      done(await testbedUp({ ...o, testbed: testbedKind(o.testbed) }));
    });
  testbed
    .command('down')
    .description('remove kept testbeds and leftovers of crashed runs (never a run in use, unless named)')
    .addOption(kindOption())
    .addOption(topology())
    .option('--run <id>', 'remove this run only')
    .option('--all', 'also runs that a conformance run still uses')
    .option('--dry-run', 'kind: print every command instead of running it')
    .option('--lab-dir <dir>', 'kind: the lab directory')
    .action(
      async (o: {
        testbed?: TestbedKind;
        topology?: string;
        run?: string;
        all?: boolean;
        dryRun?: boolean;
        labDir?: string;
      }) => {
        const { testbedDown } = await import('./testbed.ts');
        done(await testbedDown({ ...o, testbed: testbedKind(o.testbed) }));
      },
    );
  testbed
    .command('preflight')
    .description('what this machine lacks to stand a testbed up, one line each with the fix (nothing is changed)')
    .addOption(kindOption())
    .addOption(topology())
    .option('--lab-dir <dir>', 'kind: the lab directory')
    .action(async (o: { testbed?: TestbedKind; topology?: string; labDir?: string }) => {
      const { testbedPreflight } = await import('./testbed.ts');
      done(await testbedPreflight({ ...o, testbed: testbedKind(o.testbed) }));
    });
  testbed
    .command('status')
    .description('list the embedded testbeds on this machine and whose they are')
    .action(async () => done(await (await import('./testbed.ts')).testbedStatus()));

  p.command('topology')
    .description('write topologies')
    .command('generate')
    .description('write a topology of N clusters and all its manifests (every openperouter release) to a folder')
    .requiredOption('--clusters <n>', 'clusters (2-9)')
    .option('--nodes-per-cluster <m>', 'nodes per cluster, the first a control plane', '2')
    .option('--vms-per-cluster <k>', 'VMs per cluster, spread over the L2VNIs', '1')
    .option('--l2vnis <v>', 'stretched L2 segments (VNI 110 on)', '1')
    .option('--vrfs <r>', 'VRFs on the nodes, each with an L3VNI; the L2VNIs take them in turn', '1')
    .option('--out <dir>', 'folder to write (new or empty; default ./l2stretch-<clusters>x<nodes>x<vms>)')
    .action(async (o: import('./topology.ts').GenerateFlags) => done((await import('./topology.ts')).generate(o)));

  p.command('run')
    .description('run the conformance suites, on a fresh testbed or a kept one (--testbed-file)')
    .addOption(new Option('--testbed <kind>', 'testbed to stand up for the run').choices(TESTBED_KINDS))
    .option('--testbed-file <file>', 'run on this kept testbed (testbed up, kind-up or your own lab)')
    .option('--check <ids...>', 'run only these checks (IDs or instance keys, space or comma separated)', idList)
    .option('--skip <ids...>', 'leave these checks (IDs) or instances (keys) out', idList)
    .addOption(new Option('--tier <tier>', 'run only the checks of this tier').choices(TIERS))
    .option('--rerun-failed [run-dir]', 'run again what did not pass in that run (default the latest)')
    .addHelpText('after', '\nArguments after -- go to vitest, e.g. l2stretch run -- --reporter=verbose' + EXIT_CODES)
    .action(async (o: RunFlags) => done(await (await import('./run.ts')).run(o, vitestArgs)));

  p.command('list')
    .description('every check: ID, tier, suite, the features it needs, its requirement')
    .addOption(new Option('--tier <tier>', 'only this tier').choices(TIERS))
    .option('--json', 'as JSON')
    .action(async (o: { tier?: (typeof TIERS)[number]; json?: boolean }) => done((await import('./list.ts')).list(o)));

  p.command('expected')
    .description('what a healthy testbed of the topology must show: sessions, routes, reach/drop, migrations')
    .addOption(topology())
    .option('--json', 'as JSON')
    .action(async (o: { topology?: string; json?: boolean }) => done((await import('./expected.ts')).expected(o)));

  p.command('results')
    .description("a past run's verdict table (default the latest run); exits as that run did")
    .argument('[run-dir]', 'a run directory under reports/')
    .option('--json', 'the run record as JSON')
    .action(async (dir: string | undefined, o: { json?: boolean }) =>
      done(await (await import('./run.ts')).results(dir, o)),
    );

  p.command('report')
    .description('the HTML report of a run (default the latest), as one file that opens in any browser')
    .argument('[run-dir]', 'a run directory under reports/')
    .action(async (dir: string | undefined) => done(await (await import('../reports/html.ts')).renderReport(dir)));

  p.command('certify')
    .description('run every conformance-tier check, none skipped, and write a certification bundle')
    .requiredOption(
      '--product <file>',
      'YAML: vendor, product, version, contact and what was replaced (README, "Certification")',
    )
    .option('--testbed-file <file>', 'certify on this testbed')
    .option('--out <dir>', 'bundle directory (default reports/certification-…)')
    .action(async (o: { product: string; testbedFile?: string; out?: string }) =>
      done(await (await import('./run.ts')).certify(o)),
    );

  p.command('verify-bundle')
    .description('check a certification bundle: every conformance check present and passed, hashes intact')
    .argument('<dir>', 'the bundle directory')
    .action(async (dir: string) => done(await (await import('./run.ts')).verify(dir)));

  return p;
}

export async function main(argv: string[]): Promise<number> {
  // Only `run` passes arguments on to vitest, and only after `--`: anything else extra is refused.
  const dash = argv[0] === 'run' ? argv.indexOf('--') : -1;
  const [own, passed] = dash < 0 ? [argv, []] : [argv.slice(0, dash), argv.slice(dash + 1)];
  const p = program(passed);
  try {
    exitCode = EXIT.passed;
    await p.parseAsync(own, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.passed : EXIT.usage;
    process.stderr.write(`l2stretch: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
}

// The kind testbed: containerlab + KinD + openperouter + Multus + KubeVirt on Docker,
// the walkthrough's lab. Its plan (--dry-run) shows every command and manifest.
import type { TestbedProvider, UpDownFlags } from '../provider.ts';

const elapsed = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;
const progress = (start: number) => (m: string) => process.stderr.write(`[${elapsed(start)}] ${m}\n`);

async function kindTestbed(direction: 'up' | 'down', flags: UpDownFlags) {
  const start = Date.now();
  progress(start)(`kind testbed ${direction}${flags.dryRun ? ' (dry run: nothing is changed)' : ''}`);
  const [{ upKind, downKind, kindOptions }, { loadTopology }] = await Promise.all([
    import('./testbed.ts'),
    import('../../topology/load.ts'),
  ]);
  const o = kindOptions({
    topologyRef: flags.topology,
    dryRun: flags.dryRun,
    labDir: flags.labDir,
    onProgress: progress(start),
  });
  const topology = loadTopology(o.topologyRef);
  if (direction === 'down') {
    await downKind(topology, o);
    if (!o.dryRun) process.stdout.write(`kind testbed removed (${elapsed(start)})\n`);
    return 'done' as const;
  }
  const file = await upKind(topology, o);
  if (file) {
    process.stdout.write(
      `kind testbed is up (${elapsed(start)})\n  testbed file: ${file}\n` +
        `  run the suites on it:  l2stretch run --testbed-file ${file}\n`,
    );
  }
  return 'done' as const;
}

export const kindProvider: TestbedProvider = {
  kind: 'kind',
  flags: { up: ['dryRun', 'labDir'], down: ['dryRun', 'labDir'] },
  async preflight(p) {
    const { kindOptions } = await import('./testbed.ts');
    const { kindPreflight } = await import('./preflight.ts');
    return kindPreflight(kindOptions({ topologyRef: p.topology, labDir: p.labDir, onProgress: () => {} }));
  },
  /** Removed after the run unless L2STRETCH_KEEP=1 keeps it for later runs. */
  async upForRun(p) {
    const start = Date.now();
    const [{ upKind, downKind, kindOptions }, { loadTopology }] = await Promise.all([
      import('./testbed.ts'),
      import('../../topology/load.ts'),
    ]);
    const o = kindOptions({
      topologyRef: p.topology,
      onProgress: (m) => process.stderr.write(`l2stretch [${((Date.now() - start) / 1000).toFixed(0)} s] kind: ${m}\n`),
    });
    const topology = loadTopology(o.topologyRef);
    const file = (await upKind(topology, o))!;
    process.stderr.write(`l2stretch: kind testbed up in ${((Date.now() - start) / 1000).toFixed(0)} s (${file})\n`);
    return {
      file,
      async down() {
        if (process.env.L2STRETCH_KEEP === '1')
          return void process.stderr.write(`l2stretch: kind testbed kept (L2STRETCH_KEEP=1): ${file}\n`);
        await downKind(topology, o);
        process.stderr.write('l2stretch: kind testbed removed\n');
      },
    };
  },
  up: (flags) => kindTestbed('up', flags),
  down: (flags) => kindTestbed('down', flags),
};

import { defineConfig } from 'vitest/config';
import { LongestWaitFirst } from './test/sequencer.ts';

// The project's own tests. The conformance suites have their own config
// (vitest.conformance.config.ts): their reporters write what users get.
// test/embedded/ needs root (network namespaces, FRR daemons): without it, they are
// left out and test/needs-root.test.ts lists each of them as skipped, with the reason.
const root = process.getuid?.() === 0;

export default defineConfig({
  test: {
    // The fault catalogue's table is made from its tests' results, also when shards' reports are merged.
    reporters: ['default', './test/faults/table.ts'],
    // Vitest takes the sequencer from the root config only: it orders every project's files.
    sequence: { sequencer: LongestWaitFirst },
    projects: [
      {
        test: {
          name: 'self',
          include: ['test/**/*.test.ts'],
          exclude: ['test/faults/**', 'test/kube/**', ...(root ? ['test/needs-root.test.ts'] : ['test/embedded/**'])],
          // Two at a time: the embedded files mostly wait (deadlines, EVPN's windows), and
          // each runs on testbeds of its own (run ids), as two users' runs do.
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // `npm run test:unit`: what needs neither root nor FRR (captured JSON, renderers, the CLI in-process).
        test: {
          name: 'unit',
          include: ['test/*.test.ts'],
          exclude: ['test/needs-root.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        // Run inside a network namespace of their own by test/embedded/kube-clients.test.ts.
        test: {
          name: 'kube',
          include: ['test/kube/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          // Each part stands its own testbeds up. Side by side even on two cores: the parts mostly wait out deadlines.
          maxWorkers: 3,
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

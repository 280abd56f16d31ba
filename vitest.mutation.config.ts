import { defineConfig } from 'vitest/config';

// What Stryker runs against each mutant: the unit tests of the mutated modules (no
// root, no FRR, no testbed, no child processes), so a mutant is killed by a judge's,
// parser's or verifier's own tests or not at all.
export default defineConfig({
  test: {
    include: [
      'test/bgp-sessions-checks.test.ts',
      'test/bundle.test.ts',
      'test/bundle-integrity.test.ts',
      'test/evpn-routes-*.test.ts',
      'test/frr-json*.test.ts',
      'test/live-migration-*.test.ts',
      'test/nos-dialects*.test.ts',
      'test/oracle.test.ts',
      'test/overlay*.test.ts',
      'test/redact*.test.ts',
      'test/rerun-safety.test.ts',
      'test/router-checks.test.ts',
      'test/secret-redaction.test.ts',
      'test/stability-*.test.ts',
      'test/topology.test.ts',
      'test/traffic-checks.test.ts',
      'test/verify-bundle-tamper.test.ts',
    ],
    testTimeout: 30_000,
  },
});

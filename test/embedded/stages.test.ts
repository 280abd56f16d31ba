// Proves end to end, through `l2stretch run` on a kept testbed, that a failed stage
// stops the later ones with the reason stated instead of letting them time out.
import { describe, it, expect, afterAll } from 'vitest';
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTestbedFile, openTestbed } from '../../helpers/testbed.ts';
import { frr } from '../../helpers/nos/frr/dialect.ts';
import { downRun } from '../../testbeds/embedded/testbed.ts';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'l2stretch.js');
let runId: string | undefined;

afterAll(async () => {
  if (runId) await downRun(runId);
});

describe('conformance stages', () => {
  it('a broken BGP session fails bgp-sessions and skips the routes, L2 and L3 stages with the reason', async () => {
    const up = await execa('node', [cli, 'testbed', 'up']);
    runId = /testbed (l2s-[0-9a-f]{6}) is up/.exec(up.stdout)![1]!;
    const file = /testbed file: (\S+)/.exec(up.stdout)![1]!;
    await frr(openTestbed(readTestbedFile(file)).router('spine')).vtysh(
      'configure terminal',
      'router bgp 64612',
      'neighbor 192.168.1.7 shutdown',
    );
    const run = await execa('node', [cli, 'run', '--testbed-file', file, '--', '--reporter=verbose'], {
      reject: false,
      env: { L2STRETCH_DEADLINES: 'bgpEstablished=3s', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const out = run.stdout + run.stderr;
    expect(run.exitCode).not.toBe(0);
    expect(out).toContain(
      'spine: session to leafkind-b (192.168.1.7, AS 64516) in IPv4 unicast: expected Established, seen Idle (Admin)',
    );
    expect(out).toMatch(
      /evpn-routes[^\n]*\n?[^\n]*skipped: stage bgp-sessions failed \(L2S-BGP-001 (leafkind-b|spine):/,
    );
    expect(out).toMatch(/l3vni[\s\S]*skipped: stage bgp-sessions failed/);
    // Only the two bgp-sessions tests of the broken session failed; every later test was skipped, none timed out.
    expect(out).toMatch(/Tests\s+2 failed \| 7 passed \| \d+ skipped/);
    expect(out).toMatch(/live-migration[\s\S]*skipped: stage bgp-sessions failed/);
  });
});

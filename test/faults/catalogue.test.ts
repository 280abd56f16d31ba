// The fault catalogue (npm run test:faults): each fault is injected into one healthy
// embedded testbed, the conformance suites run against it as a user runs them (every
// stage, no gating, short deadlines), and exactly the checks the fault breaks must
// fail while every other check passes. The verdicts end as a table in reports/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upEmbedded, type RunningTestbed } from '../../fixtures/embedded/testbed.ts';
import { runSuites } from './run-suites.ts';
import { FAULTS, untilHeard, hostARedReachesVm2 } from './catalogue.ts';
import { checkRouterSessions } from '../../suites/bgp-sessions/checks.ts';
import { checkHttpSourceIp } from '../../suites/l2-stretch/checks.ts';
import { expectedSessions, routerNames } from '../../topology/expectations.ts';
import { eventually } from '../../helpers/wait.ts';

const SUITES = ['suites/bgp-sessions', 'suites/evpn-routes', 'suites/l2-stretch', 'suites/l3vni'];
// Short waits: every check here either holds at once or is broken on purpose.
const DEADLINES = 'bgpEstablished=2s,evpnRoutes=2s,dataPlane=2s,httpRequest=2s,transfer=5s,mustFailProbe=1s';
const report = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reports', 'fault-catalogue.md');

let tb: RunningTestbed;
const rows: string[] = [];

/** Back to health after a fault: sessions up, VMs heard, L2 and L3 paths answering. */
async function settle(): Promise<void> {
  const t = tb.testbed;
  const expected = expectedSessions(t.topology);
  await Promise.all(routerNames(t.topology).map((r) => eventually(async () => (await checkRouterSessions(t.router(r), expected.filter((s) => s.router === r))).problem, 60_000)));
  await untilHeard(tb, () => checkHttpSourceIp(t.workload('vm-1'), { name: 'vm-1', ip: '192.170.1.3' }, { name: 'vm-2', ip: '192.170.1.30' }, 8090));
  await hostARedReachesVm2(tb);
}

beforeAll(async () => {
  tb = await upEmbedded();
  await settle();
});

afterAll(async () => {
  await tb?.down();
  mkdirSync(dirname(report), { recursive: true });
  const table = ['| fault | checks expected to fail | checks that failed | seconds (inject + run + heal) | verdict |', '|---|---|---|---|---|', ...rows].join('\n');
  writeFileSync(report, `# Fault catalogue\n\n${table}\n`);
  process.stdout.write(`\n${table}\n\n(${report})\n`);
});

describe('fault catalogue', () => {
  it('the healthy testbed passes every check', async () => {
    const t0 = Date.now();
    const r = await runSuites(tb.stateFile, SUITES, DEADLINES);
    rows.push(`| none (healthy) | 0 | ${r.failed.size} | 0 + ${((Date.now() - t0) / 1000).toFixed(0)} + 0 | ${r.failed.size ? 'FAIL' : 'ok'} |`);
    expect([...r.failed.keys()]).toEqual([]);
  });

  for (const fault of FAULTS) {
    it(`${fault.name}: fails exactly its checks`, async () => {
      const t0 = Date.now();
      await fault.inject(tb);
      const t1 = Date.now();
      let failed: Map<string, string>;
      let t2 = t1;
      try {
        failed = (await runSuites(tb.stateFile, fault.suites ?? SUITES, fault.deadlines ?? DEADLINES)).failed;
        t2 = Date.now();
      } finally {
        await fault.heal(tb);
        await settle();
      }
      const seconds = [t1 - t0, t2 - t1, Date.now() - t2].map((ms) => (ms / 1000).toFixed(0)).join(' + ');
      const titles = [...failed.keys()];
      const missing = fault.breaks.filter((b) => titles.filter((t) => t.includes(b)).length !== 1);
      const unexpected = titles.filter((t) => !fault.breaks.some((b) => t.includes(b)));
      const ok = !missing.length && !unexpected.length;
      rows.push(`| ${fault.name} | ${fault.breaks.length} | ${titles.length} | ${seconds} | ${ok ? 'ok' : `FAIL (missing: ${missing.join('; ') || '-'}; unexpected: ${unexpected.map((u) => `${u} — ${failed.get(u)}`).join('; ') || '-'})`} |`);
      expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
    });
  }
});

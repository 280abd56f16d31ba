import { describe, it, expect } from 'vitest';
import {
  eventually,
  CheckFailed,
  resolveDeadlines,
  parseDeadlineOverrides,
  DEFAULT_DEADLINES,
} from '../helpers/wait.ts';

describe('retry loop and deadline table', () => {
  it('returns once the check passes, with how long it took', async () => {
    let n = 0;
    const r = await eventually(async () => (++n < 3 ? `not yet (${n})` : undefined), 5000, 10);
    expect(r.attempts).toBe(3);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(15);
  });

  it("fails at the deadline with the check's last message, and retries thrown errors", async () => {
    let n = 0;
    const p = eventually(
      async () => {
        n++;
        if (n % 2) throw new Error(`router unreachable (${n})`);
        return `still wrong (${n})`;
      },
      200,
      20,
    );
    await expect(p).rejects.toBeInstanceOf(CheckFailed);
    await expect(p).rejects.toThrowError(
      /^(still wrong|router unreachable) \(\d+\)\n\(still failing after 0\.\d s, \d+ attempts\)$/,
    );
    expect(n).toBeGreaterThan(3);
  });

  it('takes testbed overrides, then L2STRETCH_DEADLINES', () => {
    expect(resolveDeadlines({}, undefined)).toEqual(DEFAULT_DEADLINES);
    expect(resolveDeadlines({ bgpEstablished: 90_000 }, 'bgpEstablished=5s,evpnRoutes=1500').bgpEstablished).toBe(5000);
    expect(resolveDeadlines({ bgpEstablished: 90_000 }, undefined).bgpEstablished).toBe(90_000);
    expect(parseDeadlineOverrides('evpnRoutes=1500ms')).toEqual({ evpnRoutes: 1500 });
    expect(() => parseDeadlineOverrides('bgp=5s')).toThrowError(
      /"bgp=5s" is not <name>=<number>\[s\|ms\] with a name among bgpEstablished/,
    );
  });
});

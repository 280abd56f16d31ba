// The L2 and L3 judges over a scripted executor: each test says what curl or ping
// answered inside the workload and expects the exact verdict, so a judge that
// ignores an exit code, a body or a round cannot pass. The argv each judge runs is
// checked too: a probe of the wrong address or port proves nothing.
import { describe, it, expect } from 'vitest';
import type { Executor, ExecResult } from '../helpers/ports.ts';
import {
  checkHttpSourceIp,
  checkPing,
  checkLargeTransfer,
  checkFullSizeFrames,
  guestMtu,
  sourceIpProblem,
  LARGE_TRANSFER_BYTES,
} from '../suites/l2-stretch/checks.ts';
import { checkReaches, checkAnswersAs, checkIsolated } from '../suites/l3vni/checks.ts';

type Answer = Partial<ExecResult>;

/** Answers each command with the next scripted result, and keeps the argv it was asked to run. */
function scripted(...answers: Answer[]): Executor & { asked: string[][]; timeouts: Array<number | undefined> } {
  const asked: string[][] = [];
  const timeouts: Array<number | undefined> = [];
  return {
    member: 'vm-1',
    via: 'test',
    asked,
    timeouts,
    async run(argv, opts) {
      asked.push(argv);
      timeouts.push(opts?.timeoutMs);
      const a = answers.shift();
      if (!a) throw new Error(`unexpected command ${argv.join(' ')}`);
      return { stdout: '', stderr: '', exitCode: 0, ...a };
    },
  };
}

const vm1 = { name: 'vm-1', ip: '192.170.1.3' };
const vm2 = { name: 'vm-2', ip: '192.170.1.30' };
const hostARed = { name: 'hostA_red', ip: '192.168.20.2', port: 8090, vrf: 'red' };
const hostABlue = { name: 'hostA_blue', ip: '192.168.21.2', port: 8090, vrf: 'blue' };

describe('l2-stretch judges', () => {
  it("HTTP: the caller's own address passes; another address, or a failed curl, is named", async () => {
    const ok = scripted({ stdout: '192.170.1.3:41000\n' });
    expect(await checkHttpSourceIp(ok, vm1, vm2, 8090)).toBeUndefined();
    expect(ok.asked).toEqual([['curl', '-sS', '--max-time', '5', 'http://192.170.1.30:8090/clientip']]);
    expect(await checkHttpSourceIp(scripted({ stdout: '192.170.1.1:41000' }), vm1, vm2, 8090)).toBe(
      "vm-1 → vm-2 (192.170.1.30:8090/clientip): expected the caller's address 192.170.1.3, the server saw " +
        '"192.170.1.1:41000"',
    );
    expect(
      await checkHttpSourceIp(scripted({ exitCode: 28, stderr: 'curl: (28) Connection timed out\n' }), vm1, vm2, 8090),
    ).toBe(
      'vm-1 → vm-2: curl http://192.170.1.30:8090/clientip failed (curl exit 28: curl: (28) Connection timed out)',
    );
  });

  it('the source address is compared whole, not by prefix', () => {
    expect(sourceIpProblem(vm1, vm2, 8090, '192.170.1.30:1')).toContain("expected the caller's address 192.170.1.3");
    expect(sourceIpProblem(vm1, vm2, 8090, '192.170.1.3')).toBeUndefined();
    expect(sourceIpProblem(vm1, vm2, 8090, '192.170.1.3:')).toContain('the server saw "192.170.1.3:"');
  });

  it('ping: exit 0 passes; otherwise the last two lines of its output are quoted', async () => {
    const ok = scripted({ stdout: '3 packets transmitted, 3 received' });
    expect(await checkPing(ok, vm1, vm2)).toBeUndefined();
    expect(ok.asked[0]).toEqual(['ping', '-n', '-c', '3', '-i', '0.2', '-W', '1', '192.170.1.30']);
    expect(
      await checkPing(
        scripted({
          exitCode: 1,
          stdout: 'PING x\n--- stats ---\n3 packets transmitted, 0 received, 100% packet loss\n',
        }),
        vm1,
        vm2,
      ),
    ).toBe(
      'vm-1 → vm-2: ping 192.170.1.30 failed: --- stats --- | 3 packets transmitted, 0 received, 100% packet loss',
    );
  });

  it('a transfer passes only complete and with curl exit 0', async () => {
    const ok = scripted({ stdout: String(LARGE_TRANSFER_BYTES) });
    expect(LARGE_TRANSFER_BYTES).toBe(2097152);
    expect(await checkLargeTransfer(ok, vm1, vm2, 8090)).toBeUndefined();
    expect(ok.asked[0]).toEqual([
      'curl',
      '-sS',
      '--max-time',
      '20',
      '-o',
      '/dev/null',
      '-w',
      '%{size_download}',
      'http://192.170.1.30:8090/bytes/2097152',
    ]);
    expect(await checkLargeTransfer(scripted({ stdout: '2097151' }), vm1, vm2, 8090)).toBe(
      'vm-1 ← vm-2: 2097152 bytes from http://192.170.1.30:8090/bytes/2097152: received 2097151; a stall ' +
        'after the first packets points at an MTU black hole on the VXLAN path',
    );
    expect(
      await checkLargeTransfer(
        scripted({ stdout: '2097152', exitCode: 18, stderr: 'curl: (18) transfer closed' }),
        vm1,
        vm2,
        8090,
      ),
    ).toBe(
      'vm-1 ← vm-2: 2097152 bytes from http://192.170.1.30:8090/bytes/2097152: received 2097152 (curl exit ' +
        '18: curl: (18) transfer closed); a stall after the first packets points at an MTU black hole on the ' +
        'VXLAN path',
    );
  });

  it("full-size frames: DF pings of the guest's MTU minus 28 bytes of headers", async () => {
    const ok = scripted({ stdout: '[{"ifname":"eth0","mtu":1400}]' }, {});
    expect(await checkFullSizeFrames(ok, vm1, vm2)).toBeUndefined();
    expect(ok.asked).toEqual([
      ['ip', '-j', 'link', 'show', 'dev', 'eth0'],
      ['ping', '-n', '-M', 'do', '-s', '1372', '-c', '3', '-i', '0.2', '-W', '1', '192.170.1.30'],
    ]);
    expect(ok.timeouts).toEqual([undefined, 15_000]);
    const bad = scripted(
      { stdout: '[{"mtu":1400}]' },
      { exitCode: 1, stdout: 'a\nb\n', stderr: 'ping: local error: message too long, mtu=1350\n' },
    );
    expect(await checkFullSizeFrames(bad, vm1, vm2)).toBe(
      'vm-1 → vm-2: 1400-byte packets with DF set (ping -M do -s 1372 192.170.1.30) do not cross: b | ping: ' +
        'local error: message too long, mtu=1350; a hop on the VXLAN path has a smaller MTU than the guests',
    );
  });

  it('an unreadable MTU is an error naming the workload, never a pass', async () => {
    await expect(guestMtu(scripted({ exitCode: 1, stderr: 'Device "eth0" does not exist.\n' }))).rejects.toMatchObject({
      message: 'vm-1: cannot read the MTU of eth0: Device "eth0" does not exist.',
    });
    await expect(guestMtu(scripted({ stdout: '[{}]' }))).rejects.toMatchObject({
      message: 'vm-1: cannot read the MTU of eth0: ',
    });
    await expect(guestMtu(scripted({ stdout: '[]' }))).rejects.toMatchObject({
      message: 'vm-1: cannot read the MTU of eth0: ',
    });
    expect(await guestMtu(scripted({ stdout: '[{"mtu":1450}]' }), 'eth1')).toBe(1450);
  });
});

describe('l3vni judges', () => {
  it("reaches: the host must answer and see the VM's own address", async () => {
    const ok = scripted({ stdout: '192.170.1.3:5000' });
    expect(await checkReaches(ok, vm1, hostARed)).toBeUndefined();
    expect(ok.asked[0]).toEqual(['curl', '-sS', '--max-time', '5', 'http://192.168.20.2:8090/clientip']);
    expect(await checkReaches(scripted({ exitCode: 7, stderr: 'curl: (7) No route to host' }), vm1, hostARed)).toBe(
      'vm-1 → hostA_red (192.168.20.2, VRF red): curl failed (curl exit 7: curl: (7) No route to host)',
    );
    expect(await checkReaches(scripted({ stdout: '192.170.1.1:5000' }), vm1, hostARed)).toBe(
      "vm-1 → hostA_red (192.168.20.2:8090/clientip): expected the caller's address 192.170.1.3, the server " +
        'saw "192.170.1.1:5000"',
    );
  });

  it('answers as: the host that answers must be the one asked for', async () => {
    const ok = scripted({ stdout: 'hostA_red\n' });
    expect(await checkAnswersAs(ok, vm1, hostARed)).toBeUndefined();
    expect(ok.asked[0]).toEqual(['curl', '-sS', '--max-time', '5', 'http://192.168.20.2:8090/hostname']);
    expect(await checkAnswersAs(scripted({ stdout: 'hostB_red' }), vm1, hostARed)).toBe(
      'vm-1 → 192.168.20.2:8090/hostname: expected hostA_red, answered "hostB_red"',
    );
    expect(await checkAnswersAs(scripted({ exitCode: 28, stderr: 'timeout' }), vm1, hostARed)).toBe(
      'vm-1 → hostA_red (192.168.20.2:8090): curl failed (curl exit 28: timeout)',
    );
  });

  it('isolated: every probe must be dropped; one answer is a leak, another failure proves nothing', async () => {
    const dropped = scripted({ exitCode: 28 }, { exitCode: 7 }, { exitCode: 28 });
    expect(await checkIsolated(dropped, vm1, hostABlue, 1500)).toBeUndefined();
    expect(dropped.asked).toEqual(
      [1, 2, 3].map(() => ['curl', '-sS', '--max-time', '1.5', 'http://192.168.21.2:8090/clientip']),
    );
    expect(
      await checkIsolated(
        scripted({ exitCode: 28 }, { exitCode: 28 }, { stdout: '192.170.1.3:1' }),
        vm1,
        hostABlue,
        1000,
      ),
    ).toBe(
      'vm-1 reached hostA_blue (192.168.21.2, VRF blue) in probe 3/3: it answered "192.170.1.3:1"; traffic ' +
        'must be dropped between VRFs',
    );
    expect(
      await checkIsolated(scripted({ exitCode: 6, stderr: 'curl: (6) Could not resolve host' }), vm1, hostABlue, 1000),
    ).toBe(
      'vm-1 → hostA_blue: the probe itself failed (curl exit 6: curl: (6) Could not resolve host), so ' +
        'isolation is not proven',
    );
    const two = scripted({ exitCode: 7 }, { exitCode: 7 });
    expect(await checkIsolated(two, vm1, hostABlue, 1000, 2)).toBeUndefined();
    expect(two.asked).toHaveLength(2);
  });
});

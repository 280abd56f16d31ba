// The VM serial console client against the stand-in API server's console websocket
// (a getty and an echoing shell, not a VM): login, markers, exit codes, binary
// frames, one session per VM, and the errors a user sees.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockApiServer } from './mock-apiserver.ts';
import { KubeClient, loadKubeConfig } from '../../helpers/kube/client.ts';
import { VmConsoleExecutor } from '../../helpers/transports/vm-console.ts';

const mock = new MockApiServer();
let dir: string;
let client: KubeClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-console-'));
  client = new KubeClient('pe-kind-a', loadKubeConfig(mock.kubeconfig(dir, await mock.start())));
});
afterAll(async () => {
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.guests = new Map([
    ['vm-1', { user: 'fedora', password: 'fedora' }],
    ['vm-2', { user: 'fedora', password: 'fedora', loggedIn: true }],
    ['vm-3', { user: 'fedora', password: 'secret' }],
    ['vm-4', { user: 'fedora', password: 'fedora', silent: true }],
  ]);
  mock.onConsole = (vm, cmd) =>
    cmd === 'ip -4 -o addr show dev eth0'
      ? { output: `2: eth0    inet 192.170.1.3/24 brd 192.170.1.255 scope global eth0\n`, status: 0 }
      : cmd.startsWith('curl')
        ? { output: 'curl: (7) Failed to connect\n', status: 7 }
        : { output: `${vm}: ${cmd}\n`, status: 0 };
  mock.consoleStats.maxSessions = 0;
  mock.consoleStats.textFrames = 0;
  mock.consoleStats.interrupts = 0;
});

describe('VM serial console (against a stand-in console websocket)', () => {
  it('logs in as fedora and returns the output between the markers, in binary frames only', async () => {
    const r = await new VmConsoleExecutor('vm-1', client).run(['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
    expect(r).toEqual({
      stdout: '2: eth0    inet 192.170.1.3/24 brd 192.170.1.255 scope global eth0\n',
      stderr: '',
      exitCode: 0,
    });
    expect(mock.consoleStats.textFrames).toBe(0);
    const req = mock.requests.find((q) => q.method === 'CONSOLE')!;
    expect(req.path).toBe('/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachineinstances/vm-1/console');
    expect(req.authorization).toBe('Bearer mock-token');
  });

  it('works on a console already logged in, and returns the exit status', async () => {
    expect(await new VmConsoleExecutor('vm-2', client).run(['curl', '-s', 'http://192.170.1.3:8090/clientip'])).toEqual(
      { stdout: 'curl: (7) Failed to connect\n', stderr: '', exitCode: 7 },
    );
  });

  it('runs one session per VM at a time', async () => {
    const ex = new VmConsoleExecutor('vm-1', client);
    const rs = await Promise.all(['a', 'b', 'c'].map((x) => ex.run(['echo', x])));
    expect(rs.map((r) => r.stdout)).toEqual(['vm-1: echo a\n', 'vm-1: echo b\n', 'vm-1: echo c\n']);
    expect(mock.consoleStats.maxSessions).toBe(1);
  });

  it('says when the login is refused, when the VM has no console, and when the guest never answers', async () => {
    await expect(new VmConsoleExecutor('vm-3', client).run(['true'])).rejects.toThrow(
      "vm-3: `true` cannot be sent: the console refused fedora's login 3 times (serial console of " +
        'default/vm-3 (cluster pe-kind-a))',
    );
    await expect(new VmConsoleExecutor('vm-9', client).run(['true'])).rejects.toThrow(
      'vm-9: `true` could not reach the console (serial console of default/vm-9 (cluster pe-kind-a)): closed: ' +
        'virtualmachineinstance vm-9 not found',
    );
    await expect(new VmConsoleExecutor('vm-4', client).run(['true'], { timeoutMs: 700 })).rejects.toThrow(
      /^vm-4: `true` did not finish within 700 ms \(serial console of default\/vm-4/,
    );
  });

  it('keeps stdout apart from stderr, and quiets kernel messages first', async () => {
    mock.onConsole = (_vm, cmd) =>
      cmd.endsWith('probe')
        ? { output: '{"probes":[]}\n', stderr: 'warning: slow clock\n', status: 0 }
        : { output: '', status: 1 };
    const r = await new VmConsoleExecutor('vm-1', client).run(['python3', '/tmp/l2stretch_guest.py', 'probe']);
    expect(r).toEqual({ stdout: '{"probes":[]}\n', stderr: 'warning: slow clock\n', exitCode: 0 });
    expect(JSON.parse(r.stdout)).toEqual({ probes: [] });
    expect(mock.guests.get('vm-1')!.kernelQuiet).toBe(true);
  });

  it('logs in again when a login is refused while the guest is still starting', async () => {
    mock.guests.get('vm-1')!.refuseLogins = 2;
    expect((await new VmConsoleExecutor('vm-1', client).run(['echo', 'x'])).stdout).toBe('vm-1: echo x\n');
  });

  it('interrupts a command that timed out, so the next command finds the shell free', async () => {
    mock.onConsole = (vm, cmd) => (cmd === 'sleep 600' ? 'hang' : { output: `${vm}: ${cmd}\n`, status: 0 });
    const ex = new VmConsoleExecutor('vm-2', client);
    await expect(ex.run(['sleep', '600'], { timeoutMs: 500 })).rejects.toThrow(
      /^vm-2: `sleep 600` did not finish within 500 ms/,
    );
    expect((await ex.run(['echo', 'next'], { timeoutMs: 5000 })).stdout).toBe('vm-2: echo next\n');
    expect(mock.consoleStats.interrupts).toBe(1);
  });
});

// The serial console client against a real shell on a pseudo-terminal, not a stand-in
// that knows the client's marker line: each VM's console is a getty-like login (a
// prompt, a password read with echo off) and then an interactive bash under util-linux
// `script`, whose pty echoes what is typed, turns the typed CR into a newline, writes
// CRLF and delivers Ctrl-C to the running command as SIGINT. Like a serial console it
// outlives each connection. Runs in the network namespace that
// test/embedded/kube-clients.test.ts makes for project kube.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { stringify } from 'yaml';
import { KubeClient, loadKubeConfig } from '../../helpers/kube/client.ts';
import { VmConsoleExecutor } from '../../helpers/transports/vm-console.ts';

// A getty's dialogue as agetty and login(1) hold it: an empty name (the CR that wakes
// the console) draws the prompt again, a refused login says so and asks again; then
// the guest's login shell with a Fedora-like prompt.
const GETTY = `printf '\\nFedora Linux 41 (Cloud Edition)\\nKernel 6.11 on an x86_64 (ttyS0)\\n\\n'
while :; do
  printf 'vm-1 login: '
  read -r user || exit 1
  [ -n "$user" ] || continue
  printf 'Password: '
  stty -echo; read -r pass; stty echo; printf '\\n'
  if [ "$user" = fedora ] && [ "$pass" = fedora ]; then
    exec env -i HOME=/tmp TMPDIR="$TMPDIR" TERM=vt100 PATH=/usr/sbin:/usr/bin:/sbin:/bin \\
      PS1='[fedora@vm-1 ~]$ ' bash --norc --noprofile -i
  fi
  printf '\\nLogin incorrect\\n'
done
`;

let server: Server;
let dir: string;
let client: KubeClient;
const shells = new Set<ReturnType<typeof spawn>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-console-pty-'));
  const getty = join(dir, 'getty.sh');
  writeFileSync(getty, GETTY);
  server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  // A serial console outlives its connections: one getty and shell per VM, which each
  // websocket attaches to and leaves as it was (logged in, a command still running).
  const consoles = new Map<string, ReturnType<typeof spawn>>();
  server.on('upgrade', (req, socket, head) => {
    const vm = /\/virtualmachineinstances\/(vm-\d)\/console$/.exec(req.url ?? '')?.[1];
    if (!vm) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      let sh = consoles.get(vm);
      if (!sh) {
        // script: the session on a pty of its own; -f flushes output at once.
        sh = spawn('script', ['-qfc', `bash ${getty}`, '/dev/null'], {
          stdio: ['pipe', 'pipe', 'inherit'],
          // The command a test cuts off leaves its output files here, not in /tmp.
          env: { ...process.env, TMPDIR: dir },
        });
        consoles.set(vm, sh);
        shells.add(sh);
      }
      const console = sh;
      const out = (d: Buffer) => ws.send(d, { binary: true });
      console.stdout!.on('data', out);
      ws.on('message', (d: Buffer) => console.stdin!.write(d));
      ws.on('close', () => console.stdout!.off('data', out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kubeconfig = join(dir, 'kubeconfig');
  const ctx = 'pty';
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: ctx, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: ctx, user: { token: 't' } }],
      contexts: [{ name: ctx, context: { cluster: ctx, user: ctx } }],
      'current-context': ctx,
    }),
  );
  client = new KubeClient('pe-kind-a', loadKubeConfig(kubeconfig));
});

afterAll(async () => {
  for (const sh of shells) sh.kill('SIGKILL');
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('VM console on a real shell and pty', () => {
  it('logs in and runs a command: its stdout, stderr and exit status apart', async () => {
    const vm = new VmConsoleExecutor('vm-1', client);
    expect(await vm.run(['echo', 'hello from the guest'])).toEqual({
      stdout: 'hello from the guest\n',
      stderr: '',
      exitCode: 0,
    });
    expect(await vm.run(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
      exitCode: 3,
    });
  });

  it('output that looks like the markers, or has no final newline, comes through as written', async () => {
    const vm = new VmConsoleExecutor('vm-1', client);
    expect(await vm.run(['printf', '%s\n%s', 'L2S-END', 'no newline'])).toEqual({
      stdout: 'L2S-END\nno newline',
      stderr: '',
      exitCode: 0,
    });
    expect(await vm.run(['sh', '-c', 'exit 0'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('a hanging command is cut off at its deadline with Ctrl-C; the next session finds the shell free', async () => {
    const vm = new VmConsoleExecutor('vm-1', client);
    await expect(vm.run(['sleep', '30'], { timeoutMs: 3000 })).rejects.toThrow(
      /^vm-1: `sleep 30` did not finish within 3000 ms/,
    );
    const t0 = Date.now();
    expect(await vm.run(['echo', 'free'])).toEqual({ stdout: 'free\n', stderr: '', exitCode: 0 });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('a refused login is retried, then reported', async () => {
    const vm = new VmConsoleExecutor('vm-2', client, 'default', { user: 'fedora', password: 'wrong' });
    await expect(vm.run(['true'], { timeoutMs: 15_000 })).rejects.toThrow(
      "vm-2: `true` cannot be sent: the console refused fedora's login 3 times",
    );
  });
});

// Runs a command inside a KubeVirt VM over its serial console: the VMI's `console`
// subresource websocket (subprotocol plain.kubevirt.io, binary frames both ways),
// logging in when the guest asks, and the command's output taken between markers
// the typed text cannot match. One session per VM at a time; every command opens a
// fresh connection, so after a migration it reaches the VM where it now runs.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { KubeClient } from '../kube/client.ts';
import { ExecError, quoteArgv, DEFAULT_EXEC_TIMEOUT_MS } from './exec.ts';
import type { Executor, ExecOptions, ExecResult } from '../ports.ts';

export interface ConsoleLogin {
  user: string;
  password: string;
}

/** The walkthrough's guest image (fedora-with-test-tooling) logs in as fedora/fedora. */
export const FEDORA_LOGIN: ConsoleLogin = { user: 'fedora', password: 'fedora' };

const PROMPT = /[$#] $/;

export class VmConsoleExecutor implements Executor {
  readonly via: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly member: string,
    private readonly client: KubeClient,
    private readonly namespace = 'default',
    private readonly login: ConsoleLogin = FEDORA_LOGIN,
  ) {
    this.via = `serial console of ${namespace}/${member} (cluster ${client.name})`;
  }

  run(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    // One console session per VM: a second command waits for the first.
    const next = this.queue.then(() => this.session(argv, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private url(): string {
    const base = this.client.server.replace(/^http/, 'ws');
    // Names are validated at load; encoding keeps a path segment one segment whatever reaches here.
    const ns = encodeURIComponent(this.namespace);
    const vmi = encodeURIComponent(this.member);
    return `${base}/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances/${vmi}/console`;
  }

  private async session(argv: string[], opts: ExecOptions): Promise<ExecResult> {
    const command = quoteArgv(argv);
    if (opts.input !== undefined)
      throw new ExecError(this.member, command, `cannot be sent: a serial console has no separate stdin (${this.via})`);
    const id = randomBytes(4).toString('hex');
    const mark = (what: string) => `L2S-${what}${id}`;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const wsOptions: { headers?: Record<string, string>; [k: string]: unknown } = {};
    await this.client.kc.applyToHTTPSOptions(wsOptions as never);
    return new Promise<ExecResult>((resolve, reject) => {
      const ws = new WebSocket(this.url(), 'plain.kubevirt.io', wsOptions);
      let screen = '';
      let state: 'waking' | 'user' | 'password' | 'command' = 'waking';
      let logins = 0;
      const type = (text: string) => ws.send(Buffer.from(text), { binary: true });
      let settled = false;
      const fail = (what: string, interrupt = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (interrupt && ws.readyState === WebSocket.OPEN) {
          // Ctrl-C first: a command still running would hold the shell and eat the next session's typing.
          type('\x03');
          ws.close();
          setTimeout(() => ws.terminate(), 1000).unref();
        } else ws.terminate();
        reject(new ExecError(this.member, command, what));
      };
      const timer = setTimeout(
        () =>
          fail(
            `did not finish within ${timeoutMs} ms (${this.via}; last screen: ${JSON.stringify(screen.slice(-120))})`,
            state === 'command',
          ),
        timeoutMs,
      );
      let result: ExecResult | undefined;
      ws.on('open', () => type('\r'));
      ws.on('close', (code, reason) => {
        if (result) {
          clearTimeout(timer);
          resolve(result);
        } else
          fail(
            `could not reach the console (${this.via}): closed` +
              `${reason.length ? `: ${reason.toString()}` : ` (code ${code})`}`,
          );
      });
      ws.on('error', (e) => fail(`could not reach the console (${this.via}): ${e.message}`));
      ws.on('unexpected-response', (_req, res) =>
        fail(`could not reach the console (${this.via}): HTTP ${res.statusCode}`),
      );
      ws.on('message', (data: Buffer) => {
        screen += data.toString();
        if (state === 'command') {
          result = consoleResult(screen, mark);
          // Done once the session is closed, so the next command finds the console free.
          if (result) ws.close();
          return;
        }
        if (/login incorrect/i.test(screen)) {
          // A getty still starting, or kernel messages over the prompt, can garble the first try.
          if (++logins >= LOGIN_ATTEMPTS)
            return fail(`cannot be sent: the console refused ${this.login.user}'s login ${logins} times (${this.via})`);
          screen = screen.slice(screen.search(/login incorrect/i) + 'login incorrect'.length);
          state = 'waking';
        }
        if (/login: $/.test(screen) && state !== 'user') {
          state = 'user';
          return type(`${this.login.user}\r`);
        }
        if (/password: $/i.test(screen) && state === 'user') {
          state = 'password';
          return type(`${this.login.password}\r`);
        }
        if (PROMPT.test(screen)) {
          state = 'command';
          type(`${consoleLine(command, id)}\r`);
        }
      });
    });
  }
}

const LOGIN_ATTEMPTS = 3;

/**
 * The line typed for one command: kernel messages off the console (`dmesg -n 1`,
 * when sudo allows it), the command's stdout and stderr into files of their own,
 * then each printed between markers. printf joins a marker's halves, so the echo
 * of the typing never matches it; stdout never mixes with stderr or the echo.
 */
export function consoleLine(command: string, id: string): string {
  // TMPDIR when the shell has one (the tests' shells do, so an interrupted command leaves nothing in /tmp).
  const f = `"\${TMPDIR:-/tmp}"/l2s-${id}`;
  const marker = (what: string, status = '') =>
    `printf '%s-%s${status ? ' %s' : ''}\\n' L2S ${what}${id}${status ? ` ${status}` : ''}`;
  return [
    'sudo -n dmesg -n 1 2>/dev/null',
    // A subshell: an `exit` in the command must not end the login shell.
    `( ${command} ) >${f}.out 2>${f}.err`,
    marker('RC', '$?'),
    marker('OUT'),
    `cat ${f}.out`,
    marker('ERR'),
    `cat ${f}.err`,
    marker('END'),
    `rm -f ${f}.out ${f}.err`,
  ].join('; ');
}

/** The command's result once the screen holds its end marker: stdout and stderr as the guest wrote them. */
export function consoleResult(screen: string, mark: (what: string) => string): ExecResult | undefined {
  const out = screen.replace(/\r\n/g, '\n');
  const rc = new RegExp(`${mark('RC')} (\\d+)\\n`).exec(out);
  if (!rc) return undefined;
  const rest = out.slice(rc.index + rc[0].length);
  const o = rest.indexOf(`${mark('OUT')}\n`);
  const e = rest.indexOf(mark('ERR'));
  const end = rest.indexOf(mark('END'));
  if (o < 0 || e < 0 || end < 0) return undefined;
  // cat leaves output without a final newline on the marker's line: the marker, not a line, ends it.
  const strip = (t: string) => t.replace(/^\n/, '');
  return {
    stdout: rest.slice(o + mark('OUT').length + 1, e),
    stderr: strip(rest.slice(e + mark('ERR').length, end)),
    exitCode: Number(rc[1]),
  };
}

/** What the roaming console reads of an instance (kubevirt.io/v1 VirtualMachineInstanceStatus). */
export interface VmiPlacement {
  phase?: string;
  nodeName?: string;
  migrationState?: { sourceNode?: string; targetNode?: string; completed?: boolean; failed?: boolean };
}

const SETTLE_MS = 30_000;

/**
 * Why this instance is not where the VM runs (undefined when it is). The source
 * of a completed decentralized migration stays Running on its node until its pod
 * ends (kubevirt v1.6.2 pkg/virt-controller/watch/vmi/lifecycle.go): it is not the VM.
 */
export function notHere(s: VmiPlacement): string | undefined {
  if (s.phase !== 'Running') return s.phase ?? 'no phase yet';
  const m = s.migrationState;
  if (m?.completed && !m.failed && m.sourceNode === s.nodeName && m.targetNode !== s.nodeName)
    return 'Running, handed over';
  return undefined;
}

/**
 * A VM wherever it runs: each command first asks the clusters which one has its
 * instance Running and not handed over (a live migration moves it), then uses
 * that cluster's console; while two claim it, it waits for the hand-over to settle.
 */
export class RoamingConsoleExecutor implements Executor {
  readonly via: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly member: string,
    private readonly clients: KubeClient[],
    private readonly namespace = 'default',
    private readonly login: ConsoleLogin = FEDORA_LOGIN,
  ) {
    this.via = `serial console of ${namespace}/${member} (in ${clients.map((c) => c.name).join(' or ')})`;
  }

  private async where(argv: string[]): Promise<KubeClient> {
    const start = Date.now();
    for (;;) {
      const why = await Promise.all(
        this.clients.map(async (c) => {
          const vmi = await c
            .get<VmiPlacement>('VirtualMachineInstance', this.member, this.namespace)
            .catch(() => undefined);
          return vmi ? notHere(vmi.status ?? {}) : 'absent';
        }),
      );
      const here = why.flatMap((w, i) => (w === undefined ? [this.clients[i]!] : []));
      if (here.length === 1) return here[0]!;
      const seen = this.clients.map((c, j) => `${c.name}: ${why[j] ?? 'Running'}`).join(', ');
      if (!here.length)
        throw new ExecError(this.member, quoteArgv(argv), `cannot be sent: no cluster runs its instance (${seen})`);
      // Two Running instances: a hand-over the instances do not show yet; it settles within seconds.
      if (Date.now() - start > SETTLE_MS) {
        throw new ExecError(
          this.member,
          quoteArgv(argv),
          `cannot be sent: more than one cluster runs its instance (${seen})`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  run(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    const next = this.queue.then(async () =>
      new VmConsoleExecutor(this.member, await this.where(argv), this.namespace, this.login).run(argv, opts),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }
}

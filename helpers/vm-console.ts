// Runs a command inside a KubeVirt VM over its serial console: the VMI's `console`
// subresource websocket (subprotocol plain.kubevirt.io, binary frames both ways),
// logging in when the guest asks, and the command's output taken between markers
// the typed text cannot match. One session per VM at a time; every command opens a
// fresh connection, so after a migration it reaches the VM where it now runs.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { KubeClient } from './kube.ts';
import { ExecError, quoteArgv, DEFAULT_EXEC_TIMEOUT_MS, type Executor, type ExecOptions, type ExecResult } from './exec.ts';

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
    return `${base}/apis/subresources.kubevirt.io/v1/namespaces/${this.namespace}/virtualmachineinstances/${this.member}/console`;
  }

  private async session(argv: string[], opts: ExecOptions): Promise<ExecResult> {
    const command = quoteArgv(argv);
    if (opts.input !== undefined) throw new ExecError(this.member, command, `cannot be sent: a serial console has no separate stdin (${this.via})`);
    const id = randomBytes(4).toString('hex');
    const begin = `L2S-BEGIN${id}`;
    const end = new RegExp(`L2S-END${id} (\\d+)\\n`);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const wsOptions: { headers?: Record<string, string>; [k: string]: unknown } = {};
    await this.client.kc.applyToHTTPSOptions(wsOptions as never);
    return new Promise<ExecResult>((resolve, reject) => {
      const ws = new WebSocket(this.url(), 'plain.kubevirt.io', wsOptions);
      let screen = '';
      let state: 'waking' | 'user' | 'password' | 'command' = 'waking';
      const type = (text: string) => ws.send(Buffer.from(text), { binary: true });
      let settled = false;
      const fail = (what: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(new ExecError(this.member, command, what));
      };
      const timer = setTimeout(() => fail(`did not finish within ${timeoutMs} ms (${this.via}; last screen: ${JSON.stringify(screen.slice(-120))})`), timeoutMs);
      let result: ExecResult | undefined;
      ws.on('open', () => type('\r'));
      ws.on('close', (code, reason) => {
        if (result) {
          clearTimeout(timer);
          resolve(result);
        } else fail(`could not reach the console (${this.via}): closed${reason.length ? `: ${reason.toString()}` : ` (code ${code})`}`);
      });
      ws.on('error', (e) => fail(`could not reach the console (${this.via}): ${e.message}`));
      ws.on('unexpected-response', (_req, res) => fail(`could not reach the console (${this.via}): HTTP ${res.statusCode}`));
      ws.on('message', (data: Buffer) => {
        screen += data.toString();
        if (state === 'command') {
          const out = screen.replace(/\r\n/g, '\n');
          const b = out.indexOf(`${begin}\n`);
          const rest = b >= 0 ? out.slice(b + begin.length + 1) : '';
          const m = end.exec(rest);
          if (!m) return;
          result = { stdout: rest.slice(0, m.index), stderr: '', exitCode: Number(m[1]) };
          // Done once the session is closed, so the next command finds the console free.
          return ws.close();
        }
        if (/login incorrect/i.test(screen)) return fail(`cannot be sent: the console refused ${this.login.user}'s login (${this.via})`);
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
          // printf joins the marker's halves, so the echoed typing never matches it.
          type(`printf '%s-%s\\n' L2S BEGIN${id}; ${command} 2>&1; printf '%s-%s %s\\n' L2S END${id} $?\r`);
        }
      });
    });
  }
}

/**
 * A VM wherever it runs: each command first asks the clusters which one has its
 * instance Running (a live migration moves it), then uses that cluster's console.
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
    const phases = await Promise.all(
      this.clients.map(async (c) => ((await c.get<{ phase?: string }>('VirtualMachineInstance', this.member, this.namespace).catch(() => undefined))?.status?.phase ?? 'absent')),
    );
    const i = phases.indexOf('Running');
    if (i < 0) throw new ExecError(this.member, quoteArgv(argv), `cannot be sent: no cluster runs its instance (${this.clients.map((c, j) => `${c.name}: ${phases[j]}`).join(', ')})`);
    return this.clients[i]!;
  }

  run(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    const next = this.queue.then(async () => new VmConsoleExecutor(this.member, await this.where(argv), this.namespace, this.login).run(argv, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }
}

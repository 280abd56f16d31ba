// Reaches a member over SSH (ssh2): a lab switch or server a vendor brings. The host
// key must be in the given known_hosts file (plain or hashed entries); a key or the
// agent logs in. Each command gets its own connection, so a dropped one costs one
// command, not the run.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { ExecError, quoteArgv, DEFAULT_EXEC_TIMEOUT_MS, type Executor, type ExecOptions, type ExecResult } from './exec.ts';

export interface SshTarget {
  host: string;
  port?: number;
  user: string;
  /** Private key file; without it the agent at SSH_AUTH_SOCK logs in. */
  identityFile?: string;
  knownHostsFile: string;
  /** Like ssh's ProxyCommand: a command whose stdin/stdout carry the connection (a jump host, `sshd -i`). */
  proxyCommand?: string[];
}

/** The names a known_hosts line may give this host: `host`, or `[host]:port` off port 22. */
const hostPatterns = (host: string, port: number) => (port === 22 ? [host] : [`[${host}]:${port}`]);

function hostMatches(field: string, names: string[]): boolean {
  return field.split(',').some((entry) => {
    const hashed = /^\|1\|([^|]+)\|(.+)$/.exec(entry);
    if (!hashed) return names.includes(entry);
    const salt = Buffer.from(hashed[1]!, 'base64');
    return names.some((n) => createHmac('sha1', salt).update(n).digest('base64') === hashed[2]);
  });
}

/** The base64 host keys known_hosts lists for host:port. */
export function knownKeys(knownHosts: string, host: string, port: number): string[] {
  const names = hostPatterns(host, port);
  return knownHosts
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('@revoked'))
    .map((l) => l.split(/\s+/))
    .filter(([hosts, , key]) => hosts !== undefined && key !== undefined && hostMatches(hosts, names))
    .map(([, , key]) => key!);
}

function proxySocket(argv: string[]): Duplex {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin });
  sock.on('close', () => child.kill());
  return sock;
}

export class SshExecutor implements Executor {
  readonly via: string;
  private readonly port: number;

  constructor(
    readonly member: string,
    private readonly target: SshTarget,
  ) {
    this.port = target.port ?? 22;
    this.via = `ssh ${target.user}@${target.host}:${this.port}`;
  }

  private config(command: string): ConnectConfig {
    const t = this.target;
    let known: string[];
    try {
      known = knownKeys(readFileSync(t.knownHostsFile, 'utf8'), t.host, this.port);
    } catch (e) {
      throw new ExecError(this.member, command, `cannot be sent: known_hosts file ${t.knownHostsFile}: ${(e as Error).message}`);
    }
    if (!known.length) throw new ExecError(this.member, command, `cannot be sent: ${t.knownHostsFile} has no host key for ${hostPatterns(t.host, this.port)[0]} (add it with ssh-keyscan, after checking it)`);
    const auth = t.identityFile ? { privateKey: readFileSync(t.identityFile) } : { agent: process.env.SSH_AUTH_SOCK };
    if (!t.identityFile && !process.env.SSH_AUTH_SOCK) throw new ExecError(this.member, command, 'cannot be sent: no identityFile given and no SSH agent (SSH_AUTH_SOCK) to log in with');
    return {
      host: t.host,
      port: this.port,
      username: t.user,
      ...auth,
      readyTimeout: 10_000,
      ...(t.proxyCommand ? { sock: proxySocket(t.proxyCommand) } : {}),
      hostVerifier: (key: Buffer) => known.includes(key.toString('base64')),
    };
  }

  async run(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const command = quoteArgv(argv);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const config = this.config(command);
    return new Promise((resolve, reject) => {
      const conn = new Client();
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        conn.end();
        f();
      };
      const fail = (what: string) => finish(() => reject(new ExecError(this.member, command, what)));
      const timer = setTimeout(() => fail(`did not finish within ${timeoutMs} ms (${this.via})`), timeoutMs);
      conn.on('error', (e: Error & { level?: string }) => {
        const why = /host key|host denied/i.test(e.message) || e.level === 'client-verification'
          ? `cannot be sent: the host key of ${this.target.host}:${this.port} is not the one ${this.target.knownHostsFile} lists`
          : e.level === 'client-authentication'
            ? `cannot be sent: ${this.target.user} could not log in at ${this.target.host}:${this.port} (${e.message})`
            : `failed (${this.via}): ${e.message}`;
        fail(why);
      });
      conn.on('ready', () => {
        conn.exec(command, (err, stream) => {
          if (err) return fail(`could not start (${this.via}): ${err.message}`);
          let stdout = '';
          let stderr = '';
          stream.on('data', (c: Buffer) => (stdout += c.toString()));
          stream.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          stream.on('close', (code: number | null, signal?: string) => {
            if (code === null || code === undefined) fail(`ended without an exit code${signal ? ` (signal ${signal})` : ''} (${this.via})`);
            else finish(() => resolve({ stdout, stderr, exitCode: code }));
          });
          if (opts.input !== undefined) stream.end(opts.input);
          else stream.end();
        });
      });
      conn.connect(config);
    });
  }
}

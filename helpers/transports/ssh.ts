// Reaches a member over SSH (ssh2): a lab switch or server a vendor brings. The host
// key must be in the given known_hosts file (plain or hashed entries); a key or the
// agent logs in. Each command gets its own connection, so a dropped one costs one
// command, not the run.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { ExecError, quoteArgv, DEFAULT_EXEC_TIMEOUT_MS } from './exec.ts';
import type { Executor, ExecOptions, ExecResult } from '../ports.ts';

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

const entries = (knownHosts: string) =>
  knownHosts
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/));

/** The base64 host keys known_hosts lists for host:port (marked lines, `@revoked` or `@cert-authority`, are not). */
export function knownKeys(knownHosts: string, host: string, port: number): string[] {
  const names = hostPatterns(host, port);
  return entries(knownHosts)
    .filter(([hosts, , key]) => !!hosts && !hosts.startsWith('@') && key !== undefined && hostMatches(hosts, names))
    .map(([, , key]) => key!);
}

/** Keys known_hosts marks `@revoked`: refused for every host, as OpenSSH does, even when also listed as known. */
export function revokedKeys(knownHosts: string): string[] {
  return entries(knownHosts)
    .filter(([marker, , , key]) => marker === '@revoked' && key !== undefined)
    .map(([, , , key]) => key!);
}

/**
 * Only algorithms OpenSSH still enables by default: no SHA-1 (ssh-rsa signatures,
 * hmac-sha1, diffie-hellman-group1/14-sha1), no CBC ciphers, no DSA.
 */
export const SSH_ALGORITHMS = {
  kex: [
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group14-sha256',
  ],
  serverHostKey: [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'rsa-sha2-512',
    'rsa-sha2-256',
  ],
  cipher: [
    'chacha20-poly1305@openssh.com',
    'aes256-gcm@openssh.com',
    'aes128-gcm@openssh.com',
    'aes256-ctr',
    'aes192-ctr',
    'aes128-ctr',
  ],
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'],
} satisfies ConnectConfig['algorithms'];

function proxySocket(argv: string[]): Duplex {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin });
  sock.on('close', () => child.kill());
  return sock;
}

export class SshExecutor implements Executor {
  readonly via: string;
  private readonly port: number;
  /** The server showed a key known_hosts revokes: the error says so. */
  private revokedSeen = false;

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
    let revoked: string[];
    try {
      const text = readFileSync(t.knownHostsFile, 'utf8');
      known = knownKeys(text, t.host, this.port);
      revoked = revokedKeys(text);
    } catch (e) {
      throw new ExecError(
        this.member,
        command,
        `cannot be sent: known_hosts file ${t.knownHostsFile}: ${(e as Error).message}`,
      );
    }
    if (!known.length)
      throw new ExecError(
        this.member,
        command,
        `cannot be sent: ${t.knownHostsFile} has no host key for ${hostPatterns(t.host, this.port)[0]} (add ` +
          `it with ssh-keyscan, after checking it)`,
      );
    const auth = t.identityFile ? { privateKey: readFileSync(t.identityFile) } : { agent: process.env.SSH_AUTH_SOCK };
    if (!t.identityFile && !process.env.SSH_AUTH_SOCK)
      throw new ExecError(
        this.member,
        command,
        'cannot be sent: no identityFile given and no SSH agent (SSH_AUTH_SOCK) to log in with',
      );
    return {
      host: t.host,
      port: this.port,
      username: t.user,
      ...auth,
      readyTimeout: 10_000,
      ...(t.proxyCommand ? { sock: proxySocket(t.proxyCommand) } : {}),
      algorithms: SSH_ALGORITHMS,
      hostVerifier: (key: Buffer) => {
        const k = key.toString('base64');
        if (revoked.includes(k)) this.revokedSeen = true;
        return !revoked.includes(k) && known.includes(k);
      },
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
        const at = `${this.target.host}:${this.port}`;
        const why = this.revokedSeen
          ? `cannot be sent: the host key of ${at} is marked @revoked in ${this.target.knownHostsFile}`
          : /no matching/i.test(e.message)
            ? `cannot be sent: ${at} offers no algorithm l2stretch accepts (SHA-1 and CBC are refused): ${e.message}`
            : /host key|host denied/i.test(e.message) || e.level === 'client-verification'
              ? `cannot be sent: the host key of ${at} is not the one ${this.target.knownHostsFile} lists`
              : e.level === 'client-authentication'
                ? `cannot be sent: ${this.target.user} could not log in at ` +
                  `${this.target.host}:${this.port} (${e.message})`
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
            if (code === null || code === undefined)
              fail(`ended without an exit code${signal ? ` (signal ${signal})` : ''} (${this.via})`);
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

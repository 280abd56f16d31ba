// SSH hygiene against an in-process ssh2 server on loopback (the real sshd cases are
// in test/embedded/ssh-transport.test.ts): a server that signs its host key with
// SHA-1 only is refused, and so is a host key known_hosts marks @revoked.
import { describe, it, expect, afterAll } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { SshExecutor, knownKeys, revokedKeys, SSH_ALGORITHMS } from '../helpers/transports/ssh.ts';

const dir = mkdtempSync(join(tmpdir(), 'l2s-ssh-hygiene-'));
const servers: ssh2.Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const hostKey = ssh2.utils.parseKey(rsa) as ssh2.ParsedKey;
const hostLine = `${hostKey.type} ${hostKey.getPublicSSH().toString('base64')}`;

/** A server that accepts anyone and answers every command with exit 0. */
async function server(algorithms?: ssh2.Algorithms): Promise<number> {
  const s = new ssh2.Server({ hostKeys: [rsa], ...(algorithms ? { algorithms } : {}) }, (client) => {
    client.on('authentication', (ctx) => ctx.accept());
    client.on('ready', () =>
      client.on('session', (accept) =>
        accept().on('exec', (acceptExec) => {
          const stream = acceptExec();
          stream.exit(0);
          stream.end();
        }),
      ),
    );
    client.on('error', () => undefined);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

function executor(port: number, knownHosts: string): SshExecutor {
  const knownHostsFile = join(dir, `known_hosts-${port}`);
  writeFileSync(knownHostsFile, knownHosts);
  const identityFile = join(dir, 'id');
  writeFileSync(identityFile, rsa);
  return new SshExecutor('lab-switch', { host: '127.0.0.1', port, user: 'u', identityFile, knownHostsFile });
}

describe('SSH hygiene', () => {
  it('offers no SHA-1 or CBC algorithm', () => {
    const all = Object.values(SSH_ALGORITHMS).flat();
    expect(all.filter((a) => /^ssh-rsa$|sha1|cbc|ssh-dss|group1-/.test(a))).toEqual([]);
  });

  it('an RSA host key signed with SHA-2 is accepted (the control)', async () => {
    const port = await server();
    expect((await executor(port, `[127.0.0.1]:${port} ${hostLine}\n`).run(['true'])).exitCode).toBe(0);
  });

  it('a server that signs its host key with SHA-1 only (ssh-rsa) is refused', async () => {
    const port = await server({ serverHostKey: ['ssh-rsa'] });
    await expect(executor(port, `[127.0.0.1]:${port} ${hostLine}\n`).run(['true'])).rejects.toThrow(
      /^lab-switch: `true` cannot be sent: 127\.0\.0\.1:\d+ offers no algorithm l2stretch accepts \(SHA-1 and CBC are refused\)/,
    );
  });

  it('a host key known_hosts marks @revoked is refused, even when also listed as known', async () => {
    const port = await server();
    const known = `[127.0.0.1]:${port} ${hostLine}\n@revoked * ${hostLine}\n`;
    expect(knownKeys(known, '127.0.0.1', port)).toHaveLength(1);
    expect(revokedKeys(known)).toHaveLength(1);
    await expect(executor(port, known).run(['true'])).rejects.toThrow(
      `lab-switch: \`true\` cannot be sent: the host key of 127.0.0.1:${port} is marked @revoked in ` +
        `${join(dir, `known_hosts-${port}`)}`,
    );
  });
});

// The SSH transport against a real OpenSSH server (Debian's openssh-server), run in
// a network namespace of this test and reached through a ProxyCommand (`sshd -i`),
// so no traffic leaves the test's own namespace: host-key verification (plain and
// hashed known_hosts), key login, exit codes, stdin, timeouts and the errors users see.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshExecutor, knownKeys, type SshTarget } from '../../helpers/transports/ssh.ts';
import { newRunId } from '../../testbeds/embedded/run.ts';

const SSHD = '/usr/sbin/sshd';
const runId = newRunId();
const dir = `/tmp/${runId}-ssh`;
const ns = `${runId}-sshd`;
let createdPrivsepDir = false;

const keygen = (file: string) => execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
const publicKey = (file: string) => readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

function target(over: Partial<SshTarget> = {}): SshTarget {
  return {
    host: 'lab-switch',
    port: 2222,
    user: 'root',
    identityFile: join(dir, 'client'),
    knownHostsFile: join(dir, 'known_hosts'),
    proxyCommand: ['ip', 'netns', 'exec', ns, SSHD, '-i', '-f', join(dir, 'sshd_config')],
    ...over,
  };
}

describe.skipIf(!existsSync(SSHD))('SSH transport against a real sshd (skipped without openssh-server)', () => {
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    await Promise.all([keygen(join(dir, 'hostkey')), keygen(join(dir, 'client')), keygen(join(dir, 'stranger'))]);
    writeFileSync(join(dir, 'authorized_keys'), `${publicKey(join(dir, 'client'))}\n`);
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `HostKey ${dir}/hostkey`,
        `AuthorizedKeysFile ${dir}/authorized_keys`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        'PidFile none',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'known_hosts'), `[lab-switch]:2222 ${publicKey(join(dir, 'hostkey'))}\n`);
    // sshd insists on its privilege-separation directory, which the package makes at boot only.
    if (!existsSync('/run/sshd')) {
      mkdirSync('/run/sshd', { mode: 0o755 });
      createdPrivsepDir = true;
    }
    await execa('ip', ['netns', 'add', ns]);
  });

  afterAll(async () => {
    await execa('ip', ['netns', 'del', ns], { reject: false });
    rmSync(dir, { recursive: true, force: true });
    if (createdPrivsepDir) rmSync('/run/sshd', { recursive: true, force: true });
  });

  it('runs a command in the namespace behind sshd: output, exit code, stderr, stdin', async () => {
    const ssh = new SshExecutor('lab-switch', target());
    expect(ssh.via).toBe('ssh root@lab-switch:2222');
    const links = await ssh.run(['ip', '-o', 'link', 'show']);
    expect(links.exitCode).toBe(0);
    // A fresh namespace: loopback only, which proves the command ran behind sshd, not here.
    expect(links.stdout.trim().split('\n')).toHaveLength(1);
    expect(links.stdout).toContain('lo:');
    expect(await ssh.run(['sh', '-c', 'echo oops >&2; exit 3'])).toEqual({ stdout: '', stderr: 'oops\n', exitCode: 3 });
    expect((await ssh.run(['cat'], { input: '{"peers":{}}' })).stdout).toBe('{"peers":{}}');
  });

  it('accepts a hashed known_hosts entry', async () => {
    const hashed = join(dir, 'known_hosts_hashed');
    writeFileSync(hashed, readFileSync(join(dir, 'known_hosts')));
    await execa('ssh-keygen', ['-q', '-H', '-f', hashed]);
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
    expect(knownKeys(readFileSync(hashed, 'utf8'), 'lab-switch', 2222)).toHaveLength(1);
    expect(knownKeys(readFileSync(hashed, 'utf8'), 'lab-switch', 22)).toHaveLength(0);
    expect((await new SshExecutor('lab-switch', target({ knownHostsFile: hashed })).run(['true'])).exitCode).toBe(0);
  });

  it('refuses a host whose key is not the known one, naming host and file', async () => {
    const wrong = join(dir, 'known_hosts_wrong');
    writeFileSync(wrong, `[lab-switch]:2222 ${publicKey(join(dir, 'stranger'))}\n`);
    await expect(new SshExecutor('lab-switch', target({ knownHostsFile: wrong })).run(['true'])).rejects.toThrow(
      `lab-switch: \`true\` cannot be sent: the host key of lab-switch:2222 is not the one ${wrong} lists`,
    );
  });

  it('refuses a host key marked @revoked, even when it is also listed as known', async () => {
    const revoked = join(dir, 'known_hosts_revoked');
    writeFileSync(
      revoked,
      `${readFileSync(join(dir, 'known_hosts'), 'utf8')}@revoked * ${publicKey(join(dir, 'hostkey'))}\n`,
    );
    expect(knownKeys(readFileSync(revoked, 'utf8'), 'lab-switch', 2222)).toHaveLength(1);
    await expect(new SshExecutor('lab-switch', target({ knownHostsFile: revoked })).run(['true'])).rejects.toThrow(
      `lab-switch: \`true\` cannot be sent: the host key of lab-switch:2222 is marked @revoked in ${revoked}`,
    );
  });

  it('refuses a server that signs its host key with SHA-1 only (ssh-rsa)', async () => {
    await execa('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(dir, 'rsakey')]);
    const config = join(dir, 'sshd_config_sha1');
    const base = readFileSync(join(dir, 'sshd_config'), 'utf8').replace(/^HostKey .*$/m, `HostKey ${dir}/rsakey`);
    writeFileSync(config, `${base}HostKeyAlgorithms ssh-rsa\n`);
    const known = join(dir, 'known_hosts_rsa');
    writeFileSync(known, `[lab-switch]:2222 ${publicKey(join(dir, 'rsakey'))}\n`);
    const proxyCommand = ['ip', 'netns', 'exec', ns, SSHD, '-i', '-f', config];
    await expect(
      new SshExecutor('lab-switch', target({ knownHostsFile: known, proxyCommand })).run(['true']),
    ).rejects.toThrow(
      /^lab-switch: `true` cannot be sent: lab-switch:2222 offers no algorithm l2stretch accepts \(SHA-1 and CBC are refused\)/,
    );
  });

  it('refuses a host known_hosts does not list, and says how to add it', async () => {
    await expect(new SshExecutor('lab-switch', target({ port: 2200 })).run(['true'])).rejects.toThrow(
      `lab-switch: \`true\` cannot be sent: ${join(dir, 'known_hosts')} has no host key for [lab-switch]:2200 ` +
        `(add it with ssh-keyscan, after checking it)`,
    );
  });

  it('says when the key does not log in', async () => {
    await expect(
      new SshExecutor('lab-switch', target({ identityFile: join(dir, 'stranger') })).run(['true']),
    ).rejects.toThrow(/^lab-switch: `true` cannot be sent: root could not log in at lab-switch:2222/);
  });

  it('ends a command that outlives its timeout', async () => {
    const start = Date.now();
    await expect(new SshExecutor('lab-switch', target()).run(['sleep', '10'], { timeoutMs: 1500 })).rejects.toThrow(
      'lab-switch: `sleep 10` did not finish within 1500 ms (ssh root@lab-switch:2222)',
    );
    expect(Date.now() - start).toBeLessThan(5000);
  });
});

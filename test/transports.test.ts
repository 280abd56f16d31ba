// The transports a testbed file can name, without a Docker engine or a lab: the
// file's validation and the exact command docker exec is given. (SSH runs against
// a real sshd in test/embedded/ssh-transport.test.ts.)
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerExecutor } from '../helpers/transports/exec.ts';
import { readTestbedFile, openTestbed } from '../helpers/testbed.ts';

const dir = mkdtempSync(join(tmpdir(), 'l2s-transports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(routers: Record<string, unknown>): string {
  const path = join(dir, `${Object.keys(routers).join('-')}.json`);
  writeFileSync(
    path,
    JSON.stringify({ kind: 'embedded', runId: 'lab', topology: 'multicluster', routers, workloads: {}, clusters: {} }),
  );
  return path;
}

describe('exec transports of a testbed file', () => {
  it('docker exec runs the command in the named container, with -i only when there is input', async () => {
    // `echo` stands in for the docker CLI: what it prints is the argv docker would get.
    const ex = new DockerExecutor('spine', 'clab-kind-spine', 'echo');
    expect(ex.via).toBe('docker exec clab-kind-spine');
    expect((await ex.run(['vtysh', '-c', 'show bgp summary json'])).stdout).toBe(
      'exec clab-kind-spine vtysh -c show bgp summary json\n',
    );
    expect((await ex.run(['cat'], { input: 'x' })).stdout).toBe('exec -i clab-kind-spine cat\n');
  });

  it('a testbed file binds routers to docker and SSH transports', () => {
    const tb = openTestbed(
      readTestbedFile(
        file({
          spine: { exec: { type: 'docker', container: 'clab-kind-spine' }, vtysh: ['vtysh'] },
          leafA: {
            exec: { type: 'ssh', host: 'leafa.lab', user: 'admin', knownHostsFile: '/etc/ssh/ssh_known_hosts' },
            vtysh: ['sudo', 'vtysh'],
          },
        }),
      ),
    );
    expect(tb.router('spine').via).toBe('docker exec clab-kind-spine');
    expect(tb.router('leafA').via).toBe('ssh admin@leafa.lab:22');
  });

  it('rejects an SSH transport without known_hosts, naming the field', () => {
    const path = file({ leafB: { exec: { type: 'ssh', host: 'leafb.lab', user: 'admin' }, vtysh: ['vtysh'] } });
    expect(() => readTestbedFile(path)).toThrow(
      `testbed file ${path}: routers.leafB.exec.knownHostsFile: Invalid input: expected string, received undefined`,
    );
  });
});

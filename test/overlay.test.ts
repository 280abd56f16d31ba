// suites/overlay.ts over a stand-in testbed: where each VM runs comes from its
// VirtualMachineInstance, the VTEP from the node it runs on, and each VM pings its
// own segment's gateway before the route checks look for it.
import { describe, it, expect } from 'vitest';
import { loadTopology } from '../topology/load.ts';
import { placedVms, greetedVms, placementOf, placedState, peerOf, requireOverlay } from '../suites/overlay.ts';
import type { Testbed } from '../helpers/ports.ts';

const t = loadTopology('multicluster');
const ready = [
  { type: 'Ready', status: 'True' },
  { type: 'AgentConnected', status: 'True' },
];
const vmis: Record<string, unknown> = {
  'pe-kind-a/vm-1': {
    metadata: { name: 'vm-1' },
    status: {
      phase: 'Running',
      nodeName: 'pe-kind-a-worker',
      interfaces: [{ mac: '02:03:04:05:06:07', ipAddress: '192.170.1.3' }],
      conditions: ready,
    },
  },
  'pe-kind-b/vm-2': {
    metadata: { name: 'vm-2' },
    status: {
      phase: 'Running',
      nodeName: 'pe-kind-b-control-plane',
      interfaces: [{ mac: '02:0A:0B:0C:0D:0E' }],
      conditions: ready,
    },
  },
};

function standIn(): { tb: Testbed; ran: string[] } {
  const ran: string[] = [];
  const tb = {
    topology: t,
    deadlines: { memberReady: 1000 },
    cluster: (c: string) => ({ get: async (_kind: string, name: string) => vmis[`${c}/${name}`] }),
    workload: (w: string) => ({
      run: async (argv: string[], opts?: { timeoutMs?: number }) => (
        ran.push(`${w}: ${argv.join(' ')} (${opts?.timeoutMs} ms)`),
        { exitCode: 0, stdout: '', stderr: '' }
      ),
    }),
  };
  return { tb: tb as unknown as Testbed, ran };
}

describe('the overlay as placed', () => {
  it('each declared VM with its node, lower-case MAC, declared address, network, port and node VTEP', async () => {
    expect(await placedVms(standIn().tb)).toEqual([
      {
        vm: 'vm-1',
        cluster: 'pe-kind-a',
        node: 'pe-kind-a-worker',
        mac: '02:03:04:05:06:07',
        ip: '192.170.1.3',
        declaredIp: '192.170.1.3',
        network: 'layer2',
        port: 8090,
        vtep: '100.65.0.1',
      },
      {
        vm: 'vm-2',
        cluster: 'pe-kind-b',
        node: 'pe-kind-b-control-plane',
        mac: '02:0a:0b:0c:0d:0e',
        ip: undefined,
        declaredIp: '192.170.1.30',
        network: 'layer2',
        port: 8090,
        vtep: '100.65.1.0',
      },
    ]);
  });

  it("greets: every VM pings its segment's gateway twice before it is returned", async () => {
    const { tb, ran } = standIn();
    expect((await greetedVms(tb)).map((v) => v.vm)).toEqual(['vm-1', 'vm-2']);
    expect(ran.sort()).toEqual([
      'vm-1: ping -n -c 2 -i 0.2 -W 1 192.170.1.1 (10000 ms)',
      'vm-2: ping -n -c 2 -i 0.2 -W 1 192.170.1.1 (10000 ms)',
    ]);
  });

  it("hands the oracle where the clusters placed each VM: next hop and RT of the VM's node", async () => {
    const { tb } = standIn();
    const vms = await placedVms(tb);
    expect(placementOf(vms)).toEqual({
      'vm-1': { cluster: 'pe-kind-a', node: 'pe-kind-a-worker', mac: '02:03:04:05:06:07' },
      'vm-2': { cluster: 'pe-kind-b', node: 'pe-kind-b-control-plane', mac: '02:0a:0b:0c:0d:0e' },
    });
    expect(placedState(tb, vms).vms.map((v) => v.route && [v.route.vtep, v.route.routeTarget])).toEqual([
      ['100.65.0.1', '64514:110'],
      ['100.65.1.0', '64518:110'],
    ]);
  });
});

describe('the overlay a suite needs, and a VM as a traffic peer', () => {
  it('a topology without an overlay is refused by name; one with it gives it back', () => {
    const { tb } = standIn();
    expect(requireOverlay(tb)).toBe(t.overlay);
    const bare = { ...tb, topology: { ...t, name: 'bare', overlay: undefined } } as Testbed;
    expect(() => requireOverlay(bare)).toThrow(/^topology bare declares no overlay: nothing to check$/);
  });

  it('a placed VM is its name and declared address; an unplaced one is refused by name', async () => {
    const vms = new Map((await placedVms(standIn().tb)).map((v) => [v.vm, v]));
    expect(peerOf(vms, 'vm-2')).toEqual({ name: 'vm-2', ip: '192.170.1.30' });
    expect(() => peerOf(vms, 'vm-9')).toThrow(/^VM vm-9 is not placed: the clusters report no such VM$/);
  });
});

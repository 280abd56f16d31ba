// A VM's reported placement and IP are trusted only once KubeVirt says Ready and AgentConnected.
import { describe, it, expect } from 'vitest';
import { untrustedReason } from '../helpers/kube/vm.ts';

const iface = [{ mac: '02:03:04:05:06:07', ipAddress: '192.170.1.3' }];
const cond = (ready: string, agent: string) => [
  { type: 'Ready', status: ready },
  { type: 'AgentConnected', status: agent },
];

describe('VMI placement trust', () => {
  it('trusts a Ready instance with its agent connected', () => {
    expect(
      untrustedReason(
        'pe-kind-a',
        'vm-1',
        { phase: 'Running', nodeName: 'pe-kind-a-worker', interfaces: iface, conditions: cond('True', 'True') },
        true,
      ),
    ).toBeUndefined();
  });

  it('waits for Ready and for the guest agent, saying which is missing', () => {
    expect(untrustedReason('pe-kind-a', 'vm-1', { phase: 'Scheduled', conditions: cond('False', 'False') }, true)).toBe(
      'pe-kind-a: VirtualMachineInstance vm-1 is not Ready and AgentConnected yet (phase Scheduled; ' +
        'conditions: Ready=False, AgentConnected=False)',
    );
    expect(
      untrustedReason(
        'pe-kind-a',
        'vm-1',
        { phase: 'Running', nodeName: 'n', interfaces: iface, conditions: [{ type: 'Ready', status: 'True' }] },
        true,
      ),
    ).toBe('pe-kind-a: VirtualMachineInstance vm-1 is not AgentConnected yet (phase Running; conditions: Ready=True)');
  });

  it('names an absent instance and one without node or MAC', () => {
    expect(untrustedReason('pe-kind-b', 'vm-2', undefined, false)).toBe(
      'pe-kind-b: VirtualMachineInstance vm-2 does not exist (is the VM running?)',
    );
    expect(
      untrustedReason(
        'pe-kind-b',
        'vm-2',
        { phase: 'Running', interfaces: [], conditions: cond('True', 'True') },
        true,
      ),
    ).toBe('pe-kind-b: VirtualMachineInstance vm-2 reports no node or no interface MAC');
  });
});

// The end state KubeVirt reports after a migration (L2S-MIG-001), judged on states
// written out here: in-cluster and across clusters, each field that can be wrong.
import { describe, it, expect } from 'vitest';
import { endStateProblems, type EndState } from '../suites/live-migration/checks.ts';

const succeeded = { phase: 'Succeeded' };
const across: EndState = {
  vm: 'vm-1',
  from: 'kind-a',
  to: 'kind-b',
  outcome: { startedAt: 1000, finishedAt: 9000, source: succeeded, target: succeeded },
  nodeBefore: 'pe-kind-a-worker',
  nodeAfter: 'pe-kind-b-worker',
  sourceInstanceLeft: false,
  sourceRunStrategy: 'Halted',
  targetRunStrategy: 'Always',
  targetReady: true,
};
const within: EndState = {
  ...across,
  to: 'kind-a',
  outcome: { startedAt: 1000, finishedAt: 9000, source: succeeded },
  nodeAfter: 'pe-kind-a-control-plane',
  sourceRunStrategy: undefined,
  targetRunStrategy: undefined,
  targetReady: undefined,
};

describe('endStateProblems', () => {
  it('a migration within a cluster: succeeded on another node passes; same node or failed is named', () => {
    expect(endStateProblems(within)).toEqual([]);
    expect(endStateProblems({ ...within, nodeAfter: 'pe-kind-a-worker' })).toEqual([
      'kind-a: vm-1: expected on another node than pe-kind-a-worker, seen still on pe-kind-a-worker',
    ]);
    expect(endStateProblems({ ...within, outcome: { ...within.outcome, source: { phase: 'Failed' } } })).toEqual([
      'kind-a: migration of vm-1: expected Succeeded, seen Failed',
    ]);
  });

  it('across clusters: every field as KubeVirt reports a success passes', () => {
    expect(endStateProblems(across)).toEqual([]);
  });

  it('across clusters: each side of the migration, the instance left behind, run strategies, readiness', () => {
    expect(
      endStateProblems({
        ...across,
        outcome: { startedAt: 1000, finishedAt: 9000, source: {} },
        sourceInstanceLeft: true,
        sourceRunStrategy: 'Always',
        targetRunStrategy: undefined,
        targetReady: false,
      }),
    ).toEqual([
      'kind-a: migration of vm-1 (sendTo): expected Succeeded, seen none',
      'kind-b: migration of vm-1 (receive): expected Succeeded, seen none',
      'kind-a: VirtualMachineInstance vm-1: expected gone, seen still there',
      'kind-a: VirtualMachine vm-1 runStrategy: expected Halted, seen Always',
      'kind-b: VirtualMachine vm-1 runStrategy: expected Always, seen none',
      'kind-b: VirtualMachine vm-1 Ready: expected true, seen false',
    ]);
    expect(
      endStateProblems({
        ...across,
        outcome: { ...across.outcome, target: { phase: 'Running' } },
        nodeAfter: across.nodeBefore,
        targetReady: undefined,
      }),
    ).toEqual([
      'kind-b: migration of vm-1 (receive): expected Succeeded, seen Running',
      'kind-b: VirtualMachine vm-1 Ready: expected true, seen none',
    ]);
  });
});

// Runs the conformance suites in their stage order (sessions → routes → L2 → L3),
// whatever order vitest found the files in.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { STAGES } from './stages.ts';

const rank = (file: string) => {
  const i = STAGES.findIndex((s) => file.includes(`/suites/${s}/`));
  return i < 0 ? STAGES.length : i;
};

export class StageSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}

// Which checks a run declares: the tiers of L2STRETCH_TIERS, narrowed to the IDs of
// L2STRETCH_CHECKS and without those of L2STRETCH_SKIP (comma-separated; `l2stretch
// run --check/--skip/--tier` sets them). A check left out is not declared at all, so
// it is neither run nor reported as skipped, and the run's verdict is about the rest.
import { CATALOGUE, checkIds, selectedTiers, type CheckId } from './catalogue.ts';
import { STAGES, type Stage } from './stages.ts';

type Env = Partial<Record<'L2STRETCH_TIERS' | 'L2STRETCH_CHECKS' | 'L2STRETCH_SKIP', string>>;

function idList(variable: string, value: string | undefined): CheckId[] | undefined {
  if (value === undefined) return undefined;
  const asked = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = asked.filter((id) => !Object.hasOwn(CATALOGUE, id));
  if (unknown.length)
    throw new Error(`${variable}: unknown check ${unknown.join(', ')} (\`l2stretch list\` shows every check)`);
  return asked as CheckId[];
}

export function selectedChecks(env: Env = process.env): CheckId[] {
  const tiers = selectedTiers(env.L2STRETCH_TIERS);
  const only = idList('L2STRETCH_CHECKS', env.L2STRETCH_CHECKS);
  const skip = idList('L2STRETCH_SKIP', env.L2STRETCH_SKIP) ?? [];
  return checkIds().filter(
    (id) => tiers.includes(CATALOGUE[id].tier) && (!only || only.includes(id)) && !skip.includes(id),
  );
}

/** The stages a selection runs, in stage order. */
export function selectedStages(ids: readonly CheckId[]): Stage[] {
  return STAGES.filter((s) => ids.some((id) => CATALOGUE[id].suite === s));
}

/**
 * Stages before `stage` of which the selection runs no check. Their failures would
 * have skipped `stage` with the reason; left out, they cannot, so a failure of
 * `stage` says that they did not run.
 */
export function stagesLeftOut(stage: Stage, ids: readonly CheckId[]): Stage[] {
  const ran = selectedStages(ids);
  return STAGES.slice(0, STAGES.indexOf(stage)).filter((s) => !ran.includes(s));
}

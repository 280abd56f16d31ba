// Which checks a run declares: the tiers of L2STRETCH_TIERS, narrowed to the checks of
// L2STRETCH_CHECKS and without those of L2STRETCH_SKIP (comma-separated IDs or instance
// keys, `L2S-EVPN-002[router=leafA]`; `l2stretch run --check/--skip/--tier` sets them).
// A key selects (or leaves out) that one instance of its check. A check or instance
// left out is not declared at all, so it is neither run nor reported as skipped, and
// the run's verdict is about the rest.
import { CATALOGUE, checkIds, selectedTiers, type CheckId } from './catalogue.ts';
import { parseKey, splitKeyList } from './keys.ts';
import { STAGES, type Stage } from './stages.ts';

type Env = Partial<Record<'L2STRETCH_TIERS' | 'L2STRETCH_CHECKS' | 'L2STRETCH_SKIP', string>>;

/** Whole checks by ID, and single instances by key. */
interface Asked {
  ids: CheckId[];
  keys: string[];
}

function askedList(variable: string, value: string | undefined): Asked | undefined {
  if (value === undefined) return undefined;
  const asked: Asked = { ids: [], keys: [] };
  const unknown: string[] = [];
  for (const item of splitKeyList(value)) {
    if (item.includes('[')) {
      try {
        parseKey(item);
      } catch (e) {
        throw new Error(`${variable}: ${(e as Error).message}`);
      }
      asked.keys.push(item);
    } else if (Object.hasOwn(CATALOGUE, item)) asked.ids.push(item as CheckId);
    else unknown.push(item);
  }
  if (unknown.length)
    throw new Error(`${variable}: unknown check ${unknown.join(', ')} (\`l2stretch list\` shows every check)`);
  return asked;
}

export function selectedChecks(env: Env = process.env): CheckId[] {
  const tiers = selectedTiers(env.L2STRETCH_TIERS);
  const only = askedList('L2STRETCH_CHECKS', env.L2STRETCH_CHECKS);
  const onlyIds = only && [...only.ids, ...only.keys.map((k) => parseKey(k).id)];
  const skip = askedList('L2STRETCH_SKIP', env.L2STRETCH_SKIP)?.ids ?? [];
  return checkIds().filter(
    (id) => tiers.includes(CATALOGUE[id].tier) && (!onlyIds || onlyIds.includes(id)) && !skip.includes(id),
  );
}

/**
 * Whether the run declares the instance `key` of a selected check: not when L2STRETCH_SKIP
 * names its key, nor when L2STRETCH_CHECKS names instances of its check but not this one.
 */
export function instanceSelected(key: string, env: Env = process.env): boolean {
  const { id } = parseKey(key);
  const only = askedList('L2STRETCH_CHECKS', env.L2STRETCH_CHECKS);
  if (askedList('L2STRETCH_SKIP', env.L2STRETCH_SKIP)?.keys.includes(key)) return false;
  if (!only || only.ids.includes(id)) return true;
  const mine = only.keys.filter((k) => parseKey(k).id === id);
  return !mine.length || mine.includes(key);
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

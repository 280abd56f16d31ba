// Check instance keys: a catalogue ID and the parameters that tell one instance of the
// check from another, `L2S-EVPN-002[router=leafA]`, `L2S-L3-001[vm=vm-1,host=hostA_red]`.
// A key is stable from run to run on one topology (run record, JUnit, Allure, bundle,
// fault catalogue, --check all name instances by it); the title is its readable form.
// Parameters appear in the order the catalogue declares them; a value is percent-encoded
// (encodeURIComponent), so `[`, `]`, `,`, `=` and `%` in a value never end it early.
import { CATALOGUE, type CheckId } from './catalogue.ts';

export type ParamValue = string | number;
/** The key parameters of check `I`, exactly those its catalogue entry declares. */
export type KeyParams<I extends CheckId> = { readonly [P in (typeof CATALOGUE)[I]['params'][number]]: ParamValue };
/** Values the title shows beside the key parameters (a router's peers, a host's address): not part of the key. */
export type TitleValues = Readonly<Record<string, ParamValue>>;

export interface ParsedKey {
  id: CheckId;
  params: Record<string, string>;
}

const KEY = /^(L2S-[A-Z0-9]+-\d{3})(?:\[(.*)\])?$/;

function declared(id: CheckId): readonly string[] {
  if (!Object.hasOwn(CATALOGUE, id)) throw new Error(`unknown check ${id} (\`l2stretch list\` shows every check)`);
  return CATALOGUE[id].params;
}

/** The key of one instance of check `id`; parameters other than the catalogue's, or missing, are an error. */
export function checkKey<I extends CheckId>(id: I, params: KeyParams<I>): string {
  const names = declared(id);
  const given = params as Readonly<Record<string, ParamValue>>;
  const extra = Object.keys(given).filter((k) => !names.includes(k));
  const missing = names.filter((k) => !Object.hasOwn(given, k));
  if (extra.length || missing.length)
    throw new Error(
      `${id}: key parameters are ${names.join(', ') || 'none'}` +
        (missing.length ? `; missing ${missing.join(', ')}` : '') +
        (extra.length ? `; unknown ${extra.join(', ')}` : ''),
    );
  const empty = names.filter((k) => String(given[k]) === '');
  if (empty.length) throw new Error(`${id}: key parameter ${empty.join(', ')} is empty`);
  return names.length ? `${id}[${names.map((k) => `${k}=${encodeURIComponent(String(given[k]))}`).join(',')}]` : id;
}

/** A key back into its check and parameters; anything checkKey would not have written is refused. */
export function parseKey(key: string): ParsedKey {
  const m = KEY.exec(key);
  if (!m)
    throw new Error(`${JSON.stringify(key)} is not a check key (ID[param=value,…], e.g. L2S-BGP-001[router=spine])`);
  const id = m[1] as CheckId;
  const params: Record<string, string> = {};
  for (const pair of m[2] === undefined ? [] : m[2].split(',')) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    if (eq < 1 || Object.hasOwn(params, name)) throw new Error(`${key}: malformed parameter ${JSON.stringify(pair)}`);
    try {
      params[name] = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      throw new Error(`${key}: parameter ${name} is not percent-encoded`);
    }
  }
  const canonical = checkKey(id, params as KeyParams<typeof id>);
  if (canonical !== key) throw new Error(`${key}: not in canonical form (${canonical})`);
  return { id, params };
}

/** Whether `key` is an instance of `id` whose parameters include every one of `where`. */
export function keyMatches(key: string, id: CheckId, where: Readonly<Record<string, ParamValue>> = {}): boolean {
  const k = parseKey(key);
  return k.id === id && Object.entries(where).every(([p, v]) => k.params[p] === String(v));
}

/**
 * The readable title of an instance: the catalogue's title with each `{name}` filled
 * from the key parameters or from `values`; a placeholder left unfilled is an error.
 */
export function instanceTitle<I extends CheckId>(id: I, params: KeyParams<I>, values: TitleValues = {}): string {
  const all: Record<string, ParamValue> = { ...values, ...(params as Readonly<Record<string, ParamValue>>) };
  const shadowed = Object.keys(values).filter((k) => declared(id).includes(k));
  if (shadowed.length) throw new Error(`${id}: title value ${shadowed.join(', ')} is a key parameter`);
  return CATALOGUE[id].title.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!Object.hasOwn(all, name)) throw new Error(`${id}: its title needs a value for {${name}}`);
    return String(all[name]);
  });
}

/** Keys that occur more than once: two instances under one key cannot be told apart in any report. */
export function duplicateKeys(keys: Iterable<string>): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const k of keys) (seen.has(k) ? dup : seen).add(k);
  return [...dup];
}

/** Splits a list of IDs and keys at the commas between them, not at those inside a key's brackets. */
export function splitKeyList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of value) {
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

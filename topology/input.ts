// Reading the files a user hands over (topology, testbed file, product file): a
// size cap before reading, one parser, and keys that would reach an object's
// prototype refused instead of silently dropped by the schema.
import { openSync, fstatSync, readFileSync, closeSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

export const MAX_INPUT_BYTES = {
  topology: 1024 * 1024,
  testbed: 1024 * 1024,
  product: 64 * 1024,
} as const;

export class InputError extends Error {
  override name = 'InputError';
}

/**
 * Reads a regular file of at most `max` bytes; the check and the read are on one
 * descriptor. `label` starts every message (the file, and what it is).
 */
export function readCapped(file: string, label: string, max: number): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new InputError(`${label}: ${(e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${label}: not a regular file`);
    if (st.size > max) throw new InputError(`${label}: ${st.size} bytes, more than the ${max} allowed`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The dotted path of the first key anywhere in `value` that names a prototype slot. */
export function prototypeKey(value: unknown, path: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__' || k === 'prototype') return [...path, k].join('.');
    const inner = prototypeKey(v, [...path, k]);
    if (inner) return inner;
  }
  return undefined;
}

/** YAML or JSON from a capped file, refusing prototype keys. */
export function readStructured(file: string, label: string, max: number, format: 'yaml' | 'json' = 'yaml'): unknown {
  const text = readCapped(file, label, max);
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const why = oneLine((e as Error).message);
    throw new InputError(`${label}: not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${why}`);
  }
  const bad = prototypeKey(raw);
  if (bad) throw new InputError(`${label}: ${bad}: a key that names an object prototype is not allowed`);
  return raw;
}

/** Control characters of a value quoted in a message, made visible (one line, no terminal escapes). */
export function oneLine(s: string): string {
  return s.replace(/\p{Cc}/gu, (c) => (c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** zod issues as `field: message` items of one line. */
export function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const field = i.path.length ? oneLine(i.path.map(String).join('.')) : '(top level)';
    return `${field}: ${oneLine(i.message)}`;
  });
}

/** A record's own entry: a name such as `constructor` finds nothing instead of Object's. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

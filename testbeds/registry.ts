// Every kind of testbed, by the name a testbed file, L2STRETCH_TESTBED and --testbed use.
// A new kind: its name in TESTBED_KINDS (helpers/ports.ts), a folder with a provider.ts,
// and its line here (the type below refuses a kind without a provider and the reverse).
import { TESTBED_KINDS, type TestbedKind } from '../helpers/ports.ts';
import type { TestbedProvider } from './provider.ts';
import { embeddedProvider } from './embedded/provider.ts';
import { kindProvider } from './kind/provider.ts';
import { existingProvider } from './existing/provider.ts';

export const PROVIDERS: { readonly [K in TestbedKind]: TestbedProvider } = {
  embedded: embeddedProvider,
  kind: kindProvider,
  existing: existingProvider,
};

export const isTestbedKind = (s: string): s is TestbedKind => (TESTBED_KINDS as readonly string[]).includes(s);

/** The kinds `l2stretch testbed up|down` stands up and removes. */
export const UP_KINDS = TESTBED_KINDS.filter((k) => PROVIDERS[k].up);

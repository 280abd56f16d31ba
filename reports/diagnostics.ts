// What a developer needs to see why a check failed without re-running it: the
// routers' own view, every member's kernel state and the clusters' objects, taken
// once per run at the first failure (the state right after it is the useful one).
import { openSync, closeSync, writeFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { stringify } from 'yaml';
import type { Testbed } from '../helpers/ports.ts';
import type { Executor } from '../helpers/ports.ts';
import { quoteArgv } from '../helpers/transports/exec.ts';
import { redact, redactFile } from './redact.ts';

/** openperouter's router pods, whose logs Kubernetes testbeds' diagnostics keep. */
export const ROUTER_PODS = { namespace: 'openperouter-system', labelSelector: 'app=router' };

export const KERNEL_COMMANDS = [
  ['ip', '-d', 'link'],
  ['ip', 'addr'],
  ['ip', 'route', 'show', 'table', 'all'],
  ['ip', 'neigh'],
  ['bridge', 'fdb'],
];

const section = (title: string, body: string) => `===== ${title}\n${body.trimEnd()}\n\n`;

async function capture(what: () => Promise<string>): Promise<string> {
  try {
    return await what();
  } catch (e) {
    return `(could not collect: ${(e as Error).message})`;
  }
}

async function kernelState(ex: Executor): Promise<string> {
  const parts = await Promise.all(
    KERNEL_COMMANDS.map(async (argv) =>
      section(
        quoteArgv(argv),
        await capture(async () => {
          const r = await ex.run(argv, { timeoutMs: 10_000 });
          return r.exitCode === 0 ? r.stdout : `exit ${r.exitCode}: ${r.stderr}`;
        }),
      ),
    ),
  );
  return parts.join('');
}

export interface Diagnostics {
  dir: string;
  /** Every section in one file, for attaching to a report. */
  combined: string;
  files: string[];
}

export async function collectDiagnostics(tb: Testbed, dir: string, trigger: string): Promise<Diagnostics> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    // Names come from the testbed (routers, pods): none may lead out of the folder.
    const rel = relative(dir, path);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`diagnostics: ${name} leads outside ${dir}`);
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(path, redactFile(name, text), { mode: 0o600 });
    files.push(name);
    return text;
  };
  const routerTexts = await Promise.all(
    tb.routers.map(async (r) => {
      const body = (
        await Promise.all(
          r.diagnosticCommands.map(async (c) => {
            let title = c;
            const text = await capture(async () => {
              const e = await r.show(c);
              title = e.command;
              return e.raw;
            });
            return section(title, text);
          }),
        )
      ).join('');
      return write(`routers/${r.name}.txt`, body);
    }),
  );
  let note = '';
  const kernel = await tb.kernelMembers().catch((e: Error) => {
    note = `kernel state not collected: ${e.message}`;
    return [];
  });
  if (!kernel.length && !note) note = 'this testbed names no members whose kernel state can be read';
  const kernelTexts = await Promise.all(
    kernel.map(async (ex) =>
      write(`kernel/${ex.member}.txt`, section(`kernel state of ${ex.member} (${ex.via})`, await kernelState(ex))),
    ),
  );
  const clusterTexts = await Promise.all(
    tb.clusters.map(async (c) =>
      write(`clusters/${c.name}.yaml`, await capture(async () => stringify(await c.list()))),
    ),
  );
  // On Kubernetes testbeds, what openperouter's router pods logged.
  await Promise.all(
    tb.kubeClients.map(async (c) => {
      const pods = await c.podsBySelector(ROUTER_PODS.namespace, ROUTER_PODS.labelSelector).catch((e: Error) => {
        write(`pods/${c.name}/README.txt`, `router pods could not be listed: ${e.message}`);
        return [];
      });
      await Promise.all(
        pods.map(async (p) =>
          write(`pods/${c.name}/${p}-frr.log`, await capture(() => c.logs(ROUTER_PODS.namespace, p, 'frr', 500))),
        ),
      );
    }),
  );
  const header =
    `diagnostics of run ${tb.runId} (${tb.kind} testbed), taken at ${new Date().toISOString()} when this check ` +
    `failed first:\n  ${trigger}\n${note ? `\n${note}\n` : ''}\n`;
  write('README.txt', `${header}files:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  const combined = join(dir, 'all.txt');
  writeFileSync(
    combined,
    redact(
      header +
        tb.routers.map((r, i) => section(`router ${r.name}`, routerTexts[i]!)).join('') +
        kernelTexts.join('') +
        tb.clusters.map((c, i) => section(`cluster ${c.name}`, clusterTexts[i]!)).join(''),
    ),
  );
  return { dir, combined, files };
}

/**
 * Collects the diagnostics unless another check of this run already did (every
 * suite file runs in its own worker, so "once" is decided by whoever creates the
 * marker file first). Returns undefined when it was not this caller's turn.
 */
export async function collectDiagnosticsOnce(
  tb: Testbed,
  dir: string,
  trigger: string,
): Promise<Diagnostics | undefined> {
  mkdirSync(dir, { recursive: true });
  try {
    closeSync(openSync(join(dir, '.taken'), 'wx'));
  } catch {
    return undefined;
  }
  return collectDiagnostics(tb, dir, trigger);
}

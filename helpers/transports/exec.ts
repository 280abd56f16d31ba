// One way to run a command on a testbed member, whatever the transport
// (network namespace here; docker exec, kubectl exec and SSH plug in the same way).
import { execa } from 'execa';
import type { Executor, ExecOptions, ExecResult } from '../ports.ts';

export class ExecError extends Error {
  override name = 'ExecError';
  constructor(
    readonly member: string,
    readonly command: string,
    readonly what: string,
  ) {
    super(`${member}: \`${command}\` ${what}`);
  }
}

export const DEFAULT_EXEC_TIMEOUT_MS = 20_000;

export function quoteArgv(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs a local command and maps execa's failures to an ExecError naming the member. */
export async function runLocal(member: string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file) throw new ExecError(member, '', 'is an empty command');
  const r = await execa(file, args, {
    reject: false,
    timeout: opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    stripFinalNewline: false,
  });
  if (r.timedOut)
    throw new ExecError(
      member,
      quoteArgv(argv),
      `did not finish within ${opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS} ms`,
    );
  if (r.exitCode === undefined) throw new ExecError(member, quoteArgv(argv), `could not run: ${r.message}`);
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode };
}

/** Reaches a member living in a network namespace of this machine. */
export class NetnsExecutor implements Executor {
  readonly via: string;
  constructor(
    readonly member: string,
    readonly netns: string,
  ) {
    this.via = `netns ${netns}`;
  }

  run(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return runLocal(this.member, ['ip', 'netns', 'exec', this.netns, ...argv], opts);
  }
}

/** Reaches a member that is a container of the local Docker engine (containerlab nodes, KinD nodes). */
export class DockerExecutor implements Executor {
  readonly via: string;
  constructor(
    readonly member: string,
    readonly container: string,
    private readonly docker = 'docker',
  ) {
    this.via = `docker exec ${container}`;
  }

  run(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return runLocal(
      this.member,
      [this.docker, 'exec', ...(opts?.input === undefined ? [] : ['-i']), this.container, ...argv],
      opts,
    );
  }
}

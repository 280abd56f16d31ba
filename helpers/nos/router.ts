// A router of the testbed as the suites see it: something that answers vtysh.
import { type Executor, ExecError, quoteArgv } from '../transports/exec.ts';

export interface VtyshAnswer<T = unknown> {
  router: string;
  command: string;
  /** Exactly what vtysh printed, for attachments. */
  raw: string;
  data: T;
}

export class Router {
  constructor(
    readonly name: string,
    readonly exec: Executor,
    /** How vtysh is invoked on this router, e.g. ["vtysh", "--vty_socket", dir]. */
    readonly vtyshArgv: string[],
  ) {}

  async vtysh(...commands: string[]): Promise<string> {
    const argv = [...this.vtyshArgv, ...commands.flatMap((c) => ['-c', c])];
    const r = await this.exec.run(argv);
    if (r.exitCode !== 0) {
      throw new ExecError(
        this.name,
        quoteArgv(argv),
        `exited ${r.exitCode} (${this.exec.via}): ${(r.stderr || r.stdout).trim()}`,
      );
    }
    return r.stdout;
  }

  /** Runs one "show … json" command and parses its output. */
  async json<T = unknown>(command: string): Promise<VtyshAnswer<T>> {
    const raw = await this.vtysh(command);
    try {
      return { router: this.name, command, raw, data: JSON.parse(raw) as T };
    } catch {
      throw new ExecError(
        this.name,
        `vtysh -c '${command}'`,
        `did not print JSON: ${raw.slice(0, 300).trim() || '(nothing)'}`,
      );
    }
  }
}

// The kernel set-up a topology implies, as `ip -batch` lines: shared by the embedded
// testbed (namespaces) and the kind testbed's lab scripts (containers).
export const VXLAN_PORT = 4789;
/** The VXLAN MTU of a 1500-byte underlay. */
// fidelity: OPE-NET-001
export const VXLAN_MTU = 1450;

// iproute2's batch reader splits a line at blanks, honours quotes, backslashes and
// `#` comments, and a newline starts another command: a word of these characters
// alone is exactly one argument, and a line of such words exactly one command.
const BATCH_WORD = /^[A-Za-z0-9_.:/@%+=,-]{1,255}$/;

export class UnsafeCommandError extends Error {
  override name = 'UnsafeCommandError';
}

/** One `ip -batch` line from its arguments; refuses any argument that could be read as more than one. */
export function batchLine(...argv: Array<string | number>): string {
  for (const a of argv) {
    if (!BATCH_WORD.test(String(a))) {
      throw new UnsafeCommandError(`refusing ip argument ${JSON.stringify(String(a))} of \`ip ${argv.join(' ')}\``);
    }
  }
  return argv.join(' ');
}

/** Checks lines written elsewhere: each must be plain words, one command. */
export function assertBatchLines(lines: string[]): void {
  for (const l of lines) batchLine(...l.split(' '));
}

export function addressLines(ifname: string, i: { ipv4?: string; ipv6?: string }): string[] {
  return [
    ...(i.ipv4 ? [batchLine('addr', 'add', i.ipv4, 'dev', ifname)] : []),
    ...(i.ipv6 ? [batchLine('addr', 'add', i.ipv6, 'dev', ifname, 'nodad')] : []),
    batchLine('link', 'set', ifname, 'mtu', 1500, 'up'),
  ];
}

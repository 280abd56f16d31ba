// Which l2stretch produced a report: the package version and the git commit.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT as ROOT } from '../cli/paths.ts';

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function suiteVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function suiteIdentity(): { name: 'l2stretch'; version: string; commit: string; dirty: boolean } {
  // Installed as a package inside another project's checkout, the commit would be that project's.
  const own = git('rev-parse', '--show-toplevel') === resolve(ROOT);
  const commit = (own && git('rev-parse', 'HEAD')) || 'unknown (not a git checkout)';
  // Report files are git-ignored, so only changes to the suite itself count as dirty.
  const dirty = own && (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '';
  return { name: 'l2stretch', version: suiteVersion(), commit, dirty };
}

// Traffic between workloads, with tools every VM image and host has (curl, ping).
import type { Executor } from '../ports.ts';
import { resolveDeadlines } from '../wait.ts';

export interface HttpResult {
  ok: boolean;
  body: string;
  /** curl's exit code: 0 ok, 7 refused/unreachable, 28 timed out. */
  exitCode: number;
  error: string;
}

export async function httpGet(
  from: Executor,
  url: string,
  timeoutS = resolveDeadlines().httpRequest / 1000,
): Promise<HttpResult> {
  const r = await from.run(['curl', '-sS', '--max-time', String(timeoutS), url], { timeoutMs: (timeoutS + 5) * 1000 });
  return { ok: r.exitCode === 0, body: r.stdout.trim(), exitCode: r.exitCode, error: r.stderr.trim() };
}

/** Bytes received from url, or the curl error. */
export async function download(
  from: Executor,
  url: string,
  timeoutS = resolveDeadlines().transfer / 1000,
): Promise<{ bytes: number; exitCode: number; error: string }> {
  const r = await from.run(
    ['curl', '-sS', '--max-time', String(timeoutS), '-o', '/dev/null', '-w', '%{size_download}', url],
    { timeoutMs: (timeoutS + 5) * 1000 },
  );
  return { bytes: Number(r.stdout.trim()) || 0, exitCode: r.exitCode, error: r.stderr.trim() };
}

export async function ping(from: Executor, ip: string, count = 3): Promise<{ ok: boolean; output: string }> {
  const r = await from.run(['ping', '-n', '-c', String(count), '-i', '0.2', '-W', '1', ip], {
    timeoutMs: (count + 5) * 1000,
  });
  return { ok: r.exitCode === 0, output: (r.stdout + r.stderr).trim().split('\n').slice(-2).join(' | ') };
}

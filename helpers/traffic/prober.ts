// Runs inside a workload while another one migrates: an HTTP probe every interval
// (a new TCP connection each time) and one long-lived connection that streams data,
// each with timestamps. Prints one JSON document (ProbeReport) when done.
import { request } from 'node:http';
import { parseArgs } from 'node:util';

export interface Probe {
  /** ms since the epoch when the probe started */
  t: number;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface StreamReport {
  connectedAt?: number;
  /** when data last arrived */
  lastAt?: number;
  bytes: number;
  /** arrival times are summarized: the longest silence, and every silence over 200 ms */
  maxGapMs: number;
  gaps: Array<{ from: number; ms: number }>;
  /** true when the connection broke (reset, closed by the peer) rather than being closed by us */
  broken: boolean;
  error?: string;
}

export interface ProbeReport {
  target: string;
  intervalMs: number;
  start: number;
  end: number;
  probes: Probe[];
  stream: StreamReport;
}

function probeOnce(host: string, port: number, timeoutMs: number): Promise<Probe> {
  const t = Date.now();
  return new Promise((resolve) => {
    const done = (ok: boolean, error?: string) => resolve({ t, ok, ms: Date.now() - t, ...(error ? { error } : {}) });
    const req = request({ host, port, path: '/hostname', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200, res.statusCode === 200 ? undefined : `HTTP ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => done(false, (e as NodeJS.ErrnoException).code ?? e.message));
    req.end();
  });
}

function stream(host: string, port: number): { report: StreamReport; stop: () => void } {
  const report: StreamReport = { bytes: 0, maxGapMs: 0, gaps: [], broken: false };
  let last = 0;
  let stopping = false;
  const req = request({ host, port, path: '/stream', agent: false }, (res) => {
    report.connectedAt = last = Date.now();
    res.on('data', (chunk: Buffer) => {
      const now = Date.now();
      const gap = now - last;
      if (gap > report.maxGapMs) report.maxGapMs = gap;
      if (gap > 200) report.gaps.push({ from: last, ms: gap });
      last = report.lastAt = now;
      report.bytes += chunk.length;
    });
    res.on('close', () => {
      if (!stopping) report.broken = true;
    });
  });
  req.on('error', (e) => {
    if (stopping) return;
    report.broken = true;
    report.error = (e as NodeJS.ErrnoException).code ?? e.message;
  });
  req.end();
  return {
    report,
    stop: () => {
      stopping = true;
      req.destroy();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      interval: { type: 'string', default: '100' },
      duration: { type: 'string', default: '5000' },
      timeout: { type: 'string', default: '500' },
    },
  });
  const [host, portText] = (values.target ?? '').split(':');
  if (!host || !portText) throw new Error('--target ip:port is required');
  const port = Number(portText);
  const intervalMs = Number(values.interval);
  const start = Date.now();
  const s = stream(host, port);
  const pending: Array<Promise<Probe>> = [];
  while (Date.now() - start < Number(values.duration)) {
    pending.push(probeOnce(host, port, Number(values.timeout)));
    await new Promise((r) => setTimeout(r, intervalMs - ((Date.now() - start) % intervalMs)));
  }
  const probes = await Promise.all(pending);
  s.stop();
  const report: ProbeReport = {
    target: `${host}:${port}`,
    intervalMs,
    start,
    end: Date.now(),
    probes,
    stream: s.report,
  };
  process.stdout.write(JSON.stringify(report));
}

main().catch((e: Error) => {
  process.stderr.write(`prober: ${e.message}\n`);
  process.exit(2);
});

// A headless Chromium driven over the DevTools protocol (ws), enough to open a page,
// run JavaScript in it, wait for what a user would see, and take a screenshot.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

export interface Page {
  /** Evaluates an expression (awaiting a promise) and returns its JSON value. */
  eval<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; throws with `what` when `timeoutMs` passes. */
  waitFor<T>(expression: string, what: string, timeoutMs?: number): Promise<T>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openInChromium(url: string, width = 1400, height = 1000): Promise<Page> {
  const profile = mkdtempSync(join(tmpdir(), 'l2s-chromium-'));
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--remote-debugging-port=0',
    `--user-data-dir=${profile}`,
    `--window-size=${width},${height}`,
    'about:blank',
  ];
  const chromium: ChildProcess = spawn('chromium', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise<string>((done, fail) => {
    let err = '';
    const timer = setTimeout(() => fail(new Error(`chromium did not start in 20 s: ${err.slice(-300)}`)), 20_000);
    chromium.on('error', (e) => fail(new Error(`chromium: ${e.message} (apt-get install chromium)`)));
    chromium.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
  });
  const ws = new WebSocket(endpoint);
  await new Promise((done, fail) => ws.once('open', done).once('error', fail));
  let next = 0;
  const pending = new Map<number, { done: (v: unknown) => void; fail: (e: Error) => void }>();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id!);
    if (m.error) p.fail(new Error(m.error.message));
    else p.done(m.result);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((done, fail) => {
      const id = ++next;
      pending.set(id, { done: done as (v: unknown) => void, fail });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url });
  const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
  await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
  const page: Page = {
    async eval<T>(expression: string) {
      const r = await send<{
        result: { value?: T };
        exceptionDetails?: { text: string; exception?: { description?: string } };
      }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
      if (r.exceptionDetails)
        throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value as T;
    },
    async waitFor<T>(expression: string, what: string, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await page.eval<T>(expression);
        if (v) return v;
        if (Date.now() > deadline)
          throw new Error(
            `waited ${timeoutMs / 1000} s for ${what}; the page shows: ` +
              (await page.eval<string>('document.body.innerText')).slice(0, 400),
          );
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async screenshot() {
      const { data } = await send<{ data: string }>('Page.captureScreenshot', { format: 'png' }, sessionId);
      return Buffer.from(data, 'base64');
    },
    async close() {
      ws.close();
      chromium.kill('SIGTERM');
      await new Promise((r) => chromium.once('close', r));
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return page;
}

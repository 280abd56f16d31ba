// The embedded testbed's controller answers a small JSON API on a unix socket:
// clusters take manifests there, as a Kubernetes API server would.
import { request } from 'node:http';
import type { Manifest } from '../../topology/manifests.ts';

export class ApiError extends Error {
  override name = 'ApiError';
}

export function callController<T = unknown>(
  socket: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: { error?: string } & Record<string, unknown> = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { error: text };
          }
          if ((res.statusCode ?? 500) >= 400) reject(new ApiError(parsed.error ?? `HTTP ${res.statusCode}`));
          else resolve(parsed as T);
        });
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new ApiError(`${method} ${path}: no answer from the testbed controller within ${timeoutMs} ms`)),
    );
    req.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      reject(
        code === 'ENOENT' || code === 'ECONNREFUSED'
          ? new ApiError(`the embedded testbed's controller is not running (${socket}): is the testbed up?`)
          : e,
      );
    });
    if (payload) req.write(payload);
    req.end();
  });
}

export class EmbeddedClusterApi {
  constructor(
    readonly name: string,
    private readonly socket: string,
  ) {}

  async apply(manifests: Manifest[]): Promise<void> {
    await callController(this.socket, 'POST', `/clusters/${encodeURIComponent(this.name)}/apply`, { manifests });
  }

  async get<T = unknown>(kind: string, name: string): Promise<(Manifest & { status?: T }) | undefined> {
    try {
      return await callController<Manifest & { status?: T }>(
        this.socket,
        'GET',
        `/clusters/${encodeURIComponent(this.name)}/objects/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`,
      );
    } catch (e) {
      if (e instanceof ApiError && / not found in cluster /.test(e.message)) return undefined;
      throw e;
    }
  }

  async list(): Promise<Array<Manifest & { status?: unknown }>> {
    return (
      await callController<{ items: Array<Manifest & { status?: unknown }> }>(
        this.socket,
        'GET',
        `/clusters/${encodeURIComponent(this.name)}/objects`,
      )
    ).items;
  }

  async delete(manifests: Manifest[]): Promise<void> {
    await callController(this.socket, 'POST', `/clusters/${encodeURIComponent(this.name)}/delete`, { manifests });
  }
}

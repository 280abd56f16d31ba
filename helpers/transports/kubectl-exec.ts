// Commands in a pod's container over the exec subresource (what `kubectl exec` does), with
// @kubernetes/client-node: a node's openperouter router is container frr of the pod labelled
// app=router on that node. The exit code comes from the Status the API server sends last.
import { PassThrough, Readable } from 'node:stream';
import { Exec, type V1Status } from '@kubernetes/client-node';
import { apiMessage, type KubeClient } from '../kube/client.ts';
import { ExecError, quoteArgv, DEFAULT_EXEC_TIMEOUT_MS } from './exec.ts';
import type { Executor, ExecOptions, ExecResult } from '../ports.ts';

/** Runs argv in a pod's container of the client's cluster. */
export function execInPod(
  client: KubeClient,
  namespace: string,
  pod: string,
  container: string,
  argv: string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const member = `${client.name}/${pod}`;
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  return new Promise<ExecResult>((resolve, reject) => {
    let ws: { close(): void } | undefined;
    const timer = setTimeout(() => {
      ws?.close();
      reject(
        new ExecError(member, quoteArgv(argv), `did not finish within ${timeoutMs} ms (kubectl exec ${container})`),
      );
    }, timeoutMs);
    const done = (status: V1Status) => {
      clearTimeout(timer);
      if (status.status === 'Success') return resolve({ stdout, stderr, exitCode: 0 });
      const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
      if (code !== undefined) return resolve({ stdout, stderr, exitCode: Number(code) });
      reject(
        new ExecError(
          member,
          quoteArgv(argv),
          `failed (kubectl exec ${container}): ${status.message ?? status.reason ?? 'no reason given'}`,
        ),
      );
    };
    new Exec(client.kc)
      .exec(
        namespace,
        pod,
        container,
        argv,
        out,
        err,
        opts.input === undefined ? null : Readable.from([opts.input]),
        false,
        done,
      )
      .then((socket) => (ws = socket))
      .catch((e: unknown) => {
        clearTimeout(timer);
        reject(new ExecError(member, quoteArgv(argv), `could not start (kubectl exec ${container}): ${apiMessage(e)}`));
      });
  });
}

/** A node's router pod (or any pod found by label on a node), reached through the exec subresource. */
export class KubectlExecutor implements Executor {
  readonly via: string;
  private pod?: string;

  constructor(
    readonly member: string,
    private readonly client: KubeClient,
    private readonly target: { namespace: string; labelSelector: string; node: string; container: string },
  ) {
    this.via =
      `kubectl exec (${target.labelSelector} on ${target.node}, container ${target.container}, cluster ` +
      `${client.name})`;
  }

  async run(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    const t = this.target;
    this.pod ??= await this.client.podOnNode(t.namespace, t.labelSelector, t.node).catch((e: Error) => {
      throw new ExecError(this.member, quoteArgv(argv), `cannot be sent: ${e.message}`);
    });
    try {
      return await execInPod(this.client, t.namespace, this.pod, t.container, argv, opts);
    } catch (e) {
      // The pod may have been replaced (a rollout): look it up again next time.
      this.pod = undefined;
      throw e;
    }
  }
}

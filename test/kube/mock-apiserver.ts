// A stand-in for a Kubernetes API server, for the calls l2stretch makes: discovery,
// server-side apply with strict (or lax) field validation, get/list/delete, pod
// listing with label and field selectors, and pod exec over the channel websocket
// protocol (v4/v5.channel.k8s.io). It records every request so tests can check
// what the client sent. It is a test double: it knows only what the tests need.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { stringify } from 'yaml';
import {
  selectedOpenPERouter,
  type OpenPERouterRelease,
  type OpenPERouterVersion,
} from '../../topology/openperouter.ts';

interface Resource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Spec fields the schema declares; strict validation rejects others. */
  specFields: string[];
}

const RESOURCES: Resource[] = [
  {
    group: 'kubevirt.io',
    version: 'v1',
    kind: 'VirtualMachine',
    plural: 'virtualmachines',
    specFields: ['runStrategy', 'template', 'running', 'dataVolumeTemplates', 'instancetype', 'preference'],
  },
  {
    group: 'kubevirt.io',
    version: 'v1',
    kind: 'VirtualMachineInstance',
    plural: 'virtualmachineinstances',
    specFields: ['domain', 'networks', 'volumes'],
  },
  {
    group: 'kubevirt.io',
    version: 'v1',
    kind: 'VirtualMachineInstanceMigration',
    plural: 'virtualmachineinstancemigrations',
    specFields: ['vmiName', 'receive', 'sendTo'],
  },
  {
    group: 'kubevirt.io',
    version: 'v1',
    kind: 'KubeVirt',
    plural: 'kubevirts',
    specFields: ['configuration', 'infra', 'workloads', 'imagePullPolicy'],
  },
  {
    group: 'k8s.cni.cncf.io',
    version: 'v1',
    kind: 'NetworkAttachmentDefinition',
    plural: 'network-attachment-definitions',
    specFields: ['config'],
  },
];

/** The spec fields each openperouter release's CRDs declare (config/crd/bases at its tag). */
const OPENPE_SPEC_FIELDS: Record<OpenPERouterVersion, Record<'Underlay' | 'L2VNI' | 'L3VNI', string[]>> = {
  'v0.0.5': {
    Underlay: ['asn', 'evpn', 'neighbors', 'nics', 'routeridcidr'],
    L2VNI: ['hostmaster', 'l2gatewayip', 'vni', 'vrf', 'vxlanport'],
    L3VNI: ['hostsession', 'vni', 'vrf', 'vxlanport'],
  },
  'v0.1.0': {
    Underlay: ['asn', 'evpn', 'neighbors', 'nics', 'nodeSelector', 'routeridcidr'],
    L2VNI: ['hostmaster', 'l2gatewayips', 'nodeSelector', 'vni', 'vrf', 'vxlanport'],
    L3VNI: ['hostsession', 'nodeSelector', 'vni', 'vrf', 'vxlanport'],
  },
  'v0.2.0': {
    Underlay: [
      'asn',
      'gracefulRestart',
      'interfaces',
      'isis',
      'neighbors',
      'nodeSelector',
      'routeridcidr',
      'srv6',
      'tunnelEndpoint',
    ],
    L2VNI: ['hostmaster', 'l2gatewayips', 'nodeSelector', 'underlayAddressFamily', 'vni', 'vrf', 'vxlanport'],
    L3VNI: [
      'exportRTs',
      'hostsession',
      'importRTs',
      'nodeSelector',
      'underlayAddressFamily',
      'vni',
      'vrf',
      'vxlanport',
    ],
  },
  main: {
    Underlay: [
      'asn',
      'gracefulRestart',
      'interfaces',
      'isis',
      'neighbors',
      'nodeSelector',
      'routeReflector',
      'routerIDCIDR',
      'srv6',
      'tunnelEndpoint',
    ],
    L2VNI: ['gatewayIPs', 'hostMaster', 'nodeSelector', 'routingDomain', 'underlayAddressFamily', 'vni', 'vxlanPort'],
    L3VNI: [
      'exportRTs',
      'hostSession',
      'importRTs',
      'nodeSelector',
      'underlayAddressFamily',
      'vni',
      'vrf',
      'vxlanPort',
    ],
  },
};

/** openperouter's kinds as the release serves them: its API group, its CRDs' fields. */
function openperouterResources(release: OpenPERouterRelease): Resource[] {
  const [group, version] = release.apiVersion.split('/') as [string, string];
  const plural = { Underlay: 'underlays', L2VNI: 'l2vnis', L3VNI: 'l3vnis' } as const;
  return (['Underlay', 'L2VNI', 'L3VNI'] as const).map((kind) => ({
    group,
    version,
    kind,
    plural: plural[kind],
    specFields: OPENPE_SPEC_FIELDS[release.version][kind],
  }));
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  authorization?: string;
  body?: unknown;
}

export interface MockPod {
  name: string;
  namespace: string;
  node: string;
  labels: Record<string, string>;
  phase: 'Running' | 'Pending';
}

export interface ExecReply {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export type ExecHandler = (call: { pod: string; container: string; command: string[]; stdin: string }) => ExecReply;

/**
 * What a guest's shell does with one command of the console: its output, exit status and stderr, or 'hang' until
 * Ctrl-C.
 */
export type ConsoleHandler = (
  vm: string,
  command: string,
) => { output: string; status: number; stderr?: string } | 'hang';

/** A guest's serial console: its login, and what its shell and kernel are doing. */
export interface MockGuest {
  user: string;
  password: string;
  loggedIn?: boolean;
  silent?: boolean;
  /** Correct logins refused before one is taken (a getty still starting). */
  refuseLogins?: number;
  /** A command runs and holds the shell. */
  busy?: boolean;
  /** `dmesg -n 1` ran: kernel messages stay off the console. */
  kernelQuiet?: boolean;
}

// The line VmConsoleExecutor types (helpers/transports/vm-console.ts consoleLine), taken apart as a shell would run it.
const CONSOLE_LINE =
  /^sudo -n dmesg -n 1 2>\/dev\/null; \( (.*) \) >\S+ 2>\S+; printf '%s-%s %s\\n' L2S (RC\w+) \$\?; printf '%s-%s\\n' L2S (OUT\w+); cat \S+; printf '%s-%s\\n' L2S (ERR\w+); cat \S+; printf '%s-%s\\n' L2S (END\w+); rm -f \S+ \S+$/;

export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  status?: unknown;
};

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

export class MockApiServer {
  readonly requests: Recorded[] = [];
  private readonly resources: Resource[];

  /** Serves openperouter's kinds as `openperouter` does (default: the release L2STRETCH_OPENPEROUTER selects). */
  constructor(readonly openperouter: OpenPERouterRelease = selectedOpenPERouter()) {
    this.resources = [...RESOURCES, ...openperouterResources(openperouter)];
  }

  readonly objects = new Map<string, Obj>();
  pods: MockPod[] = [];
  nodes = new Map<string, Record<string, string>>();
  /** Called after each apply, like a controller reacting to a new object. */
  onApply: (obj: Obj) => void = () => {};
  /** Admission webhooks: a denial (HTTP code and message) refuses the apply before anything is stored. */
  admit: (obj: Obj, stored: Obj[]) => { code: number; message: string } | undefined = () => undefined;
  /** ConfigMaps by namespace/name: their data and, per data key, the field manager that owns it. */
  readonly configMaps = new Map<string, { data: Record<string, string>; owners: Record<string, string> }>();
  /** Spec fields of a kind as an older API version declares them (e.g. VMIM before KubeVirt 1.6). */
  readonly specFieldsOf = new Map<string, string[]>();
  /** Log text per pod/container. */
  logs = new Map<string, string>();
  onExec: ExecHandler = () => ({ exitCode: 0 });
  /** Guests with a serial console, and their login. */
  guests = new Map<string, MockGuest>();
  onConsole: ConsoleHandler = () => ({ output: '', status: 0 });
  /**
   * Most console sessions open at once on one VM, text frames received (KubeVirt takes binary only), Ctrl-Cs that
   * stopped a command.
   */
  readonly consoleStats = { maxSessions: 0, textFrames: 0, interrupts: 0 };
  private readonly sessions = new Map<string, number>();
  private server?: Server;
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (p) =>
      p.has('plain.kubevirt.io')
        ? 'plain.kubevirt.io'
        : p.has('v5.channel.k8s.io')
          ? 'v5.channel.k8s.io'
          : 'v4.channel.k8s.io',
  });

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) =>
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        req.url?.includes('/console') ? this.console(req, ws) : this.exec(req, ws),
      ),
    );
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** A kubeconfig for this server, with a bearer token, in dir. */
  kubeconfig(dir: string, server: string, context = 'kind-pe-kind-a'): string {
    const file = join(dir, `kubeconfig-${context}`);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: context, cluster: { server, 'insecure-skip-tls-verify': true } }],
        users: [{ name: context, user: { token: 'mock-token' } }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
        'current-context': context,
      }),
    );
    return file;
  }

  key = (apiVersion: string, kind: string, namespace: string, name: string) =>
    `${apiVersion}/${kind}/${namespace}/${name}`;

  private send(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    let text = '';
    for await (const c of req) text += c;
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    this.requests.push({
      method: req.method!,
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body,
    });
    const parts = url.pathname.split('/').filter(Boolean);

    // Discovery: /api/v1 and /apis/<group>/<version>.
    if (req.method === 'GET' && (url.pathname === '/api/v1' || (parts[0] === 'apis' && parts.length === 3))) {
      const [group, version] = url.pathname === '/api/v1' ? ['', 'v1'] : [parts[1]!, parts[2]!];
      const resources =
        group === ''
          ? [
              { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['get', 'list'] },
              { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'list', 'patch'] },
            ]
          : this.resources
              .filter((r) => r.group === group && r.version === version)
              .map((r) => ({
                name: r.plural,
                kind: r.kind,
                namespaced: true,
                verbs: ['get', 'list', 'patch', 'delete'],
              }));
      if (!resources.length)
        return this.send(res, 404, status(404, 'NotFound', `the server could not find the requested resource`));
      return this.send(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : 'v1',
        resources,
      });
    }

    if (parts[0] === 'api' && parts[4] === 'configmaps')
      return this.configMap(req, res, url, parts[3]!, parts[5], body);

    // Nodes and pod logs.
    if (req.method === 'GET' && parts[0] === 'api' && parts[2] === 'nodes' && parts[3]) {
      const ann = this.nodes.get(parts[3]);
      return ann
        ? this.send(res, 200, { apiVersion: 'v1', kind: 'Node', metadata: { name: parts[3], annotations: ann } })
        : this.send(res, 404, status(404, 'NotFound', `nodes "${parts[3]}" not found`));
    }
    if (req.method === 'GET' && parts[0] === 'api' && parts[4] === 'pods' && parts[6] === 'log') {
      const text = this.logs.get(`${parts[5]}/${url.searchParams.get('container')}`);
      if (text === undefined) return this.send(res, 404, status(404, 'NotFound', `pods "${parts[5]}" not found`));
      const tail = Number(url.searchParams.get('tailLines') ?? 0);
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(
        tail
          ? text
              .split('\n')
              .slice(-tail - 1)
              .join('\n')
          : text,
      );
    }

    // Pods: /api/v1/namespaces/<ns>/pods
    if (req.method === 'GET' && parts[0] === 'api' && parts[3] && parts[4] === 'pods' && parts.length === 5) {
      const labels = (url.searchParams.get('labelSelector') ?? '')
        .split(',')
        .filter(Boolean)
        .map((l) => l.split('=') as [string, string]);
      const node = /^spec\.nodeName=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
      const items = this.pods
        .filter(
          (p) => p.namespace === parts[3] && labels.every(([k, v]) => p.labels[k] === v) && (!node || p.node === node),
        )
        .map((p) => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
          spec: { nodeName: p.node },
          status: { phase: p.phase },
        }));
      return this.send(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
    }

    // Custom resources: /apis/<group>/<version>/namespaces/<ns>/<plural>[/<name>]
    const r =
      parts[0] === 'apis' && parts[3] === 'namespaces'
        ? this.resources.find((x) => x.group === parts[1] && x.version === parts[2] && x.plural === parts[5])
        : undefined;
    if (!r) return this.send(res, 404, status(404, 'NotFound', `no route ${req.method} ${url.pathname}`));
    const apiVersion = `${r.group}/${r.version}`;
    const ns = parts[4]!;
    const name = parts[6];
    if (req.method === 'GET' && !name) {
      const items = [...this.objects.values()].filter((o) => o.kind === r.kind && o.metadata.namespace === ns);
      return this.send(res, 200, { kind: `${r.kind}List`, apiVersion, metadata: {}, items });
    }
    const key = this.key(apiVersion, r.kind, ns, name!);
    if (req.method === 'GET')
      return this.objects.has(key)
        ? this.send(res, 200, this.objects.get(key))
        : this.send(res, 404, status(404, 'NotFound', `${r.plural}.${r.group} "${name}" not found`));
    if (req.method === 'DELETE') {
      if (!this.objects.delete(key))
        return this.send(res, 404, status(404, 'NotFound', `${r.plural}.${r.group} "${name}" not found`));
      return this.send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    }
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml')
        return this.send(
          res,
          415,
          status(
            415,
            'UnsupportedMediaType',
            `only server-side apply is served here, not ${req.headers['content-type']}`,
          ),
        );
      if (!url.searchParams.get('fieldManager'))
        return this.send(
          res,
          422,
          status(
            422,
            'Invalid',
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          ),
        );
      const obj = body as Obj;
      const denied = this.admit(
        { ...obj, metadata: { ...obj.metadata, namespace: ns } },
        [...this.objects.values()].filter((o) => o.metadata.namespace === ns),
      );
      if (denied)
        return this.send(
          res,
          denied.code,
          status(denied.code, denied.code === 403 ? 'Forbidden' : 'BadRequest', denied.message),
        );
      const fields = this.specFieldsOf.get(r.kind) ?? r.specFields;
      const unknown = Object.keys(obj.spec ?? {}).filter((f) => !fields.includes(f));
      const validation = url.searchParams.get('fieldValidation') ?? 'Warn';
      if (unknown.length && validation === 'Strict')
        return this.send(
          res,
          400,
          status(
            400,
            'BadRequest',
            `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: strict decoding error: ` +
              `${unknown.map((f) => `unknown field "spec.${f}"`).join(', ')}`,
          ),
        );
      const spec = Object.fromEntries(Object.entries(obj.spec ?? {}).filter(([f]) => fields.includes(f)));
      const stored: Obj = {
        ...obj,
        metadata: { ...obj.metadata, namespace: ns, uid: `uid-${name}`, resourceVersion: String(this.requests.length) },
        spec,
        ...(this.objects.get(key)?.status ? { status: this.objects.get(key)!.status } : {}),
      };
      this.objects.set(key, stored);
      this.send(res, 200, stored);
      return this.onApply(stored);
    }
    this.send(res, 405, status(405, 'MethodNotAllowed', `${req.method} not served`));
  }

  /**
   * ConfigMaps, with the field ownership server-side apply enforces: an apply without
   * force that sets a data key another manager owns, to another value, is a conflict.
   * A merge patch (what client-side `kubectl apply` sends) takes the key over.
   */
  private configMap(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    ns: string,
    name: string | undefined,
    body: unknown,
  ): void {
    const key = `${ns}/${name}`;
    const cm = this.configMaps.get(key);
    const shown = () => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: ns,
        managedFields: Object.entries(this.configMaps.get(key)!.owners).map(([k, m]) => ({
          manager: m,
          fieldsV1: { [`f:data`]: { [`f:${k}`]: {} } },
        })),
      },
      data: this.configMaps.get(key)!.data,
    });
    if (req.method === 'GET' && name)
      return cm
        ? this.send(res, 200, shown())
        : this.send(res, 404, status(404, 'NotFound', `configmaps "${name}" not found`));
    if (req.method !== 'PATCH' || !name)
      return this.send(res, 405, status(405, 'MethodNotAllowed', `${req.method} not served`));
    const manager = url.searchParams.get('fieldManager') ?? '';
    const data = ((body as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
    const type = req.headers['content-type'];
    if (type === 'application/apply-patch+yaml') {
      if (!manager)
        return this.send(
          res,
          422,
          status(
            422,
            'Invalid',
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          ),
        );
      const conflicts = Object.entries(data)
        .filter(([k, v]) => cm && cm.owners[k] && cm.owners[k] !== manager && cm.data[k] !== v)
        .map(([k]) => `conflict with "${cm!.owners[k]}" using v1: .data.${k}`);
      if (conflicts.length && url.searchParams.get('force') !== 'true') {
        return this.send(
          res,
          409,
          status(
            409,
            'Conflict',
            `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.join('\n')}`,
          ),
        );
      }
    } else if (type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json') {
      return this.send(res, 415, status(415, 'UnsupportedMediaType', `${type} is not served for configmaps`));
    } else if (!cm) return this.send(res, 404, status(404, 'NotFound', `configmaps "${name}" not found`));
    const next = cm ?? { data: {}, owners: {} };
    for (const [k, v] of Object.entries(data)) {
      next.data[k] = v;
      next.owners[k] = manager || 'unknown';
    }
    this.configMaps.set(key, next);
    this.send(res, 200, shown());
  }

  private exec(req: IncomingMessage, ws: WebSocket): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const parts = url.pathname.split('/').filter(Boolean);
    this.requests.push({ method: 'EXEC', path: url.pathname, query: url.searchParams });
    const pod = parts[5]!;
    const call = {
      pod,
      container: url.searchParams.get('container') ?? '',
      command: url.searchParams.getAll('command'),
      stdin: '',
    };
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    const frame = (channel: number, text: string) =>
      ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
    const answer = () => {
      const r = this.onExec(call);
      if (r.hang) return;
      if (r.stdout) frame(1, r.stdout);
      if (r.stderr) frame(2, r.stderr);
      const code = r.exitCode ?? 0;
      frame(
        3,
        JSON.stringify(
          code === 0
            ? { metadata: {}, status: 'Success' }
            : {
                metadata: {},
                status: 'Failure',
                message: `command terminated with non-zero exit code: exit status ${code}`,
                reason: 'NonZeroExitCode',
                details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
              },
        ),
      );
      ws.close();
    };
    if (!this.pods.some((p) => p.name === pod)) {
      frame(
        3,
        JSON.stringify({
          metadata: {},
          status: 'Failure',
          message: `pods "${pod}" not found`,
          reason: 'NotFound',
          code: 404,
        }),
      );
      return void ws.close();
    }
    if (url.searchParams.get('stdin') !== 'true') return answer();
    // With stdin the command runs once the client closes it (v5's close frame: 255, stream 0).
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0) call.stdin += data.subarray(1).toString();
      if (v5 && data[0] === 255 && data[1] === 0) answer();
    });
  }

  /** A guest's serial console: a getty that asks for a login, then a shell that echoes what is typed. */
  private console(req: IncomingMessage, ws: WebSocket): void {
    const vm = /virtualmachineinstances\/([^/]+)\/console/.exec(req.url ?? '')?.[1] ?? '';
    this.requests.push({
      method: 'CONSOLE',
      path: req.url ?? '',
      query: new URLSearchParams(),
      authorization: req.headers.authorization,
    });
    const guest = this.guests.get(vm);
    if (!guest) return void ws.close(1011, `virtualmachineinstance ${vm} not found`);
    this.sessions.set(vm, (this.sessions.get(vm) ?? 0) + 1);
    this.consoleStats.maxSessions = Math.max(this.consoleStats.maxSessions, this.sessions.get(vm)!);
    ws.on('close', () => this.sessions.set(vm, this.sessions.get(vm)! - 1));
    const show = (text: string) => ws.send(Buffer.from(text), { binary: true });
    let state: 'getty' | 'user' | 'password' | 'shell' = guest.loggedIn ? 'shell' : 'getty';
    let user = '';
    let line = '';
    const prompt = () => show(`[${guest.user}@${vm} ~]$ `);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) this.consoleStats.textFrames++;
      if (guest.silent) return;
      for (const ch of data.toString()) {
        if (ch === '\x03' && guest.busy) {
          guest.busy = false;
          this.consoleStats.interrupts++;
          show('^C\r\n');
          prompt();
          continue;
        }
        if (guest.busy) continue;
        if (ch !== '\r') {
          line += ch;
          if (state !== 'password') show(ch);
          continue;
        }
        show('\r\n');
        const typed = line;
        line = '';
        if (state === 'getty') {
          state = 'user';
          show(`${vm} login: `);
        } else if (state === 'user') {
          user = typed;
          state = 'password';
          show('Password: ');
        } else if (state === 'password') {
          const refused = guest.refuseLogins ? guest.refuseLogins-- > 0 : false;
          if (user === guest.user && typed === guest.password && !refused) {
            state = 'shell';
            prompt();
          } else {
            state = 'user';
            show(`Login incorrect\r\n${vm} login: `);
          }
        } else {
          const m = CONSOLE_LINE.exec(typed);
          if (!m) {
            show(`sh: not the console line of helpers/transports/vm-console.ts: ${typed}\r\n`);
            prompt();
            continue;
          }
          guest.kernelQuiet = true;
          const r = this.onConsole(vm, m[1]!);
          if (r === 'hang') {
            guest.busy = true;
            continue;
          }
          const crlf = (t: string) => t.replace(/\n/g, '\r\n');
          show(
            `L2S-${m[2]} ${r.status}\r\nL2S-${m[3]}\r\n${crlf(r.output)}L2S-${m[4]}\r\n` +
              `${crlf(r.stderr ?? '')}L2S-${m[5]}\r\n`,
          );
          prompt();
        }
      }
    });
  }
}

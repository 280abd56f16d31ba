// FRR, the first router dialect: every fact is one or two `show … json` commands of
// vtysh, read by the normalizers of ./json.ts. The fabric routers of the embedded and
// kind testbeds and every openperouter node run it.
import { ExecError, quoteArgv } from '../../transports/exec.ts';
import type { Evidence, EvpnQuery, Executor, Fact, Router } from '../../ports.ts';
import {
  parseBgpNeighbors,
  parseBgpRoutes,
  parseBgpSummary,
  parseDuplicateDetection,
  parseEvpnArpCache,
  parseEvpnMacs,
  parseEvpnRoutes,
  parseEvpnVnis,
  parseInterfaces,
} from './json.ts';

/** One vtysh answer, parsed: the Evidence of an FRR router. */
export interface VtyshAnswer<T = unknown> extends Evidence {
  data: T;
}

const EVPN_TYPE = { 2: 'macip', 3: 'multicast', 5: 'prefix' } as const;

export class FrrRouter implements Router {
  readonly nos = 'frr';
  readonly diagnosticCommands = [
    'show running-config',
    'show bgp vrf all summary',
    'show bgp l2vpn evpn',
    'show evpn vni',
    'show evpn mac vni all',
    'show evpn arp-cache vni all',
  ] as const;

  constructor(
    readonly name: string,
    readonly exec: Executor,
    /** How vtysh is invoked on this router, e.g. ["vtysh", "--vty_socket", dir]. */
    readonly vtyshArgv: string[],
  ) {}

  get via(): string {
    return this.exec.via;
  }

  /** Runs vtysh with these commands in one session (configuration changes too); its stdout. */
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

  private async fact<T>(command: string, parse: (a: VtyshAnswer) => T): Promise<Fact<T>> {
    const a = await this.json(command);
    return { router: this.name, value: parse(a), evidence: [a] };
  }

  sessions() {
    return this.fact('show bgp summary json', (a) => parseBgpSummary(a.data, {}, a));
  }

  neighbors() {
    return this.fact('show bgp neighbors json', (a) => parseBgpNeighbors(a.data, a));
  }

  evpnRoutes(q: EvpnQuery = {}) {
    const words = ['show bgp l2vpn evpn route', q.detail ? 'detail' : '', q.type ? `type ${EVPN_TYPE[q.type]}` : ''];
    return this.fact(`${words.filter(Boolean).join(' ')} json`, (a) => parseEvpnRoutes(a.data, a));
  }

  vniRoutes(vni: number) {
    return this.fact(`show bgp l2vpn evpn route vni ${vni} json`, (a) => parseEvpnRoutes(a.data, a));
  }

  vrfRoutes(vrf: string) {
    return this.fact(`show bgp vrf ${vrf} ipv4 unicast json`, (a) => parseBgpRoutes(a.data, a));
  }

  vnis(vni?: number) {
    return this.fact(`show evpn vni ${vni === undefined ? '' : `${vni} `}json`, (a) => parseEvpnVnis(a.data, a));
  }

  macs(vni: number, mac?: string) {
    return this.fact(`show evpn mac vni ${vni} ${mac ? `mac ${mac} ` : ''}json`, (a) => parseEvpnMacs(a.data, a));
  }

  arpCache(vni: number, ip?: string) {
    return this.fact(`show evpn arp-cache vni ${vni} ${ip ? `ip ${ip} ` : ''}json`, (a) =>
      parseEvpnArpCache(a.data, a),
    );
  }

  duplicateDetection() {
    return this.fact('show evpn json', (a) => parseDuplicateDetection(a.data, a));
  }

  interfaces(vrf?: string) {
    return this.fact(vrf ? `show interface vrf ${vrf} json` : 'show interface json', (a) => parseInterfaces(a.data, a));
  }

  async version(): Promise<Fact<string>> {
    const command = 'show version';
    const raw = await this.vtysh(command);
    const version = /FRRouting (\S+)/.exec(raw)?.[1];
    if (!version) throw new ExecError(this.name, command, `printed no "FRRouting <version>": ${raw.slice(0, 200)}`);
    return { router: this.name, value: version, evidence: [{ router: this.name, command, raw }] };
  }

  async show(command: string): Promise<Evidence> {
    return { router: this.name, command: `vtysh -c '${command}'`, raw: await this.vtysh(command) };
  }
}

/** The router as FRR, for what only FRR does here (fault injection by vtysh configuration); throws for another NOS. */
export function frr(router: Router): FrrRouter {
  if (router instanceof FrrRouter) return router;
  throw new Error(`${router.name} runs ${router.nos}, not FRR: this step configures FRR by vtysh`);
}

// The distributed anycast gateway (symmetric IRB, RFC 9135): every node serving an
// L2VNI answers the gateway address with one MAC, so a VM that moves keeps a valid
// gateway entry wherever it lands. Judged from each node's SVI as its router reports it and
// from the MAC each VM learned for its gateway.
import type { Evidence, Executor, Router } from '../../helpers/ports.ts';

export interface NodeGateway {
  node: string;
  /** Why the node's SVI could not be found, when it could not. */
  missing?: string;
  svi?: string;
  mac?: string;
  addresses: string[];
}

export interface VmGateway {
  vm: string;
  mac?: string;
}

const inSubnet = (gateway: string, addresses: string[]) => addresses.some((a) => a.split('/')[0] === gateway);

/** The MAC most of the nodes and VMs use: the one the others are judged against. */
function reference(macs: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const m of macs) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** `expected`: the anycast MAC when it is known; otherwise the one most nodes and VMs use. */
export function anycastProblems(
  vni: number,
  gateway: string,
  nodes: NodeGateway[],
  vms: VmGateway[],
  expected?: string,
): string[] {
  const ref =
    expected ??
    reference([...nodes.flatMap((n) => (n.mac ? [n.mac] : [])), ...vms.flatMap((v) => (v.mac ? [v.mac] : []))]);
  const problems: string[] = [];
  for (const n of nodes) {
    const what = `${n.node}: VNI ${vni} gateway ${gateway}`;
    if (n.missing) problems.push(`${what}: expected an SVI answering it, seen ${n.missing}`);
    else if (!inSubnet(gateway, n.addresses))
      problems.push(`${what}: expected on SVI ${n.svi}, seen ${n.svi} with ${n.addresses.join(', ') || 'no address'}`);
    else if (n.mac !== ref)
      problems.push(`${what}: expected the anycast MAC ${ref} on SVI ${n.svi}, seen ${n.mac ?? 'no MAC'}`);
  }
  for (const v of vms) {
    if (!v.mac)
      problems.push(`${v.vm}: gateway ${gateway}: expected a neighbor entry at ${ref} after pinging it, seen none`);
    else if (v.mac !== ref)
      problems.push(`${v.vm}: gateway ${gateway}: expected the anycast MAC ${ref}, seen it learned at ${v.mac}`);
  }
  return problems;
}

/** The node's SVI for the VNI (the VNI's record), then its MAC and addresses (the interfaces of its VRF). */
export async function nodeGateway(router: Router, vni: number): Promise<{ gw: NodeGateway; evidence: Evidence[] }> {
  const v = await router.vnis(vni);
  const [mine] = v.value;
  if (!mine?.svi)
    return {
      gw: { node: router.name, missing: mine ? `VNI ${vni} without an SVI` : `no VNI ${vni} in zebra`, addresses: [] },
      evidence: v.evidence,
    };
  const i = await router.interfaces(mine.vrf);
  const svi = i.value.find((x) => x.name === mine.svi);
  if (!svi)
    return {
      gw: {
        node: router.name,
        svi: mine.svi,
        missing: `no interface ${mine.svi}${mine.vrf ? ` in VRF ${mine.vrf}` : ''}`,
        addresses: [],
      },
      evidence: [...v.evidence, ...i.evidence],
    };
  return {
    gw: { node: router.name, svi: svi.name, mac: svi.mac, addresses: svi.addresses },
    evidence: [...v.evidence, ...i.evidence],
  };
}

/** The MAC the guest resolved its gateway to, after talking to it. */
export async function vmGateway(ex: Executor, vm: string, gateway: string): Promise<VmGateway> {
  await ex.run(['ping', '-n', '-c', '1', '-W', '1', gateway], { timeoutMs: 5_000 });
  const r = await ex.run(['ip', '-j', 'neigh', 'show', gateway]);
  if (r.exitCode !== 0) throw new Error(`${vm}: ip neigh show ${gateway} failed: ${r.stderr.trim()}`);
  const entries = JSON.parse(r.stdout || '[]') as Array<{ lladdr?: string; state?: string[] }>;
  const usable = entries.find((e) => e.lladdr && !e.state?.includes('FAILED'));
  return { vm, mac: usable?.lladdr?.toLowerCase() };
}

/**
 * After a move: the VM still reaches its gateway at the anycast MAC it learned before,
 * the node it now runs on holds that MAC on its SVI, and that node learned the VM
 * locally (so it, not the old node across the fabric, answered).
 */
export async function movedGatewayProblems(o: {
  vm: string;
  ex: Executor;
  ip: string;
  vni: number;
  gateway: string;
  anycastMac: string;
  node: string;
  router: Router;
}): Promise<{ problems: string[]; evidence: Evidence[] }> {
  const problems: string[] = [];
  const ping = await o.ex.run(['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', o.gateway], { timeoutMs: 10_000 });
  if (ping.exitCode !== 0)
    problems.push(
      `${o.vm} (now on ${o.node}): gateway ${o.gateway}: expected an answer, seen none ` +
        `(${ping.stdout.trim().split('\n').slice(-2).join(' | ')})`,
    );
  const learned = await vmGateway(o.ex, o.vm, o.gateway);
  if (learned.mac !== o.anycastMac)
    problems.push(
      `${o.vm} (now on ${o.node}): gateway ${o.gateway}: expected at the anycast MAC ${o.anycastMac}, seen ` +
        `${learned.mac ?? 'no entry'}`,
    );
  const { gw, evidence } = await nodeGateway(o.router, o.vni);
  problems.push(...anycastProblems(o.vni, o.gateway, [gw], [], o.anycastMac));
  const a = await o.router.arpCache(o.vni, o.ip);
  const n = a.value[0];
  if (n?.type !== 'local') {
    problems.push(
      `${o.node}: ${o.vm} (${o.ip}) in VNI ${o.vni}: expected learned locally (the node it runs on answers ` +
        `its gateway), seen ${n ? `${n.type}${n.remoteVtep ? ` via ${n.remoteVtep}` : ''}` : 'no entry'}`,
    );
  }
  return { problems, evidence: [...evidence, ...a.evidence] };
}

// Conformance of the stretched broadcast domain: a VM in one cluster talks to a VM
// in another as on one LAN — HTTP with the caller's own source address (no NAT),
// ping, full-size frames that may not be fragmented, and a large transfer.
import type { Executor } from '../../helpers/ports.ts';
import { httpGet, download, ping } from '../../helpers/traffic/http.ts';

export interface Peer {
  name: string;
  ip: string;
}

export const LARGE_TRANSFER_BYTES = 2 * 1024 * 1024;

/** `/clientip` answers "<ip>:<port>" as the server saw the caller. */
export function sourceIpProblem(from: Peer, to: Peer, port: number, body: string): string | undefined {
  const seen = body.replace(/:\d+$/, '');
  if (seen === from.ip) return undefined;
  return (
    `${from.name} → ${to.name} (${to.ip}:${port}/clientip): expected the caller's address ${from.ip}, the ` +
    `server saw ${JSON.stringify(body)}`
  );
}

export async function checkHttpSourceIp(ex: Executor, from: Peer, to: Peer, port: number): Promise<string | undefined> {
  const r = await httpGet(ex, `http://${to.ip}:${port}/clientip`);
  if (!r.ok)
    return (
      `${from.name} → ${to.name}: curl http://${to.ip}:${port}/clientip failed (curl exit ${r.exitCode}: ` +
      `${r.error})`
    );
  return sourceIpProblem(from, to, port, r.body);
}

export async function checkPing(ex: Executor, from: Peer, to: Peer): Promise<string | undefined> {
  const r = await ping(ex, to.ip);
  return r.ok ? undefined : `${from.name} → ${to.name}: ping ${to.ip} failed: ${r.output}`;
}

export async function checkLargeTransfer(
  ex: Executor,
  from: Peer,
  to: Peer,
  port: number,
): Promise<string | undefined> {
  const url = `http://${to.ip}:${port}/bytes/${LARGE_TRANSFER_BYTES}`;
  const r = await download(ex, url);
  if (r.exitCode === 0 && r.bytes === LARGE_TRANSFER_BYTES) return undefined;
  return (
    `${from.name} ← ${to.name}: ${LARGE_TRANSFER_BYTES} bytes from ${url}: received ${r.bytes}` +
    `${r.exitCode ? ` (curl exit ${r.exitCode}: ${r.error})` : ''}; a stall after the first packets points at an ` +
    `MTU black hole on the VXLAN path`
  );
}

/** The MTU of the guest's first NIC, as the guest sees it. */
export async function guestMtu(ex: Executor, ifname = 'eth0'): Promise<number> {
  const r = await ex.run(['ip', '-j', 'link', 'show', 'dev', ifname]);
  const mtu = r.exitCode === 0 ? (JSON.parse(r.stdout) as Array<{ mtu?: number }>)[0]?.mtu : undefined;
  if (!mtu) throw new Error(`${ex.member}: cannot read the MTU of ${ifname}: ${r.stderr.trim()}`);
  return mtu;
}

/**
 * Frames of the guest's full MTU, with DF set, must cross both ways. TCP hides an
 * undersized VXLAN path behind segmentation offloads; an unfragmentable ICMP
 * echo of the full size cannot hide: the bridge drops what does not fit.
 */
export async function checkFullSizeFrames(ex: Executor, from: Peer, to: Peer): Promise<string | undefined> {
  const mtu = await guestMtu(ex);
  const r = await ex.run(['ping', '-n', '-M', 'do', '-s', String(mtu - 28), '-c', '3', '-i', '0.2', '-W', '1', to.ip], {
    timeoutMs: 15_000,
  });
  if (r.exitCode === 0) return undefined;
  return (
    `${from.name} → ${to.name}: ${mtu}-byte packets with DF set (ping -M do -s ${mtu - 28} ${to.ip}) do not ` +
    `cross: ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' | ')}; a hop on the VXLAN path has a ` +
    `smaller MTU than the guests`
  );
}

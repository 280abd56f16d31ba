// IPv4 arithmetic the topology needs: validating prefixes, membership in a
// listen range, and openperouter's "host #n of a CIDR" allocation.

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function isIpv4Cidr(s: string): boolean {
  const [addr, len, ...rest] = s.split('/');
  return (
    rest.length === 0 &&
    addr !== undefined &&
    isIpv4(addr) &&
    len !== undefined &&
    /^\d{1,2}$/.test(len) &&
    Number(len) <= 32
  );
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function splitCidr(cidr: string): { address: string; length: number } {
  const [address, length] = cidr.split('/');
  if (address === undefined || length === undefined || !isIpv4Cidr(cidr))
    throw new Error(`not an IPv4 prefix: ${cidr}`);
  return { address, length: Number(length) };
}

export function addressOf(cidr: string): string {
  return splitCidr(cidr).address;
}

function networkInt(cidr: string): number {
  const { address, length } = splitCidr(cidr);
  const size = 2 ** (32 - length);
  return Math.floor(ipToInt(address) / size) * size;
}

export function inPrefix(ip: string, cidr: string): boolean {
  return networkInt(`${ip}/${splitCidr(cidr).length}`) === networkInt(cidr);
}

/** The n-th address of a prefix, counting the network address as 0. */
export function nthAddress(cidr: string, n: number): string {
  const { length } = splitCidr(cidr);
  if (n >= 2 ** (32 - length)) throw new Error(`${cidr} has no address #${n}`);
  return intToIp(networkInt(cidr) + n);
}

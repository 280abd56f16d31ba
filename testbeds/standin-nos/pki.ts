// A throw-away CA and a server certificate it signs, for stand-in devices: the transports verify
// them as they verify a lab's (a CA file), so the stand-ins prove verification, not an opt-out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

export interface Pki {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Writes ca.pem, server.pem and server-key.pem under dir; the certificate holds each address as a SAN. */
export async function makePki(dir: string, addresses: string[]): Promise<Pki> {
  const f = (n: string) => join(dir, n);
  const ossl = (args: string[]) => execa('openssl', args, { stdin: 'ignore' });
  await ossl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=l2stretch stand-in CA',
    '-keyout',
    f('ca-key.pem'),
    '-out',
    f('ca.pem'),
  ]);
  await ossl([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=l2stretch stand-in device',
    '-keyout',
    f('server-key.pem'),
    '-out',
    f('server.csr'),
  ]);
  writeFileSync(
    f('san.ext'),
    `subjectAltName=${addresses.map((a) => (/^[\d.]+$|:/.test(a) ? `IP:${a}` : `DNS:${a}`)).join(',')}\n`,
  );
  await ossl([
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca-key.pem'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('san.ext'),
    '-out',
    f('server.pem'),
  ]);
  return { caFile: f('ca.pem'), certFile: f('server.pem'), keyFile: f('server-key.pem') };
}

// eAPI and SR Linux JSON-RPC over HTTPS against stand-in devices: the certificate is verified
// against the CA file (a device signed by another CA is refused), the opt-out is logged,
// credentials come from the environment or a file and appear in no message.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:https';
import { makePki, type Pki } from '../testbeds/standin-nos/pki.ts';
import { localDevice } from '../testbeds/standin-nos/devices.ts';
import { eapiRun, srlGet, JsonRpcError, type JsonRpcTarget } from '../helpers/transports/json-rpc.ts';
import { ExecError } from '../helpers/transports/exec.ts';

const PASSWORD = 'stand-in-secret-7f3a';
let dir: string;
let pki: Pki;
let other: Pki;
const servers: Server[] = [];
let eosUrl: string;
let srlUrl: string;

async function start(face: 'eos' | 'srlinux', recordings: Record<string, unknown>): Promise<string> {
  const { url, server } = await localDevice(face, recordings, pki, PASSWORD);
  servers.push(server);
  return url;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2s-jsonrpc-'));
  pki = await makePki(dir, ['127.0.0.1']);
  mkdirSync(join(dir, 'other'));
  other = await makePki(join(dir, 'other'), ['127.0.0.1']);
  eosUrl = await start('eos', { 'show version': { version: '4.33.1F', modelName: 'cEOSLab' } });
  srlUrl = await start('srlinux', { '/system/information': { version: 'v25.3.2' } });
  process.env.L2S_TEST_NOS_PASSWORD = PASSWORD;
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
  delete process.env.L2S_TEST_NOS_PASSWORD;
});

const target = (url: string, extra: Partial<JsonRpcTarget> = {}): JsonRpcTarget => ({
  url,
  user: 'admin',
  password: { env: 'L2S_TEST_NOS_PASSWORD' },
  caFile: pki.caFile,
  timeoutMs: 5000,
  ...extra,
});

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('JSON-RPC over HTTPS', () => {
  it('eAPI runCmds and SR Linux get, the certificate verified against the CA file', async () => {
    expect(await eapiRun('spine', target(eosUrl), ['show version'])).toEqual([
      { version: '4.33.1F', modelName: 'cEOSLab' },
    ]);
    expect(await srlGet('leafkind-a', target(srlUrl), ['/system/information'])).toEqual([{ version: 'v25.3.2' }]);
  });

  it('a device whose certificate another CA signed is refused, naming the router and the request', async () => {
    const e = await failure(eapiRun('spine', target(eosUrl, { caFile: other.caFile }), ['show version']));
    expect(e).toBeInstanceOf(ExecError);
    expect(e.message).toMatch(/^spine: `runCmds show version \(https:\/\/127\.0\.0\.1:\d+\/command-api\)`/);
    expect(e.message).toMatch(/certificate|signature/i);
  });

  it('the opt-out skips verification and says so once per device', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = target(eosUrl, { caFile: undefined, insecure: true });
    await eapiRun('spine', t, ['show version']);
    await eapiRun('spine', t, ['show version']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/spine: certificate verification of 127\.0\.0\.1:\d+ is OFF/);
    warn.mockRestore();
  });

  it('credentials: a password file works; a wrong one is refused without the password in the message', async () => {
    const file = join(dir, 'password');
    writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
    expect(await srlGet('leafkind-a', target(srlUrl, { password: { file } }), ['/system/information'])).toHaveLength(1);
    writeFileSync(file, 'wrong-password-123\n');
    const e = await failure(srlGet('leafkind-a', target(srlUrl, { password: { file } }), ['/system/information']));
    expect(e.message).toMatch(/HTTP 401: the device refused user admin's credentials/);
    expect(e.message).not.toMatch(/wrong-password-123|stand-in-secret/);
  });

  it('a missing environment variable or file is a clear error', async () => {
    const env = await failure(eapiRun('spine', target(eosUrl, { password: { env: 'L2S_NO_SUCH_VAR' } }), ['x']));
    expect(env.message).toMatch(
      /spine: `credentials` environment variable L2S_NO_SUCH_VAR \(its password\) is not set/,
    );
    const file = await failure(eapiRun('spine', target(eosUrl, { password: { file: join(dir, 'none') } }), ['x']));
    expect(file.message).toMatch(/cannot read the password file/);
  });

  it("a command the device refuses is a JSON-RPC error with the device's message", async () => {
    const e = await failure(eapiRun('spine', target(eosUrl), ['show version', 'show bogus']));
    expect(e).toBeInstanceOf(JsonRpcError);
    expect(e.message).toMatch(/JSON-RPC error 1002: CLI command 2 of 2 'show bogus' failed: invalid command/);
    const s = await failure(srlGet('leafkind-a', target(srlUrl), ['/no/such/path']));
    expect(s.message).toMatch(/JSON-RPC error -1: Path not valid/);
  });

  it('plain http is refused', async () => {
    const e = await failure(eapiRun('spine', target(eosUrl.replace('https', 'http')), ['show version']));
    expect(e.message).toMatch(/only https is supported/);
  });
});

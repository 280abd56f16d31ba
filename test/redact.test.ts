// Secrets never leave: what redact() must catch, in the shapes they come in.
import { describe, it, expect } from 'vitest';
import { redact, redactFile, redactJson, redactValue, redactYaml, REDACTED } from '../reports/redact.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

export const SECRETS = {
  kubeconfig: `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tQ0EtLS0=
    server: https://127.0.0.1:6443
users:
- name: kind-pe-kind-a
  user:
    client-certificate-data: Q0xJRU5UQ0VSVFNFQ1JFVA==
    client-key-data: Q0xJRU5US0VZU0VDUkVU
    token: sekret-token-123
`,
  pem:
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE ' +
    'KEY-----',
  rsa: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretrsa\n-----END RSA PRIVATE KEY-----',
  frr: 'router bgp 64512\n neighbor 192.168.11.3 password bgp-md5-secret\n',
  json: '{"user":"fedora","password":"fedora-pass","token":"abc.def"}',
  header: 'Authorization: Bearer sha256~OpenShiftTokenValue',
  url: 'https://admin:hunter2@lab.example.com/api',
  jwt: `bearer-less ${JWT} in a log line`,
};
const LEAKS = [
  'Q0xJRU5UQ0VSVFNFQ1JFVA==',
  'Q0xJRU5US0VZU0VDUkVU',
  'sekret-token-123',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
  'MIIEowIBAAKCAQEAsecretrsa',
  'bgp-md5-secret',
  'fedora-pass',
  'abc.def',
  'OpenShiftTokenValue',
  'hunter2',
  JWT,
];

describe('redact', () => {
  for (const [kind, text] of Object.entries(SECRETS)) {
    it(`removes the secret of a ${kind}`, () => {
      const out = redact(text);
      for (const leak of LEAKS) expect(out, kind).not.toContain(leak);
      expect(out).toContain(REDACTED);
    });
  }

  it('leaves what is not secret alone', () => {
    const out = redact(SECRETS.kubeconfig + SECRETS.frr);
    expect(out).toContain('server: https://127.0.0.1:6443');
    expect(out).toContain('certificate-authority-data: LS0tQ0EtLS0=');
    expect(out).toContain('neighbor 192.168.11.3 password');
    const json = '{"routerId":"192.168.1.4","peers":{"192.168.1.1":{"state":"Established"}}}';
    expect(redact(json)).toBe(json);
  });

  it('keeps JSON and YAML parseable', () => {
    const json = JSON.stringify({ notes: 'lab password hunter2', user: { password: 'x y' } });
    expect(JSON.parse(redact(json))).toEqual({ notes: 'lab password <redacted>', user: { password: '<redacted>' } });
  });

  it('is idempotent', () => {
    const once = redact(Object.values(SECRETS).join('\n'));
    expect(redact(once)).toBe(once);
  });
});

// Each line is what a real file or log holds, and its exact redacted form: a rule
// that catches only part of a secret leaves the rest, and only an exact comparison
// sees that.
describe('redact, exactly', () => {
  const cases: Array<[string, string]> = [
    ['client-secret: oidc-4f1d9c', 'client-secret: "<redacted>"'],
    ['clientSecret: x\n  client-secret: "quoted value"', 'clientSecret: "<redacted>"\n  client-secret: "<redacted>"'],
    ['    token: sekret-token-123', '    token: "<redacted>"'],
    ["password: 'two words'", 'password: "<redacted>"'],
    ["passphrase: 'a'", 'passphrase: "<redacted>"'],
    ['{"privateKey":"abc\\"def","user":"u"}', '{"privateKey":"<redacted>","user":"u"}'],
    ['Authorization : Bearer abc.def-ghi', 'Authorization : Bearer <redacted>'],
    ['authorization:Basic dXNlcjpwYXNz', 'authorization:Basic <redacted>'],
    ['Authorization: Bearer  sha256~two-spaces', 'Authorization: Bearer  <redacted>'],
    [' neighbor 192.168.11.3 password  md5-two-spaces', ' neighbor 192.168.11.3 password  <redacted>'],
    ['ssh://core:hunter2@10.0.0.1:22', 'ssh://core:<redacted>@10.0.0.1:22'],
    [`log ${JWT} end`, 'log <redacted> end'],
  ];
  for (const [input, output] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => expect(redact(input)).toBe(output));
  }
});

// Structured redaction: a file is parsed, secret keys' values replaced whatever they
// hold, every other string still run through the patterns, and the file stays what
// it was (valid JSON with its indentation, YAML with its comments, well-formed markup).
describe('redaction by structure, exactly', () => {
  it('JSON: secret keys in any spelling and nesting, env lists, strings; indentation kept', () => {
    const doc = {
      user: { client_secret: 's1', ClientSecret: { nested: 1 }, password: '', token: null },
      env: [{ name: 'X', value: 'v' }, 'raw'],
      note: 'password hunter2',
      n: 3,
    };
    expect(redactJson(JSON.stringify(doc))).toBe(
      '{"user":{"client_secret":"<redacted>","ClientSecret":"<redacted>","password":"","token":null},' +
        '"env":[{"name":"X","value":"<redacted>"},"raw"],"note":"password <redacted>","n":3}',
    );
    expect(redactJson('{\n  "apiKey": "k"\n}\n')).toBe('{\n  "apiKey": "<redacted>"\n}\n');
    expect(redactValue(['token x', 5, { AWS_SECRET_ACCESS_KEY: 'k' }], 'password')).toBe('<redacted>');
    expect(redactValue(['Bearer abcdefgh12345', 5], 'list')).toEqual(['Bearer <redacted>', 5]);
  });

  it('YAML: every document, comments, env lists; empty secrets stay empty', () => {
    const yaml =
      '# token: abc.def in a comment\n\nuser:\n  password: p1\n  passphrase: ""\n  env:\n    - name: A\n      ' +
      'value: v1\n---\nsecret: s2\nplain: value\n';
    expect(redactYaml(yaml)).toBe(
      '# token: "<redacted>" in a comment\n\nuser:\n  password: <redacted>\n  passphrase: ""\n  env:\n    - ' +
        'name: A\n      value: <redacted>\n---\nsecret: <redacted>\nplain: value\n',
    );
    expect(() => redactYaml('a: [unclosed')).toThrow('not YAML');
    // Comments attached to nodes, not only the document's own.
    expect(redactYaml('# token: abc.def\nuser: x # password hunter2\nl:\n  # secret: s3\n  - a\n')).toBe(
      '# token: "<redacted>"\nuser: x # password <redacted>\nl:\n  # secret: "<redacted>"\n  - a\n',
    );
  });

  it('by file name: JSON and YAML by structure, markup escaped, other text by pattern, binaries untouched', () => {
    expect(redactFile('a.json', '{"password":"p"}')).toBe('{"password":"<redacted>"}');
    expect(redactFile('a.yaml', 'password: p\n')).toBe('password: <redacted>\n');
    expect(redactFile('a.json', 'password: p')).toBe('password: "<redacted>"');
    expect(redactFile('a.html', '<p title="password hunter2">x &amp; password s3cr3t</p>')).toBe(
      '<p title="password &lt;redacted&gt;">x &amp; password &lt;redacted&gt;</p>',
    );
    expect(redactFile('a.xml', '<x><![CDATA[password s3]]></x>')).toBe('<x><![CDATA[password <redacted>]]></x>');
    expect(redactFile('a.xml', '<x a="plain &amp; simple">ok</x>')).toBe('<x a="plain &amp; simple">ok</x>');
    const bin = Buffer.from([0, 1, 2]);
    expect(redactFile('a.png', bin)).toBe(bin);
  });
});

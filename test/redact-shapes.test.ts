// Each rule of the redactor on the shape it is for and on its near misses, compared
// exactly: a pattern loosened or tightened by one character changes one of these lines.
import { describe, it, expect } from 'vitest';
import { redact, isSecretKey, redactFile, redactValue } from '../reports/redact.ts';

describe('secret keys', () => {
  it('every key the structured redaction knows, in any spelling', () => {
    const keys = [
      'password',
      'passwd',
      'passphrase',
      'secret',
      'client-secret',
      'token',
      'id-token',
      'refresh-token',
      'access-token',
      'auth-token',
      'session-token',
      'bearer-token',
      'api-key',
      'apikey',
      'private-key',
      'privatekey',
      'client-key-data',
      'client-certificate-data',
      'key-string',
      'authentication-key',
      'authorization',
      'credentials',
      'credential',
      'aws-secret-access-key',
      'aws-session-token',
      'secret-access-key',
    ];
    for (const k of keys) {
      expect(isSecretKey(k), k).toBe(true);
      expect(isSecretKey(k.toUpperCase().replace(/-/g, '_')), k).toBe(true);
    }
    for (const k of ['user', 'server', 'tokens', 'key', 'secretName', 'certificate-authority-data', 'name'])
      expect(isSecretKey(k), k).toBe(false);
  });
});

describe('redact, each rule and its near misses', () => {
  const cases: Array<[string, string]> = [
    // PEM blocks, whole: each of two, and the text between them kept.
    [
      'a\n-----BEGIN EC PRIVATE KEY-----\nK1\n-----END EC PRIVATE KEY-----\nmiddle\n' +
        '-----BEGIN PRIVATE KEY-----\nK2\n-----END PRIVATE KEY-----\nz',
      'a\n-----BEGIN EC PRIVATE KEY-----<redacted>-----END EC PRIVATE KEY-----\nmiddle\n' +
        '-----BEGIN PRIVATE KEY-----<redacted>-----END PRIVATE KEY-----\nz',
    ],
    // Cut short: headers and base64 lines up to the first line that is neither.
    [
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIEowIBAAK+/=\n  AAAA\nnot base64 here',
      '-----BEGIN RSA PRIVATE KEY-----<redacted>\nnot base64 here',
    ],
    ['"-----BEGIN PRIVATE KEY-----\\nMIIEow\\nQUJD"', '"-----BEGIN PRIVATE KEY-----<redacted>"'],
    ['-----BEGIN PRIVATE KEY-----\r\nMIIEow\r\nQUJD', '-----BEGIN PRIVATE KEY-----<redacted>'],
    ['-----BEGIN PRIVATE KEY-----\nabc\nrest', '-----BEGIN PRIVATE KEY-----<redacted>\nabc\nrest'],
    [
      '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----',
    ],
    // YAML block scalars under a secret key.
    ['password: |\n  line1\n\n  line2\nuser: x', 'password: "<redacted>"\nuser: x'],
    ['- "token" : >-\n    abc\nnext: 1', '- "token" : "<redacted>"\nnext: 1'],
    ['  secret: |2\n    abc\n', '  secret: "<redacted>"\n'],
    ['comment: |\n  nothing secret\n', 'comment: |\n  nothing secret\n'],
    // Keys in YAML, JSON and assignments.
    ['api-key = abc123, next', 'api-key = "<redacted>", next'],
    ["{apiKey: 'q w'}", '{apiKey: "<redacted>"}'],
    ['{"id-token": "x\\"y", "a": 1}', '{"id-token": "<redacted>", "a": 1}'],
    ['[client-key-data:abc]', '[client-key-data:"<redacted>"]'],
    ['username: admin', 'username: admin'],
    // Environment assignments.
    ['MY_API_KEY=abc; OTHER=1', 'MY_API_KEY=<redacted>; OTHER=1'],
    ["DB_PASSWD='a b' HOME=/root", 'DB_PASSWD=<redacted> HOME=/root'],
    ['AWS_ACCESS_KEY = "AKIA x"', 'AWS_ACCESS_KEY = <redacted>'],
    [
      'SSH_PRIVATE_KEY=abc APICREDENTIAL=x GCP_CREDENTIALS=y',
      'SSH_PRIVATE_KEY=<redacted> APICREDENTIAL=<redacted> GCP_CREDENTIALS=<redacted>',
    ],
    ['PATH=/usr/bin KEYBOARD=us', 'PATH=/usr/bin KEYBOARD=us'],
    // A kubeconfig exec plugin's env in text.
    ['    - name: AWS_PROFILE\n      value: lab\n', '    - name: AWS_PROFILE\n      value: "<redacted>"\n'],
    ['- name: x\nvalue: y', '- name: x\nvalue: y'],
    // Authorization headers and bearer tokens.
    ['authorization="Basic dXNlcjpwYXNz"', 'authorization="Basic <redacted>"'],
    ['curl -H "Authorization: bearer abc/def+ghi=="', 'curl -H "Authorization: bearer <redacted>"'],
    ['Bearer abcdefgh-1234 end', 'Bearer <redacted> end'],
    ['Bearer short', 'Bearer short'],
    ['the bearer  abcdefgh', 'the bearer  <redacted>'],
    // CLI passwords and keys.
    ['enable password 8 $8$abc', 'enable password 8 <redacted>'],
    ['enable secret 5 $1$xyz', 'enable secret 5 <redacted>'],
    ['username admin password hunter2;', 'username admin password <redacted>;'],
    ['password 7', 'password <redacted>'],
    ['key-string 7 0822455D0A16', 'key-string 7 <redacted>'],
    [' ip ospf authentication-key OSPFKEY', ' ip ospf authentication-key <redacted>'],
    [' ip ospf message-digest-key 1 md5 7 MD5KEY', ' ip ospf message-digest-key 1 md5 7 <redacted>'],
    [' ip ospf message-digest-key 12 md5 MD5KEY x', ' ip ospf message-digest-key 12 md5 <redacted> x'],
    // Credentials in URLs.
    ['git+ssh://user:p4ss@host/repo', 'git+ssh://user:<redacted>@host/repo'],
    ['https://ghp_tokenvalue@github.com/o/r', 'https://<redacted>@github.com/o/r'],
    ['http://host:8080/path@x', 'http://host:8080/path@x'],
    ['mailto:a@b.c and user@host', 'mailto:a@b.c and user@host'],
    // Tokens by their shape.
    ['ghp_' + 'a'.repeat(36) + ' gho_' + 'B'.repeat(20), '<redacted> <redacted>'],
    ['github_pat_' + 'A1_'.repeat(8), '<redacted>'],
    ['ghp_' + 'a'.repeat(19), 'ghp_' + 'a'.repeat(19)],
    ['join --token abcdef.0123456789abcdef --discovery', 'join --token <redacted> --discovery'],
    ['abcdef.0123456789abcde', 'abcdef.0123456789abcde'],
    ['eyJhbGciOiJI.eyJpc3MiOiJr.sig and eyJshort.eyJpc3MiOiJr.sig', '<redacted> and eyJshort.eyJpc3MiOiJr.sig'],
  ];
  it.each(cases)('%j', (input, output) => expect(redact(input)).toBe(output));
});

describe('files and values', () => {
  it('only text files are read; names are matched whole and in any case', () => {
    const secret = 'password: hunter2';
    for (const name of ['a.TXT', 'a.log', 'a.conf', 'a.md', 'a.csv'])
      expect(String(redactFile(name, secret)), name).toBe('password: "<redacted>"');
    expect(String(redactFile('a.YML', secret))).toBe('password: <redacted>\n');
    for (const name of ['a.png', 'a.txt.gz', 'a.bin', 'txt']) expect(redactFile(name, secret), name).toBe(secret);
  });

  it('a secret key with an empty, null or missing value keeps it; a number is redacted', () => {
    expect(redactValue({ password: '', token: null, secret: undefined, apiKey: 0 })).toEqual({
      password: '',
      token: null,
      secret: undefined,
      apiKey: '<redacted>',
    });
  });
});

describe('markup', () => {
  const cases: Array<[string, string]> = [
    ['<a title="password: x &amp; y">t</a>', '<a title="password: &quot;&lt;redacted&gt;&quot; &amp; y">t</a>'],
    ["<a title='token: abc'>t</a>", "<a title='token: &quot;&lt;redacted&gt;&quot;'>t</a>"],
    ['<p>Tom &apos;n&#39; &#x4A;erry &lt;3</p>', '<p>Tom &apos;n&#39; &#x4A;erry &lt;3</p>'],
    ['<p>token: &#x61;bc</p>', '<p>token: &quot;&lt;redacted&gt;&quot;</p>'],
    ['<p>token: &#97;bc &QUOT;</p>', '<p>token: &quot;&lt;redacted&gt;&quot; &quot;</p>'],
    ['<x><![CDATA[password: a]]></x>', '<x><![CDATA[password: "<redacted>"]]></x>'],
  ];
  it.each(cases)('%j', (input, output) => expect(String(redactFile('a.svg', input))).toBe(output));
});

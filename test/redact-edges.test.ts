// The redactor's edges that one-character changes reach: runs of blanks where the
// patterns take one or more, attachments embedded as base64, JSON's indentation.
import { describe, it, expect } from 'vitest';
import { redact, isSecretKey, redactFile, redactJson, redactValue } from '../reports/redact.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (s: unknown) => Buffer.from(String(s), 'base64').toString('utf8');

describe('runs of blanks', () => {
  const cases: Array<[string, string]> = [
    ['password  hunter2', 'password  <redacted>'],
    ['enable secret  5  $1$xyz', 'enable secret  5  <redacted>'],
    ['key-string  7  0822455D0A16', 'key-string  7  <redacted>'],
    ['authentication-key  K', 'authentication-key  <redacted>'],
    [' message-digest-key  1  md5  7  MD5KEY', ' message-digest-key  1  md5  7  <redacted>'],
    ['authorization  :  "Bearer  abc"', 'authorization  :  "Bearer  <redacted>"'],
    ['Authorization:  Basic  dXNlcjpwYXNz', 'Authorization:  Basic  <redacted>'],
    ['-  name:  X\n   value:  lab\n', '-  name:  X\n   value:  "<redacted>"\n'],
    ['MY_TOKEN  =  abc', 'MY_TOKEN  =  <redacted>'],
    ['token  :  abc', 'token  :  "<redacted>"'],
  ];
  it.each(cases)('%j', (input, output) => expect(redact(input)).toBe(output));
});

describe('keys that normalize alike', () => {
  it('hyphens and underscores are dropped and case folded, so one spelling covers the others', () => {
    for (const k of ['apikey', 'api-key', 'api_key', 'API_KEY', 'apiKey', 'privatekey', 'private_key', 'PrivateKey'])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['api', 'private', 'key', 'api-keys']) expect(isSecretKey(k), k).toBe(false);
  });
});

describe('YAML block scalars under each key the text patterns know', () => {
  const keys = ['client-secret', 'clientSecret', 'private-key', 'privateKey', 'api-key', 'apiKey', 'refresh-token'];
  it.each(keys)('%s', (k) => expect(redact(`${k}: |\n  s3cr3t\n  more\nnext: 1`)).toBe(`${k}: "<redacted>"\nnext: 1`));
});

describe('attachments embedded as base64', () => {
  it('a JSON attachment is decoded, redacted by structure, re-encoded; its other fields redacted too', () => {
    const out = redactValue({
      name: 'log',
      contentType: 'application/json',
      encoding: 'base64',
      content: b64('{"password":"x","a":1}'),
      token: 't',
    }) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['name', 'contentType', 'encoding', 'token', 'content']);
    expect({ ...out, content: text(out.content) }).toEqual({
      name: 'log',
      contentType: 'application/json',
      encoding: 'base64',
      token: '<redacted>',
      content: '{"password":"<redacted>","a":1}',
    });
  });

  it.each([
    ['text/plain', 'token: abc\n', 'token: "<redacted>"\n'],
    ['application/xml', '<a>token: abc</a>', '<a>token: &quot;&lt;redacted&gt;&quot;</a>'],
    ['application/yaml', 'token: abc\n', 'token: "<redacted>"\n'],
    ['application/json', 'not json, password hunter2', 'not json, password <redacted>'],
  ])('%s as text', (contentType, inner, expected) => {
    const out = redactValue({ contentType, encoding: 'base64', content: b64(inner) }) as Record<string, unknown>;
    expect(text(out.content)).toBe(expected);
  });

  it('an image, a type that is not text, content not base64 or not a string: left as they are', () => {
    const secret = b64('token: abc');
    for (const contentType of ['image/png', 'x-text/plain', undefined, 7])
      expect(redactValue({ contentType, encoding: 'base64', content: secret }), String(contentType)).toEqual({
        contentType,
        encoding: 'base64',
        content: secret,
      });
    expect(redactValue({ contentType: 'text/plain', encoding: 'utf8', content: secret })).toEqual({
      contentType: 'text/plain',
      encoding: 'utf8',
      content: secret,
    });
    expect(redactValue({ contentType: 'text/plain', encoding: 'base64', content: ['token: abc'] })).toEqual({
      contentType: 'text/plain',
      encoding: 'base64',
      content: ['token: "<redacted>"'],
    });
    expect(redactValue(null)).toBe(null);
    expect(redactValue([null, 'token: a'])).toEqual([null, 'token: "<redacted>"']);
  });
});

describe('JSON indentation', () => {
  it.each([
    ['{"password":"x"}', '{"password":"<redacted>"}'],
    ['{\n  "password": "x"\n}\n', '{\n  "password": "<redacted>"\n}\n'],
    ['[\n  "token: a"\n]', '[\n  "token: \\"<redacted>\\""\n]'],
    ['{\n    "password": "x"\n}', '{"password":"<redacted>"}'],
    ['{ "password": "x" }', '{"password":"<redacted>"}'],
    ['\n{\n  "a": 1\n}', '{"a":1}'],
  ])('%j', (input, output) => expect(redactJson(input)).toBe(output));
});

describe('more shapes the patterns must tell apart', () => {
  const cases: Array<[string, string]> = [
    ['http://tok@host/x', 'http://<redacted>@host/x'],
    [
      'password 7  abc; password 75 x; password a b',
      'password 7  <redacted>; password <redacted> x; password <redacted> b',
    ],
    [
      '-----BEGIN RSA PRIVATE KEY-----\n  Proc-Type: 4,ENCRYPTED\n  MIIE\nrest here',
      '-----BEGIN RSA PRIVATE KEY-----<redacted>\nrest here',
    ],
    ['-\tname: X \n  value: y', '-\tname: X \n  value: "<redacted>"'],
  ];
  it.each(cases)('%j', (input, output) => expect(redact(input)).toBe(output));
});

describe('files by name and content', () => {
  it('entities are decoded before the patterns and escaped again after', () => {
    expect(String(redactFile('a.html', '<p>x &apos;y&apos; &lt;b&gt; &#65;&#x42;&#x4a; token: abc</p>'))).toBe(
      "<p>x 'y' &lt;b&gt; ABJ token: &quot;&lt;redacted&gt;&quot;</p>",
    );
  });

  it('only the last extension decides how a file is read', () => {
    expect(String(redactFile('a.svg.txt', '<a>token: abc</a>'))).toBe('<a>token: "<redacted>"');
    expect(String(redactFile('a.json.txt', '{"password": "x"}'))).toBe('{"password": "<redacted>"}');
    expect(String(redactFile('a.yml.txt', 'password: x'))).toBe('password: "<redacted>"');
  });

  it('a buffer is read as UTF-8 when the name is text, returned untouched otherwise', () => {
    const png = Buffer.from('password: x');
    expect(redactFile('a.png', png)).toBe(png);
    expect(redactFile('a.txt', Buffer.from('password: x'))).toBe('password: "<redacted>"');
  });

  it('YAML with one broken document is redacted as text', () => {
    expect(redactFile('a.yaml', 'token: x\n---\nb: [\n')).toBe('token: "<redacted>"\n---\nb: [\n');
  });

  it('YAML comments, wherever they hang, go through the text patterns', () => {
    const yaml = '# password hunter2\na: 1 # token: abc\nb:\n  # token: abc\n  - c # secret: d\n# after token: abc\n';
    expect(redactFile('a.yaml', yaml)).toBe(
      '# password <redacted>\na: 1 # token: "<redacted>"\nb:\n  # token: "<redacted>"\n' +
        '  - c # secret: "<redacted>"\n\n# after token: "<redacted>"\n',
    );
  });

  it('YAML: empty secrets kept, env values redacted only under `env`', () => {
    const yaml =
      'password: ""\ntoken:\nsecret: 0\nenv:\n  - name: X\n    value: y\n  - plain\n' +
      'other:\n  - value: z\nenv2: [{value: w}]\n';
    expect(redactFile('a.yaml', yaml)).toBe(
      'password: ""\ntoken:\nsecret: <redacted>\nenv:\n  - name: X\n    value: <redacted>\n  - plain\n' +
        'other:\n  - value: z\nenv2: [ { value: w } ]\n',
    );
  });

  it('JSON: env values redacted only in an `env` list', () => {
    expect(
      redactJson(
        '{"env": "str", "other": [{"value": "v"}], "exec": {"env": [{"name": "A", "value": "b"}, "x", null]}}',
      ),
    ).toBe('{"env":"str","other":[{"value":"v"}],"exec":{"env":[{"name":"A","value":"<redacted>"},"x",null]}}');
  });
});

// Secrets never leave the machine: everything the reports, diagnostics and bundles
// write passes through here. JSON and YAML are parsed and values are replaced by
// their key (the file stays valid, whatever the values held); free text goes
// through patterns, one per shape a secret comes in (keys, tokens, passwords of
// CLIs, credentials in URLs, environment assignments, private keys).
import { chmodSync, lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, isMap, isPair, isScalar, isSeq, visit, Scalar, type Document } from 'yaml';

export const REDACTED = '<redacted>';

// One spelling per key: isSecretKey drops hyphens and underscores and folds case.
const SECRET_KEYS = new Set(
  [
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
    'private-key',
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
  ].map((k) => k.replace(/[-_]/g, '')),
);

/** `clientSecret`, `client_secret`, `CLIENT-SECRET`: one key. */
export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));

const ENV_SECRET = '[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)[A-Z0-9_]*';
const KEYS =
  '(?:client-key-data|client-certificate-data|token|id-token|refresh-token|access-token|password|passphrase' +
  '|secret|client-secret|clientSecret|privateKey|private-key|api-key|apiKey)';

const RULES: Array<[RegExp, string]> = [
  // PEM/OpenSSH private keys: whole blocks, and a block cut short (no END line) up to its end.
  [
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
    `-----BEGIN $1PRIVATE KEY-----${REDACTED}-----END $1PRIVATE KEY-----`,
  ],
  [
    // Its lines may be indented (YAML) or escaped (`\n` inside a JSON string quoted in text).
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?!<redacted>)(?:(?:\r?\n|\\n)[ \t]*[A-Za-z-]+: [^\n]*)*(?:(?:\r?\n|\\n)[ \t]*[A-Za-z0-9+/=]{4,}(?=\r?\n|\\n|"|$))*/g,
    `-----BEGIN $1PRIVATE KEY-----${REDACTED}`,
  ],
  // A YAML block scalar under a secret key: `password: |` and its more indented lines.
  [
    new RegExp(
      `^([ \\t-]*["']?${KEYS}["']?[ \\t]*:[ \\t]*)[|>][+-]?[0-9]?[ \\t]*\\n(?:(?:[ \\t]*\\n)|(?:[ ` +
        `\\t]+\\S.*(?:\\n|$)))+`,
      'gmi',
    ),
    `$1"${REDACTED}"\n`,
  ],
  // YAML or JSON fields of kubeconfigs, service accounts and product files.
  [
    new RegExp(`(["']?${KEYS}["']?\\s*[:=]\\s*)(?:"(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s,}\\]]+)`, 'gi'),
    `$1"${REDACTED}"`,
  ],
  // Environment assignments: API_KEY=…, AWS_SECRET_ACCESS_KEY=…, export GITHUB_TOKEN="…".
  [new RegExp(`(\\b${ENV_SECRET}\\s*=\\s*)(?:"[^"]*"|'[^']*'|[^\\s"';]+)`, 'g'), `$1${REDACTED}`],
  // A kubeconfig exec plugin's env: `- name: X` followed by `value: …`.
  [/(-[ \t]+name:[ \t]*\S+[ \t]*\n[ \t]+value:[ \t]*)(?!"<redacted>")\S.*/g, `$1"${REDACTED}"`],
  // HTTP authorization headers, and a bare `Bearer …`.
  [/(authorization\s*[:=]\s*"?(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  [/(\bbearer\s+)(?!<redacted>)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  // CLI configs: `password SECRET`, `enable password 8 HASH`, `enable secret 5 HASH`, FRR `neighbor X password SECRET`.
  [/(\b(?:password|secret)\s+(?:[0-9]\s+)?)(?!<redacted>)(?![0-9]\s)[^\s"',;}\]]+/gi, `$1${REDACTED}`],
  // FRR/IOS keys: `key-string K`, `ip ospf authentication-key K`, `message-digest-key 1 md5 K`.
  [/(\b(?:key-string|authentication-key)\s+(?:[0-9]\s+)?)(?!<redacted>)\S+/gi, `$1${REDACTED}`],
  [/(\bmessage-digest-key\s+\d+\s+md5\s+(?:[0-9]\s+)?)(?!<redacted>)\S+/gi, `$1${REDACTED}`],
  // user:password@ in URLs; a lone token as the user of an http(s) URL.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  [/(\bhttps?:\/\/)(?!<redacted>)[^\s:/@]+@/gi, `$1${REDACTED}@`],
  // Tokens by their shape: JWTs (service-account tokens), GitHub tokens, kubeadm bootstrap tokens.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, REDACTED],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, REDACTED],
  [/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, REDACTED],
];

/** Free text: every pattern, in order. */
export function redact(text: string): string {
  return RULES.reduce((t, [re, by]) => t.replace(re, by), text);
}

/**
 * A parsed JSON value with secret keys' values replaced and every string redacted as
 * text; base64 content (attachments a reporter embeds) is decoded, redacted, re-encoded.
 */
export function redactValue(v: unknown, key?: string): unknown {
  if (key !== undefined && isSecretKey(key) && v !== null && v !== undefined && v !== '') return REDACTED;
  if (typeof v === 'string') return redact(v);
  if (Array.isArray(v)) return v.map((x) => redactValue(x));
  const o = v as { encoding?: unknown; content?: unknown; contentType?: unknown };
  const type = typeof o?.contentType === 'string' ? o.contentType : '';
  // Text only: an image stays as it is.
  const textual = /json|^text\/|xml|yaml/.test(type);
  if (o && typeof o === 'object' && o.encoding === 'base64' && typeof o.content === 'string' && textual) {
    // Markup as markup, so its tags survive a pattern that runs to the end of a word.
    const name = type.includes('json') ? 'embedded.json' : type.includes('xml') ? 'embedded.xml' : 'embedded.txt';
    const inner = String(redactFile(name, Buffer.from(o.content, 'base64')));
    const rest = Object.entries(o)
      .filter(([k]) => k !== 'content')
      .map(([k, x]) => [k, redactValue(x, k)]);
    return { ...Object.fromEntries(rest), content: Buffer.from(inner).toString('base64') };
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, redactValue(x, k)]));
  }
  return v;
}

/** A kubeconfig exec plugin's environment, `env: [{name, value}]`: every value is taken for a secret. */
function redactEnvList(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactEnvList);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(o).map(([k, x]) => [
      k,
      k === 'env' && Array.isArray(x)
        ? x.map((e) => (e && typeof e === 'object' && 'value' in e ? { ...(e as object), value: REDACTED } : e))
        : redactEnvList(x),
    ]),
  );
}

/** JSON text, redacted by structure; its indentation kept (none or two spaces). */
export function redactJson(text: string): string {
  const value = JSON.parse(text) as unknown;
  const indent = /^[[{]\n {2}"/.test(text) ? 2 : undefined;
  return JSON.stringify(redactValue(redactEnvList(value)), null, indent) + (text.endsWith('\n') ? '\n' : '');
}

/** Comments hang on the nodes they are next to: each is free text. */
function redactComments(node: { commentBefore?: string | null; comment?: string | null }): void {
  if (node.commentBefore) node.commentBefore = redact(node.commentBefore);
  if (node.comment) node.comment = redact(node.comment);
}

function redactYamlDoc(doc: Document): void {
  visit(doc, {
    Map(_, node) {
      redactComments(node);
    },
    Seq(_, node) {
      redactComments(node);
    },
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) return;
      if (isSecretKey(key) && pair.value !== null && !(isScalar(pair.value) && (pair.value.value ?? '') === '')) {
        pair.value = new Scalar(REDACTED);
        return visit.SKIP;
      }
      if (key === 'env' && isSeq(pair.value)) {
        for (const item of pair.value.items) {
          if (!isMap(item)) continue;
          for (const p of item.items)
            if (isPair(p) && isScalar(p.key) && p.key.value === 'value') p.value = new Scalar(REDACTED);
        }
      }
      return undefined;
    },
    Scalar(_, node) {
      redactComments(node);
      if (typeof node.value === 'string') {
        const out = redact(node.value);
        if (out !== node.value) node.value = out;
      }
    },
  });
}

/** YAML text (one or more documents), redacted by structure; comments go through the text patterns. */
export function redactYaml(text: string): string {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) throw new Error('not YAML');
  for (const d of docs) {
    redactYamlDoc(d);
    if (d.commentBefore) d.commentBefore = redact(d.commentBefore);
    if (d.comment) d.comment = redact(d.comment);
  }
  return docs.map((d) => d.toString()).join('');
}

const TEXT = /\.(json|ya?ml|xml|txt|log|svg|html|csv|md|conf)$/i;
const MARKUP = /\.(xml|svg|html)$/i;

/** A file's content as it may be written: by structure when it parses, by pattern otherwise. */
export function redactFile(name: string, content: Buffer | string): Buffer | string {
  if (!TEXT.test(name)) return content;
  const text = typeof content === 'string' ? content : content.toString('utf8');
  try {
    if (/\.json$/i.test(name)) return redactJson(text);
    if (/\.ya?ml$/i.test(name)) return redactYaml(text);
  } catch {
    // Not what its name says: redacted as text.
  }
  return MARKUP.test(name) ? redactMarkup(text) : redact(text);
}

const ENTITIES: Record<string, string> = { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' };
const decode = (s: string) =>
  s.replace(/&(quot|apos|lt|gt|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e.startsWith('#')
      ? String.fromCodePoint(Number(e.startsWith('#x') ? `0x${e.slice(2)}` : e.slice(1)))
      : ENTITIES[e.toLowerCase()]!,
  );
const encode = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** An escaped piece of markup: read as its text, redacted, escaped again (untouched when nothing was secret). */
const redactEscaped = (s: string) => {
  const text = decode(s);
  const out = redact(text);
  return out === text ? s : encode(out);
};

/** XML, SVG, HTML: text, attribute values and CDATA are redacted as what they say, and stay well-formed. */
function redactMarkup(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, t: string) => `<![CDATA[${redact(t).replaceAll(']]>', ']]&gt;')}]]>`)
    .replace(/(="|=')([^"']*)(["'])/g, (_, a: string, t: string, b: string) => a + redactEscaped(t) + b)
    .replace(/>([^<]+)</g, (_, t: string) => `>${redactEscaped(t)}<`);
}

/**
 * Redacts every file of a report folder in place and closes it to others (folders
 * 0700, files 0600). Links are not followed.
 */
export function redactTree(dir: string): void {
  chmodSync(dir, 0o700);
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, f);
    const st = lstatSync(path);
    if (st.isDirectory()) chmodSync(path, 0o700);
    if (!st.isFile()) continue;
    const before = readFileSync(path);
    const after = redactFile(f, before);
    if (typeof after === 'string' ? after !== before.toString('utf8') : false) writeFileSync(path, after);
    chmodSync(path, 0o600);
  }
}

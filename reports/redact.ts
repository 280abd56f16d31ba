// Secrets never leave the machine: everything the reports, diagnostics and bundles
// write passes through here. Kubeconfig credentials, bearer tokens, passwords (FRR's
// `neighbor … password` too), private keys and credentials inside URLs are replaced.
export const REDACTED = '<redacted>';

const RULES: Array<[RegExp, string]> = [
  // PEM/OpenSSH private keys, whole blocks.
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, `-----BEGIN $1PRIVATE KEY-----${REDACTED}-----END $1PRIVATE KEY-----`],
  // YAML or JSON fields of kubeconfigs, service accounts and product files.
  [
    /(["']?(?:client-key-data|client-certificate-data|token|id-token|refresh-token|access-token|password|passphrase|secret|client-secret|privateKey|private-key)["']?\s*[:=]\s*)(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,}\]]+)/gi,
    `$1"${REDACTED}"`,
  ],
  // HTTP authorization headers.
  [/(authorization\s*[:=]\s*"?(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  // FRR and other CLI configs: `password SECRET`, `neighbor X password SECRET`.
  [/(\bpassword\s+)(?!<redacted>)[^\s"',;}\]]+/gi, `$1${REDACTED}`],
  // user:password@ in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // JSON Web Tokens wherever they appear (service-account tokens are JWTs).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, REDACTED],
];

export function redact(text: string): string {
  return RULES.reduce((t, [re, by]) => t.replace(re, by), text);
}

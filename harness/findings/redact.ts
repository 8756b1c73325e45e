// Reports leave the machine (CI artefacts, PR comments, code-scanning uploads), so secrets that reached a
// finding's evidence must not reach a report. This deep redactor runs on the whole RunReport once, before any
// writer; writers accept only its branded output, so the compiler refuses an unredacted report.
import type { RunReport } from '../model/report.ts';

export const REDACTED = '[REDACTED]';

declare const redactedBrand: unique symbol;
/** A RunReport that went through `redactReport`. Writers take this type, never a plain RunReport. Read-only: a
 * redacted report is not redacted again, so adding text to it afterwards would bypass redaction. */
export type RedactedReport = RunReport & { readonly [redactedBrand]: true };

/**
 * Keys whose values are credentials wherever they appear (kubeconfig users, AWS credential files and SDK
 * shapes, Helm values). Compared after lower-casing and dropping `-`/`_`, so `client-key-data`,
 * `aws_secret_access_key` and `SecretAccessKey` all match.
 */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  'clientkeydata',
  'clientcertificatedata',
  'token',
  'idtoken',
  'refreshtoken',
  'accesstoken',
  'bearertoken',
  'password',
  'passwd',
  'clientsecret',
  'awssecretaccesskey',
  'secretaccesskey',
  'awssessiontoken',
  'sessiontoken',
  'privatekey',
  'apikey',
]);

/**
 * Keys that hold a credential only when their value is a string: `secret: s3cr3t` in a config file, but not a
 * pod volume's `secret: { secretName: db }`, whose name is useful evidence.
 */
const SECRET_STRING_KEYS: ReadonlySet<string> = new Set(['secret', 'secretkey', 'credentials']);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Keeps a value's quotes (plain, single, or backslash-escaped as in JSON inside a string) around the marker. */
function redactQuoted(value: string): string {
  const quote = /^(\\?["']|)/.exec(value)?.[1] ?? '';
  return quote && value.endsWith(quote) && value.length >= quote.length * 2 ? `${quote}${REDACTED}${quote}` : REDACTED;
}

/** Textual forms of the same credentials, inside messages, details, logs or embedded YAML/JSON. */
const TEXT_RULES: readonly { pattern: RegExp; replace: string | ((match: string, ...groups: string[]) => string) }[] = [
  // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED …); an unterminated block is cut to the end of the text.
  { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, replace: REDACTED },
  // `Authorization: Bearer …` and friends; at least 8 characters so prose such as "Basic auth is off" survives.
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: `$1 ${REDACTED}` },
  // JWTs and other base64url JSON (`{"` encodes to `eyJ`): service-account tokens, OIDC id tokens.
  { pattern: /eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}/g, replace: REDACTED },
  // `key: value`, `key=value`, `"key": "value"`, `\"key\":\"value\"` for the credential keys above, in YAML,
  // INI, JSON (also JSON quoted inside a string) or prose. Quoted values may contain spaces.
  {
    pattern:
      /((?:\\?["'])?\b(?:client[-_]key[-_]data|client[-_]certificate[-_]data|aws[-_]secret[-_]access[-_]key|aws[-_]session[-_]token|secret[-_]?access[-_]?key|session[-_]?token|id[-_]token|refresh[-_]token|access[-_]token|token|password|passwd|client[-_]secret)\b(?:\\?["'])?\s*[:=]\s*)(\\"[^"\\]*\\"|"[^"\n]*"|'[^'\n]*'|[^\s"'\\,;}]+)/gi,
    replace: (_match, prefix = '', value = '') => `${prefix}${redactQuoted(value)}`,
  },
  // Credentials in URLs: https://user:password@host.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi, replace: `$1${REDACTED}@` },
];

/** AWS access key ids (long-term AKIA, temporary ASIA). Identifiers, but half of a credential pair. */
const AWS_ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
/** A 40-character AWS secret access key; only looked for beside an access key id, since alone it is ambiguous. */
const AWS_SECRET_NEAR_KEY_ID = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g;

export function redactText(text: string): string {
  let out = text;
  if (AWS_ACCESS_KEY_ID.test(out)) out = out.replace(AWS_SECRET_NEAR_KEY_ID, REDACTED);
  AWS_ACCESS_KEY_ID.lastIndex = 0;
  out = out.replace(AWS_ACCESS_KEY_ID, REDACTED);
  for (const rule of TEXT_RULES) {
    const { pattern, replace } = rule;
    out = typeof replace === 'string' ? out.replace(pattern, replace) : out.replace(pattern, replace);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps the shape (so evidence still says which keys a Secret holds) and blanks every leaf. */
function blankValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(blankValues);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blankValues(v)]));
  return value === null || value === undefined ? value : REDACTED;
}

/** True for arrays holding only booleans, numbers, null or undefined: nothing in them can carry a secret. */
function isFlatScalars(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const t = typeof values[i];
    if (t === 'string' || t === 'bigint' || (t === 'object' && values[i] !== null) || t === 'function' || t === 'symbol') return false;
  }
  return true;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  // Evidence is plain data; a cycle would make every writer loop, so it is cut here.
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      // Reachability rows are long arrays of booleans: copy them without a call per cell.
      if (isFlatScalars(value)) return value.slice();
      return value.map((v) => redactValue(v, seen));
    }
    const isSecretObject = (value as Record<string, unknown>)['kind'] === 'Secret';
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const normalised = normaliseKey(key);
      if (SECRET_KEYS.has(normalised) && v !== null && v !== undefined && v !== '') out[key] = blankValues(v);
      else if (SECRET_STRING_KEYS.has(normalised) && typeof v === 'string' && v !== '') out[key] = REDACTED;
      else if (isSecretObject && (key === 'data' || key === 'stringData')) out[key] = blankValues(v);
      else out[key] = redactValue(v, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A deep copy of `value` with every credential replaced by `[REDACTED]`. */
export function redactDeep<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

/** Reports this module produced, so redacting twice (scan, then writeReports) costs nothing the second time. */
const produced = new WeakSet<RunReport>();

/** Redacts the whole report (manifest, findings, evidence, waivers, warnings, reachability reasons). */
export function redactReport(report: RunReport): RedactedReport {
  if (produced.has(report)) return report as RedactedReport;
  const redacted = redactDeep(report) as RedactedReport;
  produced.add(redacted);
  return redacted;
}

// Credentials inside free text: a string field, an embedded YAML/JSON/INI document (a kubeconfig in a ConfigMap),
// a log line, a finding message. Each rule replaces only the credential, so the text around it stays evidence.
import { redacted } from './marker.ts';
import { redactRandomTokens } from './randomTokens.ts';

type Replace = string | ((match: string, ...groups: string[]) => string);

/** Keeps a value's quotes (plain, single, or backslash-escaped as in JSON inside a string) around the marker. */
function markQuoted(value: string, reason: string): string {
  const quote = /^(\\?["']|)/.exec(value)?.[1] ?? '';
  return quote && value.endsWith(quote) && value.length >= quote.length * 2 ? `${quote}${redacted(reason)}${quote}` : redacted(reason);
}

/** Key names whose value is a credential in embedded text (`password: x`, `"token":"x"`, `aws_secret_access_key=x`). */
const CREDENTIAL_KEY_TEXT =
  'client[-_]key[-_]data|client[-_]certificate[-_]data|aws[-_]secret[-_]access[-_]key|aws[-_]session[-_]token|' +
  'secret[-_]?access[-_]?key|session[-_]?token|id[-_]token|refresh[-_]token|access[-_]token|bearer[-_]?token|' +
  'token|password|passwd|client[-_]secret|api[-_]?key|private[-_]?key';

const RULES: readonly { pattern: RegExp; replace: Replace }[] = [
  // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED …); an unterminated block is cut to the end of the text.
  { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, replace: redacted('private key') },
  // `Authorization: Bearer …`; at least 8 characters so prose such as "Basic auth is off" survives.
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, scheme = '') => `${scheme} ${redacted('bearer token')}` },
  // JWTs and other base64url JSON (`{"` encodes to `eyJ`): service-account tokens, OIDC id tokens.
  { pattern: /eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}/g, replace: redacted('jwt') },
  // `key: value`, `key=value`, `"key": "value"`, `\"key\":\"value\"` in YAML, INI, JSON (also JSON quoted inside a
  // string) or prose. Quoted values may contain spaces. `tokenFile: /path` is not matched (whole-word keys).
  {
    pattern: new RegExp(
      `((?:\\\\?["'])?\\b(?:${CREDENTIAL_KEY_TEXT})\\b(?:\\\\?["'])?\\s*[:=]\\s*)(\\\\"[^"\\\\]*\\\\"|"[^"\\n]*"|'[^'\\n]*'|[^\\s"'\\\\,;}]+)`,
      'gi',
    ),
    replace: (_m, prefix = '', value = '') => `${prefix}${markQuoted(value, 'credential')}`,
  },
  // The password of URL userinfo, any scheme: postgres://app:pw@db:5432/app, redis://:pw@cache. The user stays.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+@/gi, replace: (_m, head = '') => `${head}${redacted('url password')}@` },
];

/** AWS access key ids (long-term AKIA, temporary ASIA): half of a credential pair. */
const AWS_ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
/** A 40-character AWS secret access key beside an access key id (alone, the random-token rule finds it). */
const AWS_SECRET_NEAR_KEY_ID = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g;

/** Cheap screen: almost every string in a cluster is a name, label, image or CIDR and holds none of the above. */
const MAY_HOLD_CREDENTIAL = /-----BEGIN|eyJ|bearer|basic|:\/\/[^/\s]*@|AKIA|ASIA|[:=]/i;

export function redactText(text: string): string {
  let out = text;
  if (MAY_HOLD_CREDENTIAL.test(out)) {
    if (/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/.test(out)) out = out.replace(AWS_SECRET_NEAR_KEY_ID, redacted('aws secret key'));
    out = out.replace(AWS_ACCESS_KEY_ID, redacted('aws access key'));
    for (const { pattern, replace } of RULES) {
      out = typeof replace === 'string' ? out.replace(pattern, replace) : out.replace(pattern, replace);
    }
  }
  return redactRandomTokens(out);
}

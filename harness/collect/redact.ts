// Secrets never enter the state, so they can never reach a bundle or a report. Applied to every Kubernetes object at
// load time, by the files loader and the live collector alike.
//  - Secret: `data`/`stringData` dropped (metadata and type kept: evaluators may ask "does it exist").
//  - Keys that hold credentials anywhere (kubeconfig users, tokens, passwords) are dropped.
//  - Strings that embed credentials (a kubeconfig or PEM key in a ConfigMap, a JWT, a last-applied annotation)
//    have the credential part replaced by REDACTED.
//  - Container env values whose names say they are credentials are replaced by REDACTED.

export const REDACTED = '<redacted>';

/** Keys whose value is a credential wherever they appear (kubeconfig `users[].user`, token requests, auth providers). */
const CREDENTIAL_KEYS = new Set([
  'client-key-data', 'client-certificate-data', 'token', 'id-token', 'refresh-token', 'access-token', 'password',
  'client-secret', 'privateKey', 'private-key', 'secretAccessKey', 'SecretAccessKey',
  'SessionToken', 'sessionToken',
]);

const SECRETISH_NAME = /(token|passw(or)?d|secret|api[_-]?key|private[_-]?key|credential|access[_-]?key)/i;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** `token: abc`, `client-key-data: …`, `"password": "…"` inside embedded YAML/JSON/INI text. */
const EMBEDDED_CREDENTIAL = new RegExp(
  `((?<![\\w-])["']?(?:${[...CREDENTIAL_KEYS].map((k) => k.replace(/[-]/g, '\\-')).join('|')})["']?\\s*[:=]\\s*)("[^"\\n]*"|'[^'\\n]*'|[^\\s,}\\n]+)`,
  'g',
);

const MAY_HOLD_CREDENTIAL = /(key|token|password|secret)["']?\s*[:=]/i;

/** Redacts credentials inside free text. */
export function redactText(text: string): string {
  // Cheap screen first: almost every string in a cluster dump is a name, label or image and holds none of these.
  if (!text.includes('-----BEGIN') && !text.includes('eyJ') && !MAY_HOLD_CREDENTIAL.test(text)) return text;
  return text
    .replace(PEM_PRIVATE_KEY, REDACTED)
    .replace(JWT, REDACTED)
    .replace(EMBEDDED_CREDENTIAL, (_m, key: string) => `${key}${REDACTED}`);
}

/** Returns a redacted deep copy of a Kubernetes object (the input is not modified). */
export function redactKubernetesObject<T>(object: T): T {
  const copy = redactValue(object) as T;
  if (!isRecord(copy)) return copy;
  const annotations = isRecord(copy.metadata) && isRecord(copy.metadata.annotations) ? copy.metadata.annotations : undefined;
  if (copy.kind === 'Secret') {
    delete copy.data;
    delete copy.stringData;
    // kubectl apply stores the whole Secret, data included, in this annotation.
    if (annotations) delete annotations[LAST_APPLIED];
  } else if (annotations && typeof annotations[LAST_APPLIED] === 'string') {
    // A full copy of the object as applied: redact it by the same rules (env values, credential keys).
    try {
      annotations[LAST_APPLIED] = JSON.stringify(redactValue(JSON.parse(annotations[LAST_APPLIED]) as unknown));
    } catch {
      // not JSON: redactText already ran over it
    }
  }
  return copy;
}

function redactValue(value: unknown, parentKey?: string): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) {
    return value.map((item) => (parentKey === 'env' && isRecord(item) ? redactEnvVar(item) : redactValue(item)));
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (CREDENTIAL_KEYS.has(key) && typeof child === 'string') continue;
    out[key] = redactValue(child, key);
  }
  return out;
}

function redactEnvVar(item: Record<string, unknown>): unknown {
  const redacted = redactValue(item) as Record<string, unknown>;
  if (typeof redacted.name === 'string' && typeof redacted.value === 'string' && SECRETISH_NAME.test(redacted.name)) {
    redacted.value = REDACTED;
  }
  return redacted;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

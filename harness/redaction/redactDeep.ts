// The redaction policy, applied to everything read (Kubernetes objects at load time, the cloud state, so bundles
// carry no credential) and to everything written (the whole report, before any writer). One traversal, one marker
// (marker.ts); the text rules are in redactText.ts, random tokens in randomTokens.ts, env values in envValues.ts.
// Structure decides first (redactValue: Secret and ConfigMap payloads, credential keys, env, last-applied copies);
// every other string goes through redactText.
import { isRecord } from '../model/isRecord.ts';
import { redacted } from './marker.ts';
import { redactEnvValue } from './envValues.ts';
import { redactText } from './redactText.ts';

/** Compared after lower-casing and dropping `-`/`_`: `client-key-data`, `aws_secret_access_key`, `SecretAccessKey`. */
const CREDENTIAL_KEYS: ReadonlySet<string> = new Set([
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
/** Only when the value is a string: a volume's `secret: {secretName}` is evidence, not a credential. */
const CREDENTIAL_STRING_KEYS: ReadonlySet<string> = new Set(['secret', 'secretkey', 'credentials']);
/** Keep their hex: the bundle and report manifests need it. */
const DIGEST_KEYS: ReadonlySet<string> = new Set(['sha256', 'sha512', 'sha1', 'digest', 'checksum']);
/** A whole copy of the object: a Secret's is replaced, any other's redacted by these same rules (replaced when not JSON). */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Keeps the shape and replaces every leaf. */
function markLeaves(value: unknown, reason: string): unknown {
  if (Array.isArray(value)) return value.map((v) => markLeaves(v, reason));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markLeaves(v, reason)]));
  return value === null || value === undefined || value === '' ? value : redacted(reason);
}

/** True for arrays holding only booleans, numbers, null or undefined: nothing in them can carry a secret. */
function isFlatScalars(values: readonly unknown[]): boolean {
  for (const v of values) {
    const t = typeof v;
    if (t === 'string' || t === 'bigint' || (t === 'object' && v !== null) || t === 'function' || t === 'symbol') return false;
  }
  return true;
}

function redactEnvVar(item: Record<string, unknown>, seen: WeakSet<object>): unknown {
  const out = redactValue(item, seen) as Record<string, unknown>;
  if (typeof item.name === 'string' && typeof item.value === 'string') {
    const kept = redactEnvValue(item.name, item.value);
    out.value = kept === item.value ? redactText(kept) : kept;
  }
  return out;
}

function redactLastApplied(text: string, ofSecret: boolean): string {
  if (ofSecret) return redacted('secret data');
  try {
    return JSON.stringify(redactValue(JSON.parse(text) as unknown, new WeakSet()));
  } catch {
    return redacted('last-applied copy');
  }
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
    const record = value as Record<string, unknown>;
    const isSecret = record.kind === 'Secret';
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(record)) {
      const normalised = normaliseKey(key);
      // Secret and ConfigMap payloads keep their keys (the evidence says which exist), never a value.
      if (isSecret && (key === 'data' || key === 'stringData')) out[key] = markLeaves(v, 'secret data');
      else if (record.kind === 'ConfigMap' && key === 'binaryData') out[key] = markLeaves(v, 'binary data');
      else if (CREDENTIAL_KEYS.has(normalised) && v !== null && v !== undefined && v !== '') out[key] = markLeaves(v, 'credential');
      else if (CREDENTIAL_STRING_KEYS.has(normalised) && typeof v === 'string' && v !== '') out[key] = redacted('credential');
      else if (DIGEST_KEYS.has(normalised) && typeof v === 'string' && /^[0-9a-f]+$/i.test(v)) out[key] = v;
      else if (key === 'env' && Array.isArray(v))
        out[key] = v.map((item) => (isRecord(item) ? redactEnvVar(item, seen) : redactValue(item, seen)));
      else out[key] = redactValue(v, seen);
    }
    const annotations = isRecord(out.metadata) && isRecord(out.metadata.annotations) ? out.metadata.annotations : undefined;
    const original =
      isRecord(record.metadata) && isRecord(record.metadata.annotations) ? record.metadata.annotations[LAST_APPLIED] : undefined;
    if (annotations && typeof original === 'string') annotations[LAST_APPLIED] = redactLastApplied(original, isSecret);
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A deep copy of `value` with every credential replaced by a marker (the input is not modified). */
export function redactDeep<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

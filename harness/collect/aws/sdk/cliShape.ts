// SDK responses → the JSON the AWS CLI prints for the same call, so both feed the one CLI-output reader
// (awsCliOutputs.ts) and give identical state. The differences handled here: the SDK returns Date objects where the
// CLI prints ISO 8601 strings, returns IAM policy documents URL-encoded where the CLI decodes them, and adds
// `$metadata` (request id, attempts) that the CLI does not print.
const POLICY_KEYS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument', 'Document']);

export function cliShape(value: unknown, key?: string): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && key !== undefined && POLICY_KEYS.has(key)) return decodePolicy(value);
  if (Array.isArray(value)) return value.map((v) => cliShape(v));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => k !== '$metadata' && v !== undefined)
        .map(([k, v]) => [k, cliShape(v, k)]),
    );
  }
  return value;
}

/** IAM returns policy documents URL-encoded (RFC 3986); the CLI prints them as JSON objects. */
function decodePolicy(text: string): unknown {
  try {
    return JSON.parse(/^\s*\{/.test(text) ? text : decodeURIComponent(text)) as unknown;
  } catch {
    return text; // left as is: the reader reports it as "not a policy document" with where it came from
  }
}

// A sound shortcut before the IAM simulator (≈1.4 ms per request): when every Allow statement of a trust
// policy pins the issuer's `:sub` claim with StringEquals/StringLike, a service account whose claim matches
// none of those values cannot be allowed, whatever else the policy says. Clusters have hundreds of service
// accounts and a handful of matching ones, so this removes almost every simulation. When any Allow statement
// does not pin `:sub` that way (no condition, a negated or set operator), there is no shortcut.
import type { PolicyDocument } from '../../model/state.ts';

/** Returns a predicate "could this sub be allowed?", or undefined when the policy allows no shortcut. */
export function subPrefilter(policy: PolicyDocument, issuerHostPath: string): ((sub: string) => boolean) | undefined {
  const subKey = `${issuerHostPath}:sub`.toLowerCase();
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const patterns: RegExp[] = [];
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null) return undefined;
    const s = statement as { Effect?: unknown; Condition?: unknown };
    if (s.Effect !== 'Allow') continue;
    const values = pinnedValues(s.Condition, subKey);
    if (!values) return undefined;
    patterns.push(...values);
  }
  return (sub) => patterns.some((p) => p.test(sub));
}

/** The sub patterns one statement requires, or undefined when it does not require any. */
function pinnedValues(condition: unknown, subKey: string): RegExp[] | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined;
  let found: RegExp[] | undefined;
  for (const [operator, block] of Object.entries(condition)) {
    const op = operator.toLowerCase().replace(/ifexists$/, '');
    if ((op !== 'stringequals' && op !== 'stringlike') || typeof block !== 'object' || block === null) continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() !== subKey) continue;
      const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
      // Policy variables (${...}) could expand to anything: no shortcut.
      if (list.some((v) => v.includes('${'))) return undefined;
      const regexps = list.map((v) => (op === 'stringlike' ? globToRegExp(v) : new RegExp(`^${escape(v)}$`)));
      // Two pinning conditions in one statement must both hold; keeping either one is still a superset.
      found = regexps;
    }
  }
  return found;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escape(c)))
      .join('')}$`,
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

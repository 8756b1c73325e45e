// AWS rejects a policy that breaks its grammar, so such a policy grants nothing — but reading it as "no statement
// allows" would call the role assumable by nobody, the unsafe way to be wrong about a policy someone meant to
// deploy. Every trust and permission policy is checked first; a broken one makes the check an error that names
// the role, the statement (index and Sid) and the field. @cloud-copilot/iam-policy checks the structure (keys,
// Effect, Principal forms, Action/Resource); it lets `Statement: null` crash it and accepts any operator name
// that looks like one, so those two checks are ours.
import { validateIdentityPolicy, validateTrustPolicy, type ValidationError } from '@cloud-copilot/iam-policy';

/** The condition operators AWS defines; each but Null also as `…IfExists`, with an optional set prefix. */
const OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
].map((op) => op.toLowerCase());

type PolicyKind = 'trust' | 'permission';

/** Every grammar problem of the document, each naming the statement and field; empty when AWS would accept it. */
export function policyGrammarProblems(document: unknown, kind: PolicyKind): string[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return ['the policy document is not a JSON object'];
  const statement = (document as { Statement?: unknown }).Statement;
  const statements = Array.isArray(statement) ? statement : [statement];
  if (statement === undefined || statement === null || statements.length === 0) {
    return [
      `Statement is ${statement === undefined ? 'missing' : JSON.stringify(statement)}: it must be a statement object or a non-empty list of them`,
    ];
  }
  const notObjects = statements.flatMap((s, i) =>
    typeof s === 'object' && s !== null && !Array.isArray(s) ? [] : [`statement #${i}: ${JSON.stringify(s)} is not a statement object`],
  );
  if (notObjects.length > 0) return notObjects;

  const label = (index: number): string => {
    const sid = (statements[index] as { Sid?: unknown }).Sid;
    return `statement #${index}${typeof sid === 'string' && sid !== '' ? ` (Sid "${sid}")` : ''}`;
  };
  const validate = kind === 'trust' ? validateTrustPolicy : validateIdentityPolicy;
  const structural = validate(document).map((e) => describe(e, label));
  const operators = statements.flatMap((s, i) =>
    operatorProblems((s as { Condition?: unknown }).Condition).map((p) => `${label(i)}: ${p}`),
  );
  return [...new Set([...structural, ...operators])];
}

/** Throws an Error listing every problem; the caller names the role. */
export function assertPolicyGrammar(document: unknown, kind: PolicyKind): void {
  const problems = policyGrammarProblems(document, kind);
  if (problems.length > 0) throw new Error(`not a valid IAM ${kind} policy, AWS would reject it: ${problems.join('; ')}`);
}

function operatorProblems(condition: unknown): string[] {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return [];
  return Object.keys(condition).flatMap((operator) => {
    const base = operator.replace(/^(ForAnyValue|ForAllValues):/i, '').toLowerCase();
    const known =
      OPERATORS.includes(base) ||
      (base.endsWith('ifexists') && base !== 'nullifexists' && OPERATORS.includes(base.slice(0, -'ifexists'.length)));
    return known
      ? []
      : [
          `Condition operator "${operator}" is not an AWS condition operator (e.g. StringEquals, StringLike, ArnLike, Bool, Null, with …IfExists or a ForAnyValue:/ForAllValues: prefix)`,
        ];
  });
}

/** `Statement[2].Effect` → `statement #2 (Sid "X"), Effect: …`; a lone statement object is #0. */
function describe(error: ValidationError, label: (index: number) => string): string {
  const match = /^Statement(?:\[(\d+)\])?(?:\.(.*))?$/.exec(error.path);
  if (!match) return `${error.path ? `${error.path}: ` : ''}${error.message}`;
  const field = match[2]?.replace(/#/g, '');
  return `${label(Number(match[1] ?? 0))}${field ? `, ${field}` : ''}: ${error.message}`;
}

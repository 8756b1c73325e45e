// Label selectors as Kubernetes evaluates them (apimachinery labels.Selector): matchLabels AND every
// matchExpression. An empty selector matches everything; a missing one is decided by the caller, because
// "absent" means different things for a policy's podSelector and a peer's selectors.
import type { V1LabelSelector } from '@kubernetes/client-node';

export type Labels = Readonly<Record<string, string>>;

export interface CompiledSelector {
  /** Canonical text, used both to explain verdicts and as a cache key (equal text ⇒ equal selector). */
  readonly key: string;
  readonly matchesAll: boolean;
  /** The label keys the selector reads: labels under other keys cannot change its answer. */
  readonly keys: readonly string[];
  matches(labels: Labels): boolean;
}

type Requirement =
  | { key: string; op: 'In' | 'NotIn'; values: ReadonlySet<string> }
  | { key: string; op: 'Exists' | 'DoesNotExist' };

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Returns the compiled selector, or a problem message saying what is wrong with it. */
export function compileSelector(selector: V1LabelSelector): CompiledSelector | { problem: string } {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, op: 'In', values: new Set([String(value)]) });
  }
  for (const [i, expr] of (selector.matchExpressions ?? []).entries()) {
    if (!OPERATORS.has(expr.operator)) {
      return { problem: `matchExpressions[${i}].operator "${expr.operator}" is not one of In, NotIn, Exists, DoesNotExist` };
    }
    const values = expr.values ?? [];
    if ((expr.operator === 'In' || expr.operator === 'NotIn') && values.length === 0) {
      return { problem: `matchExpressions[${i}] (${expr.key} ${expr.operator}) needs at least one value` };
    }
    if ((expr.operator === 'Exists' || expr.operator === 'DoesNotExist') && values.length > 0) {
      return { problem: `matchExpressions[${i}] (${expr.key} ${expr.operator}) must not list values` };
    }
    requirements.push(
      expr.operator === 'In' || expr.operator === 'NotIn'
        ? { key: expr.key, op: expr.operator, values: new Set(values) }
        : { key: expr.key, op: expr.operator as 'Exists' | 'DoesNotExist' },
    );
  }
  const key = requirements.length === 0 ? '{}' : requirements.map(describe).sort().join(',');
  return {
    key,
    matchesAll: requirements.length === 0,
    keys: requirements.map((r) => r.key),
    matches: (labels) => requirements.every((r) => test(r, labels)),
  };
}

function test(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.op) {
    case 'In':
      return has && r.values.has(labels[r.key] as string);
    case 'NotIn':
      // Kubernetes: NotIn also matches objects that do not carry the key at all.
      return !has || !r.values.has(labels[r.key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

function describe(r: Requirement): string {
  switch (r.op) {
    case 'In':
      return r.values.size === 1 ? `${r.key}=${[...r.values][0]}` : `${r.key} in (${[...r.values].sort().join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${[...r.values].sort().join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

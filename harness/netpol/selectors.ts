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
  /** A `key in (values)` requirement every match meets, if any: callers index label sets by it. */
  readonly anchor?: { readonly key: string; readonly values: ReadonlySet<string> } | undefined;
  matches(labels: Labels): boolean;
}

type Requirement = { key: string; op: 'In' | 'NotIn'; values: ReadonlySet<string> } | { key: string; op: 'Exists' | 'DoesNotExist' };

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
  return new Selector(requirements);
}

/**
 * A class rather than an object with a closure: every selector shares one `matches` function, so optimised
 * callers stay valid when the selectors of a previous scan are collected, and a call site sees one target.
 */
class Selector implements CompiledSelector {
  readonly key: string;
  readonly matchesAll: boolean;
  readonly keys: readonly string[];
  readonly anchor: { readonly key: string; readonly values: ReadonlySet<string> } | undefined;
  private readonly requirements: readonly Requirement[];
  constructor(requirements: Requirement[]) {
    this.requirements = requirements;
    this.key = requirements.length === 0 ? '{}' : requirements.map(describe).sort().join(',');
    this.matchesAll = requirements.length === 0;
    this.keys = requirements.map((r) => r.key);
    // The narrowest `In` (matchLabels entries are `In` one value).
    let anchor: Extract<Requirement, { op: 'In' | 'NotIn' }> | undefined;
    for (const r of requirements) if (r.op === 'In' && (!anchor || r.values.size < anchor.values.size)) anchor = r;
    this.anchor = anchor && { key: anchor.key, values: anchor.values };
  }
  matches(labels: Labels): boolean {
    const requirements = this.requirements;
    for (let k = 0; k < requirements.length; k++) if (!test(requirements[k] as Requirement, labels)) return false;
    return true;
  }
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

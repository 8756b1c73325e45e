// What label selectors can see of a pod: its labels under the keys they read. Pods whose labels agree on
// those keys get the same answer from every such selector, so consumers group pods by this projection
// instead of by whole label sets (pod-template-hash alone makes every Deployment's set unique).
import type { Labels } from './selectors.ts';

export class LabelProjection {
  private readonly keys: readonly string[];
  constructor(keys: Iterable<string>) {
    this.keys = [...new Set(keys)].sort();
  }

  /** Whether two label sets agree on the keys (a cheap test before building and hashing `key`). */
  equal(a: Labels, b: Labels): boolean {
    if (a === b) return true;
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k] as string;
      // Equal values (===) have equal text below; a false negative only costs the caller a `key` call.
      if (a[key] !== b[key] || Object.hasOwn(a, key) !== Object.hasOwn(b, key)) return false;
    }
    return true;
  }

  /** Canonical text of `labels` under the keys: equal text ⇒ equal answers from the selectors. */
  key(labels: Labels): string {
    let text = '';
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k] as string;
      if (!Object.hasOwn(labels, key)) continue;
      // Length-prefixed, so no key or value can run into the next. Hand-built or loosely parsed input may
      // carry a non-string value: it stays distinct from its text form.
      const raw: unknown = labels[key];
      const value = typeof raw === 'string' ? `s${raw}` : `j${String(JSON.stringify(raw))}`;
      text += `${key.length}:${key}${value.length}:${value}`;
    }
    return text;
  }
}

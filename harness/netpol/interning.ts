// Small-integer ids for the all-pairs compression: groups and memo tables are then flat arrays.
import type { CompiledSelector, Labels } from './selectors.ts';

/** Text keys to small integers, in order of first appearance. */
export class Interner {
  private readonly ids = new Map<string, number>();
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
}

/** Pairs (a, b) with 0 <= b < bCount to small integers, in order of first appearance. */
export class PairInterner {
  private readonly ids = new Map<number, number>();
  private readonly bCount: number;
  constructor(bCount: number) {
    this.bCount = Math.max(bCount, 1);
  }
  /** The pair's id: a new pair gets the next one, so `id === count before` tells the caller it is new. */
  id(a: number, b: number): number {
    const key = a * this.bCount + b;
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }
}

/** selector × label-set answers, computed on first use (0 unknown, 1 no, 2 yes). */
export class SelectorMemo {
  private readonly selectors: CompiledSelector[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly results: Uint8Array[] = [];
  private readonly labelSets: readonly Labels[];
  constructor(labelSets: readonly Labels[]) {
    this.labelSets = labelSets;
  }
  register(selector: CompiledSelector): number {
    let id = this.byKey.get(selector.key);
    if (id === undefined) {
      this.byKey.set(selector.key, (id = this.selectors.length));
      this.selectors.push(selector);
      this.results.push(new Uint8Array(this.labelSets.length));
    }
    return id;
  }
  matches(selectorId: number, labelSetId: number): boolean {
    const row = this.results[selectorId] as Uint8Array;
    let r = row[labelSetId] as number;
    if (r === 0)
      row[labelSetId] = r = (this.selectors[selectorId] as CompiledSelector).matches(this.labelSets[labelSetId] as Labels) ? 2 : 1;
    return r === 2;
  }
}

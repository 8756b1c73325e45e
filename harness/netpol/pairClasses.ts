// Equivalence classes of all-pairs: a pod as SOURCE is its (egress row, source column), as DESTINATION its
// (ingress row, destination column). Pods of one class are indistinguishable to every policy, so a pair's
// answer is a class pair's answer: two bit reads in the decision tables. The class matrix is never
// materialised (classes² work at most, no classes² memory).
import type { DecisionTables } from './decisionTables.ts';
import type { PodGroups } from './podGroups.ts';

/** Pods grouped by the pair (a[i], b[i]): class ids in order of first appearance, with sizes and a member. */
class Classes {
  readonly of: Int32Array;
  readonly rep: number[] = [];
  readonly size: number[] = [];
  constructor(a: Int32Array, b: Int32Array, bCount: number) {
    const n = a.length;
    const ids = new Map<number, number>();
    this.of = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const ai = a[i] as number;
      const bi = b[i] as number;
      // Neighbours are often replicas with the same pair: no lookup.
      let id = i > 0 && ai === a[i - 1] && bi === b[i - 1] ? (this.of[i - 1] as number) : ids.get(ai * bCount + bi);
      if (id === undefined) {
        ids.set(ai * bCount + bi, (id = this.rep.length));
        this.rep.push(i);
        this.size.push(0);
      }
      this.of[i] = id;
      this.size[id] = (this.size[id] as number) + 1;
    }
  }
  get count(): number {
    return this.rep.length;
  }
}

export class PairClasses {
  readonly source: Classes;
  readonly dest: Classes;
  /** Per source class: its egress row's offset in words, its source column, its size. */
  private readonly sourceRow: Int32Array;
  private readonly sourceCol: Int32Array;
  private readonly sourceSize: Int32Array;
  /** Per destination class: its ingress row, its destination column. */
  private readonly destIngress: Int32Array;
  private readonly destCol: Int32Array;
  /** Destination classes by ingress row: those of row r at byRow[rowStart[r] … rowStart[r + 1]). */
  private readonly rowStart: Int32Array;
  private readonly byRowCol: Int32Array;
  private readonly byRowSize: Int32Array;
  private readonly sourceWords: number;
  private readonly sourceColumns: number;
  private readonly ingressRows: number;

  constructor(groups: PodGroups, tables: DecisionTables) {
    this.source = new Classes(groups.egressOf, groups.sourceOf, groups.sourceColumns.length);
    this.dest = new Classes(groups.ingressOf, groups.destOf, groups.destColumns.length);
    this.sourceRow = Int32Array.from(this.source.rep, (r) => (groups.egressOf[r] as number) * tables.destWords);
    this.sourceCol = Int32Array.from(this.source.rep, (r) => groups.sourceOf[r] as number);
    this.sourceSize = Int32Array.from(this.source.size);
    this.destIngress = Int32Array.from(this.dest.rep, (r) => groups.ingressOf[r] as number);
    this.destCol = Int32Array.from(this.dest.rep, (r) => groups.destOf[r] as number);
    this.sourceWords = tables.sourceWords;
    this.sourceColumns = groups.sourceColumns.length;
    this.ingressRows = groups.ingressRows.length;
    // Counting sort of the destination classes by ingress row.
    this.rowStart = new Int32Array(this.ingressRows + 1);
    for (let d = 0; d < this.dest.count; d++) {
      const next = (this.destIngress[d] as number) + 1;
      this.rowStart[next] = (this.rowStart[next] as number) + 1;
    }
    for (let r = 0; r < this.ingressRows; r++) this.rowStart[r + 1] = (this.rowStart[r + 1] as number) + (this.rowStart[r] as number);
    const fill = this.rowStart.slice(0, this.ingressRows);
    this.byRowCol = new Int32Array(this.dest.count);
    this.byRowSize = new Int32Array(this.dest.count);
    for (let d = 0; d < this.dest.count; d++) {
      const row = this.destIngress[d] as number;
      const at = fill[row] as number;
      fill[row] = at + 1;
      this.byRowCol[at] = this.destCol[d] as number;
      this.byRowSize[at] = this.dest.size[d] as number;
    }
  }

  /** May pod `from` reach pod `to`, given one port's tables. */
  allowed(egress: Uint32Array, ingress: Uint32Array, from: number, to: number): boolean {
    const s = this.source.of[from] as number;
    const d = this.dest.of[to] as number;
    const dc = this.destCol[d] as number;
    const sc = this.sourceCol[s] as number;
    return (
      bit(egress, (this.sourceRow[s] as number) + (dc >>> 5), dc) &&
      bit(ingress, (this.destIngress[d] as number) * this.sourceWords + (sc >>> 5), sc)
    );
  }

  /**
   * Allowed ordered pod pairs on one port's tables. Per source class, only the ingress rows that admit it are
   * visited (the ingress table transposed: source column → admitting rows), and their destination classes
   * tested against the source's egress row: work follows the allowed pairs, which default-deny keeps few.
   */
  count(egress: Uint32Array, ingress: Uint32Array): number {
    const rowWords = (this.ingressRows + 31) >>> 5;
    const admitting = this.transpose(ingress, rowWords);
    let total = 0;
    for (let s = 0; s < this.sourceRow.length; s++) {
      total += this.reach(egress, admitting, rowWords, s) * (this.sourceSize[s] as number);
    }
    return total;
  }

  /** Destination pods source class `s` reaches. */
  private reach(egress: Uint32Array, admitting: Uint32Array, rowWords: number, s: number): number {
    const eRow = this.sourceRow[s] as number;
    const base = (this.sourceCol[s] as number) * rowWords;
    let pods = 0;
    for (let w = 0; w < rowWords; w++) {
      let word = admitting[base + w] as number;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const row = (w << 5) + (31 - Math.clz32(low));
        for (let k = this.rowStart[row] as number; k < (this.rowStart[row + 1] as number); k++) {
          const dc = this.byRowCol[k] as number;
          if (bit(egress, eRow + (dc >>> 5), dc)) pods += this.byRowSize[k] as number;
        }
      }
    }
    return pods;
  }

  /** For each source column, the bitset of ingress rows admitting it. */
  private transpose(ingress: Uint32Array, rowWords: number): Uint32Array {
    const out = new Uint32Array(this.sourceColumns * rowWords);
    for (let r = 0; r < this.ingressRows; r++) {
      const at = r >>> 5;
      const mask = 1 << (r & 31);
      for (let w = 0; w < this.sourceWords; w++) {
        let word = ingress[r * this.sourceWords + w] as number;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          const col = (w << 5) + (31 - Math.clz32(low));
          if (col < this.sourceColumns) out[col * rowWords + at] = (out[col * rowWords + at] as number) | mask;
        }
      }
    }
    return out;
  }
}

/** Bit `col & 31` of word `word`. */
function bit(table: Uint32Array, word: number, col: number): boolean {
  return (((table[word] as number) >>> (col & 31)) & 1) === 1;
}

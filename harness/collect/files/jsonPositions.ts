// Positions inside a JSON text without a second full parse: JSON.parse gives the values (fast), and this scanner
// finds where a value at a given path starts by skipping over siblings. The yaml package would give positions too,
// but it parses large JSON (kubectl get -A -o json of thousands of pods) two orders of magnitude slower.

export class JsonPositions {
  private readonly text: string;
  private lineStarts: number[] | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** Offset of the root value. */
  root(): number {
    return this.skipWs(0);
  }

  /** Offsets of the children of the container starting at `offset`: object keys or array indexes, in order. */
  children(offset: number): { key: string | number; offset: number }[] {
    const t = this.text;
    const open = t[offset];
    if (open !== '{' && open !== '[') return [];
    const out: { key: string | number; offset: number }[] = [];
    let i = this.skipWs(offset + 1);
    let index = 0;
    while (i < t.length && t[i] !== '}' && t[i] !== ']') {
      let key: string | number = index++;
      if (open === '{') {
        const end = this.skipString(i);
        key = JSON.parse(t.slice(i, end)) as string;
        i = this.skipWs(end);
        i = this.skipWs(i + 1); // ':'
      }
      out.push({ key, offset: i });
      i = this.skipWs(this.skipValue(i));
      if (t[i] === ',') i = this.skipWs(i + 1);
    }
    return out;
  }

  /** Offset of the value at `path` below the value at `from`, or undefined when the path does not exist. */
  find(from: number, path: (string | number)[]): number | undefined {
    let offset = from;
    for (const segment of path) {
      const child = this.children(offset).find((c) => c.key === segment);
      if (!child) return undefined;
      offset = child.offset;
    }
    return offset;
  }

  /** 1-based line and column of an offset. */
  linePos(offset: number): { line: number; col: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }

  private skipWs(i: number): number {
    const t = this.text;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    return i;
  }

  /** `i` at an opening quote → index after the closing quote. */
  private skipString(i: number): number {
    const t = this.text;
    for (let j = i + 1; j < t.length; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x5c)
        j++; // backslash: skip the escaped char
      else if (c === 0x22) return j + 1;
    }
    return t.length;
  }

  /** Index after the value starting at `i`. */
  private skipValue(i: number): number {
    const t = this.text;
    const c = t[i];
    if (c === '"') return this.skipString(i);
    if (c === '{' || c === '[') {
      let depth = 0;
      for (let j = i; j < t.length; j++) {
        const d = t.charCodeAt(j);
        if (d === 0x22) j = this.skipString(j) - 1;
        else if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          depth--;
          if (depth === 0) return j + 1;
        }
      }
      return t.length;
    }
    let j = i;
    while (j < t.length && !',]} \n\r\t'.includes(t[j] as string)) j++;
    return j;
  }
}

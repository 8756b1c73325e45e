// A YAML file parsed once, keeping node positions so any later problem (schema or semantic) can be reported at
// file:line:column. Shared by the spec loader and the control catalogue loader.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import { errorMessage, type InputProblem } from '../errors.ts';

export interface YamlSource {
  file: string;
  /** The document as plain JSON-like data (YAML 1.2 core schema: `yes` stays a string, dates stay strings). */
  value: unknown;
  /** 1-based position of the node at a JSON pointer; `key: true` points at the key of the last segment instead of its value. */
  locate(pointer: string, options?: { key?: boolean }): { line: number; column: number } | undefined;
}

/** Parses exactly one YAML document; syntax problems come back as InputProblems (all of them), never thrown. */
export function parseYamlSource(text: string, file: string): { source?: YamlSource; problems: InputProblem[] } {
  const lineCounter = new LineCounter();
  // uniqueKeys: a repeated key silently overriding the first is a classic spec bug; make it an error.
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (docs.length === 0) {
    // An EmptyStream: the file holds no document at all (empty or only comments).
    return { problems: [{ file, line: 1, column: 1, message: 'the file is empty: expected one YAML document', fix: emptyFix }] };
  }
  const problems: InputProblem[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      problems.push({
        file,
        ...position(error.pos[0]),
        message: `YAML syntax: ${firstLine(error.message)} (${error.code})`,
        fix: syntaxFix(error.code),
      });
    }
  }
  if (docs.length > 1) {
    const second = docs[1];
    const at = second?.range[0] ?? 0;
    problems.push({
      file,
      ...position(at),
      message: `expected one YAML document, found ${docs.length} (separated by ---)`,
      fix: 'keep a single document per spec file; remove the extra --- separators',
    });
  }
  const doc = docs[0];
  if (problems.length > 0 || doc === undefined) return { problems };
  if (doc.contents === null) {
    return { problems: [{ file, line: 1, column: 1, message: 'the file is empty: expected one YAML document', fix: emptyFix }] };
  }
  // maxAliasCount bounds alias expansion (a "billion laughs" file is bad input, not a hang).
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      problems: [
        {
          file,
          line: 1,
          column: 1,
          message: `YAML could not be converted: ${errorMessage(error)}`,
          fix: 'avoid deeply nested aliases (*anchor) and custom tags',
        },
      ],
    };
  }
  return {
    problems: [],
    source: {
      file,
      value,
      locate: (pointer, options) => {
        const found = findNode(doc, parsePointer(pointer), options?.key ?? false);
        return found?.range ? position(found.range[0]) : undefined;
      },
    },
  };
}

const emptyFix = 'start from fixtures/specs/valid-minimal.yaml';

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function syntaxFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove or rename one of the repeated keys';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'check the indentation and the "key: value" form on this line (lists use "- item")';
    case 'RESOURCE_EXHAUSTION':
      return 'the file nests too deeply; a spec needs only a few levels';
    case 'BAD_DQ_ESCAPE':
      return 'escape backslashes in double-quoted strings, or use single quotes';
    default:
      return 'fix the YAML syntax at this position';
  }
}

/** RFC 6901: `/a/b~1c/0` → ['a', 'b/c', '0']. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * Walks the YAML node tree along a pointer. When the path runs out (the value is missing or null) it returns the
 * deepest node reached, so a problem is still reported near where the user must type.
 */
function findNode(doc: Document, segments: string[], wantKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let lastPair: Pair | undefined;
  let deepest: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (const segment of segments) {
    lastPair = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return deepest;
      lastPair = pair;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
    } else {
      return deepest;
    }
    const asNode = node as Node | null | undefined;
    if (asNode?.range) deepest = asNode;
    else if (lastPair && isScalar(lastPair.key)) return lastPair.key;
    else return deepest;
  }
  if (wantKey && lastPair && isScalar(lastPair.key)) return lastPair.key;
  return deepest;
}

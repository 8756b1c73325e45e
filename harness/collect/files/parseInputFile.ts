// One input file → the objects in it, each with where it starts (file, document index, line:col).
// A `kind: *List` document (kubectl get -A -o yaml) and a top-level array are unpacked into their items, so
// `kubectl get` output and separate manifests give the same objects. Problems are collected, never thrown.
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../../model/findings.ts';
import type { InputProblem } from '../../errors.ts';
import { kubernetesYamlOptions } from '../yamlOptions.ts';
import { JsonPositions } from './jsonPositions.ts';

export interface ParsedObject {
  value: unknown;
  location: SourceLocation;
  /** Location of a value inside this object (path of keys/indexes), for objects nested in AWS/terraform outputs. */
  locate(path: (string | number)[]): SourceLocation;
}

export function parseInputFile(file: string, text: string): { objects: ParsedObject[]; problems: InputProblem[] } {
  if (file.toLowerCase().endsWith('.json')) return parseJsonFile(file, text);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, kubernetesYamlOptions(lineCounter));
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const problems: InputProblem[] = [];
  const objects: ParsedObject[] = [];

  list.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = lineCounter.linePos(error.pos[0]);
        problems.push({
          file,
          line: pos.line,
          column: pos.col,
          message: `document ${documentIndex} (0-based): invalid YAML: ${firstLine(error.message)} [${error.code}]`,
          fix: fixFor(error.code, false),
        });
      }
      return;
    }
    const root = doc.contents;
    if (root === null || (root as { value?: unknown }).value === null) return; // empty document (`---` at the end)
    const at = (node: Node | null | undefined, index: number): SourceLocation => {
      const offset = node?.range?.[0] ?? doc.range[0];
      const pos = lineCounter.linePos(offset);
      return { file, documentIndex: index, line: pos.line, column: pos.col };
    };
    const make = (node: Node, index: number, base: (string | number)[]): ParsedObject | undefined => {
      let value: unknown;
      try {
        value = node.toJS(doc, { maxAliasCount: 1000 });
      } catch (error) {
        // Only unresolvable aliases and alias bombs get here; the parser reported everything else.
        const pos = at(node, index);
        problems.push({ file, line: pos.line, column: pos.column,
          message: `document ${index} (0-based): ${error instanceof Error ? error.message : String(error)}`,
          fix: 'define every anchor (&name) before its alias (*name), or write the value out' });
        return undefined;
      }
      return { value, location: at(node, index), locate: (path) => at(doc.getIn([...base, ...path], true) as Node | undefined ?? node, index) };
    };
    const push = (made: ParsedObject | undefined): void => {
      if (made) objects.push(made);
    };

    if (isSeq(root)) {
      // A bare array: its elements share the document's index (in JSON files each element is a "document").
      root.items.forEach((item, i) => {
        if (isMap(item)) push(make(item, documentIndex, [i]));
      });
      return;
    }
    const items = isMap(root) ? root.get('items', true) : undefined;
    if (isMap(root) && isSeq(items) && isKubernetesList({ apiVersion: root.get('apiVersion'), kind: root.get('kind'), items: [] })) {
      items.items.forEach((item, i) => {
        if (isMap(item)) push(make(item, documentIndex, ['items', i]));
      });
      return;
    }
    push(make(root as Node, documentIndex, []));
  });
  return { objects, problems };
}

/**
 * JSON: JSON.parse for the values (it is what `kubectl … -o json` and the AWS CLI emit), positions from JsonPositions.
 * Same packaging rules as YAML: a root array's elements are "documents", a `*List` is unpacked into its items.
 */
function parseJsonFile(file: string, text: string): { objects: ParsedObject[]; problems: InputProblem[] } {
  const positions = new JsonPositions(text);
  let root: unknown;
  try {
    root = JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? text.length);
    const pos = positions.linePos(offset);
    return { objects: [], problems: [{ file, line: pos.line, column: pos.col, message: `document 0 (0-based): invalid JSON: ${message.replace(/ \(line \d+ column \d+\)$/, '')}`,
      fix: fixFor('', true) }] };
  }
  const at = (offset: number, documentIndex: number): SourceLocation => {
    const pos = positions.linePos(offset);
    return { file, documentIndex, line: pos.line, column: pos.col };
  };
  const make = (value: unknown, offset: number, documentIndex: number): ParsedObject => ({
    value, location: at(offset, documentIndex), locate: (path) => at(positions.find(offset, path) ?? offset, documentIndex),
  });
  const rootOffset = positions.root();
  if (Array.isArray(root)) {
    const children = positions.children(rootOffset);
    return { objects: root.flatMap((v, i) => (isPlainObject(v) ? [make(v, children[i]?.offset ?? rootOffset, i)] : [])), problems: [] };
  }
  if (isKubernetesList(root)) {
    const itemsOffset = positions.find(rootOffset, ['items']) ?? rootOffset;
    const children = positions.children(itemsOffset);
    return { objects: root.items.flatMap((v, i) => (isPlainObject(v) ? [make(v, children[i]?.offset ?? itemsOffset, 0)] : [])), problems: [] };
  }
  return { objects: root !== null && typeof root === 'object' ? [make(root, rootOffset, 0)] : [], problems: [] };
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `kind: List`, `PodList`, … with an `items` array: what `kubectl get -o yaml` prints. */
export function isKubernetesList(value: unknown): value is { items: unknown[] } {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.apiVersion === 'string' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function fixFor(code: string, isJson: boolean): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove or rename the repeated key (the API server would silently keep only one of them)';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'align the entry with its siblings and close every [ or { on the same level';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'put a space after the colon ("key: value") or quote a value containing ": "';
    default:
      return isJson
        ? 'fix the JSON syntax here (`node -e "JSON.parse(require(\'fs\').readFileSync(process.argv[1]))" FILE` shows it too)'
        : 'fix the YAML syntax here (`kubectl apply --dry-run=client -f FILE` shows the same error)';
  }
}

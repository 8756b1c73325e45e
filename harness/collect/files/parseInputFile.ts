// One input file → the objects in it, each with where it starts (file, document index, line:col).
// A `kind: *List` document (kubectl get -A -o yaml) and a top-level array are unpacked into their items, so
// `kubectl get` output and separate manifests give the same objects. Problems are collected, never thrown.
import { Composer, isMap, isSeq, LineCounter, Parser, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../../model/findings.ts';
import { errorMessage, type InputProblem } from '../../errors.ts';
import { kubernetesYamlOptions } from '../yamlOptions.ts';
import { JsonPositions } from './jsonPositions.ts';
import { jsonTooDeepAt, MAX_NESTING_DEPTH, yamlTooDeepAt } from './nestingDepth.ts';
import { JSON_FIX, yamlErrorFix, type ErrorLines } from './yamlErrorFixes.ts';

export interface ParsedObject {
  value: unknown;
  location: SourceLocation;
  /** Location of a value inside this object (path of keys/indexes), for objects nested in AWS/terraform outputs. */
  locate(path: (string | number)[]): SourceLocation;
}

/** Every object of a file at once (rendered output, tests). Files are read with `parseInputObjects`. */
export function parseInputFile(file: string, text: string): { objects: ParsedObject[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const objects = [...parseInputObjects(file, text, problems)];
  return { objects, problems };
}

/**
 * The objects of a file one document at a time, problems pushed as they are found. A YAML document is composed only
 * when the caller asks for the next object, so memory follows the largest document, not the file, as long as the
 * caller lets each object go.
 */
export function* parseInputObjects(file: string, text: string, problems: InputProblem[]): Generator<ParsedObject, void, undefined> {
  if (file.toLowerCase().endsWith('.json')) {
    yield* parseJsonFile(file, text, problems);
    return;
  }
  const lineCounter = new LineCounter();
  const tooDeep = (offset: number, documentIndex: number): InputProblem => {
    const pos = lineCounter.linePos(offset);
    return {
      file,
      line: pos.line,
      column: pos.col,
      message: `document ${documentIndex} (0-based): nested more than ${MAX_NESTING_DEPTH} levels deep`,
      fix: `flatten the structure: no Kubernetes object nests anywhere near ${MAX_NESTING_DEPTH} levels (an unclosed [ or { also looks like this)`,
    };
  };
  let documentIndex = -1;
  for (const { doc, tooDeepAt } of yamlDocuments(text, lineCounter)) {
    documentIndex++;
    if (tooDeepAt !== undefined) {
      problems.push(tooDeep(tooDeepAt, documentIndex));
      continue;
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = lineCounter.linePos(error.pos[0]);
        problems.push({
          file,
          line: pos.line,
          column: pos.col,
          message: `document ${documentIndex} (0-based): invalid YAML: ${firstLine(error.message)} [${error.code}]`,
          fix: yamlErrorFix(error.code, error.message, errorLines(text, lineCounter, pos.line)),
        });
      }
      continue;
    }
    const root = doc.contents;
    if (root === null || (root as { value?: unknown }).value === null) continue; // empty document (`---` at the end)
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
        problems.push({
          file,
          line: pos.line,
          column: pos.column,
          message: `document ${index} (0-based): ${errorMessage(error)}`,
          fix: 'define every anchor (&name) before its alias (*name), or write the value out',
        });
        return undefined;
      }
      return {
        value,
        location: at(node, index),
        locate: (path) => at((doc.getIn([...base, ...path], true) as Node | undefined) ?? node, index),
      };
    };
    // A bare array: its elements share the document's index (in JSON files each element is a "document").
    const items = isMap(root) ? root.get('items', true) : undefined;
    const list = isSeq(root)
      ? { items: root.items, base: [] }
      : isMap(root) && isSeq(items) && isKubernetesList({ apiVersion: root.get('apiVersion'), kind: root.get('kind'), items: [] })
        ? { items: items.items, base: ['items'] }
        : undefined;
    if (!list) {
      const made = make(root as Node, documentIndex, []);
      if (made) yield made;
      continue;
    }
    for (const [i, item] of list.items.entries()) {
      const made = isMap(item) ? make(item, documentIndex, [...list.base, i]) : undefined;
      if (made) yield made;
    }
  }
}

/**
 * YAML documents one at a time (the Parser and Composer stream; parseAllDocuments would hold every document).
 * A document nested deeper than the limit is not composed (the composer is recursive): an empty one stands in for it
 * and `tooDeepAt` gives the offset to report.
 */
function* yamlDocuments(text: string, lineCounter: LineCounter): Generator<{ doc: Document.Parsed; tooDeepAt?: number }> {
  const composer = new Composer(kubernetesYamlOptions());
  const tooDeep: number[] = []; // by document index
  let tokens = 0;
  let emitted = 0;
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) {
    let next = token;
    if (token.type === 'document') {
      const deep = yamlTooDeepAt(token);
      if (deep !== undefined) {
        tooDeep[tokens] = deep;
        next = { type: 'document', offset: token.offset, start: token.start };
      }
      tokens++;
    }
    for (const doc of composer.next(next)) yield withDepth(doc, tooDeep[emitted++]);
  }
  for (const doc of composer.end()) yield withDepth(doc, tooDeep[emitted++]);
}

function withDepth(doc: Document.Parsed, tooDeepAt: number | undefined): { doc: Document.Parsed; tooDeepAt?: number } {
  return tooDeepAt === undefined ? { doc } : { doc, tooDeepAt };
}

/**
 * JSON: JSON.parse for the values (it is what `kubectl … -o json` and the AWS CLI emit), positions from JsonPositions.
 * Same packaging rules as YAML: a root array's elements are "documents", a `*List` is unpacked into its items.
 */
function* parseJsonFile(file: string, text: string, problems: InputProblem[]): Generator<ParsedObject, void, undefined> {
  const positions = new JsonPositions(text);
  const deep = jsonTooDeepAt(text);
  if (deep !== undefined) {
    const pos = positions.linePos(deep);
    problems.push({
      file,
      line: pos.line,
      column: pos.col,
      message: `document 0 (0-based): nested more than ${MAX_NESTING_DEPTH} levels deep`,
      fix: `flatten the structure: no Kubernetes object, AWS CLI output or terraform plan nests anywhere near ${MAX_NESTING_DEPTH} levels (an unclosed [ or { also looks like this)`,
    });
    return;
  }
  let root: unknown;
  try {
    root = JSON.parse(text) as unknown;
  } catch (error) {
    const message = errorMessage(error);
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? text.length);
    const pos = positions.linePos(offset);
    problems.push({
      file,
      line: pos.line,
      column: pos.col,
      message: `document 0 (0-based): invalid JSON: ${message.replace(/ \(line \d+ column \d+\)$/, '')}`,
      fix: JSON_FIX,
    });
    return;
  }
  const at = (offset: number, documentIndex: number): SourceLocation => {
    const pos = positions.linePos(offset);
    return { file, documentIndex, line: pos.line, column: pos.col };
  };
  const make = (value: unknown, offset: number, documentIndex: number): ParsedObject => ({
    value,
    location: at(offset, documentIndex),
    locate: (path) => at(positions.find(offset, path) ?? offset, documentIndex),
  });
  const rootOffset = positions.root();
  if (Array.isArray(root)) {
    const children = positions.children(rootOffset);
    for (const [i, v] of root.entries()) if (isPlainObject(v)) yield make(v, children[i]?.offset ?? rootOffset, i);
    return;
  }
  if (isKubernetesList(root)) {
    const itemsOffset = positions.find(rootOffset, ['items']) ?? rootOffset;
    const children = positions.children(itemsOffset);
    for (const [i, v] of root.items.entries()) if (isPlainObject(v)) yield make(v, children[i]?.offset ?? itemsOffset, 0);
    return;
  }
  if (root !== null && typeof root === 'object') yield make(root, rootOffset, 0);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `kind: List`, `PodList`, … with an `items` array: what `kubectl get -o yaml` prints. */
function isKubernetesList(value: unknown): value is { items: unknown[] } {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.apiVersion === 'string' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** The text of 1-based `line` and of the non-blank, non-comment lines around it, for hints that depend on indentation. */
function errorLines(text: string, lineCounter: LineCounter, line: number): ErrorLines {
  const starts = lineCounter.lineStarts;
  const lineText = (n: number): string => text.slice(starts[n - 1] ?? text.length, starts[n] ?? text.length).replace(/\r?\n$/, '');
  const meaningful = (n: number): boolean => lineText(n).trim() !== '' && !lineText(n).trimStart().startsWith('#');
  let previous = line - 1;
  while (previous >= 1 && !meaningful(previous)) previous--;
  let next = line + 1;
  while (next <= starts.length && !meaningful(next)) next++;
  return {
    line: lineText(line),
    ...(previous >= 1 ? { previous: lineText(previous) } : {}),
    ...(next <= starts.length ? { next: lineText(next) } : {}),
  };
}

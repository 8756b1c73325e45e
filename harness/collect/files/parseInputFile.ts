// One input file → the objects in it, each with where it starts (file, document index, line:col).
// A `kind: *List` document (kubectl get -A -o yaml) and a top-level array are unpacked into their items, so
// `kubectl get` output and separate manifests give the same objects. Problems are collected, never thrown.
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../../model/findings.ts';
import type { InputProblem } from '../../errors.ts';
import { jsonOptions, kubernetesYamlOptions } from '../yamlOptions.ts';

export interface ParsedObject {
  value: unknown;
  location: SourceLocation;
  /** Location of a value inside this object (path of keys/indexes), for objects nested in AWS/terraform outputs. */
  locate(path: (string | number)[]): SourceLocation;
}

export function parseInputFile(file: string, text: string): { objects: ParsedObject[]; problems: InputProblem[] } {
  const lineCounter = new LineCounter();
  const isJson = file.toLowerCase().endsWith('.json');
  const docs = parseAllDocuments(text, isJson ? jsonOptions(lineCounter) : kubernetesYamlOptions(lineCounter));
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
          message: `document ${documentIndex} (0-based): ${isJson ? 'invalid JSON' : 'invalid YAML'}: ${firstLine(error.message)} [${error.code}]`,
          fix: fixFor(error.code, isJson),
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
      // A bare array: in JSON each element is a "document"; in YAML the elements share the document's index.
      root.items.forEach((item, i) => {
        if (item && typeof item === 'object') push(make(item as Node, isJson ? i : documentIndex, [i]));
      });
      return;
    }
    const items = isMap(root) ? root.get('items', true) : undefined;
    if (isMap(root) && isSeq(items) && isKubernetesList({ apiVersion: root.get('apiVersion'), kind: root.get('kind'), items: [] })) {
      items.items.forEach((item, i) => {
        if (item && typeof item === 'object') push(make(item as Node, documentIndex, ['items', i]));
      });
      return;
    }
    push(make(root as Node, documentIndex, []));
  });
  return { objects, problems };
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

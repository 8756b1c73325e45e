// A fix written for each error the `yaml` package reports, so the hint matches the mistake. Some codes cover several
// mistakes (MISSING_CHAR: a quote, a comma, a space…); the message and the lines around the error tell them apart.
import type { ErrorCode } from 'yaml';

const GENERIC_YAML_FIX = 'fix the YAML syntax here (`kubectl apply --dry-run=client -f FILE` shows the same error)';
export const JSON_FIX =
  'fix the JSON syntax here (`node -e "JSON.parse(require(\'fs\').readFileSync(process.argv[1]))" FILE` shows it too)';

/** The line holding the error and the non-blank lines around it. */
export interface ErrorLines {
  line: string;
  previous?: string;
  next?: string;
}

const BY_CODE: Record<ErrorCode, string | ((message: string, lines: ErrorLines) => string)> = {
  DUPLICATE_KEY: 'remove or rename the repeated key (the API server would silently keep only one of them)',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: (message) =>
    message.startsWith('Flow')
      ? 'close the [ or { with ] or }, and indent its continuation lines further than the key it belongs to'
      : 'indent this entry exactly like its siblings: all entries of one mapping or list start at the same column',
  MISSING_CHAR: missingChar,
  BLOCK_AS_IMPLICIT_KEY: (_m, lines) =>
    overIndented(lines)
      ? INDENTED_TOO_FAR
      : 'a value cannot start a mapping on the same line: move "key: value" to its own line, indented below its parent key, or quote a value that contains ": "',
  MULTILINE_IMPLICIT_KEY: (_m, lines) =>
    overIndented(lines)
      ? INDENTED_TOO_FAR
      : 'a key must fit on one line: add the missing ": " after the key, or close the quote that the key opened',
  UNEXPECTED_TOKEN: (message) => {
    if (message.startsWith('Block scalar header'))
      return 'after | or > only - or + and an indentation digit may follow: start the text on the next line';
    if (/^Unexpected (,|empty item)/.test(message)) return 'remove the extra comma: items in [ ] or { } are separated by exactly one comma';
    return 'remove this character or quote the value: plain values cannot hold ] } , or # after a space';
  },
  BAD_SCALAR_START: 'quote the value: a plain value cannot start with @ or ` (write "@value")',
  ALIAS_PROPS: 'remove the tag or anchor from the alias: *name stands for the anchored value as it is',
  BAD_ALIAS: 'name the anchor and its aliases (&name, *name), without a trailing colon',
  BAD_DIRECTIVE: 'only %YAML and %TAG directives exist: remove the line, or quote a value that starts with %',
  BAD_DQ_ESCAPE: 'inside double quotes write a backslash as \\\\ (or use single quotes, where a backslash is literal)',
  BAD_PROP_ORDER: 'write the anchor and the tag directly before the value they belong to',
  BLOCK_IN_FLOW: 'inside [ ] or { } write items as "a, b" or "k: v, k2: v2"; or drop the brackets and use "- " items and indentation',
  KEY_OVER_1024_CHARS:
    'a key this long usually means a missing ": " or an unclosed quote on the lines above; keys must be under 1024 characters',
  MULTIPLE_ANCHORS: 'keep one anchor (&name) per value',
  MULTIPLE_TAGS: 'keep one tag (e.g. !!str) per value',
  MULTIPLE_DOCS: 'separate the documents with a line holding only ---',
  NON_STRING_KEY: 'use a plain string as the key: Kubernetes field names are strings',
  TAG_RESOLVE_FAILED: 'remove the tag, or make the value match it (!!int needs a number); quote the value to keep it a string',
  BAD_COLLECTION_TYPE: 'use the tag that matches the collection (!!map for a mapping, !!seq for a list), or remove it',
  RESOURCE_EXHAUSTION: 'the aliases expand to too much data: write the values out or use fewer aliases',
  IMPOSSIBLE: GENERIC_YAML_FIX,
};

const INDENTED_TOO_FAR =
  "a key here is indented further than the entry above it, so YAML reads it as part of that entry's value: align it with its sibling keys";

export function yamlErrorFix(code: string, message: string, lines: ErrorLines): string {
  const fix = BY_CODE[code as ErrorCode];
  if (fix === undefined) return GENERIC_YAML_FIX;
  return typeof fix === 'string' ? fix : fix(message, lines);
}

function missingChar(message: string): string {
  if (message.startsWith('Missing closing'))
    return 'close the quoted value with the quote it opened with (inside "…" write \\" for a quote)';
  if (message.startsWith('Comments must be separated'))
    return 'put a space before # to start a comment, or quote the value if # is part of it';
  if (message.startsWith('Tags and anchors must be separated')) return 'put a space after the anchor or tag (&name value, !!str value)';
  if (message.includes('directives-end'))
    return 'put a line holding only --- after %YAML or %TAG directives, and start the document on the next line';
  if (message.startsWith('Missing space after :')) return 'put a space after the colon (key: value), or quote a value that contains ":"';
  if (message.startsWith('Missing ,')) return 'separate the items in [ ] or { } with commas';
  if (message.startsWith('Implicit map keys need to be followed'))
    return 'add ": value" after the key, or make the line a list item with "- "';
  if (message.startsWith('Sequence item without')) return 'start each list item with "- "';
  return 'add the missing character the message names';
}

/** A line starts further right than the line above it, which already has a value (`name: x`): the error is reported
 * at the value the indented line continues, or at the indented line itself. */
function overIndented({ line, previous, next }: ErrorLines): boolean {
  const indent = (s: string): number => s.length - s.trimStart().length;
  const hasValue = (s: string): boolean => /:\s+\S/.test(s) && !/:\s*[|>][-+0-9]*\s*$/.test(s);
  const under = (above: string | undefined, below: string | undefined): boolean =>
    above !== undefined && below !== undefined && indent(below) > indent(above) && hasValue(above);
  return under(previous, line) || under(line, next);
}

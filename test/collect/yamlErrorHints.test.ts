// One broken manifest per error the yaml package reports: the hint names the fix for that mistake, at its line.
import { describe, expect, test } from 'vitest';
import { parseInputFile } from '../../harness/collect/files/parseInputFile.ts';

const H = 'apiVersion: v1\nkind: ConfigMap\n';

function problemsOf(text: string) {
  return parseInputFile('broken.yaml', text).problems;
}

// [what is wrong, manifest, code reported, line, a phrase the fix must contain]
const cases: [string, string, string, number, RegExp][] = [
  ['a key repeated', `${H}metadata:\n  name: a\n  name: b\n`, 'DUPLICATE_KEY', 5, /repeated key/],
  ['a tab as indentation', `${H}metadata:\n\tname: a\n`, 'TAB_AS_INDENT', 4, /spaces, not tabs/],
  ['a key indented less than its siblings', `${H}metadata:\n    name: x\n  labels: {}\n`, 'BAD_INDENT', 5, /same column/],
  ['an unclosed {', `${H}metadata: {name: x\n`, 'BAD_INDENT', 4, /close the \[ or \{/],
  ['an unclosed double quote', `${H}metadata:\n  name: "x\n`, 'MISSING_CHAR', 5, /close the quoted value/],
  ['a # glued to a quoted value', `${H}data:\n  a: "e"#f\n`, 'MISSING_CHAR', 4, /space before #/],
  ['an anchor glued to its value', `${H}a: &x[1]\n`, 'MISSING_CHAR', 3, /space after the anchor/],
  ['a %YAML directive without ---', `%YAML 1.1\n${H}`, 'MISSING_CHAR', 2, /---/],
  ['a mapping on the same line as its key', `${H}metadata: name: x\n`, 'BLOCK_AS_IMPLICIT_KEY', 3, /own line/],
  ['a key without its colon', `${H}metadata:\n  name x\n  namespace: y\n`, 'MULTILINE_IMPLICIT_KEY', 4, /missing ": "/],
  ['a quoted key over two lines', `${H}metadata:\n  "name\n  x": a\n`, 'MULTILINE_IMPLICIT_KEY', 4, /fit on one line/],
  ['a double comma in a flow map', `${H}metadata: {name: a,, b: c}\n`, 'UNEXPECTED_TOKEN', 3, /extra comma/],
  ['text after a block scalar indicator', `${H}data:\n  a: |x\n    b\n`, 'UNEXPECTED_TOKEN', 4, /next line/],
  ['a value starting with @', `${H}metadata:\n  name: @x\n`, 'BAD_SCALAR_START', 4, /quote the value/],
  ['an alias with a tag', `${H}data:\n  a: &x v\n  b: !!str *x\n`, 'ALIAS_PROPS', 5, /remove the tag or anchor from the alias/],
  ['an anchor without a name', `${H}data:\n  a: & v\n`, 'BAD_ALIAS', 4, /name the anchor/],
  ['an unknown escape in double quotes', `${H}data:\n  a: "C:\\qtmp"\n`, 'BAD_DQ_ESCAPE', 4, /backslash as \\\\ /],
  ['"- " items inside brackets', `${H}data: [\n  - a\n]\n`, 'BLOCK_IN_FLOW', 4, /drop the brackets/],
  ['a key over 1024 characters', `${H}${'k'.repeat(1100)}: 1\n`, 'KEY_OVER_1024_CHARS', 3, /missing ": "/],
  ['two anchors on one value', `${H}data:\n  a: &x &y v\n`, 'MULTIPLE_ANCHORS', 4, /one anchor/],
  ['two tags on one value', `${H}data:\n  a: !!str !!str v\n`, 'MULTIPLE_TAGS', 4, /one tag/],
];

describe('every YAML error gets a fix written for it', () => {
  test.each(cases)('%s', (_what, text, code, line, fix) => {
    const problems = problemsOf(text);
    const problem = problems.find((p) => p.message.endsWith(`[${code}]`));
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.line).toBe(line);
    expect(problem?.fix).toMatch(fix);
  });

  test('a key indented further than the entry above is an indentation error, not "add a space after the colon"', () => {
    const problems = problemsOf(`${H}metadata:\n  name: x\n   labels: {}\n`);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.line).toBe(4); // the value `x` that `labels:` is read as continuing
      expect(p.fix).toMatch(/indented further than the entry above it.*align it with its sibling keys/);
    }
  });

  test('an error no specific fix covers still says how to see it with kubectl', () => {
    const problems = problemsOf(`${H}data: [a, b\n`);
    expect(problems[0]?.fix).toBeTruthy();
  });
});

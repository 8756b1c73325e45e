// The layering of harness/, checked on the import statements of every .ts file: the pure evaluators import nothing
// from the live or input half, and probe/chaos reach the provider only through the contracts in model/ (never
// provision/ or suite/). More rules go in RULES.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { packagePath } from '../harness/paths.ts';

interface Rule {
  /** Top-level folder under harness/ whose files are checked. */
  from: string;
  /** Top-level folders under harness/ they must not import. */
  forbidden: string[];
  why: string;
}

const RULES: Rule[] = [
  { from: 'evaluate', forbidden: ['probe', 'chaos', 'provision', 'collect'], why: 'evaluators are pure: they judge collected state only' },
  {
    from: 'probe',
    forbidden: ['provision', 'suite'],
    why: 'live checks see the provider through model/ (LivePlatform, Cluster), never a provisioner',
  },
  {
    from: 'chaos',
    forbidden: ['provision', 'suite'],
    why: 'live checks see the provider through model/ (LivePlatform, Cluster), never a provisioner',
  },
];

const HARNESS = packagePath('harness');
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*\(?\s*['"]([^'"]+)['"]/g;

/** Relative specifiers of a file's import/export statements and dynamic imports. */
export function importsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? '').filter((s) => s.startsWith('.'));
}

/** The top-level harness/ folder a path is in ('' for files directly in harness/ or outside it). */
function area(path: string): string {
  const rel = relative(HARNESS, path);
  const parts = rel.split(/[\\/]/);
  return rel.startsWith('..') || parts.length < 2 ? '' : (parts[0] ?? '');
}

/** Every broken rule: `file → import (rule's reason)`. */
export function violations(files: { path: string; source: string }[], rules: Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const { path, source } of files) {
    const rule = rules.find((r) => r.from === area(path));
    if (!rule) continue;
    for (const spec of importsOf(source)) {
      const target = area(resolve(dirname(path), spec));
      if (rule.forbidden.includes(target))
        out.push(`${relative(HARNESS, path)} imports ${spec}: ${rule.from}/ may not import ${target}/ (${rule.why})`);
    }
  }
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('import rules of harness/', () => {
  test('every .ts under harness/ keeps to the rules', () => {
    const files = tsFiles(HARNESS).map((path) => ({ path, source: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  test('a broken rule is reported (static, type-only, re-export and dynamic imports)', () => {
    const at = (p: string): string => join(HARNESS, p);
    const files = [
      {
        path: at('evaluate/x.ts'),
        source:
          "import { a } from '../probe/podExec.ts';\nimport type { B } from '../collect/bundle.ts';\nimport { c } from '../model/state.ts';",
      },
      { path: at('probe/y.ts'), source: "export { d } from '../provision/docker.ts';\nconst m = await import('../suite/context.ts');" },
      { path: at('chaos/z.ts'), source: "import {\n  e,\n} from '../provision/naming.ts';" },
      { path: at('run/ok.ts'), source: "import { f } from '../provision/docker.ts';" },
    ];
    expect(violations(files).map((v) => v.split(':')[0])).toEqual([
      'evaluate/x.ts imports ../probe/podExec.ts',
      'evaluate/x.ts imports ../collect/bundle.ts',
      'probe/y.ts imports ../provision/docker.ts',
      'probe/y.ts imports ../suite/context.ts',
      'chaos/z.ts imports ../provision/naming.ts',
    ]);
  });
});

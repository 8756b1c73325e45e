// Fuzzing the real CLI with broken inputs: files from the fixtures (manifests, kubectl dumps, AWS CLI outputs,
// terraform plans), mutated by truncation, byte flips, deep nesting, wrong types in any field, huge numbers and
// unicode, dropped into the non-compliant example. Whatever the input, `scan` ends with 0, 1 or 2, never an internal
// error or a stack trace, and never half a set of reports: on 2 no report file, on 0/1 every requested one.
import { cp, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, expect, test } from 'vitest';

const EXAMPLE = 'fixtures/examples/non-compliant';
const REPORTS = ['junit.xml', 'report.json', 'report.html', 'summary.md', 'report.sarif'];
const root = await mkdtemp(join(tmpdir(), 'cp-fuzz-'));
afterAll(() => rm(root, { recursive: true, force: true }));

async function inputFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name) && e.name !== 'clusterproof.yaml')
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
const sources = [...(await inputFiles(EXAMPLE)), ...(await inputFiles('fixtures/collect'))];

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; flips: [number, number][] }
  | { kind: 'unicode'; at: number; text: string }
  | { kind: 'replace'; pick: number; value: unknown; known?: boolean }
  | { kind: 'deep'; pick: number; depth: number };

const WEIRD = fc.constantFrom<unknown>(
  7,
  null,
  true,
  -1,
  0,
  1e308,
  123456789012345678901234567890,
  '',
  'x',
  [],
  {},
  [null],
  { a: 1 },
  '\u202e\u{1F680}\u0000\uFFFD',
  '0644',
  'yes',
  '10.0.0.0/33',
  '*',
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('unicode' as const), at: fc.nat(), text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: WEIRD }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: WEIRD, known: fc.constant(true) }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: WEIRD, known: fc.constant(true) }),
  fc.record({ kind: fc.constant('deep' as const), pick: fc.nat(), depth: fc.constantFrom(50, 999, 1001, 100_000) }),
);

/** Every path to a value in a parsed document, shallow first (so `pick` often hits known fields). */
function paths(value: unknown, base: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 2000) return out;
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push([...base, i]);
      paths(v, [...base, i], out);
    });
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push([...base, k]);
      paths(v, [...base, k], out);
    }
  return out;
}

function setIn(target: unknown, path: (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}

const DEEP = '__clusterproof_fuzz_deep__';
/** Fields evaluators and readers rely on: a wrong type there is what a type guard must catch. */
const KNOWN_FIELDS = new Set([
  'metadata',
  'labels',
  'namespace',
  'name',
  'spec',
  'template',
  'containers',
  'ports',
  'podSelector',
  'namespaceSelector',
  'matchLabels',
  'ingress',
  'egress',
  'from',
  'to',
  'policyTypes',
  'ipBlock',
  'items',
  'Statement',
  'Effect',
  'Principal',
  'Action',
  'Condition',
  'AssumeRolePolicyDocument',
  'PolicyDocument',
  'Vpcs',
  'CidrBlock',
  'Subnets',
  'SecurityGroups',
  'IpPermissions',
  'Reservations',
  'Instances',
  'cluster',
  'resourcesVpcConfig',
  'resource_changes',
  'change',
  'after',
  'values',
  'planned_values',
  'root_module',
  'resources',
  'serviceAccountName',
  'selector',
  'mtls',
  'mode',
  'portLevelMtls',
  'strategy',
  'canary',
  'steps',
  'args',
  'command',
]);

function mutate(file: string, bytes: Buffer, m: Mutation): Buffer {
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, m.at % (bytes.length + 1));
    case 'flip': {
      const out = Buffer.from(bytes);
      for (const [at, b] of m.flips) if (out.length > 0) out[at % out.length] = b;
      return out;
    }
    case 'unicode': {
      const text = bytes.toString('utf8');
      const at = m.at % (text.length + 1);
      return Buffer.from(text.slice(0, at) + m.text + text.slice(at));
    }
    default: {
      const json = file.endsWith('.json');
      const docs: unknown[] = json
        ? [JSON.parse(bytes.toString('utf8'))]
        : parseAllDocuments(bytes.toString('utf8')).map((d) => d.toJS() as unknown);
      const every = docs.flatMap((doc, d) => paths(doc).map((p) => [d, p] as const));
      const known = every.filter(([, p]) => KNOWN_FIELDS.has(String(p[p.length - 1])));
      const all = m.kind === 'replace' && m.known && known.length > 0 ? known : every;
      if (all.length === 0) return bytes;
      const [d, path] = all[m.pick % all.length] as readonly [number, (string | number)[]];
      setIn(docs[d], path, m.kind === 'deep' ? DEEP : m.value);
      const nested = m.kind === 'deep' ? `${'['.repeat(m.depth)}${']'.repeat(m.depth)}` : '';
      const text = json ? JSON.stringify(docs[0], null, 2) : docs.map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
      return Buffer.from(m.kind === 'deep' ? text.replace(json ? `"${DEEP}"` : DEEP, nested) : text);
    }
  }
}

let run = 0;
async function scanWith(source: string, m: Mutation) {
  const dir = join(root, `run-${run++}`);
  const input = join(dir, 'in');
  await cp(EXAMPLE, input, { recursive: true });
  const inExample = !relative(EXAMPLE, source).startsWith('..');
  const target = inExample ? join(input, relative(EXAMPLE, source)) : join(input, 'extra', relative('fixtures/collect', source));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, mutate(source, await readFile(source), m));
  const out = join(dir, 'out');
  const r = await execa(process.execPath, ['bin/clusterproof.js', 'scan', input, '--out', out, '--format', 'junit,json,html,md,sarif'], {
    reject: false,
    timeout: 60_000,
  });
  const written = existsSync(out) ? await readdir(out) : [];
  const report = written.includes('report.json') ? await readFile(join(out, 'report.json'), 'utf8') : undefined;
  await rm(dir, { recursive: true, force: true });
  return { ...r, written, report };
}

function checkOutcome(r: Awaited<ReturnType<typeof scanWith>>): void {
  const context = `exit ${String(r.exitCode)}\n${r.stderr.slice(0, 2000)}`;
  expect([0, 1, 2], context).toContain(r.exitCode);
  expect(r.stderr, context).not.toContain('internal error');
  expect(r.stderr, context).not.toContain('crashed'); // an evaluator threw on a value the loader let through
  expect(r.stderr, context).not.toMatch(/^ {4}at /m);
  if (r.exitCode === 2)
    expect(
      r.written.filter((f) => REPORTS.includes(f)),
      context,
    ).toEqual([]);
  else {
    expect(r.written.sort(), context).toEqual(expect.arrayContaining(REPORTS));
    expect(() => JSON.parse(r.report ?? '') as unknown, context).not.toThrow();
  }
}

// More runs to hunt for crashes: CLUSTERPROOF_FUZZ_RUNS=500 (about 2 s a run).
const RUNS = Number(process.env.CLUSTERPROOF_FUZZ_RUNS ?? 40);

test('scan survives mutated inputs: exit 0/1/2, no internal error or stack trace, reports all or nothing', {
  timeout: 60_000 + RUNS * 6_000,
}, async () => {
  const exits = new Set<number | undefined>();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...sources), mutation, async (source, m) => {
      const r = await scanWith(source, m);
      exits.add(r.exitCode);
      checkOutcome(r);
    }),
    { numRuns: RUNS },
  );
  // Some mutations leave the input valid: the runs reach evaluation and reports, not only the loader's refusals.
  expect(exits.has(1) || exits.has(0)).toBe(true);
});

// Bad input: every problem reported at once, naming the file, the document index, line:col and a fix; no state.
import { chmod, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { InputError } from '../../harness/errors.ts';

async function tmp(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cp-collect-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function inputError(paths: string[]): Promise<InputError> {
  const error = await loadStateFromPaths(paths).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const GOOD = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n';

describe('parse errors', () => {
  test('malformed YAML names the file, the document index and line:col, with a fix', async () => {
    const dir = await tmp({ 'bad.yaml': `${GOOD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\nspec: {}\n` });
    const error = await inputError([dir]);
    expect(error.problems).toHaveLength(1);
    const [p] = error.problems;
    expect(p).toMatchObject({ file: join(dir, 'bad.yaml'), line: 10, column: 1 });
    expect(p?.message).toMatch(/^document 1 \(0-based\): invalid YAML: /);
    expect(p?.fix).toBeTruthy();
    expect(error.message).toContain(`${join(dir, 'bad.yaml')}:10:1: document 1`);
  });

  test('a duplicate key is an error (the API server would silently keep one)', async () => {
    const dir = await tmp({ 'dup.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n' });
    const [p] = (await inputError([dir])).problems;
    expect(p).toMatchObject({ line: 5, column: 3 });
    expect(p?.message).toContain('DUPLICATE_KEY');
  });

  test('malformed JSON is reported with its position', async () => {
    const dir = await tmp({ 'vpcs.json': '{\n  "Vpcs": [\n    { "VpcId": "vpc-1", }\n  \n' });
    const [p] = (await inputError([dir])).problems;
    expect(p?.file).toBe(join(dir, 'vpcs.json'));
    expect(p?.message).toContain('invalid JSON');
    expect(p?.line).toBeGreaterThan(0);
  });

  test('a bad file among good ones: InputError with every problem, and no state', async () => {
    const dir = await tmp({ 'a-good.yaml': GOOD, 'b-bad.yaml': 'kind: [\n', 'c-bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {}\n' });
    const error = await inputError([dir, join(dir, 'missing.yaml')]);
    expect(error.problems.map((p) => p.file).sort()).toEqual([join(dir, 'b-bad.yaml'), join(dir, 'c-bad.yaml'), join(dir, 'missing.yaml')]);
    expect(error.problems.find((p) => p.file.endsWith('c-bad.yaml'))?.message).toContain('Pod has no metadata.name');
    expect(error.problems.find((p) => p.file.endsWith('missing.yaml'))?.message).toContain('no such file');
  });

  test.skipIf(process.getuid?.() === 0)(
    'a file without read permission is an InputError naming it (skipped as root, who can read it)',
    async () => {
      const dir = await tmp({ 'locked.yaml': GOOD });
      await chmod(join(dir, 'locked.yaml'), 0o000);
      const [p] = (await inputError([dir])).problems;
      expect(p).toMatchObject({ file: join(dir, 'locked.yaml'), message: 'cannot read: permission denied' });
    },
  );

  test('an unreadable file (a dangling symlink, readable by nobody, root included) is an InputError naming it', async () => {
    const dir = await tmp({ 'good.yaml': GOOD });
    await symlink(join(dir, 'gone.yaml'), join(dir, 'link.yaml'));
    const error = await inputError([dir]);
    expect(error.problems).toEqual([
      {
        file: join(dir, 'link.yaml'),
        message: 'cannot read: no such file or directory',
        fix: 'check that the file exists and is readable',
      },
    ]);
  });

  test('the same object twice with different contents is an error naming both places', async () => {
    const dir = await tmp({ 'a.yaml': GOOD, 'b.yaml': `${GOOD}  labels: {x: z}\n`, 'c.yaml': GOOD });
    const error = await inputError([dir]);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.message).toContain(`Namespace/ok appears twice with different contents (first at ${join(dir, 'a.yaml')}:1)`);
  });

  test('AWS outputs that cannot be tied to a role say how to fix them', async () => {
    const dir = await tmp({ 'attached.json': '{"AttachedPolicies": [{"PolicyName": "p", "PolicyArn": "arn:aws:iam::1:policy/p"}]}' });
    const [p] = (await inputError([dir])).problems;
    expect(p?.message).toContain('does not say which role');
    expect(p?.fix).toContain('attached-role-policies.json');
  });

  test('no inputs at all is an error, not an empty passing state', async () => {
    expect((await inputError([])).problems[0]?.message).toContain('no input files');
  });
});

describe('what is not an error', () => {
  test('unknown kinds and unrecognised JSON are kept in `unknown`; other file types and the spec are ignored', async () => {
    const dir = await tmp({
      'crd.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: ns1\n',
      'other.json': '{"hello": "world", "password": "never-kept"}',
      'notes.txt': 'kind: [ not yaml',
      'clusterproof.yaml': 'apiVersion: clusterproof.dev/v1alpha1\nkind: ClusterSpec\n',
      'empty.yaml': '---\n---\n',
    });
    const state = await loadStateFromPaths([dir]);
    expect(state.unknown).toEqual([
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        name: 'w',
        namespace: 'ns1',
        source: { file: join(dir, 'crd.yaml'), documentIndex: 0, line: 1, column: 1 },
      },
      { source: { file: join(dir, 'other.json'), documentIndex: 0, line: 1, column: 1 } },
    ]);
    expect(state.source.inputs.map((i) => i.path)).toEqual(['crd.yaml', 'empty.yaml', 'other.json'].map((f) => join(dir, f)));
  });

  test('the same object twice with identical contents (overlapping dumps, keys in another order) is kept once', async () => {
    const dir = await tmp({ 'a.yaml': GOOD, 'b.yaml': 'metadata:\n  name: ok\nkind: Namespace\napiVersion: v1\n' });
    expect((await loadStateFromPaths([dir])).kubernetes.namespaces).toHaveLength(1);
  });
});

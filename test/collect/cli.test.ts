// `clusterproof collect` end to end through the real CLI: exit codes, the bundle it writes, nothing written on bad input.
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { readBundle } from '../../harness/collect/bundle.ts';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';

const cli = (args: string[]) => execa(process.execPath, ['bin/clusterproof.js', ...args], { reject: false });

// Each CLI start loads every command module (~5 s on a busy 2-core machine): generous timeouts, not retries.
describe('clusterproof collect', { timeout: 90_000 }, () => {
  test('--from files writes a bundle that reads back as the files state', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cp-cli-')), 'evidence');
    const r = await cli(['collect', '--from', 'fixtures/collect/kubectl', 'fixtures/collect/aws', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote evidence bundle .* \(2 namespaces, 3 pods, 1 network policies, 1 unknown objects; state.json sha256 [0-9a-f]{64}\)$/,
    );
    expect((await readdir(out)).sort()).toEqual(['manifest.json', 'state.json']);
    const { source: _a, ...fromBundle } = await readBundle(out);
    const { source: _b, ...fromFiles } = await loadStateFromPaths(['fixtures/collect/kubectl', 'fixtures/collect/aws']);
    expect(fromBundle).toEqual(fromFiles);
  });

  test('bad input: exit 2, every problem on stderr, and no bundle directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-cli-'));
    await writeFile(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n');
    const out = join(dir, 'evidence');
    const r = await cli(['collect', '--from', 'fixtures/collect/kubectl', join(dir, 'bad.yaml'), join(dir, 'missing'), '--out', out]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('invalid input (2 problems)');
    expect(r.stderr).toContain(`${join(dir, 'bad.yaml')}:5:1: document 0 (0-based): invalid YAML`);
    expect(existsSync(out)).toBe(false);
  });

  test('an unreachable cluster: exit 2 naming the server, no bundle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-cli-'));
    const kubeconfig = join(dir, 'config');
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:9\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n',
    );
    const r = await cli(['collect', '--kubeconfig', kubeconfig, '--out', join(dir, 'evidence')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('cannot reach the Kubernetes API server at https://127.0.0.1:9');
    expect(existsSync(join(dir, 'evidence'))).toBe(false);
  });
});

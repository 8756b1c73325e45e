// `run --apply` deploys workloads only into a cluster the run makes, and reads them exactly as `scan` does: refusals
// come before anything is provisioned, as one line naming the flag or the file and field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifestObjects } from '../../harness/collect/files/loadFiles.ts';
import { InputError } from '../../harness/errors.ts';
import { packagePath } from '../../harness/paths.ts';
import { clusterproof } from './cliRunner.ts';

const dir = mkdtempSync(join(tmpdir(), 'clusterproof-apply-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run --apply', () => {
  it('is refused with --kubeconfig: an existing cluster is never changed (exit 2, one line, nothing provisioned)', async () => {
    const r = await clusterproof([
      'run',
      '--kubeconfig',
      join(dir, 'absent-kubeconfig'),
      '--spec',
      packagePath('fixtures', 'live', 'clusterproof.yaml'),
      '--apply',
      packagePath('fixtures', 'mtls', 'named-target-ports'),
      '--out',
      join(dir, 'out'),
    ]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain('--apply');
    expect(r.stderr).toContain('never changes an existing cluster');
    expect(r.stderr).not.toContain('provisioning');
  });

  it('reads the objects scan reads (a List unpacked), and refuses a field of the wrong type at its pointer', async () => {
    const objects = await loadManifestObjects([packagePath('fixtures', 'mtls', 'named-target-ports')]);
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.every((o) => typeof o.kind === 'string')).toBe(true);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: a}\nspec:\n  podSelector: 7\n',
    );
    const error = await loadManifestObjects([bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(bad);
    expect((error as InputError).message).toContain('spec.podSelector');
  });

  it('refuses a document that is not a Kubernetes object instead of leaving it out of the deployment', async () => {
    const notKube = join(dir, 'notes.yaml');
    writeFileSync(notKube, 'title: release notes\nitems: [a, b]\n');
    const error = await loadManifestObjects([notKube]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(`${notKube}:1:1`);
    expect((error as InputError).message).toContain('cannot be applied');
  });
});

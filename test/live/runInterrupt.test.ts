// Proof: Ctrl-C (SIGINT to the `clusterproof run` process alone, as a CI runner's cancel sends it) while the probes
// are working in the cluster: the runner stops its check processes, removes every namespace and pod labelled with
// the run, writes no report claiming anything, and exits 2.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packagePath } from '../../harness/paths.ts';
import { K8S_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import { deleteNamespacesAndWait } from '../../harness/kubernetes/runNamespace.ts';
import { timeoutIsObservation, waitFor } from '../../harness/kubernetes/waitFor.ts';
import { createTestNamespace } from './support/namespaces.ts';
import { core, liveInfo } from './support/liveCluster.ts';

const NAMESPACES = ['cp-live-run-deny', 'cp-live-run-open'];
const api = core();
const out = mkdtempSync(join(tmpdir(), 'clusterproof-live-interrupt-'));

beforeAll(async () => {
  await deleteNamespacesAndWait(api, NAMESPACES);
  for (const ns of NAMESPACES) await createTestNamespace(api, ns, liveInfo().runId);
}, 180_000);

afterAll(async () => {
  await deleteNamespacesAndWait(api, NAMESPACES);
  rmSync(out, { recursive: true, force: true });
});

describe('clusterproof run interrupted during the probes', () => {
  test('SIGINT: labelled namespaces and pods removed, no report, exit 2', async () => {
    const child = execa(
      process.execPath,
      [
        packagePath('bin', 'clusterproof.js'),
        'run',
        '--kubeconfig',
        liveInfo().kubeconfig,
        '--spec',
        packagePath('fixtures', 'live', 'clusterproof.yaml'),
        '--out',
        out,
        '--format',
        'json',
      ],
      { reject: false, stdin: 'ignore', timeout: 600_000 },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    // Wait until the probes have created something of theirs in the cluster: the worst moment to be stopped.
    let runId: string | undefined;
    let created = 0;
    await waitFor(
      'probe pods of the run in the cluster',
      async () => {
        runId ??= /run ([0-9]{6}-[0-9]{6}-[0-9a-f]{4})/.exec(stderr)?.[1];
        if (runId) created = (await api.listPodForAllNamespaces({ labelSelector: `${K8S_RUN_LABEL}=${runId}` })).items.length;
        return created > 0
          ? { done: true, value: undefined }
          : { done: false, why: runId ? 'no labelled pod yet' : 'no run id printed yet' };
      },
      { timeout: 240_000, interval: 500 },
    ).catch(timeoutIsObservation);
    expect(created, `probe pods of run ${runId ?? '?'} appeared before the interrupt\n${stderr}`).toBeGreaterThan(0);
    child.kill('SIGINT');
    const result = await child;
    console.info(stderr);
    expect(result.exitCode, stderr).toBe(2);
    expect(stderr).toContain('interrupted during the suites');
    expect(stderr, 'the interrupt is not reported as a crash').not.toContain('crashed');
    const selector = `${K8S_RUN_LABEL}=${runId ?? ''}`;
    expect((await api.listNamespace({ labelSelector: selector })).items.map((n) => n.metadata?.name)).toEqual([]);
    expect((await api.listPodForAllNamespaces({ labelSelector: selector })).items.map((p) => p.metadata?.name)).toEqual([]);
    expect(existsSync(join(out, 'report.json')), 'no report from an interrupted run').toBe(false);
  }, 420_000);
});

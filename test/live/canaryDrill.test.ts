// Proof: the canary-auto-rollback chaos drill against the live tier's real cluster, where `clusterproof up` installed
// the Argo Rollouts controller. A real canary whose Job analysis fails is aborted by the real controller: the drill
// passes with the AnalysisRun, ReplicaSet hashes and a timeline as evidence, confirms the static prediction, and
// leaves nothing with its run label. Interrupted mid-drill (Ctrl-C reaches it as an aborted signal), it still removes
// its namespace.
import { describe, expect, test } from 'vitest';
import { ApiextensionsV1Api, AppsV1Api } from '@kubernetes/client-node';
import { canaryAbortDrill } from '../../harness/chaos/canaryAbortDrill.ts';
import { controlById } from '../../harness/controls/load.ts';
import type { Control, Finding } from '../../harness/model/findings.ts';
import { emptyState } from '../../harness/model/state.ts';
import { K8S_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import { timeoutIsObservation, waitFor } from '../../harness/kubernetes/waitFor.ts';
import { newRunId } from '../../harness/provision/naming.ts';
import type { LiveCheckInput } from '../../harness/model/liveCheck.ts';
import { spec } from '../evaluate/stateBuilder.ts';
import { core, kubeConfig, liveInfo, probeImage } from './support/liveCluster.ts';

const api = core();

function input(runId: string, signal: AbortSignal): LiveCheckInput {
  const control = controlById('canary-auto-rollback') as Control;
  return {
    state: emptyState({ type: 'live', inputs: [], collectedAt: new Date().toISOString() }),
    spec: spec({ canary: { namespaces: ['*'] } }),
    control,
    run: {
      mode: 'live',
      statePath: '',
      specPath: '',
      layers: ['chaos'],
      kubeconfig: liveInfo().kubeconfig,
      probeImage: probeImage(),
      disruptiveAllowed: true,
      runId,
    },
    platform: { nodeAccess: async () => ({ ok: false, reason: 'not used by this check' }), ownAddresses: async () => new Set() },
    staticFindings: [],
    signal,
  };
}

async function labelledLeft(runId: string): Promise<{ namespaces: string[]; pods: string[] }> {
  const labelSelector = `${K8S_RUN_LABEL}=${runId}`;
  return {
    namespaces: (await api.listNamespace({ labelSelector })).items.map((n) => n.metadata?.name ?? '?'),
    pods: (await api.listPodForAllNamespaces({ labelSelector })).items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
  };
}

describe('canary abort drill (live, real Argo Rollouts controller)', () => {
  test('up installed the controller: CRDs present and its Deployment Available', async () => {
    const kc = kubeConfig();
    await kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: 'rollouts.argoproj.io' });
    const d = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'argo-rollouts', namespace: 'argo-rollouts' });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
    expect(d.spec?.template.spec?.containers[0]?.image).toMatch(/^clusterproof\.local\/argo-rollouts:v/);
  });

  test('a failing canary is aborted back to stable: pass, with evidence, and nothing labelled is left', async () => {
    const runId = newRunId();
    const started = performance.now();
    const [f] = (await canaryAbortDrill(input(runId, new AbortController().signal))) as [Finding];
    console.info(`canary drill: ${((performance.now() - started) / 1000).toFixed(1)}s\n${JSON.stringify(f, null, 2)}`);
    expect(f.result, JSON.stringify(f, null, 2)).toBe('pass');
    expect(f.layer).toBe('chaos');
    expect(f.message).toContain('confirms the static prediction that a failing analysis aborts to stable');
    const observed = (what: string): unknown => {
      const e = f.evidence.find((x) => x.type === 'observation' && x.what.startsWith(what));
      return e?.type === 'observation' ? e.observed : undefined;
    };
    expect(observed('AnalysisRun')).toMatchObject({ phase: 'Failed' });
    const timeline = observed('timeline') as string[];
    expect(timeline.some((l) => /Rollout status\.abort = true/.test(l))).toBe(true);
    expect(timeline.some((l) => /Rollout phase Degraded/.test(l))).toBe(true);
    const sets = observed('ReplicaSets') as { stable: string; canary: string };
    expect(sets.stable).not.toBe(sets.canary);
    expect(observed('probes through Service')).toEqual(expect.arrayContaining([expect.stringContaining(`-${sets.stable}-`)]));
    const prediction = f.evidence.find((e) => e.type === 'comparison');
    expect(prediction).toMatchObject({ expected: expect.stringMatching(/^pass: /), actual: 'aborted to stable' });
    expect(f.durationMs).toBeLessThan(300_000);
    expect(await labelledLeft(runId)).toEqual({ namespaces: [], pods: [] });
  });

  test('interrupted mid-drill (Ctrl-C): the drill stops and removes its namespace', async () => {
    const runId = newRunId();
    const ctl = new AbortController();
    // Abort once the drill's namespace has pods, i.e. in the middle of the canary work.
    const watcher = (async () => {
      await waitFor(
        `pods of drill run ${runId}`,
        async () => {
          const pods = (await api.listPodForAllNamespaces({ labelSelector: `${K8S_RUN_LABEL}=${runId}` })).items;
          return pods.length > 0 ? { done: true, value: undefined } : { done: false, why: 'none yet' };
        },
        { timeout: 120_000, interval: 500 },
      ).catch(timeoutIsObservation);
      ctl.abort(new Error('interrupted (test)'));
    })();
    await expect(canaryAbortDrill(input(runId, ctl.signal))).rejects.toThrow();
    await watcher;
    expect(await labelledLeft(runId)).toEqual({ namespaces: [], pods: [] });
  });
});

// Control canary-auto-rollback, chaos layer: a real canary that must fail, driven through the cluster's Argo
// Rollouts controller. In a namespace of this run: a Rollout of probe pods whose canary's analysis is a Job that
// fails (harness/chaos/canaryDrillObjects.ts). After the first revision is Healthy, a new pod-template revision
// starts the canary; the drill then reads the Rollout, its AnalysisRuns and ReplicaSets every second (bounded)
// until the abort to stable is complete, and finally sends real probes through the stable Service. The static
// evaluator judges the very same objects first: the drill confirms (or refutes) its prediction that a failing
// analysis aborts to stable. The namespace is removed in `finally` (success, failure, Ctrl-C).
import { AppsV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { evaluateCanaryAutoRollback } from '../evaluate/canaryAutoRollback.ts';
import { finding } from '../findings/finding.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { ClusterSpec } from '../model/spec.ts';
import { emptyState } from '../model/state.ts';
import { rolloutsAbsent } from './rolloutsAbsent.ts';
import { clusterApi, requireRunId } from '../kubernetes/clusterApi.ts';
import { createRunNamespace, deleteNamespacesAndWait } from '../kubernetes/runNamespace.ts';
import { runBatch } from '../probe/probePods.ts';
import type { LiveCheck, LiveCheckInput } from '../model/liveCheck.ts';
import {
  analysisTemplate,
  ARGO_API_VERSION,
  CANARY_SERVICE,
  DRILL_REPLICAS,
  METRIC_NAME,
  newRevisionPatch,
  rollout,
  ROLLOUT_NAME,
  service,
  STABLE_SERVICE,
  TEMPLATE_NAME,
  type DrillPlacement,
} from './canaryDrillObjects.ts';
import {
  analysisRunView,
  judgeCanaryAbort,
  observe,
  replicaSetView,
  rolloutView,
  settled,
  startProgress,
  type DrillProgress,
  type DrillSnapshot,
  type ReplicaSetView,
  type StableProbe,
} from './canaryOutcome.ts';
import { makeApiClient } from '../kubernetes/apiClient.ts';
import { waitFor, WaitTimeout } from '../kubernetes/waitFor.ts';
import { errorMessage } from '../errors.ts';

const LAYER = 'chaos';
/** Bounds: the first revision becoming Healthy (pods start), then the canary being aborted back to stable. */
const HEALTHY_MS = 120_000;
const ABORT_MS = 120_000;
const POLL_MS = 1000;
const PROBE_MS = 45_000;
const PROBES = 3;

export const canaryAbortDrill: LiveCheck = async (input) => {
  const absent = await rolloutsAbsent(input);
  if (absent) return absent;
  const { control, run, signal } = input;
  if (!run.probeImage) {
    return [
      finding({
        controlId: control.id,
        layer: LAYER,
        result: 'error',
        message: 'No probe image is known for this cluster, so no canary could be run.',
        evidence: [
          {
            type: 'missing-input',
            what: 'probe image',
            detail: 'run scripts/images.sh build (images.json "probe") and load it into the cluster',
          },
        ],
      }),
    ];
  }
  const runId = requireRunId(run);
  const api = clusterApi(run);
  const objects = makeApiClient(api.kc, KubernetesObjectApi);
  const apps = makeApiClient(api.kc, AppsV1Api);
  const namespace = `cp-canary-${runId}`.slice(0, 63);
  const placement: DrillPlacement = { namespace, runId, image: run.probeImage, replicas: DRILL_REPLICAS };
  const started = performance.now();
  const now = (): number => (performance.now() - started) / 1000;
  const subject = { kind: 'Rollout', namespace, name: ROLLOUT_NAME };

  const prediction = predictStatically(input, placement);
  let outcome: Finding;
  let left: string[] = [];
  try {
    await createRunNamespace(api.core, namespace, runId, { 'clusterproof.dev/chaos': 'canary-abort' });
    for (const body of [
      analysisTemplate(placement),
      service(placement, STABLE_SERVICE),
      service(placement, CANARY_SERVICE),
      rollout(placement),
    ]) {
      await objects.create(body as KubernetesObject);
    }
    const ref = { apiVersion: ARGO_API_VERSION, kind: 'Rollout', metadata: { name: ROLLOUT_NAME, namespace } };
    const snapshot = async (): Promise<DrillSnapshot> => {
      const [r, runs, sets] = await Promise.all([
        objects.read(ref),
        objects.list(ARGO_API_VERSION, 'AnalysisRun', namespace),
        apps.listNamespacedReplicaSet({ namespace }),
      ]);
      return {
        at: now(),
        rollout: rolloutView(r),
        analysisRuns: runs.items.map(analysisRunView),
        replicaSets: sets.items.map(replicaSetView).filter((v): v is ReplicaSetView => v !== undefined),
      };
    };

    // 1. The first revision: no canary yet (there is no stable to compare with), it just has to become Healthy.
    let first = await snapshot();
    try {
      await waitFor(
        `Rollout ${namespace}/${ROLLOUT_NAME} revision 1 to be Healthy`,
        async () => {
          first = await snapshot();
          const healthy = first.rollout.phase === 'Healthy' && first.rollout.stableRS && first.rollout.readyReplicas === DRILL_REPLICAS;
          return healthy ? { done: true, value: undefined } : { done: false, why: `phase ${first.rollout.phase}` };
        },
        { timeout: HEALTHY_MS, interval: POLL_MS, signal },
      );
    } catch (error) {
      if (!(error instanceof WaitTimeout)) throw error;
      const pods = await podStates(api, namespace);
      const why =
        first.rollout.phase === '(none yet)'
          ? 'no Argo Rollouts controller acted on the Rollout: its status was never set'
          : `phase ${first.rollout.phase}${first.rollout.message ? `: ${first.rollout.message}` : ''}; pods: ${pods.join(', ') || 'none'}`;
      outcome = finding({
        controlId: control.id,
        layer: LAYER,
        result: 'error',
        subject,
        message: `The drill's first revision never became Healthy within ${HEALTHY_MS / 1000}s (${why}), so no canary could be started.`,
        evidence: [
          { type: 'observation', what: 'Rollout status', observed: first.rollout },
          { type: 'observation', what: 'ReplicaSets', observed: first.replicaSets },
          { type: 'observation', what: 'pods', observed: pods },
        ],
      });
      return [outcome];
    }
    const stableHash = first.rollout.stableRS ?? '';
    const healthyAt = now();

    // 2. A new revision: the canary strategy ships it to half the pods, then runs the analysis that must fail.
    await objects.patch(
      { ...ref, ...newRevisionPatch(2) } as KubernetesObject,
      undefined,
      undefined,
      'clusterproof',
      undefined,
      PatchStrategy.MergePatch,
    );
    const updatedAt = now();

    // 3. Observe until the abort to stable is complete (or the canary got promoted), bounded.
    let progress: DrillProgress = startProgress(stableHash, DRILL_REPLICAS);
    try {
      await waitFor(
        `Rollout ${namespace}/${ROLLOUT_NAME} to abort to stable (or promote)`,
        async () => {
          progress = observe(progress, await snapshot());
          return settled(progress)
            ? { done: true, value: undefined }
            : { done: false, why: progress.timeline.at(-1)?.fact ?? 'no change yet' };
        },
        { timeout: ABORT_MS, interval: POLL_MS, signal },
      );
    } catch (error) {
      // Not settled within the bound: the verdict judges what was observed.
      if (!(error instanceof WaitTimeout)) throw error;
    }
    const settledAt = now();

    // 4. Real requests through the stable Service: each answering pod names itself (the probe server's reply).
    const probe = await probeStable(api, placement, stableHash);
    const verdict = judgeCanaryAbort(progress, probe, ROLLOUT_NAME, ABORT_MS / 1000);
    const confirms = prediction.result === 'pass' && verdict.result === 'pass';
    const evidence: Evidence[] = [
      {
        type: 'comparison',
        what: `static prediction for the drill's own Rollout (config-layer evaluator) vs the controller's behaviour`,
        expected: `${prediction.result}: ${prediction.message}`,
        actual: verdict.result === 'pass' ? 'aborted to stable' : `${verdict.result}: ${verdict.message}`,
      },
      {
        type: 'observation',
        what: 'timeline (seconds since the drill started)',
        observed: [
          `${healthyAt.toFixed(1)}s first revision Healthy, stable ReplicaSet ${stableHash}`,
          `${updatedAt.toFixed(1)}s pod template changed (revision 2)`,
          ...progress.timeline.map((t) => `${t.at.toFixed(1)}s ${t.fact}`),
          `${settledAt.toFixed(1)}s observation ended`,
        ],
      },
      {
        type: 'observation',
        what: `AnalysisRun of ${TEMPLATE_NAME}/${METRIC_NAME} (Job: probe connect to a closed port)`,
        observed: progress.failedRun ?? progress.last?.analysisRuns ?? [],
      },
      {
        type: 'observation',
        what: 'ReplicaSets (rollouts-pod-template-hash)',
        observed: { stable: stableHash, canary: progress.canaryHash ?? null, final: progress.last?.replicaSets ?? [] },
      },
      {
        type: 'observation',
        what: `probes through Service ${STABLE_SERVICE} after the abort (reply = answering pod)`,
        observed: probe.replies.map((r) => r ?? 'no answer'),
        detail: probe.detail,
      },
      { type: 'observation', what: 'checks', observed: verdict.checks.map((c) => `${c.ok ? 'ok' : 'NOT MET'} ${c.name}: ${c.detail}`) },
      ...configLayerSummary(input.staticFindings),
      { type: 'object', ref: subject },
      {
        type: 'rule',
        rule: 'pass when the AnalysisRun fails, the Rollout aborts (status.abort, phase Degraded), status.stableRS stays the first revision, the stable ReplicaSet keeps Ready pods throughout and is fully Ready at the end, the canary ReplicaSet is at 0, and the stable Service answers from stable pods',
      },
    ];
    const message =
      verdict.result === 'pass'
        ? `${verdict.message} ${confirms ? 'This confirms the static prediction that a failing analysis aborts to stable.' : `The static evaluator judged the drill's Rollout ${prediction.result}.`}`
        : verdict.message;
    outcome = finding({ controlId: control.id, layer: LAYER, result: verdict.result, subject, message, evidence });
  } finally {
    left = await deleteNamespacesAndWait(api.core, [namespace]);
  }
  const durationMs = Math.round(performance.now() - started);
  if (left.length > 0) {
    return [
      {
        ...outcome,
        durationMs,
        message: `${outcome.message} (Namespace ${namespace} was still terminating when the drill ended.)`,
        evidence: [...outcome.evidence, { type: 'observation', what: 'namespaces still present after cleanup', observed: left }],
      },
    ];
  }
  return [{ ...outcome, durationMs }];
};

/** The config-layer evaluator on exactly the drill's Rollout and AnalysisTemplate: the prediction the drill tests. */
function predictStatically(input: LiveCheckInput, placement: DrillPlacement): Finding {
  const state = emptyState({ type: 'live', inputs: [], collectedAt: new Date().toISOString() });
  state.kubernetes.argo.rollouts.push(rollout(placement));
  state.kubernetes.argo.analysisTemplates.push(analysisTemplate(placement));
  const spec: ClusterSpec = {
    ...input.spec,
    spec: { ...input.spec.spec, canary: { namespaces: [placement.namespace], requireAnalysis: true } },
  };
  const [prediction] = evaluateCanaryAutoRollback({ state, spec, control: input.control });
  if (!prediction) throw new Error('the canary evaluator returned no finding for the drill Rollout');
  return prediction;
}

/** What the config layer concluded about the cluster's own Rollouts: the drill shows the controller behaves as it assumes. */
function configLayerSummary(staticFindings: readonly Finding[]): Evidence[] {
  const own = staticFindings.filter((f) => f.layer === 'config' || f.layer === 'plan');
  if (own.length === 0) return [];
  return [
    {
      type: 'observation',
      what: "config-layer verdicts on the cluster's own Rollouts (they assume the abort this drill observed)",
      observed: own
        .map(
          (f) => `${f.result}${f.subject ? ` ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}` : ''}: ${f.message}`,
        )
        .slice(0, 20),
    },
  ];
}

/** `name: phase/waiting reason` per pod: why a revision is not Healthy (image not present, unschedulable…). */
async function podStates(api: ReturnType<typeof clusterApi>, namespace: string): Promise<string[]> {
  const pods = await api.core.listNamespacedPod({ namespace }).catch(() => ({ items: [] }));
  return pods.items.map((p) => {
    const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
    const unscheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status !== 'True');
    return `${p.metadata?.name ?? '?'}: ${p.status?.phase ?? '?'}${waiting ? ` (${waiting.reason ?? 'waiting'})` : unscheduled ? ` (${unscheduled.reason ?? 'unscheduled'})` : ''}`;
  });
}

async function probeStable(api: ReturnType<typeof clusterApi>, p: DrillPlacement, stableHash: string): Promise<StableProbe> {
  try {
    const svc = await api.core.readNamespacedService({ name: STABLE_SERVICE, namespace: p.namespace });
    const ip = svc.spec?.clusterIP;
    const selector = JSON.stringify(svc.spec?.selector ?? {});
    if (!ip || ip === 'None') return { ran: true, replies: [], detail: `Service ${STABLE_SERVICE} has no ClusterIP` };
    const results = await runBatch(
      api.core,
      { namespace: p.namespace, name: 'stable-client', runId: p.runId, image: p.image },
      Array.from({ length: PROBES }, () => ({ host: ip, port: 80 })),
      Date.now() + PROBE_MS,
    );
    return {
      ran: true,
      replies: results.map((r) => (r.ok ? (r.reply ?? '').trim() || undefined : undefined)),
      detail: `${ip}:80/tcp, selector ${selector}, stable hash ${stableHash}`,
    };
  } catch (error) {
    return { ran: false, replies: [], detail: `probe could not run: ${errorMessage(error)}` };
  }
}

// The drill's objects are what the static evaluator is asked about before the controller gets them: the
// config-layer verdict on them must be `pass` (a canary with steps and an analysis whose metric can fail), so the
// live abort confirms exactly that prediction. Everything is labelled with the run id.
import { describe, expect, test } from 'vitest';
import {
  analysisTemplate,
  CLOSED_TARGET,
  newRevisionPatch,
  REVISION_ANNOTATION,
  rollout,
  service,
  STABLE_SERVICE,
  TEMPLATE_NAME,
} from '../../harness/chaos/canaryDrillObjects.ts';
import { metricCanFail } from '../../harness/evaluate/canaryAutoRollback/metricCanFail.ts';
import { evaluateCanaryAutoRollback } from '../../harness/evaluate/canaryAutoRollback.ts';
import { K8S_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import { control, spec, state } from '../evaluate/stateBuilder.ts';

const placement = { namespace: 'cp-canary-r1', runId: 'r1', image: 'clusterproof/probe:x' };

describe('canary drill objects', () => {
  test('the static evaluator predicts an abort to stable for the drill Rollout', () => {
    const s = state((st) => {
      st.kubernetes.argo.rollouts.push(rollout(placement));
      st.kubernetes.argo.analysisTemplates.push(analysisTemplate(placement));
    });
    const [f] = evaluateCanaryAutoRollback({
      state: s,
      spec: spec({ canary: { namespaces: [placement.namespace] } }),
      control: control('canary-auto-rollback'),
    });
    expect(f).toMatchObject({ result: 'pass' });
    expect(f?.message).toContain(`aborts to stable when ${TEMPLATE_NAME}`);
  });

  test('the metric is a Job that probes a closed port, failing at the first failed measurement', () => {
    const t = analysisTemplate(placement);
    const metric = t.spec.metrics?.[0];
    expect(metric && metricCanFail(t, metric)).toMatchObject({ verdict: 'yes' });
    const job = metric?.provider?.['job'] as { spec: { backoffLimit: number; template: { spec: { containers: { args: string[] }[] } } } };
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec.containers[0]?.args).toEqual(['connect', '--protocol', 'tcp', '--timeout', '2s', CLOSED_TARGET]);
  });

  test('every object, the pods and the analysis Job carry the run label', () => {
    const r = rollout(placement) as unknown as {
      metadata: { labels: Record<string, string> };
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    expect(r.metadata.labels[K8S_RUN_LABEL]).toBe('r1');
    expect(r.spec.template.metadata.labels[K8S_RUN_LABEL]).toBe('r1');
    expect(analysisTemplate(placement).metadata.labels?.[K8S_RUN_LABEL]).toBe('r1');
    expect(JSON.stringify(analysisTemplate(placement).spec.metrics?.[0]?.provider)).toContain(`"${K8S_RUN_LABEL}":"r1"`);
    expect((service(placement, STABLE_SERVICE) as { metadata: { labels: Record<string, string> } }).metadata.labels[K8S_RUN_LABEL]).toBe(
      'r1',
    );
  });

  test('a new revision changes only a pod-template annotation', () => {
    expect(newRevisionPatch(2)).toEqual({ spec: { template: { metadata: { annotations: { [REVISION_ANNOTATION]: '2' } } } } });
  });
});

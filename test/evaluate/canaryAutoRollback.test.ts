import { describe, expect, it } from 'vitest';
import { evaluateCanaryAutoRollback } from '../../harness/evaluate/canaryAutoRollback.ts';
import type { CanarySpec } from '../../harness/model/spec.ts';
import type { AnalysisTemplate, ClusterState, Rollout } from '../../harness/model/state.ts';
import { control, spec, state } from './stateBuilder.ts';

const CANARY: CanarySpec = { namespaces: ['shop'] };
const run = (s: ClusterState, canary: CanarySpec | null = CANARY) =>
  evaluateCanaryAutoRollback({ state: s, spec: spec(canary ? { canary } : {}), control: control('canary-auto-rollback') });

type Metric = NonNullable<AnalysisTemplate['spec']['metrics']>[number];
const template = (
  name: string,
  metrics: Metric[],
  extra: Partial<AnalysisTemplate['spec']> = {},
  kind = 'AnalysisTemplate',
): AnalysisTemplate => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind,
  metadata: { name, ...(kind === 'AnalysisTemplate' ? { namespace: 'shop' } : {}) },
  spec: { metrics, ...extra },
});
const SUCCESS_RATE: Metric = {
  name: 'success-rate',
  interval: '1m',
  successCondition: 'result[0] >= 0.95',
  provider: { prometheus: { query: 'sum(rate(ok[1m]))/sum(rate(all[1m]))' } },
};
const canaryRollout = (name: string, strategy: NonNullable<Rollout['spec']['strategy']>): Rollout => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name, namespace: 'shop' },
  spec: { replicas: 4, strategy },
});
const steps = [{ setWeight: 20 }, { pause: { duration: '5m' } }, { setWeight: 60 }];
const withObjects = (rollouts: Rollout[], templates: AnalysisTemplate[] = []) =>
  state((s) => {
    s.kubernetes.argo.rollouts.push(...rollouts);
    s.kubernetes.argo.analysisTemplates.push(...templates);
  });
const result = (s: ClusterState, c?: CanarySpec) => run(s, c ?? CANARY).map((f) => f.result);

describe('canary-auto-rollback', () => {
  it('is not-applicable without a canary section or without Rollouts in scope', () => {
    expect(run(state(), null).map((f) => f.result)).toEqual(['not-applicable']);
    expect(
      run(withObjects([{ ...canaryRollout('x', { canary: { steps } }), metadata: { name: 'x', namespace: 'other' } }]))[0]?.message,
    ).toMatch(/No Argo Rollout in namespaces shop \(1 Rollouts collected/);
  });

  it('passes background analysis with a metric that can fail', () => {
    const s = withObjects(
      [canaryRollout('cart', { canary: { steps, analysis: { templates: [{ templateName: 'success-rate' }] } } })],
      [template('success-rate', [SUCCESS_RATE])],
    );
    const [f] = run(s);
    expect(f?.result).toBe('pass');
    expect(f?.message).toMatch(/aborts to stable when success-rate\/success-rate fails/);
  });

  it('finds inline step analysis and ClusterAnalysisTemplates', () => {
    const s = withObjects(
      [
        canaryRollout('cart', {
          canary: { steps: [...steps, { analysis: { templates: [{ templateName: 'global', clusterScope: true }] } }] },
        }),
      ],
      [
        template(
          'global',
          [{ name: 'errors', failureCondition: 'result > 5', count: 3, failureLimit: 1, provider: { web: { url: 'http://x' } } }],
          {},
          'ClusterAnalysisTemplate',
        ),
      ],
    );
    expect(result(s)).toEqual(['pass']);
  });

  it('fails a canary without analysis, a canary without steps, and blueGreen without analysis', () => {
    expect(result(withObjects([canaryRollout('cart', { canary: { steps } })]))).toEqual(['fail']);
    expect(
      result(
        withObjects(
          [canaryRollout('cart', { canary: { analysis: { templates: [{ templateName: 't' }] } } })],
          [template('t', [SUCCESS_RATE])],
        ),
      ),
    ).toEqual(['fail']);
    expect(result(withObjects([canaryRollout('cart', { blueGreen: { activeService: 'cart' } })]))).toEqual(['fail']);
    expect(
      result(
        withObjects(
          [canaryRollout('cart', { blueGreen: { activeService: 'cart', prePromotionAnalysis: { templates: [{ templateName: 't' }] } } })],
          [template('t', [SUCCESS_RATE])],
        ),
      ),
    ).toEqual(['pass']);
  });

  it('is an error naming a referenced template that does not exist', () => {
    const [f] = run(withObjects([canaryRollout('cart', { canary: { steps, analysis: { templates: [{ templateName: 'gone' }] } } })]));
    expect(f?.result).toBe('error');
    expect(f?.message).toContain('gone');
  });

  it.each<[string, Metric, Partial<AnalysisTemplate['spec']>]>([
    ['no condition', { name: 'm', provider: { prometheus: {} } }, {}],
    ['failureLimit >= count', { ...SUCCESS_RATE, count: 5, failureLimit: 5 }, {}],
    ['single measurement with failureLimit 1', { name: 'm', successCondition: 'true', failureLimit: 1 }, {}],
    ['negative failureLimit', { ...SUCCESS_RATE, failureLimit: -1 }, {}],
    ['dry-run metric', SUCCESS_RATE, { dryRun: [{ metricName: '.*' }] }],
  ])('fails analysis that can never fail: %s', (_why, metric, extra) => {
    const s = withObjects(
      [canaryRollout('cart', { canary: { steps, analysis: { templates: [{ templateName: 't' }] } } })],
      [template('t', [metric], extra)],
    );
    expect(result(s)).toEqual(['fail']);
  });

  it('accepts a job metric without a condition and a string failureLimit, but cannot judge templated ones', () => {
    const job = withObjects(
      [canaryRollout('cart', { canary: { steps, analysis: { templates: [{ templateName: 't' }] } } })],
      [template('t', [{ name: 'smoke', failureLimit: '0', provider: { job: {} } }])],
    );
    expect(result(job)).toEqual(['pass']);
    const templated = withObjects(
      [canaryRollout('cart', { canary: { steps, analysis: { templates: [{ templateName: 't' }] } } })],
      [template('t', [{ ...SUCCESS_RATE, failureLimit: '{{args.limit}}' }])],
    );
    expect(result(templated)).toEqual(['error']);
  });

  it('passes without analysis when the spec does not require it, and notes abortScaleDownDelaySeconds', () => {
    const s = withObjects([canaryRollout('cart', { canary: { steps, abortScaleDownDelaySeconds: 600 } })]);
    const [f] = run(s, { namespaces: ['*'], requireAnalysis: false });
    expect(f?.result).toBe('pass');
    expect(JSON.stringify(f?.evidence)).toContain('abortScaleDownDelaySeconds');
  });
});

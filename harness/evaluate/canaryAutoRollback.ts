// Control `canary-auto-rollback`: every Argo Rollout in scope ships progressively with an analysis that can
// fail, so a bad version is aborted back to stable without a person. Argo aborts to the stable ReplicaSet by
// default; `abortScaleDownDelaySeconds` only delays scaling the canary down and is reported as a note.
// A blueGreen Rollout qualifies when it has pre- or post-promotion analysis (the active service stays on,
// or returns to, the stable version when it fails); without analysis it is a manual switch and fails.
import type { Evidence, Finding } from '../model/findings.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { AnalysisTemplate, ClusterState, Rollout } from '../model/state.ts';
import { metricCanFail } from './canaryAutoRollback/metricCanFail.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import { clusterRef, kubeRef } from './evidence/objectRef.ts';
import { describeScope, inScope } from './scope.ts';

const CONTROL_ID = 'canary-auto-rollback';
const LAYER = 'config';

type Parts = Omit<Parameters<typeof finding>[0], 'controlId' | 'layer'>;
const make = (p: Parts): Finding => finding({ controlId: CONTROL_ID, layer: LAYER, ...p });

interface TemplateRef {
  templateName: string;
  clusterScope: boolean;
  /** Where the Rollout references it: background, step N, prePromotion … */
  where: string;
}

export const evaluateCanaryAutoRollback: Evaluator = ({ state, spec }) => {
  const canary = spec.spec.canary;
  if (!canary) return [notAskedFor(CONTROL_ID, LAYER, 'canary auto-rollback', 'canary', clusterRef(spec.metadata.name))];
  const scope = { namespaces: canary.namespaces };
  const rollouts = state.kubernetes.argo.rollouts.filter((r) => inScope(r.metadata.namespace ?? 'default', scope));
  if (rollouts.length === 0) {
    return [
      make({
        result: 'not-applicable',
        message: `No Argo Rollout in ${describeScope(scope)} (${state.kubernetes.argo.rollouts.length} Rollouts collected in total): nothing ships progressively here.`,
        evidence: [{ type: 'rule', rule: 'spec.canary.namespaces selects Rollouts by namespace' }],
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  return rollouts.map((r) => judgeRollout(state, r, canary.requireAnalysis ?? true));
};

function refsFrom(value: unknown, where: string): TemplateRef[] {
  const templates = (value as { templates?: unknown } | undefined)?.templates;
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t: { templateName?: unknown; clusterScope?: unknown }) =>
    typeof t?.templateName === 'string' ? [{ templateName: t.templateName, clusterScope: t.clusterScope === true, where }] : [],
  );
}

/** An experiment step's `analyses` name their template directly: `{name, templateName, clusterScope}`. */
function experimentRefs(value: unknown, where: string): TemplateRef[] {
  const analyses = (value as { analyses?: unknown } | undefined)?.analyses;
  return Array.isArray(analyses) ? refsFrom({ templates: analyses }, where) : [];
}

function analysisRefs(rollout: Rollout): TemplateRef[] {
  const { canary, blueGreen } = rollout.spec.strategy ?? {};
  if (canary) {
    return [
      ...refsFrom(canary.analysis, 'background analysis'),
      ...(canary.steps ?? []).flatMap((step, i) => [
        ...refsFrom(step['analysis'], `step ${i + 1}`),
        ...experimentRefs(step['experiment'], `step ${i + 1} experiment`),
      ]),
    ];
  }
  if (blueGreen)
    return [
      ...refsFrom(blueGreen['prePromotionAnalysis'], 'prePromotionAnalysis'),
      ...refsFrom(blueGreen['postPromotionAnalysis'], 'postPromotionAnalysis'),
    ];
  return [];
}

function findTemplate(state: ClusterState, rollout: Rollout, ref: TemplateRef): AnalysisTemplate | undefined {
  return state.kubernetes.argo.analysisTemplates.find((t) =>
    ref.clusterScope
      ? t.kind === 'ClusterAnalysisTemplate' && t.metadata.name === ref.templateName
      : t.kind === 'AnalysisTemplate' &&
        t.metadata.name === ref.templateName &&
        (t.metadata.namespace ?? 'default') === (rollout.metadata.namespace ?? 'default'),
  );
}

function judgeRollout(state: ClusterState, rollout: Rollout, requireAnalysis: boolean): Finding {
  const subject = kubeRef(state, 'Rollout', rollout);
  const name = `Rollout ${rollout.metadata.namespace ?? 'default'}/${rollout.metadata.name}`;
  const { canary, blueGreen } = rollout.spec.strategy ?? {};
  const evidence: Evidence[] = [
    {
      type: 'rule',
      rule: 'canary (with steps) or blueGreen, with analysis referencing templates that have a metric able to fail (condition, not dry-run, failureLimit < count)',
    },
  ];
  const out = (result: Parts['result'], message: string): Finding => make({ result, message, evidence, subject });

  if (!canary && !blueGreen) return out('fail', `${name} has neither a canary nor a blueGreen strategy.`);
  if (canary && (canary.steps ?? []).length === 0) {
    evidence.push({ type: 'comparison', what: 'strategy.canary.steps', expected: 'at least one step', actual: [] });
    return out('fail', `${name} has a canary strategy without steps: the new version takes all traffic at once.`);
  }
  if (canary?.abortScaleDownDelaySeconds !== undefined) {
    evidence.push({
      type: 'observation',
      what: 'abortScaleDownDelaySeconds',
      observed: canary.abortScaleDownDelaySeconds,
      detail: 'abort still returns traffic to stable; only the canary scale-down is delayed',
    });
  }
  const strategy = canary ? 'canary' : 'blueGreen';
  const refs = analysisRefs(rollout);
  evidence.push({
    type: 'observation',
    what: 'analysis templates referenced',
    observed: refs.map((r) => `${r.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} ${r.templateName} (${r.where})`),
  });
  if (!requireAnalysis)
    return out('pass', `${name} uses a ${strategy} strategy; the spec does not require analysis (requireAnalysis: false).`);
  if (refs.length === 0) return out('fail', `${name} uses ${strategy} without analysis: nothing aborts a bad version automatically.`);

  const missing = refs.filter((r) => findTemplate(state, rollout, r) === undefined);
  if (missing.length > 0) {
    evidence.push({
      type: 'missing-input',
      what: missing
        .map(
          (m) =>
            `${m.clusterScope ? 'ClusterAnalysisTemplate' : `AnalysisTemplate ${rollout.metadata.namespace ?? 'default'}/`}${m.templateName}`,
        )
        .join(', '),
    });
    return out('error', `${name} references analysis template(s) that were not found: ${missing.map((m) => m.templateName).join(', ')}.`);
  }

  const verdicts = refs.flatMap((r) => {
    const template = findTemplate(state, rollout, r)!;
    return (template.spec.metrics ?? []).map((m) => ({ template, metric: m.name, ...metricCanFail(template, m) }));
  });
  for (const template of new Set(verdicts.map((v) => v.template)))
    evidence.push({ type: 'object', ref: kubeRef(state, template.kind, template) });
  for (const v of verdicts) {
    evidence.push({
      type: 'observation',
      what: `metric ${v.template.metadata.name}/${v.metric} can fail`,
      observed: v.verdict,
      detail: v.why,
    });
  }
  const able = verdicts.find((v) => v.verdict === 'yes');
  if (able)
    return out('pass', `${name} (${strategy}) aborts to stable when ${able.template.metadata.name}/${able.metric} fails (${able.why}).`);
  if (verdicts.some((v) => v.verdict === 'unknown'))
    return out('error', `${name}: whether its analysis can fail depends on template args that are not known statically.`);
  return out(
    'fail',
    `${name} has analysis that can never fail: ${verdicts.map((v) => `${v.template.metadata.name}/${v.metric}: ${v.why}`).join('; ') || 'templates have no metrics'}.`,
  );
}

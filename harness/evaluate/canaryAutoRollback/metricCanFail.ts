// Whether an Argo Rollouts analysis metric can ever fail a rollout (and so trigger the abort to stable).
// A metric fails its AnalysisRun once failed measurements exceed `failureLimit` (default 0: the first failed
// measurement aborts). So it can fail only if it has something to fail on and enough measurements:
// - a failureCondition or successCondition, or the `job` provider (a failed Job is a failed measurement);
// - not listed in the template's `dryRun` (dry-run failures are recorded, never acted on);
// - failureLimit < count. Without `count`, a metric with an `interval` measures until the analysis ends
//   (unbounded) and one without takes a single measurement. A negative failureLimit is treated as
//   unreachable. Values templated from args (`{{args.limit}}`) cannot be judged statically.
import type { AnalysisTemplate } from '../../model/state.ts';

type Metric = NonNullable<AnalysisTemplate['spec']['metrics']>[number];
type CanFail = { verdict: 'yes' | 'no' | 'unknown'; why: string };

function numberOf(v: number | string | undefined): number | undefined | 'templated' {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  return /^-?\d+$/.test(v.trim()) ? Number(v) : 'templated';
}

function inDryRun(template: AnalysisTemplate, name: string): boolean {
  return (template.spec.dryRun ?? []).some((d) => {
    try {
      return new RegExp(`^(?:${d.metricName})$`).test(name);
    } catch {
      return d.metricName === name;
    }
  });
}

export function metricCanFail(template: AnalysisTemplate, metric: Metric): CanFail {
  if (inDryRun(template, metric.name)) return { verdict: 'no', why: 'listed in dryRun' };
  const isJob = metric.provider !== undefined && 'job' in metric.provider;
  if (!metric.failureCondition && !metric.successCondition && !isJob)
    return { verdict: 'no', why: 'no failureCondition or successCondition' };
  const limit = numberOf(metric.failureLimit) ?? 0;
  const count = numberOf(metric.count);
  if (limit === 'templated' || count === 'templated') return { verdict: 'unknown', why: 'failureLimit or count comes from template args' };
  if (limit < 0) return { verdict: 'no', why: `failureLimit ${limit} is never reached` };
  const measurements = count ?? (metric.interval ? Infinity : 1);
  if (limit >= measurements)
    return { verdict: 'no', why: `failureLimit ${limit} >= ${measurements} measurement(s): it can never be exceeded` };
  const on = metric.failureCondition
    ? `failureCondition ${metric.failureCondition}`
    : metric.successCondition
      ? `successCondition ${metric.successCondition}`
      : 'job failure';
  return {
    verdict: 'yes',
    why: `${on}; the analysis fails at ${limit + 1} failed measurement(s) ${measurements === Infinity ? '(measured until the analysis ends)' : `of ${measurements}`}`,
  };
}

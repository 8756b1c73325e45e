// The building block of every file in suites/: one `describe` per control, one test for its static evaluator
// and one per live layer. Each test records its findings in the task meta, where the clusterproof reporter
// collects them; vitest's own verdict mirrors the findings (fail/error fail the test, not-applicable skips it).
import { describe, test } from 'vitest';
import { errorMessage } from '../errors.ts';
import { controlById } from '../controls/load.ts';
import { evaluateControl } from '../evaluate/registry.ts';
import { controlRequested, notRequestedFinding } from '../spec/requested.ts';
import type { AsyncEvaluator, Evaluator } from '../model/evaluator.ts';
import type { Control, Finding, Layer } from '../model/findings.ts';
import type { ClusterSpec } from '../model/spec.ts';
import type { ClusterState } from '../model/state.ts';
import type { LiveCheck } from '../model/liveCheck.ts';
import { suiteInputs } from './context.ts';
import { livePlatform } from './livePlatform.ts';

export interface ControlChecks {
  /** Static twin, evaluated on collected objects (plan/config layers); defaults to the registered evaluator. */
  evaluate?: Evaluator | AsyncEvaluator;
  probe?: LiveCheck;
  chaos?: LiveCheck;
  teardown?: LiveCheck;
}

const LIVE_LAYERS = ['probe', 'chaos', 'teardown'] as const;
type LiveLayer = (typeof LIVE_LAYERS)[number];

export function describeControl(controlId: string, checks: ControlChecks = {}): void {
  const control = controlById(controlId);
  if (!control) throw new Error(`suite names control "${controlId}", which is not in harness/controls/controls.yaml`);
  const staticFindings: Finding[] = [];

  describe(`${control.id}: ${control.title}`, () => {
    if (control.layers.includes('plan') || control.layers.includes('config')) {
      test(`${control.id} [static]`, async (ctx) => {
        const { state, spec } = suiteInputs();
        const findings =
          checks.evaluate && controlRequested(spec, control)
            ? await checks.evaluate({ state, spec, control })
            : await evaluateControl(control, state, spec);
        staticFindings.push(...findings);
        record(ctx, findings);
      });
    }
    for (const layer of LIVE_LAYERS) {
      if (!control.layers.includes(layer)) continue;
      test(`${control.id} [${layer}]`, async (ctx) => {
        const findings = await runLiveLayer(control, layer, checks[layer], staticFindings, ctx.signal);
        record(ctx, findings);
      });
    }
  });
}

async function runLiveLayer(
  control: Control,
  layer: LiveLayer,
  check: LiveCheck | undefined,
  staticFindings: Finding[],
  signal: AbortSignal,
): Promise<Finding[]> {
  const { run, state, spec } = suiteInputs();
  if (!controlRequested(spec, control)) return [notRequestedFinding(control, layer)];
  if (run.mode === 'static' || !run.kubeconfig) return [notApplicable(control, layer, 'needs a live cluster')];
  if (!run.layers.includes(layer)) return [notApplicable(control, layer, `layer ${layer} is not part of this run's profile`)];
  if (layer === 'chaos' && !run.disruptiveAllowed) {
    return [notApplicable(control, layer, 'disruptive: the cluster is not labelled disposable and --allow-disruptive was not given')];
  }
  if (!check) return [notApplicable(control, layer, `no ${layer} check is implemented for this control yet`)];
  try {
    return await check({
      state,
      spec,
      control,
      run: { ...run, kubeconfig: run.kubeconfig },
      platform: livePlatform(run),
      staticFindings,
      signal,
    });
  } catch (error) {
    const message = errorMessage(error);
    return [
      {
        controlId: control.id,
        layer,
        result: 'error',
        message: `${layer} check could not run: ${message}`,
        evidence: [{ type: 'missing-input', what: `${layer} observation`, detail: message }],
      },
    ];
  }
}

function notApplicable(control: Control, layer: Layer, reason: string): Finding {
  return { controlId: control.id, layer, result: 'not-applicable', message: reason, evidence: [] };
}

interface TestContextLike {
  task: { meta: { clusterproofFindings?: Finding[] } };
  skip: (note?: string) => never;
}

function record(ctx: TestContextLike, findings: Finding[]): void {
  ctx.task.meta.clusterproofFindings = findings;
  const bad = findings.filter((f) => f.result === 'fail' || f.result === 'error');
  if (bad.length > 0) throw new Error(bad.map((f) => `${f.result}: ${f.message}`).join('\n'));
  if (findings.every((f) => f.result === 'not-applicable')) ctx.skip(findings.map((f) => f.message).join('; '));
}

// Rolls findings up into one verdict per control (and per control + layer) and tallies them by area and by
// framework. Every writer uses these so the JUnit counts, the HTML summary and the Markdown table agree.
import type { Area, Control, Finding, Layer, Result } from '../harness/model/findings.ts';
import type { RunReport } from '../harness/model/report.ts';

export const AREAS: readonly Area[] = ['infra', 'network', 'security', 'chaos'];
export const RESULTS: readonly Result[] = ['pass', 'fail', 'error', 'not-applicable', 'waived'];

/**
 * Which result wins when several findings speak for one control: a failure anywhere is a failure; a check that
 * could not run outranks a pass; a waived failure stays visible over the passes around it.
 */
const PRECEDENCE: readonly Result[] = ['fail', 'error', 'waived', 'pass', 'not-applicable'];

export type Counts = Record<Result, number>;

export function emptyCounts(): Counts {
  return { pass: 0, fail: 0, error: 0, 'not-applicable': 0, waived: 0 };
}

/**
 * The combined result of `findings`. No findings at all is `not-applicable` (nothing was checked), never `pass`.
 */
function combineResults(findings: readonly Finding[]): Result {
  let best: Result = 'not-applicable';
  for (const f of findings) {
    if (PRECEDENCE.indexOf(f.result) < PRECEDENCE.indexOf(best)) best = f.result;
  }
  return best;
}

export interface ControlVerdict {
  control: Control;
  result: Result;
  findings: Finding[];
  /** True when the catalogue did not contain the control id the findings name. */
  unknownControl: boolean;
}

/** A stand-in for findings whose control id is not in the catalogue, so they are shown rather than dropped. */
function unknownControl(id: string, findings: readonly Finding[]): Control {
  return {
    id,
    title: `Unknown control ${id}`,
    area: 'infra',
    rationale: 'Findings named a control that is not in the catalogue evaluated by this run.',
    severity: 'critical',
    layers: [...new Set(findings.map((f) => f.layer))],
    references: [],
    remediation: 'Add the control to the catalogue or fix the control id the evaluator reports.',
  };
}

/** One verdict per control, in catalogue order, followed by any control ids only the findings know. */
export function controlVerdicts(report: Pick<RunReport, 'controls' | 'findings'>): ControlVerdict[] {
  const byControl = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byControl.get(f.controlId) ?? [];
    list.push(f);
    byControl.set(f.controlId, list);
  }
  const verdicts: ControlVerdict[] = report.controls.map((control) => {
    const findings = byControl.get(control.id) ?? [];
    return { control, result: combineResults(findings), findings, unknownControl: false };
  });
  const known = new Set(report.controls.map((c) => c.id));
  for (const [id, findings] of byControl) {
    if (!known.has(id))
      verdicts.push({ control: unknownControl(id, findings), result: combineResults(findings), findings, unknownControl: true });
  }
  return verdicts;
}

interface LayerVerdict {
  layer: Layer;
  result: Result;
  findings: Finding[];
}

/** Per layer of a control: the layers the control declares, plus any other layer a finding was reported in. */
export function layerVerdicts(verdict: ControlVerdict): LayerVerdict[] {
  const layers = [...verdict.control.layers];
  for (const f of verdict.findings) if (!layers.includes(f.layer)) layers.push(f.layer);
  return layers.map((layer) => {
    const findings = verdict.findings.filter((f) => f.layer === layer);
    return { layer, result: combineResults(findings), findings };
  });
}

/** Control verdicts counted per area (every area present, even when empty). */
export function countByArea(verdicts: readonly ControlVerdict[]): Map<Area, Counts> {
  const counts = new Map<Area, Counts>(AREAS.map((a) => [a, emptyCounts()]));
  for (const v of verdicts) {
    const c = counts.get(v.control.area) ?? emptyCounts();
    c[v.result] += 1;
    counts.set(v.control.area, c);
  }
  return counts;
}

/** Control verdicts counted per framework id; a control counts once per framework it references. */
export function countByFramework(verdicts: readonly ControlVerdict[]): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  for (const v of verdicts) {
    for (const framework of new Set(v.control.references.map((r) => r.framework))) {
      const c = counts.get(framework) ?? emptyCounts();
      c[v.result] += 1;
      counts.set(framework, c);
    }
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** `cis-kubernetes-1.10:5.3.2`: the compact form used in JUnit properties and SARIF tags. */
export function frameworkTag(ref: { framework: string; id: string }): string {
  return `${ref.framework}:${ref.id}`;
}

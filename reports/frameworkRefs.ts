// Which references a reader sees beside a control: published frameworks (CIS, NSA/CISA) are listed and tallied;
// clusterproof's own requirement ids are part of the control's text, never shown as if they were a benchmark.
// Which is which comes from frameworks.yaml (the publisher), not from code.
import { frameworkById } from '../harness/controls/load.ts';
import type { FrameworkRef } from '../harness/model/findings.ts';
import type { Counts } from './verdicts.ts';

const OWN_PUBLISHER = 'clusterproof';

/** False for clusterproof's own requirement sets; a framework the catalogue does not know is shown, not hidden. */
function isPublishedFramework(id: string): boolean {
  return frameworkById(id)?.publisher !== OWN_PUBLISHER;
}

/** `CIS Kubernetes Benchmark 1.10.0`, or the id when the catalogue does not know it. */
export function frameworkLabel(id: string): string {
  const f = frameworkById(id);
  return f ? `${f.name} ${f.version}` : id;
}

export function publishedRefs(refs: readonly FrameworkRef[]): FrameworkRef[] {
  return refs.filter((r) => isPublishedFramework(r.framework));
}

export function ownRequirementRefs(refs: readonly FrameworkRef[]): FrameworkRef[] {
  return refs.filter((r) => !isPublishedFramework(r.framework));
}

/** countByFramework's tally without clusterproof's own requirement sets. */
export function publishedFrameworkCounts(counts: ReadonlyMap<string, Counts>): [string, Counts][] {
  return [...counts].filter(([id]) => isPublishedFramework(id));
}

// Disruptive suites (chaos: stopping nodes, failing over the control plane) only run against clusters that are
// known to be disposable: labelled so (the label the spec names, on a namespace or node) or explicitly allowed
// with --allow-disruptive. The decision is pure over what was read from the cluster, so it is tested without one.
import { RunError } from '../../errors.ts';
import type { Cluster } from '../../model/cluster.ts';
import { clusterApi } from '../../kubernetes/clusterApi.ts';

export interface DisruptiveDecision {
  allowed: boolean;
  reason: string;
}

export interface LabelledObject {
  kind: 'Namespace' | 'Node';
  name: string;
  labels: Record<string, string>;
}

/** `disposableLabel` is `key` (any value but "false") or `key=value`. */
export function decideDisruptive(objects: LabelledObject[], disposableLabel: string | undefined, allowFlag: boolean): DisruptiveDecision {
  if (allowFlag) return { allowed: true, reason: 'allowed by --allow-disruptive' };
  if (!disposableLabel) {
    return {
      allowed: false,
      reason:
        'refusing disruptive suites on an existing cluster: the spec names no disposable label (spec.provider.existing.disposableLabel) and --allow-disruptive was not given',
    };
  }
  const [key, want] = disposableLabel.split('=', 2) as [string, string | undefined];
  const match = objects.find((o) => key in o.labels && (want === undefined ? o.labels[key] !== 'false' : o.labels[key] === want));
  if (match) return { allowed: true, reason: `${match.kind} ${match.name} is labelled ${key}=${match.labels[key] ?? ''} (disposable)` };
  return {
    allowed: false,
    reason: `refusing disruptive suites: no namespace or node carries the disposable label ${disposableLabel}; label one (kubectl label namespace default ${want === undefined ? `${key}=true` : disposableLabel}) or pass --allow-disruptive`,
  };
}

/** Reads namespace and node labels from the cluster, then decides; throws a RunError when refused. */
export async function assertDisruptiveAllowed(
  cluster: Pick<Cluster, 'kubeconfigPath'> & { context?: string },
  disposableLabel: string | undefined,
  allowFlag: boolean,
): Promise<DisruptiveDecision> {
  let objects: LabelledObject[] = [];
  if (!allowFlag && disposableLabel) {
    const { core } = clusterApi({ kubeconfig: cluster.kubeconfigPath, context: cluster.context });
    const selector = disposableLabel.split('=', 1)[0] ?? disposableLabel;
    const [ns, nodes] = await Promise.all([core.listNamespace({ labelSelector: selector }), core.listNode({ labelSelector: selector })]);
    objects = [
      ...ns.items.map((o) => ({ kind: 'Namespace' as const, name: o.metadata?.name ?? '', labels: o.metadata?.labels ?? {} })),
      ...nodes.items.map((o) => ({ kind: 'Node' as const, name: o.metadata?.name ?? '', labels: o.metadata?.labels ?? {} })),
    ];
  }
  const decision = decideDisruptive(objects, disposableLabel, allowFlag);
  if (!decision.allowed) throw new RunError(decision.reason, { fix: 'pass --allow-disruptive if this cluster may be disrupted' });
  return decision;
}

// Control teardown-clean, teardown layer. Only meaningful once the run's own resources are gone, so it is decided by
// `clusterproof run` after every suite and after the cluster's removal (harness/run/live.ts); inside the suites it
// only marks that hand-over. What counts as left over: Kubernetes namespaces and pods labelled with the run id (while
// the cluster still exists), Docker containers, networks and volumes labelled `clusterproof.run=<id>`, and for an
// aws-provider run every AWS resource still tagged `clusterproof.run=<id>` after `down` (awsLeftovers.ts).
import type { CoreV1Api } from '@kubernetes/client-node';
import { finding } from '../findings/finding.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import { listObjects } from '../provision/docker.ts';
import { K8S_RUN_LABEL } from '../kubernetes/runLabels.ts';
import { runLabelFilter } from '../provision/naming.ts';
import type { LiveCheck } from '../model/liveCheck.ts';

export const CONTROL_ID = 'teardown-clean';
const LAYER = 'teardown';
export const DEFERRED_MARK = 'deferred-to-runner';

/** In-suite placeholder: the runner replaces it with the real finding. */
export const teardownDeferred: LiveCheck = async ({ control }) => [
  finding({
    controlId: control.id,
    layer: LAYER,
    result: 'not-applicable',
    message: 'Checked by `clusterproof run` after every suite has cleaned up and the cluster was removed.',
    evidence: [{ type: 'rule', rule: DEFERRED_MARK }],
  }),
];

export function isDeferredTeardown(f: Finding): boolean {
  return f.controlId === CONTROL_ID && f.layer === LAYER && f.evidence.some((e) => e.type === 'rule' && e.rule === DEFERRED_MARK);
}

export interface KubernetesLeftovers {
  namespaces: string[];
  pods: string[];
}

/** Namespaces and pods carrying this run's label, read while the cluster still answers. */
export async function kubernetesLeftovers(core: CoreV1Api, runId: string): Promise<KubernetesLeftovers> {
  const selector = `${K8S_RUN_LABEL}=${runId}`;
  const [ns, pods] = await Promise.all([
    core.listNamespace({ labelSelector: selector }),
    core.listPodForAllNamespaces({ labelSelector: selector }),
  ]);
  return {
    namespaces: ns.items.map((n) => n.metadata?.name ?? '?'),
    pods: pods.items.map((p) => `${p.metadata?.namespace ?? '?'}/${p.metadata?.name ?? '?'}`),
  };
}

export interface DockerLeftovers {
  containers: number;
  networks: number;
  volumes: number;
}

export async function dockerLeftovers(runId: string): Promise<DockerLeftovers> {
  const f = runLabelFilter(runId);
  const [containers, networks, volumes] = await Promise.all([
    listObjects('container', [f]),
    listObjects('network', [f]),
    listObjects('volume', [f]),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: volumes.length };
}

export interface TeardownObservation {
  runId: string;
  /** undefined: the cluster could not be asked (the reason is in kubernetesSkipped). */
  kubernetes?: KubernetesLeftovers;
  kubernetesSkipped?: string;
  /** undefined: Docker was not checked (kept cluster, no engine): the reason is in dockerSkipped. */
  docker?: DockerLeftovers;
  dockerSkipped?: string;
  /** aws provider only: `kind ids` of what is still tagged with the run in AWS (empty: nothing). */
  aws?: string[];
  awsSkipped?: string;
}

/** Pure verdict over what was observed. */
export function judgeTeardown(o: TeardownObservation): Finding {
  const evidence: Evidence[] = [
    {
      type: 'observation',
      what: `Kubernetes namespaces/pods labelled ${K8S_RUN_LABEL}=${o.runId} after the suites`,
      observed: o.kubernetes ?? null,
      ...(o.kubernetesSkipped ? { detail: o.kubernetesSkipped } : {}),
    },
    ...(o.docker || o.dockerSkipped
      ? [
          {
            type: 'observation' as const,
            what: `Docker objects labelled clusterproof.run=${o.runId} after teardown`,
            observed: o.docker ?? null,
            ...(o.dockerSkipped ? { detail: o.dockerSkipped } : {}),
          },
        ]
      : []),
    ...(o.aws || o.awsSkipped
      ? [
          {
            type: 'observation' as const,
            what: `AWS resources tagged clusterproof.run=${o.runId} after down`,
            observed: o.aws ?? null,
            ...(o.awsSkipped ? { detail: o.awsSkipped } : {}),
          },
        ]
      : []),
  ];
  const left: string[] = [];
  if (o.kubernetes) {
    if (o.kubernetes.namespaces.length > 0) left.push(`namespaces ${o.kubernetes.namespaces.join(', ')}`);
    if (o.kubernetes.pods.length > 0) left.push(`pods ${o.kubernetes.pods.join(', ')}`);
  }
  if (o.docker) {
    for (const [kind, n] of Object.entries(o.docker)) if (n > 0) left.push(`${n} Docker ${kind}`);
  }
  if (o.aws && o.aws.length > 0) left.push(`AWS ${o.aws.join('; ')}`);
  const base = { controlId: CONTROL_ID, layer: LAYER, subject: { kind: 'Run', name: o.runId }, evidence } as const;
  if (left.length > 0) return finding({ ...base, result: 'fail', message: `The run left resources behind: ${left.join('; ')}.` });
  const skipped = [o.kubernetesSkipped, o.dockerSkipped, o.awsSkipped].filter(Boolean);
  if (!o.kubernetes && !o.docker && !o.aws)
    return finding({ ...base, result: 'error', message: `Nothing could be checked for leftovers: ${skipped.join('; ')}.` });
  const checked = [
    o.kubernetes ? 'no labelled namespace or pod in the cluster' : undefined,
    o.docker ? 'no labelled Docker container, network or volume' : undefined,
    o.aws ? 'nothing tagged with the run in AWS' : undefined,
  ]
    .filter(Boolean)
    .join(' and ');
  return finding({
    ...base,
    result: 'pass',
    message: `Teardown left nothing: ${checked}.${skipped.length > 0 ? ` Not checked: ${skipped.join('; ')}.` : ''}`,
  });
}

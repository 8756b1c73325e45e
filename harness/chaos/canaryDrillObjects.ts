// The objects the canary abort drill creates (pure builders, so the static evaluator can judge exactly what the
// controller is given): a Rollout of probe-image pods with a canary strategy whose second step runs an analysis
// that must fail, that AnalysisTemplate, and the stable/canary Services Argo points at each ReplicaSet.
// The analysis uses the Job metric provider (no Prometheus): a Job running `probe connect` to a port nothing
// listens on in the Job pod's own network namespace, which exits 1, so the Job fails, so the measurement fails.
import { K8S_RUN_LABEL } from '../kubernetes/runLabels.ts';
import type { AnalysisTemplate, Rollout } from '../model/state.ts';
import type { V1Container } from '@kubernetes/client-node';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
export const ROLLOUT_NAME = 'cp-canary';
export const TEMPLATE_NAME = 'cp-canary-must-fail';
export const METRIC_NAME = 'probe-closed-port';
export const STABLE_SERVICE = 'cp-canary-stable';
export const CANARY_SERVICE = 'cp-canary-canary';
export const APP_LABEL = 'clusterproof.dev/canary-drill';
/** Set on the pod template; changing it is the "new version" that starts the canary. */
export const REVISION_ANNOTATION = 'clusterproof.dev/drill-revision';
/** Port 9 (discard) on the pod's own loopback: nothing listens there, so the connection is refused at once. */
export const CLOSED_TARGET = '127.0.0.1:9';
export const DRILL_REPLICAS = 2;

export interface DrillPlacement {
  namespace: string;
  runId: string;
  image: string;
  replicas?: number;
}

const TOLERATIONS = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];

function probeContainer(image: string, args?: string[]): V1Container {
  return {
    name: 'probe',
    image,
    // Baked into the node image (or `kind load`ed): a pull could only fail offline.
    imagePullPolicy: 'IfNotPresent',
    ...(args ? { args } : { ports: [{ name: 'tcp', containerPort: 80 }], readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } }),
  };
}

export function analysisTemplate(p: DrillPlacement): AnalysisTemplate {
  const labels = { [K8S_RUN_LABEL]: p.runId };
  return {
    apiVersion: ARGO_API_VERSION,
    kind: 'AnalysisTemplate',
    metadata: { name: TEMPLATE_NAME, namespace: p.namespace, labels },
    spec: {
      metrics: [
        {
          name: METRIC_NAME,
          // The first failed measurement fails the AnalysisRun (one measurement: no count, no interval).
          failureLimit: 0,
          provider: {
            job: {
              metadata: { labels },
              spec: {
                backoffLimit: 0,
                activeDeadlineSeconds: 60,
                template: {
                  metadata: { labels },
                  spec: {
                    restartPolicy: 'Never',
                    terminationGracePeriodSeconds: 0,
                    tolerations: TOLERATIONS,
                    containers: [probeContainer(p.image, ['connect', '--protocol', 'tcp', '--timeout', '2s', CLOSED_TARGET])],
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

export function rollout(p: DrillPlacement): Rollout {
  const selector = { [APP_LABEL]: ROLLOUT_NAME };
  const strategy = {
    canary: {
      stableService: STABLE_SERVICE,
      canaryService: CANARY_SERVICE,
      // Half the pods move to the new version, then the analysis decides: it must fail, so the rollout aborts.
      steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: TEMPLATE_NAME }] } }],
    },
  };
  const spec = {
    replicas: p.replicas ?? DRILL_REPLICAS,
    revisionHistoryLimit: 1,
    selector: { matchLabels: selector },
    template: {
      metadata: { labels: { ...selector, [K8S_RUN_LABEL]: p.runId }, annotations: { [REVISION_ANNOTATION]: '1' } },
      spec: { terminationGracePeriodSeconds: 0, tolerations: TOLERATIONS, containers: [probeContainer(p.image)] },
    },
    strategy,
  };
  return {
    apiVersion: ARGO_API_VERSION,
    kind: 'Rollout',
    metadata: { name: ROLLOUT_NAME, namespace: p.namespace, labels: { [K8S_RUN_LABEL]: p.runId, ...selector } },
    spec,
  };
}

export function service(p: DrillPlacement, name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    // Argo adds the ReplicaSet's rollouts-pod-template-hash to the selector of the stable and canary Services.
    metadata: { name, namespace: p.namespace, labels: { [K8S_RUN_LABEL]: p.runId } },
    spec: { selector: { [APP_LABEL]: ROLLOUT_NAME }, ports: [{ name: 'tcp', port: 80, targetPort: 80, protocol: 'TCP' }] },
  };
}

/** The merge patch that makes a new pod-template revision: the update the canary strategy ships. */
export function newRevisionPatch(revision: number): Record<string, unknown> {
  return { spec: { template: { metadata: { annotations: { [REVISION_ANNOTATION]: String(revision) } } } } };
}

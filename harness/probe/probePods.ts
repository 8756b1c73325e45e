// The probe runner: real traffic from real pods of the probe image. Server pods (its default command serves 80 and
// 81), one-shot client pods running `probe connect` (exit 0 exactly when connected) or `probe batch` (one JSON line
// per target), and the same `probe batch` exec'd in a running pod. Used by `up`'s readiness gate, the live checks
// and the live tests, so all of them observe traffic the same way.
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { K8S_RUN_LABEL } from '../kubernetes/runLabels.ts';
import { waitFor } from '../kubernetes/waitFor.ts';
import { execInPod } from './podExec.ts';

export interface ProbeTarget {
  host: string;
  port: number;
  protocol?: 'tcp' | 'udp';
}

/** Container command of `probe connect`: the image's entrypoint is `probe`; its default command serves 80 and 81. */
export function probeConnectArgs(target: ProbeTarget, timeoutSeconds = 2): string[] {
  return ['connect', '--protocol', target.protocol ?? 'tcp', '--timeout', `${timeoutSeconds}s`, `${target.host}:${target.port}`];
}

export interface PodPlacement {
  namespace: string;
  name: string;
  runId: string;
  image: string;
  node?: string;
  labels?: Record<string, string>;
  /** The pod's ServiceAccount (default: the namespace's `default`): what IRSA injects depends on it. */
  serviceAccount?: string;
  /** On the node's network (a witness of what the node itself reaches); needs a namespace that admits it. */
  hostNetwork?: boolean;
  /** Run as Pod Security `restricted` admits (clients only: the server binds ports below 1024). */
  restricted?: boolean;
}

/** A container that Pod Security's `restricted` level admits: probes in a user's namespace must not need more. */
export const RESTRICTED = {
  runAsNonRoot: true,
  runAsUser: 65534,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function podBody(p: PodPlacement, args: string[] | undefined, restartPolicy: 'Never' | 'Always'): V1Pod {
  return {
    metadata: { name: p.name, namespace: p.namespace, labels: { [K8S_RUN_LABEL]: p.runId, ...p.labels } },
    spec: {
      restartPolicy,
      terminationGracePeriodSeconds: 0,
      ...(p.serviceAccount === undefined ? {} : { serviceAccountName: p.serviceAccount }),
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.node === undefined ? {} : { nodeSelector: { 'kubernetes.io/hostname': p.node } }),
      // Readiness may have to use control-plane nodes when there are fewer than two workers.
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        {
          name: 'probe',
          image: p.image,
          // The image is loaded into the nodes (`kind load`); a pull could only fail offline.
          imagePullPolicy: 'IfNotPresent',
          ...(args === undefined ? {} : { args }),
          ...(p.restricted ? { securityContext: RESTRICTED } : {}),
        },
      ],
    },
  };
}

/** Starts a server pod (probe's default command) and returns its IP once it runs. */
export async function startServerPod(core: CoreV1Api, p: PodPlacement, deadline: number): Promise<string> {
  await core.createNamespacedPod({ namespace: p.namespace, body: podBody(p, undefined, 'Always') });
  const pod = await awaitPodReady(core, { namespace: p.namespace, name: p.name }, deadline, `on ${p.node ?? 'any node'}`);
  return pod.status?.podIP ?? '';
}

/** Waits until a pod runs with an IP and every container (an injected mesh agent too) is ready. */
export async function awaitPodReady(
  core: CoreV1Api,
  ref: { namespace: string; name: string },
  deadline: number,
  where = '',
): Promise<V1Pod> {
  const { value } = await waitFor(
    `pod ${ref.namespace}/${ref.name} running and ready${where ? ` ${where}` : ''}`,
    async () => {
      const pod = await core.readNamespacedPod(ref);
      const running = pod.status?.phase === 'Running' && pod.status.containerStatuses?.every((c) => c.ready);
      if (running && pod.status?.podIP) return { done: true, value: pod };
      return { done: false, why: `phase ${pod.status?.phase ?? 'unknown'}: ${describeWaiting(pod)}` };
    },
    { timeout: deadline - Date.now(), interval: 1000 },
  );
  return value;
}

/** A one-shot pod to its end: Succeeded or Failed, with its first container's exit code and its log. */
async function finished(
  core: CoreV1Api,
  p: PodPlacement,
  deadline: number,
): Promise<{ phase: string; exitCode: number | undefined; log: string }> {
  const { value: pod } = await waitFor(
    `probe pod ${p.namespace}/${p.name} to finish`,
    async () => {
      const pod = await core.readNamespacedPod({ name: p.name, namespace: p.namespace });
      const phase = pod.status?.phase;
      return phase === 'Succeeded' || phase === 'Failed'
        ? { done: true, value: pod }
        : { done: false, why: `phase ${phase ?? 'unknown'}: ${describeWaiting(pod)}` };
    },
    { timeout: deadline - Date.now(), interval: 500 },
  );
  const log = await core.readNamespacedPodLog({ name: p.name, namespace: p.namespace }).catch(() => '');
  return { phase: pod.status?.phase ?? '', exitCode: pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, log: String(log) };
}

export interface ProbeOutcome {
  /** true exactly when `probe connect` exited 0. */
  connected: boolean;
  exitCode: number | undefined;
  log: string;
}

/** Runs one `probe connect` in a fresh pod and returns what it observed; the pod is deleted afterwards. */
export async function runProbe(core: CoreV1Api, p: PodPlacement, target: ProbeTarget, deadline: number): Promise<ProbeOutcome> {
  await core.createNamespacedPod({ namespace: p.namespace, body: podBody(p, probeConnectArgs(target), 'Never') });
  try {
    const { phase, exitCode, log } = await finished(core, p, deadline);
    return { connected: phase === 'Succeeded' && exitCode === 0, exitCode, log: log.trim() };
  } finally {
    await core.deleteNamespacedPod({ name: p.name, namespace: p.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

/** Runs `probe <args>` in a fresh one-shot pod to its end and returns its log; the pod is deleted afterwards. */
export async function runProbeCommand(
  core: CoreV1Api,
  p: PodPlacement,
  args: string[],
  deadline: number,
): Promise<{ phase: string; exitCode: number | undefined; log: string }> {
  await core.createNamespacedPod({ namespace: p.namespace, body: podBody(p, args, 'Never') });
  try {
    return await finished(core, p, deadline);
  } finally {
    await core.deleteNamespacedPod({ name: p.name, namespace: p.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

export interface BatchResult {
  target: string;
  protocol: string;
  ok: boolean;
  ms: number;
  reply?: string;
  error: string;
}

/** Arguments of `probe batch` (after the `probe` entrypoint): one protocol and host:port pair per target. */
export function probeBatchArgs(targets: readonly ProbeTarget[], timeoutSeconds = 2): string[] {
  return ['batch', '--timeout', `${timeoutSeconds}s`, ...targets.flatMap((t) => [t.protocol ?? 'tcp', `${t.host}:${t.port}`])];
}

/** `probe batch` output: one JSON line per target, in input order; other lines are not results. */
export function parseBatch(stdout: string): BatchResult[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as BatchResult);
}

/** The probe binary inside the probe image (images/README.md), for exec into a running probe pod. */
export const PROBE_BIN = '/usr/local/bin/probe';

/** Runs `probe batch` in a running pod through the API server's exec (a long-running client keeps its IP known to the enforcer). */
export async function execBatch(
  kc: KubeConfig,
  pod: { namespace: string; name: string },
  targets: readonly ProbeTarget[],
  timeoutSeconds = 2,
): Promise<BatchResult[]> {
  const r = await execInPod(
    kc,
    { namespace: pod.namespace, pod: pod.name, container: 'probe' },
    [PROBE_BIN, ...probeBatchArgs(targets, timeoutSeconds)],
    30_000,
  );
  if (r.exitCode !== 0) throw new Error(`probe batch in ${pod.namespace}/${pod.name} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return parseBatch(r.stdout);
}

/** Runs `probe batch` over many targets in one fresh pod (one JSON line per target, in input order). */
export async function runBatch(
  core: CoreV1Api,
  p: PodPlacement,
  targets: ProbeTarget[],
  deadline: number,
  timeoutSeconds = 2,
): Promise<BatchResult[]> {
  await core.createNamespacedPod({ namespace: p.namespace, body: podBody(p, probeBatchArgs(targets, timeoutSeconds), 'Never') });
  try {
    const { phase, log } = await finished(core, p, deadline);
    if (phase === 'Failed') throw new Error(`probe batch pod ${p.namespace}/${p.name} failed: ${log.slice(0, 500)}`);
    return parseBatch(log);
  } finally {
    await core.deleteNamespacedPod({ name: p.name, namespace: p.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

function describeWaiting(pod: V1Pod): string {
  const stuck = pod.status?.containerStatuses?.find((c) => c.state?.waiting);
  const waiting = stuck?.state?.waiting;
  if (waiting) return `${stuck.name}: ${waiting.reason ?? 'waiting'}${waiting.message ? `: ${waiting.message}` : ''}`;
  const cond = pod.status?.conditions?.find((c) => c.status !== 'True');
  return cond ? `${cond.type}: ${cond.reason ?? ''} ${cond.message ?? ''}`.trim() : 'no status yet';
}

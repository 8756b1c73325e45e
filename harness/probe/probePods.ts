// Real traffic from real pods: a probe-image server pod per node and one-shot client pods running
// `probe connect`, whose exit code is the observation (0 exactly when the connection succeeded).
// Used by `up`'s readiness gate and by the live tests, so both observe traffic the same way.
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { K8S_RUN_LABEL } from '../naming.ts';

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
}

function podBody(p: PodPlacement, args: string[] | undefined, restartPolicy: 'Never' | 'Always'): V1Pod {
  return {
    metadata: { name: p.name, namespace: p.namespace, labels: { [K8S_RUN_LABEL]: p.runId, ...p.labels } },
    spec: {
      restartPolicy,
      terminationGracePeriodSeconds: 0,
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
        },
      ],
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a server pod (probe's default command) and returns its IP once it runs. */
export async function startServerPod(core: CoreV1Api, p: PodPlacement, deadline: number): Promise<string> {
  await core.createNamespacedPod({ namespace: p.namespace, body: podBody(p, undefined, 'Always') });
  for (;;) {
    const pod = await core.readNamespacedPod({ name: p.name, namespace: p.namespace });
    const running = pod.status?.phase === 'Running' && pod.status.containerStatuses?.every((c) => c.ready);
    if (running && pod.status?.podIP) return pod.status.podIP;
    if (Date.now() > deadline) {
      throw new Error(`server pod ${p.namespace}/${p.name} not running on ${p.node ?? 'any node'} in time (phase ${pod.status?.phase ?? 'unknown'}: ${describeWaiting(pod)})`);
    }
    await sleep(1000);
  }
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
    for (;;) {
      const pod = await core.readNamespacedPod({ name: p.name, namespace: p.namespace });
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') {
        const exitCode = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
        const log = await core.readNamespacedPodLog({ name: p.name, namespace: p.namespace }).catch(() => '');
        return { connected: phase === 'Succeeded' && exitCode === 0, exitCode, log: String(log).trim() };
      }
      if (Date.now() > deadline) {
        throw new Error(`probe pod ${p.namespace}/${p.name} did not finish in time (phase ${phase ?? 'unknown'}: ${describeWaiting(pod)})`);
      }
      await sleep(500);
    }
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

/** Runs `probe batch` over many targets in one fresh pod (one JSON line per target, in input order). */
export async function runBatch(core: CoreV1Api, p: PodPlacement, targets: ProbeTarget[], deadline: number, timeoutSeconds = 2): Promise<BatchResult[]> {
  const args = ['batch', '--timeout', `${timeoutSeconds}s`, ...targets.flatMap((t) => [t.protocol ?? 'tcp', `${t.host}:${t.port}`])];
  await core.createNamespacedPod({ namespace: p.namespace, body: podBody(p, args, 'Never') });
  try {
    for (;;) {
      const pod = await core.readNamespacedPod({ name: p.name, namespace: p.namespace });
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') {
        const log = String(await core.readNamespacedPodLog({ name: p.name, namespace: p.namespace }));
        if (phase === 'Failed') throw new Error(`probe batch pod ${p.namespace}/${p.name} failed: ${log.slice(0, 500)}`);
        return log.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as BatchResult);
      }
      if (Date.now() > deadline) throw new Error(`probe batch pod ${p.namespace}/${p.name} did not finish in time (${describeWaiting(pod)})`);
      await sleep(500);
    }
  } finally {
    await core.deleteNamespacedPod({ name: p.name, namespace: p.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

function describeWaiting(pod: V1Pod): string {
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  if (waiting) return `${waiting.reason ?? 'waiting'}${waiting.message ? `: ${waiting.message}` : ''}`;
  const cond = pod.status?.conditions?.find((c) => c.status !== 'True');
  return cond ? `${cond.type}: ${cond.reason ?? ''} ${cond.message ?? ''}`.trim() : 'no status yet';
}

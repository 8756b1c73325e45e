// Control mtls-strict, probe layer: does the mesh refuse what it must, and accept what it should, on real traffic?
// In each namespace of spec.mtls.scope (at most MAX_NAMESPACES) a witness server joins the namespace as any new
// workload would (meshProbeObjects.ts). From a pod outside the mesh, plaintext (gRPC, the HTTP/2 preface, an
// HTTP/1 request) and TLS without a mesh certificate (none, or a self-signed one) go to the witness and to every
// running in-scope pod's ports; from a pod inside the mesh, an mTLS call goes to the witness, which reports the
// caller's SPIFFE ID. Each port's observation is compared with the static twin's resolved mode for that pod and
// port (resolveWorkloadMtls.ts, the config layer's own resolution): a disagreement fails with both sides, and with
// spec STRICT so does any port that greets plaintext. Refusal is judged by greetings (mtls/meshCalls.ts).
// Proxyless gRPC (the test bed's data plane, no Envoy) treats PERMISSIVE as DISABLE: both accept plaintext, as the
// twin says of PERMISSIVE too. Everything created is removed in `finally`.
import { CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { errorMessage } from '../errors.ts';
import { meshConfigValues, rootNamespaceOf } from '../evaluate/mtlsStrict/meshRootNamespace.ts';
import { meshWorkloads, sidecarPresent } from '../evaluate/mtlsStrict/meshWorkloads.ts';
import { resolveWorkloadMtls, type WorkloadMtls } from '../evaluate/mtlsStrict/resolveWorkloadMtls.ts';
import { resolveScope } from '../evaluate/scope.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import { makeApiClient } from '../kubernetes/apiClient.ts';
import { clusterApi, requireRunId, type ClusterApi } from '../kubernetes/clusterApi.ts';
import { createRunNamespace, deleteNamespacesAndWait, deletePodsAndWait } from '../kubernetes/runNamespace.ts';
import { waitFor } from '../kubernetes/waitFor.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { LiveCheck, LiveCheckInput } from '../model/liveCheck.ts';
import type { ClusterState } from '../model/state.ts';
import {
  describeCall,
  judgePort,
  OUTSIDE_MODES,
  parseCalls,
  seenFor,
  PLAINTEXT_MODES,
  type MeshCall,
  type PortVerdict,
} from './mtls/meshCalls.ts';
import {
  callCommand,
  DESTINATION_RULE,
  meshClientPod,
  MESHPROBE_CONTAINER,
  objectName,
  outsideClientPod,
  outsideNamespaceLabels,
  probeNetworkPolicy,
  WITNESS_PORT,
  witnessDestinationRule,
  witnessHost,
  witnessPod,
  witnessService,
} from './mtls/meshProbeObjects.ts';
import { crdPresent, platformAbsent } from './platformAbsent.ts';
import { execInPod } from './podExec.ts';
import { awaitPodReady } from './probePods.ts';

const LAYER = 'probe';
const CRD = 'peerauthentications.security.istio.io';
/** Bounds what one run does to a cluster. */
const MAX_NAMESPACES = 8;
const MAX_PORTS_PER_NAMESPACE = 12;
const POD_START_MS = 180_000;
/** The witness's listener comes from istiod through xDS after the pod is Ready. */
const SERVING_MS = 60_000;
const ATTEMPT_SECONDS = 2;
const MESH_CALL_SECONDS = 20;

interface Context {
  input: LiveCheckInput;
  api: ClusterApi;
  custom: CustomObjectsApi;
  runId: string;
  image: string;
  outside: { namespace: string; name: string };
  required: 'STRICT' | 'PERMISSIVE';
  trustDomain: string;
  rootNamespace: string;
  /** The static twin of every running in-scope pod, by `ns/name`. */
  twins: Map<string, WorkloadMtls>;
}

export const mtlsPlaintextProbe: LiveCheck = async (input) => {
  const { state, spec, control } = input;
  const mtls = spec.spec.mtls;
  if (!mtls) return [notAskedFor(control.id, LAYER, 'mutual TLS', 'mtls')];
  if (mtls.mode === 'DISABLE')
    return [result(input, 'not-applicable', 'The spec sets mTLS mode DISABLE: there is nothing to enforce.', [])];
  const sidecars = state.kubernetes.pods.filter((p) => sidecarPresent(p.spec));
  const ztunnel = state.kubernetes.pods.filter((p) => p.metadata?.labels?.app === 'ztunnel');
  const hasCrd = await crdPresent(input, CRD);
  const meshEvidence: Evidence = {
    type: 'observation',
    what: `CustomResourceDefinition ${CRD} / pods with an istio-proxy container / ztunnel pods`,
    observed: { crd: hasCrd ? 'present' : 'absent (404)', sidecars: sidecars.length, ztunnel: ztunnel.length },
  };
  if (!hasCrd && sidecars.length === 0 && ztunnel.length === 0) {
    return platformAbsent(
      input,
      `No Istio in the cluster (CRD ${CRD} absent, no istio-proxy sidecar or ztunnel pod), so there is no mTLS enforcement to probe.`,
      [meshEvidence],
    );
  }
  if (!input.run.probeImage) {
    return [result(input, 'error', 'No probe image is known for this cluster, so no traffic could be observed.', [meshEvidence])];
  }
  const known = state.kubernetes.namespaces.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
  const scope = resolveScope(known, mtls.scope);
  const findings: Finding[] = scope.missing.map((ns) =>
    result(input, 'error', `Namespace ${ns} is in the mTLS scope but does not exist, so nothing in it was probed.`, [], ns),
  );
  for (const ns of scope.inScope.slice(MAX_NAMESPACES)) {
    findings.push(
      result(
        input,
        'not-applicable',
        `Not probed: a run probes at most ${MAX_NAMESPACES} namespaces (the config layer covers ${ns}).`,
        [],
        ns,
      ),
    );
  }
  const probed = scope.inScope.slice(0, MAX_NAMESPACES);
  if (probed.length === 0) {
    return [
      ...findings,
      result(input, 'error', 'No namespace in the cluster matches spec.mtls.scope, so nothing was probed.', [meshEvidence]),
    ];
  }

  const runId = requireRunId(input.run);
  const api = clusterApi(input.run);
  const root = rootNamespaceOf(state, mtls.rootNamespace ? { value: mtls.rootNamespace, source: 'spec.mtls.rootNamespace' } : undefined);
  const [trustDomain] = meshConfigValues(state, 'trustDomain', (v): v is string => typeof v === 'string' && v !== '');
  const outsideNs = `cp-mtls-${runId}`.slice(0, 63);
  const context: Context = {
    input,
    api,
    custom: makeApiClient(api.kc, CustomObjectsApi),
    runId,
    image: input.run.probeImage,
    outside: { namespace: outsideNs, name: objectName('outside-client', runId) },
    required: mtls.mode,
    trustDomain: trustDomain?.value ?? 'cluster.local',
    rootNamespace: root.namespace,
    twins: runningPodTwins(state, root.namespace, new Set(probed)),
  };
  try {
    await createRunNamespace(api.core, outsideNs, runId, outsideNamespaceLabels);
    await api.core.createNamespacedPod({ namespace: outsideNs, body: outsideClientPod(outsideNs, runId, context.image) });
    await awaitPodReady(api.core, context.outside, Date.now() + POD_START_MS);
    for (const ns of probed) {
      input.signal.throwIfAborted();
      findings.push(await probeNamespace(context, ns, meshEvidence));
    }
    return findings;
  } finally {
    await Promise.all([deleteNamespacesAndWait(api.core, [outsideNs]), ...probed.map((ns) => removeFromNamespace(context, ns))]);
  }
};

/** The twin of every running, non-hostNetwork pod in scope: what the config layer resolves for the pods probed. */
function runningPodTwins(state: ClusterState, rootNamespace: string, inScope: ReadonlySet<string>): Map<string, WorkloadMtls> {
  const running = meshWorkloads(state, inScope).filter((w) => w.hasSidecar !== undefined);
  return new Map(resolveWorkloadMtls(state, rootNamespace, running).workloads.map((w) => [w.workload.id, w]));
}

/** The witness's twin: the same resolution over the collected state, with the witness (as admitted) as its only pod. */
function witnessTwin(c: Context, pod: V1Pod): WorkloadMtls | undefined {
  const state = c.input.state;
  const withWitness: ClusterState = { ...state, kubernetes: { ...state.kubernetes, pods: [pod] } };
  const ns = pod.metadata?.namespace ?? '';
  return resolveWorkloadMtls(withWitness, c.rootNamespace, meshWorkloads(withWitness, new Set([ns]))).workloads[0];
}

async function probeNamespace(c: Context, ns: string, meshEvidence: Evidence): Promise<Finding> {
  const { api, runId } = c;
  const deadline = Date.now() + POD_START_MS;
  const setup: Evidence[] = [meshEvidence];
  try {
    await api.net.createNamespacedNetworkPolicy({ namespace: ns, body: probeNetworkPolicy(ns, runId) });
    await api.core.createNamespacedService({ namespace: ns, body: witnessService(ns, runId) });
    await c.custom
      .createNamespacedCustomObject({ ...DESTINATION_RULE, namespace: ns, body: witnessDestinationRule(ns, runId) })
      .catch((error: unknown) =>
        setup.push({ type: 'observation', what: 'DestinationRule for the witness', observed: `not created: ${errorMessage(error)}` }),
      );
    await api.core.createNamespacedPod({ namespace: ns, body: witnessPod(ns, runId, c.image) });
    await api.core.createNamespacedPod({ namespace: ns, body: meshClientPod(ns, runId, c.image) });
  } catch (error) {
    return result(c.input, 'error', `Could not place the probe's pods in ${ns}: ${errorMessage(error)}`, setup, ns);
  }
  let witness: V1Pod;
  let client: V1Pod;
  try {
    [witness, client] = (await Promise.all(
      (['witness', 'mesh-client'] as const).map((role) =>
        awaitPodReady(api.core, { namespace: ns, name: objectName(role, runId) }, deadline),
      ),
    )) as [V1Pod, V1Pod];
  } catch (error) {
    return result(c.input, 'error', `The probe's pods in ${ns} did not become ready: ${errorMessage(error)}`, setup, ns);
  }
  const twin = witnessTwin(c, witness);
  const injected = twin?.dataplane.dataplane !== 'none';
  const serving = injected ? await awaitServing(c, ns) : 'plaintext server (not injected)';
  setup.push({
    type: 'observation',
    what: `witness ${ns}/${witness.metadata?.name ?? ''}`,
    observed: `${twin?.dataplane.dataplane ?? '?'}: ${twin?.dataplane.reason ?? ''}; ${serving}`,
  });

  const witnessTarget = `${witness.status?.podIP ?? ''}:${WITNESS_PORT}`;
  const userTargets = userPorts(c, ns);
  const shown = userTargets.slice(0, MAX_PORTS_PER_NAMESPACE);
  const outside = await call(c, c.outside, OUTSIDE_MODES, [witnessTarget, ...shown.map((t) => t.target)], ATTEMPT_SECONDS);
  const meshCall = await call(
    c,
    { namespace: ns, name: client.metadata?.name ?? '' },
    ['xds'],
    [`${witnessHost(ns, runId)}:${WITNESS_PORT}`],
    MESH_CALL_SECONDS,
  );

  const witnessPort = twin?.ports.find((p) => p.port === WITNESS_PORT);
  if (!witnessPort) {
    return result(
      c.input,
      'error',
      `The static twin resolved no port ${WITNESS_PORT} for the witness in ${ns}, so nothing could be compared.`,
      setup,
      ns,
    );
  }
  const witnessVerdict = judgePort(
    `witness port ${WITNESS_PORT} (a new workload of ${ns})`,
    witnessPort,
    outside.calls.filter((x) => x.target === witnessTarget),
    c.required,
  );
  const verdicts: PortVerdict[] = [
    witnessVerdict.result === 'pass' && !witnessPort.plaintextAccepted
      ? identityCheck(c, ns, witnessVerdict, meshCall.calls[0])
      : witnessVerdict,
    ...shown.map((t) =>
      judgePort(
        `${t.label} port ${t.port}`,
        t.twin,
        outside.calls.filter((x) => x.target === t.target),
        c.required,
      ),
    ),
  ];
  const evidence: Evidence[] = [
    ...setup,
    ...verdicts.flatMap((v) => v.evidence),
    {
      type: 'observation',
      what: `mTLS call from inside the mesh (${ns}/${client.metadata?.name ?? ''}) to the witness`,
      observed: meshCall.calls.map(describeCall).join('; ') || meshCall.failure,
    },
    ...(outside.failure ? [{ type: 'observation' as const, what: 'caller outside the mesh', observed: outside.failure }] : []),
    ...(userTargets.length > shown.length
      ? [
          {
            type: 'missing-input' as const,
            what: `${userTargets.length - shown.length} more pod ports in ${ns}`,
            detail: `a run probes at most ${MAX_PORTS_PER_NAMESPACE} per namespace`,
          },
        ]
      : []),
  ];
  const failed = verdicts.filter((v) => v.result === 'fail');
  if (failed.length > 0) {
    return result(
      c.input,
      'fail',
      `Namespace ${ns} is not mTLS ${c.required} on the wire: ${failed.map((v) => v.why).join('; ')}.`,
      evidence,
      ns,
    );
  }
  // The witness is the control: without its verdict, pods that happened to answer prove nothing about the namespace.
  if (verdicts[0]?.result === 'unknown') {
    return result(c.input, 'error', `The witness in ${ns} could not be judged: ${verdicts[0].why}.`, evidence, ns);
  }
  const judged = verdicts.filter((v) => v.result !== 'unknown');
  const unjudged = verdicts.length - judged.length;
  return result(
    c.input,
    'pass',
    `Namespace ${ns} is mTLS ${c.required} on the wire, as the static twin resolves: ${judged.map((v) => v.why).join('; ')}${unjudged > 0 ? ` (${unjudged} pod port(s) not judged: silent or nothing listening)` : ''}.`,
    evidence,
    ns,
  );
}

/** A witness that refused plaintext proves mTLS only if a mesh caller gets in, and as itself. */
function identityCheck(c: Context, ns: string, verdict: PortVerdict, meshCall: MeshCall | undefined): PortVerdict {
  const expected = `spiffe://${c.trustDomain}/ns/${ns}/sa/default`;
  const evidence: Evidence[] = [
    ...verdict.evidence,
    {
      type: 'comparison',
      what: 'caller identity the witness saw for the in-mesh caller',
      expected,
      actual: meshCall?.identity ?? meshCall?.outcome ?? 'no call',
    },
  ];
  if (!meshCall?.ok) {
    return {
      result: 'unknown',
      why: `the witness refused plaintext but also the in-mesh mTLS caller (${meshCall ? describeCall(meshCall) : 'no call'}), so its refusal shows nothing about mTLS`,
      evidence,
    };
  }
  if (meshCall.identity !== expected) {
    return { result: 'fail', why: `the in-mesh caller reached the witness as ${meshCall.identity ?? 'nobody'}, not ${expected}`, evidence };
  }
  return { result: 'pass', why: `${verdict.why}; an in-mesh caller got in as ${expected}`, evidence };
}

/** Ports of running in-scope pods in ns, with their twin (not the probe's own pods). */
function userPorts(
  c: Context,
  ns: string,
): { label: string; port: number; target: string; twin: NonNullable<WorkloadMtls['ports'][number]> }[] {
  const ips = new Map(
    c.input.state.kubernetes.pods
      .filter((p) => p.metadata?.namespace === ns && p.status?.phase === 'Running' && p.status.podIP)
      .map((p) => [`${ns}/${p.metadata?.name ?? ''}`, p.status?.podIP ?? '']),
  );
  return [...c.twins.values()]
    .filter((w) => w.workload.namespace === ns && ips.has(w.workload.id))
    .flatMap((w) =>
      w.ports.flatMap((p) =>
        p.port === null
          ? []
          : [{ label: `pod ${w.workload.id}`, port: p.port, target: `${ips.get(w.workload.id) ?? ''}:${p.port}`, twin: p }],
      ),
    );
}

/** Waits for the witness's log to say istiod configured its listener (xDS serving mode). */
async function awaitServing(c: Context, ns: string): Promise<string> {
  const name = objectName('witness', c.runId);
  try {
    const { value } = await waitFor(
      `witness ${ns}/${name} serving its xDS listener`,
      async () => {
        const log = String(await c.api.core.readNamespacedPodLog({ namespace: ns, name, container: MESHPROBE_CONTAINER }));
        const line = log.split('\n').findLast((l) => l.includes('serving mode'));
        return line?.includes('SERVING') && !line.includes('NOT_SERVING')
          ? { done: true, value: line.trim() }
          : { done: false, why: line ?? 'no serving-mode line yet' };
      },
      { timeout: SERVING_MS, interval: 1000 },
    );
    return value;
  } catch (error) {
    return `not serving within ${SERVING_MS / 1000} s: ${errorMessage(error)}`;
  }
}

async function call(
  c: Context,
  pod: { namespace: string; name: string },
  modes: readonly string[],
  targets: readonly string[],
  seconds: number,
): Promise<{ calls: MeshCall[]; failure?: string }> {
  try {
    const r = await execInPod(
      c.api.kc,
      { namespace: pod.namespace, pod: pod.name, container: MESHPROBE_CONTAINER },
      callCommand(modes, targets, seconds),
      (modes.length * targets.length * seconds + 30) * 1000,
    );
    const calls = parseCalls(r.stdout);
    return calls.length > 0
      ? { calls }
      : { calls, failure: `meshprobe call printed nothing (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}` };
  } catch (error) {
    return { calls: [], failure: errorMessage(error) };
  }
}

async function removeFromNamespace(c: Context, ns: string): Promise<void> {
  const name = objectName('witness', c.runId);
  await Promise.all([
    c.api.net
      .deleteNamespacedNetworkPolicy({ namespace: ns, name: probeNetworkPolicy(ns, c.runId).metadata?.name ?? '' })
      .catch(() => undefined),
    c.api.core.deleteNamespacedService({ namespace: ns, name }).catch(() => undefined),
    c.custom.deleteNamespacedCustomObject({ ...DESTINATION_RULE, namespace: ns, name }).catch(() => undefined),
    deletePodsAndWait(c.api.core, [
      { namespace: ns, name },
      { namespace: ns, name: objectName('mesh-client', c.runId) },
    ]),
  ]);
}

function result(
  input: LiveCheckInput,
  r: 'pass' | 'fail' | 'not-applicable' | 'error',
  message: string,
  evidence: Evidence[],
  ns?: string,
): Finding {
  return finding({
    controlId: input.control.id,
    layer: LAYER,
    result: r,
    message,
    evidence,
    ...(ns ? { subject: { kind: 'Namespace', name: ns } } : {}),
  });
}

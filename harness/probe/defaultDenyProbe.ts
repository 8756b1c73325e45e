// Control netpol-default-deny, probe layer. For each namespace the spec requires to be default-deny, a probe server
// pod is placed there and a client (plus a witness) in a fresh namespace of this run. The static NetworkPolicy engine
// predicts, for pods with exactly these labels and IPs, whether client→server (ingress) and server→client (egress)
// on 80/TCP are allowed; `probe connect` through the API server's exec then observes it. Enforcement is
// asynchronous (the enforcer reacts to pod events), so observation repeats until it equals the prediction or a
// bound passes; the rounds and seconds taken are evidence. Everything created is removed in `finally`.
import { errorMessage, InputError } from '../errors.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import { namespaceLabels, syntheticPod, type PodEndpoint } from '../netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../netpol/engine.ts';
import { parseIp } from '../netpol/ipBlocks.ts';
import { resolveScope } from '../evaluate/scope.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { PortProtocol } from '../model/reachability.ts';
import { K8S_RUN_LABEL } from '../kubernetes/runLabels.ts';
import { parseBatch, PROBE_BIN, probeBatchArgs, startServerPod } from './probePods.ts';
import { waitFor, WaitTimeout } from '../kubernetes/waitFor.ts';
import type { LiveCheck, LiveCheckInput } from '../model/liveCheck.ts';
import { clusterApi, requireRunId, type ClusterApi } from '../kubernetes/clusterApi.ts';
import { execInPod } from './podExec.ts';
import { createRunNamespace, deleteNamespacesAndWait, deletePodsAndWait } from '../kubernetes/runNamespace.ts';
import { comparisonMatrix, judgeDefaultDeny, renderComparison, type DirectionOutcome } from './reachabilityCompare.ts';
import { Reachability } from '../model/reachabilityModel.ts';

const LAYER = 'probe';
const PORT: PortProtocol = { port: 80, protocol: 'TCP' };
/** Bounds what one run does to a cluster: namespaces probed, time for pods to start, time for enforcement to converge. */
const MAX_NAMESPACES = 8;
const POD_START_MS = 120_000;
const CONVERGE_MS = 45_000;
const ROLE_LABEL = 'clusterproof.dev/probe';

interface ProbePod {
  endpoint: PodEndpoint;
  ip: string;
}

export const probeDefaultDeny: LiveCheck = async (input) => {
  const { state, spec, control, run } = input;
  const controlId = control.id;
  const dd = spec.spec.networkPolicy?.defaultDeny;
  if (!dd) return [notAskedFor(controlId, LAYER, 'default-deny', 'networkPolicy.defaultDeny')];
  if (!run.probeImage) {
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        message: 'No probe image is known for this cluster, so no traffic could be observed.',
        evidence: [
          {
            type: 'missing-input',
            what: 'probe image',
            detail: 'run scripts/images.sh build (images.json "probe") and load it into the cluster',
          },
        ],
      }),
    ];
  }
  let engine: NetworkPolicyEngine;
  try {
    engine = NetworkPolicyEngine.fromState(state);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        message: `No prediction possible: ${error.problems.length} NetworkPolicy could not be compiled (the config layer lists them).`,
        evidence: [{ type: 'missing-input', what: 'valid NetworkPolicies', detail: error.message.slice(0, 500) }],
      }),
    ];
  }
  const known = state.kubernetes.namespaces.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
  const scope = resolveScope(known, { namespaces: dd.namespaces, exclude: dd.exclude });
  const findings: Finding[] = scope.missing.map((ns) =>
    finding({
      controlId,
      layer: LAYER,
      result: 'error',
      subject: { kind: 'Namespace', name: ns },
      message: `Namespace ${ns} is required to be default-deny but does not exist in the cluster, so nothing could be probed.`,
      evidence: [{ type: 'missing-input', what: `Namespace ${ns}` }],
    }),
  );
  const probed = scope.inScope.slice(0, MAX_NAMESPACES);
  for (const ns of scope.inScope.slice(MAX_NAMESPACES)) {
    findings.push(
      finding({
        controlId,
        layer: LAYER,
        result: 'not-applicable',
        subject: { kind: 'Namespace', name: ns },
        message: `Not probed: a run probes at most ${MAX_NAMESPACES} namespaces (the config layer still covers ${ns}).`,
        evidence: [],
      }),
    );
  }
  if (probed.length === 0)
    return findings.length > 0
      ? findings
      : [
          finding({
            controlId,
            layer: LAYER,
            result: 'error',
            message: 'No namespace in the cluster matches spec.networkPolicy.defaultDeny, so nothing was probed.',
            evidence: [],
          }),
        ];

  const runId = requireRunId(run);
  const api = clusterApi(run);
  const clientNs = `cp-probe-${runId}`.slice(0, 63);
  const clientNsLabels = { [K8S_RUN_LABEL]: runId, [ROLE_LABEL]: 'client' };
  try {
    await createRunNamespace(api.core, clientNs, runId, { [ROLE_LABEL]: 'client' });
    const deadline = Date.now() + POD_START_MS;
    const [client, witness] = await Promise.all(
      (['client', 'witness'] as const).map((role) =>
        startProbePod(
          api,
          {
            namespace: clientNs,
            name: role,
            runId,
            image: run.probeImage ?? '',
            role,
            nsLabels: namespaceLabels({ metadata: { labels: clientNsLabels } }, clientNs),
          },
          deadline,
        ),
      ),
    );
    if (!client || !witness) throw new Error('probe client pods did not start');
    const want = { ingress: dd.ingress ?? true, egress: dd.egress ?? true };
    for (const ns of probed) {
      input.signal.throwIfAborted();
      findings.push(await probeNamespace(input, api, engine, ns, { client, witness }, want, runId));
    }
    return findings;
  } finally {
    await deleteNamespacesAndWait(api.core, [clientNs]);
  }
};

async function startProbePod(
  api: ClusterApi,
  p: { namespace: string; name: string; runId: string; image: string; role: string; nsLabels: Record<string, string> },
  deadline: number,
): Promise<ProbePod> {
  const labels = { [ROLE_LABEL]: p.role };
  const ip = await startServerPod(api.core, { namespace: p.namespace, name: p.name, runId: p.runId, image: p.image, labels }, deadline);
  const parsed = parseIp(ip);
  if (!parsed) throw new Error(`pod ${p.namespace}/${p.name} reported IP "${ip}", which is not an address`);
  // The endpoint the engine judges carries exactly the pod's real labels (podBody adds the run label) and IP.
  const endpoint: PodEndpoint = {
    ...syntheticPod(p.namespace, p.name, { [K8S_RUN_LABEL]: p.runId, ...labels }, p.nsLabels),
    ips: [parsed],
  };
  return { endpoint, ip };
}

async function probeNamespace(
  input: LiveCheckInput,
  api: ClusterApi,
  engine: NetworkPolicyEngine,
  ns: string,
  peers: { client: ProbePod; witness: ProbePod },
  want: { ingress: boolean; egress: boolean },
  runId: string,
): Promise<Finding> {
  const { control, state, staticFindings } = input;
  const subject = { kind: 'Namespace', name: ns };
  const serverName = `cp-probe-server-${runId}`.slice(0, 63);
  const nsObject = state.kubernetes.namespaces.find((n) => n.metadata?.name === ns);
  const started = performance.now();
  try {
    let server: ProbePod;
    try {
      server = await startProbePod(
        api,
        {
          namespace: ns,
          name: serverName,
          runId,
          image: input.run.probeImage ?? '',
          role: 'server',
          nsLabels: namespaceLabels(nsObject, ns),
        },
        Date.now() + POD_START_MS,
      );
    } catch (error) {
      const why = errorMessage(error);
      return finding({
        controlId: control.id,
        layer: LAYER,
        result: 'error',
        subject,
        message: `Could not place a probe server pod in ${ns}: ${why}`,
        evidence: [{ type: 'missing-input', what: 'probe server pod', detail: why }],
      });
    }
    const { client, witness } = peers;
    const predicted = {
      ingress: engine.evaluate(client.endpoint, server.endpoint, PORT.port, PORT.protocol),
      egress: engine.evaluate(server.endpoint, client.endpoint, PORT.port, PORT.protocol),
    };
    const wanted = (['ingress', 'egress'] as const).filter((d) => want[d]);
    // One model for expectation and observation (upstream's Reachability): the engine fills every cell, a round of
    // probes fills the cells it measured; the pairs probed are the ones the verdict and the convergence look at.
    const pods = [client.endpoint, server.endpoint, witness.endpoint];
    const expected = new Reachability(
      pods.map((p) => p.id),
      false,
    );
    for (const a of pods) for (const b of pods) expected.expect(a.id, b.id, engine.evaluate(a, b, PORT.port, PORT.protocol).allowed);
    const probedPairs: [PodEndpoint, PodEndpoint][] = [
      [client.endpoint, witness.endpoint],
      ...(want.ingress ? [[client.endpoint, server.endpoint] as [PodEndpoint, PodEndpoint]] : []),
      ...(want.egress ? [[server.endpoint, client.endpoint] as [PodEndpoint, PodEndpoint]] : []),
    ];

    // Observe until the cluster agrees with the prediction or CONVERGE_MS passes (enforcement is asynchronous).
    const convergeStart = performance.now();
    let last = { observed: new Reachability(expected.pods, null), lines: [] as string[] };
    let rounds = 0;
    try {
      await waitFor(
        `observed reachability of ${ns} to equal the prediction`,
        async () => {
          rounds++;
          last = await observeOnce(api, { client, witness, server }, want);
          const agrees = probedPairs.every(([a, b]) => last.observed.get(a.id, b.id) === expected.get(a.id, b.id));
          return agrees ? { done: true, value: undefined } : { done: false, why: 'enforcement not converged yet' };
        },
        { timeout: CONVERGE_MS, interval: 2000, signal: input.signal },
      );
    } catch (error) {
      // Not converging within the bound is itself the observation: the verdict below says what differs.
      if (!(error instanceof WaitTimeout)) throw error;
    }
    const { observed, lines } = last;
    const convergeSeconds = (performance.now() - convergeStart) / 1000;

    const matrix = comparisonMatrix(expected, observed, PORT);
    const outcomes: DirectionOutcome[] = wanted.map((direction) => {
      const [from, to] = direction === 'ingress' ? [client.endpoint, server.endpoint] : [server.endpoint, client.endpoint];
      return { direction, predictedAllowed: predicted[direction].allowed, observedAllowed: observed.get(from.id, to.id) };
    });
    const verdict = judgeDefaultDeny(ns, outcomes, observed.get(client.endpoint.id, witness.endpoint.id));
    const staticTwin = staticFindings.find((f) => f.subject?.kind === 'Namespace' && f.subject.name === ns);
    const evidence: Evidence[] = [
      {
        type: 'comparison',
        what: `reachability ${PORT.port}/${PORT.protocol}: expected by the static NetworkPolicy engine vs observed with probe pods (rows: from, columns: to; order ${matrix.pods.join(', ')})`,
        expected: matrix.allowed,
        actual: matrix.observed,
      },
      {
        type: 'observation',
        what: 'truth tables',
        observed: renderComparison(matrix),
        detail: `${rounds} observation round(s), ${convergeSeconds.toFixed(1)}s until the last`,
      },
      ...wanted.map((d): Evidence => ({ type: 'rule', rule: predicted[d].reason, detail: `static prediction for ${d}` })),
      { type: 'observation', what: 'probe output', observed: lines },
      ...(staticTwin
        ? [
            {
              type: 'comparison',
              what: 'static twin (config layer) for this namespace',
              expected: staticTwin.result,
              actual: verdict.result,
            } as Evidence,
          ]
        : []),
    ];
    return {
      ...finding({ controlId: control.id, layer: LAYER, result: verdict.result, subject, message: verdict.message, evidence }),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await deletePodsAndWait(api.core, [{ namespace: ns, name: serverName }]);
  }
}

/** One round: the client probes server and witness in one batch; the server probes the client (egress). */
async function observeOnce(
  api: ClusterApi,
  pods: { client: ProbePod; witness: ProbePod; server: ProbePod },
  want: { ingress: boolean; egress: boolean },
): Promise<{ observed: Reachability; lines: string[] }> {
  const { client, witness, server } = pods;
  const observed = new Reachability(
    [client, server, witness].map((p) => p.endpoint.id),
    null,
  );
  const lines: string[] = [];
  const targets = [witness, ...(want.ingress ? [server] : [])];
  const batch = await execInPod(
    api.kc,
    { namespace: client.endpoint.namespace, pod: client.endpoint.name, container: 'probe' },
    [PROBE_BIN, ...probeBatchArgs(targets.map((t) => ({ host: t.ip, port: PORT.port })))],
    30_000,
  );
  const results = parseBatch(batch.stdout);
  targets.forEach((t, i) => {
    const r = results[i];
    if (r) observed.expect(client.endpoint.id, t.endpoint.id, r.ok);
    lines.push(
      `${client.endpoint.id} → ${t.endpoint.id} (${t.ip}:${PORT.port}/tcp): ${r ? (r.ok ? `connected in ${r.ms}ms, answered by ${r.reply || '(no greeting)'}` : `blocked (${r.error})`) : `no result (exit ${batch.exitCode}: ${batch.stderr.trim().slice(0, 200)})`}`,
    );
  });
  if (want.egress) {
    const one = await execInPod(
      api.kc,
      { namespace: server.endpoint.namespace, pod: server.endpoint.name, container: 'probe' },
      [PROBE_BIN, 'connect', '--protocol', 'tcp', '--timeout', '2s', `${client.ip}:${PORT.port}`],
      30_000,
    );
    // `probe connect` exits 0 exactly when connected and 1 when not; anything else is no observation.
    if (one.exitCode === 0 || one.exitCode === 1) observed.expect(server.endpoint.id, client.endpoint.id, one.exitCode === 0);
    lines.push(`${server.endpoint.id} → ${client.endpoint.id} (${client.ip}:${PORT.port}/tcp): exit ${one.exitCode} ${one.stdout.trim()}`);
  }
  return { observed, lines };
}

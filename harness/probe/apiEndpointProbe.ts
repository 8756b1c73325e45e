// Control api-endpoint-private, probe layer: what the static twin cannot do. The kubeconfig server's host is
// resolved now (DNS at run time), every address is classified, and only when all of them are loopback or this
// project's own containers is a real TLS handshake made and /version read, proving an apiserver answers there.
// Addresses of anyone else are never contacted: the finding then says what was classified and why no traffic went.
import { lookup } from 'node:dns/promises';
import { hostOf } from '../evaluate/apiEndpointPrivate/addressClass.ts';
import { errorMessage } from '../errors.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { LiveCheck } from '../model/liveCheck.ts';
import { handshakeAndVersion, type HandshakeResult } from './apiserverHandshake.ts';
import { clusterApi } from '../kubernetes/clusterApi.ts';
import { decideEndpoint } from './endpointSafety.ts';

const LAYER = 'probe';

export const probeApiEndpoint: LiveCheck = async ({ spec, control, run, platform, staticFindings }) => {
  const controlId = control.id;
  const want = spec.spec.apiEndpoint;
  if (!want) return [notAskedFor(controlId, LAYER, 'a private API endpoint', 'apiEndpoint')];
  if (want.exposure !== 'private') {
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'not-applicable',
        message:
          'The spec allows a public endpoint; which public sources may reach it cannot be observed from this machine (the config layer checks publicAccessCidrs).',
        evidence: [],
      }),
    ];
  }
  const api = clusterApi(run);
  const host = hostOf(api.server);
  const subject = { kind: 'KubeconfigCluster', name: api.kc.getCurrentContext() };
  if (!host)
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        subject,
        message: `The kubeconfig server "${api.server}" has no host to resolve.`,
        evidence: [{ type: 'missing-input', what: 'kubeconfig server host' }],
      }),
    ];

  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    const why = errorMessage(error);
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        subject,
        message: `The API server host ${host} does not resolve: ${why}`,
        evidence: [{ type: 'missing-input', what: `DNS answer for ${host}`, detail: why }],
      }),
    ];
  }
  const decision = decideEndpoint({ host, addresses }, await platform.ownAddresses());
  const evidence: Evidence[] = [
    {
      type: 'observation',
      what: `addresses ${host} resolves to now`,
      observed: decision.classes.map((c) => ({ address: c.address, class: c.kind, why: c.why })),
    },
    ...staticTwinEvidence(staticFindings),
  ];
  switch (decision.kind) {
    case 'unresolvable':
      return [
        finding({ controlId, layer: LAYER, result: 'error', subject, message: `Cannot classify what ${host} resolves to.`, evidence }),
      ];
    case 'public':
      // A public address is the verdict; connecting to it would be traffic to a non-project address.
      return [
        finding({
          controlId,
          layer: LAYER,
          result: 'fail',
          subject,
          message: `The API server ${api.server} resolves to a public address (${decision.classes
            .filter((c) => c.kind !== 'private')
            .map((c) => c.address)
            .join(', ')}): it is exposed beyond private networks.`,
          evidence,
        }),
      ];
    case 'classify-only':
      return [
        finding({
          controlId,
          layer: LAYER,
          result: 'not-applicable',
          subject,
          message: `${host} resolves only to private addresses, but ${decision.foreign.join(', ')} is neither loopback nor a container of this project, so no handshake was made to confirm an apiserver answers there (the probe contacts only its own addresses).`,
          evidence,
        }),
      ];
    case 'probe':
      break;
  }
  const results: HandshakeResult[] = [];
  for (const address of addresses) {
    try {
      results.push(await handshakeAndVersion(api.kc, api.server, address));
    } catch (error) {
      const why = errorMessage(error);
      return [
        finding({
          controlId,
          layer: LAYER,
          result: 'error',
          subject,
          message: `${host} resolves to private address ${address}, but the TLS handshake or /version failed there: ${why}`,
          evidence: [...evidence, { type: 'missing-input', what: 'apiserver answer', detail: why }],
        }),
      ];
    }
  }
  evidence.push({
    type: 'observation',
    what: 'TLS handshake (kubeconfig CA, kubeconfig host name) and GET /version per address',
    observed: results,
  });
  const notApi = results.filter((r) => r.httpStatus !== 200 || !r.gitVersion);
  if (notApi.length > 0) {
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        subject,
        message: `TLS succeeded at ${notApi.map((r) => r.address).join(', ')} but /version did not answer like a Kubernetes apiserver (HTTP ${notApi.map((r) => r.httpStatus).join(', ')}).`,
        evidence,
      }),
    ];
  }
  return [
    finding({
      controlId,
      layer: LAYER,
      result: 'pass',
      subject,
      message: `${host} resolves only to private/loopback addresses (${addresses.join(', ')}), and a verified TLS handshake there reached a Kubernetes apiserver (${results[0]?.gitVersion ?? ''}).`,
      evidence,
    }),
  ];
};

/** What the static twin said about the kubeconfig server: an IP literal it decided, a DNS name it could not. */
function staticTwinEvidence(staticFindings: Finding[]): Evidence[] {
  const twin = staticFindings.find((f) => f.subject?.kind === 'KubeconfigCluster');
  return twin ? [{ type: 'rule', rule: `static twin (config layer): ${twin.result}`, detail: twin.message }] : [];
}

// Control `api-endpoint-private`: the Kubernetes API is reachable only from private networks (or, when the
// spec allows a public endpoint, only from the public ranges it lists).
//
// Every independent signal becomes its own finding, so a report names the exact object that exposes the API:
// the kubeconfig server, kubeadm's controlPlaneEndpoint, each apiserver's --advertise-address and
// --bind-address, each EKS cluster's endpoint access, world-open security groups and internet-facing load
// balancers in front of the apiserver. A hostname that is a collected load balancer's DNS name takes that load
// balancer's scheme (internal → private, internet-facing → public). Any other hostname that cannot be classified
// without DNS never counts as private: it is `not-applicable` with the reason when other signals decided, `error`
// when nothing did.
import type { Evidence, Finding, Layer, ObjectRef } from '../model/findings.ts';
import type { ApiEndpointSpec } from '../model/spec.ts';
import type { ClusterState } from '../model/state.ts';
import type { Evaluator } from '../model/evaluator.ts';
import { classifyAddress, hostOf, type AddressClass } from './apiEndpointPrivate/addressClass.ts';
import { flagValue } from './apiEndpointPrivate/apiServerFlags.ts';
import { kubeadmApiServerArg } from './apiEndpointPrivate/kubeadmApiServerArgs.ts';
import { publicSourceAllowed } from './apiEndpointPrivate/cidrSet.ts';
import { judgeEksEndpoint } from './apiEndpointPrivate/eksEndpointAccess.ts';
import { apiServerListenerPorts, loadBalancerByDnsName, worldOpenApiIngress } from './apiEndpointPrivate/networkExposure.ts';
import { finding, layerOf, notAskedFor } from '../findings/finding.ts';
import { cloudRef, clusterRef, kubeadmRef } from './evidence/objectRef.ts';

const CONTROL_ID = 'api-endpoint-private';
// Findings about objects read from a terraform plan use layer `plan` (layerOf); everything else `config`.
const LAYER = 'config';

type Verdict = Exclude<Finding['result'], 'waived'> | 'undecided';
interface Signal {
  verdict: Verdict;
  message: string;
  evidence: Evidence[];
  subject?: ObjectRef;
  layer?: Layer;
}

export const evaluateApiEndpointPrivate: Evaluator = ({ state, spec }) => {
  const endpointSpec = spec.spec.apiEndpoint;
  if (!endpointSpec) return [notAskedFor(CONTROL_ID, LAYER, 'a private API endpoint', 'apiEndpoint', clusterRef(spec.metadata.name))];

  const signals = [
    ...endpointAddressSignals(state, endpointSpec),
    ...apiServerFlagSignals(state, endpointSpec),
    ...eksSignals(state, endpointSpec),
    ...securityGroupSignals(state, endpointSpec),
    ...loadBalancerSignals(state, endpointSpec),
  ];
  if (signals.length === 0) {
    return [
      finding({
        controlId: CONTROL_ID,
        layer: LAYER,
        result: 'error',
        message:
          'Cannot judge the API endpoint: no kubeconfig server, no kubeadm controlPlaneEndpoint, no EKS cluster, no apiserver flags and no load balancer in front of the apiserver in the collected state.',
        evidence: [
          { type: 'missing-input', what: 'kubeconfig server, kubeadm config, apiserver static pod flags, aws eks describe-cluster output' },
        ],
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  const decided = signals.some((s) => s.verdict !== 'undecided');
  return signals.map((s) =>
    finding({
      controlId: CONTROL_ID,
      layer: s.layer ?? LAYER,
      // An undecidable signal is never a pass: it is an error when it is all we have.
      result: s.verdict === 'undecided' ? (decided ? 'not-applicable' : 'error') : s.verdict,
      message:
        s.verdict === 'undecided' && decided ? `${s.message} The other endpoint findings decide; the live probe confirms.` : s.message,
      evidence: s.evidence,
      subject: s.subject,
    }),
  );
};

/** What clients connect to: the kubeconfig server (or live source server) and kubeadm's controlPlaneEndpoint. */
function endpointAddressSignals(state: ClusterState, spec: ApiEndpointSpec): Signal[] {
  const signals: Signal[] = [];
  const server = state.kubernetes.kubeconfig?.server ?? state.source.server;
  if (server !== undefined) {
    const subject: ObjectRef = {
      kind: 'KubeconfigCluster',
      name: state.kubernetes.kubeconfig?.context ?? state.source.context ?? 'current',
      ...(state.kubernetes.kubeconfig?.file ? { source: { file: state.kubernetes.kubeconfig.file } } : {}),
    };
    signals.push(addressSignal(`kubeconfig server ${server}`, hostOf(server), spec, subject, state));
  }
  const cpe = state.kubernetes.controlPlane.kubeadm?.controlPlaneEndpoint;
  if (cpe) {
    signals.push(addressSignal(`kubeadm controlPlaneEndpoint ${cpe}`, hostOf(cpe), spec, kubeadmRef(state), state));
  }
  return signals;
}

function apiServerFlagSignals(state: ClusterState, spec: ApiEndpointSpec): Signal[] {
  const signals: Signal[] = [];
  for (const apiServer of state.kubernetes.controlPlane.apiServers) {
    const subject: ObjectRef = {
      kind: 'Pod',
      namespace: 'kube-system',
      name: `kube-apiserver${apiServer.node ? `-${apiServer.node}` : ''}`,
      ...(apiServer.source ? { source: apiServer.source } : {}),
    };
    const advertise = flagValue(apiServer.flags, 'advertise-address');
    if (advertise !== undefined) signals.push(addressSignal(`apiserver --advertise-address ${advertise}`, advertise, spec, subject, state));
    // An absent --bind-address defaults to 0.0.0.0: every interface of the node.
    const bind = flagValue(apiServer.flags, 'bind-address') ?? '0.0.0.0';
    signals.push(addressSignal(`apiserver --bind-address ${bind}`, bind, spec, subject, state, apiServer.node));
  }
  // Without static pod flags, kubeadm's configuration says what the apiserver will be started with.
  const kubeadm = state.kubernetes.controlPlane.kubeadm;
  if (kubeadm && state.kubernetes.controlPlane.apiServers.length === 0) {
    const bind = kubeadmApiServerArg(kubeadm, 'bind-address');
    signals.push(
      addressSignal(
        `kubeadm apiServer.extraArgs bind-address ${bind ?? '0.0.0.0 (unset: every interface)'}`,
        bind ?? '0.0.0.0',
        spec,
        kubeadmRef(state),
        state,
      ),
    );
  }
  const { kubeadmInit, kindCluster } = state.kubernetes.controlPlane;
  const advertise = kubeadmInit?.localAPIEndpoint?.advertiseAddress;
  if (advertise && state.kubernetes.controlPlane.apiServers.length === 0) {
    signals.push(
      addressSignal(
        `kubeadm InitConfiguration localAPIEndpoint.advertiseAddress ${advertise}`,
        advertise,
        spec,
        configRef(state, 'InitConfiguration'),
        state,
      ),
    );
  }
  if (kindCluster) {
    // kind publishes the API server on the host at networking.apiServerAddress, 127.0.0.1 unless set (kind's docs).
    const address = kindCluster.networking?.apiServerAddress;
    signals.push(
      addressSignal(
        `kind networking.apiServerAddress ${address ?? '127.0.0.1 (unset: kind binds loopback)'}${kindCluster.networking?.apiServerPort ? ` port ${kindCluster.networking.apiServerPort}` : ''}`,
        address ?? '127.0.0.1',
        spec,
        configRef(state, 'Cluster'),
        state,
      ),
    );
  }
  return signals;
}

/** A configuration file's object (kubeadm InitConfiguration, kind Cluster), with where it was read. */
function configRef(state: ClusterState, kind: string): ObjectRef {
  const key = Object.keys(state.origins).find((k) => k.startsWith(`${kind}/`));
  const source = key === undefined ? undefined : state.origins[key];
  return { kind, name: key?.slice(kind.length + 1) ?? kind, ...(source ? { source } : {}) };
}

function addressSignal(
  what: string,
  host: string | undefined,
  spec: ApiEndpointSpec,
  subject: ObjectRef,
  state: ClusterState,
  node?: string,
): Signal {
  const rule: Evidence = {
    type: 'rule',
    rule: 'address class: RFC 1918, RFC 6598, loopback, link-local and ULA are private; private-use DNS suffixes are private; the DNS name of a collected load balancer takes its scheme (internal → private, internet-facing → public); other names are unresolved',
  };
  if (host === undefined) return { verdict: 'error', message: `${what} is not a valid URL or host.`, evidence: [rule], subject };
  let cls: AddressClass = classifyAddress(host);
  const evidence: Evidence[] = [rule, { type: 'observation', what, observed: { address: cls.address, class: cls.kind }, detail: cls.why }];
  if (cls.kind === 'all-interfaces') {
    // Listening everywhere is as exposed as the node's most exposed address.
    const addresses = nodeAddresses(state, node);
    if (addresses.length === 0) {
      return {
        verdict: 'undecided',
        message: `${what} listens on every interface of ${node ? `node ${node}` : 'its node'}, whose addresses were not collected.`,
        evidence,
        subject,
      };
    }
    evidence.push({ type: 'observation', what: `addresses of node ${node}`, observed: addresses });
    const publicAddress = addresses.find((a) => classifyAddress(a).kind === 'public');
    cls = publicAddress
      ? classifyAddress(publicAddress)
      : { kind: 'private', address: addresses.join(', '), why: 'every node address is private' };
    what = `${what} (every interface of node ${node}, incl. ${cls.address})`;
  }
  if (cls.kind === 'unresolved') {
    // The DNS name of a collected load balancer is as exposed as that load balancer's scheme.
    const lb = loadBalancerByDnsName(state.cloud.loadBalancers, cls.address);
    if (lb) {
      evidence.push({
        type: 'observation',
        what: `load balancer ${lb.name} with DNS name ${lb.dnsName}`,
        observed: { name: lb.name, ...(lb.arn ? { arn: lb.arn } : {}), scheme: lb.scheme },
      });
      cls =
        lb.scheme === 'internal'
          ? { kind: 'private', address: cls.address, why: `DNS name of the internal load balancer ${lb.name}` }
          : { kind: 'public', address: cls.address, why: `DNS name of the internet-facing load balancer ${lb.name}` };
    }
  }
  switch (cls.kind) {
    case 'private':
      return { verdict: 'pass', message: `${what} is private (${cls.why}).`, evidence, subject };
    case 'public':
      evidence.push({ type: 'comparison', what: 'endpoint exposure', expected: spec.exposure, actual: 'public' });
      return spec.exposure === 'private'
        ? {
            verdict: 'fail',
            message: `${what} is a public address (${cls.why}), but the spec requires a private endpoint.`,
            evidence,
            subject,
          }
        : { verdict: 'pass', message: `${what} is public, which the spec allows (exposure: public).`, evidence, subject };
    case 'unresolved':
      return { verdict: 'undecided', message: `${what} is a DNS name that cannot be classified without resolving it.`, evidence, subject };
    default:
      return { verdict: 'error', message: `${what}: ${cls.why}.`, evidence, subject };
  }
}

function nodeAddresses(state: ClusterState, nodeName: string | undefined): string[] {
  if (nodeName === undefined) return [];
  const node = state.kubernetes.nodes.find((n) => n.metadata?.name === nodeName);
  return (node?.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address);
}

function eksSignals(state: ClusterState, spec: ApiEndpointSpec): Signal[] {
  return state.cloud.eksClusters.map((cluster) => {
    const verdict = judgeEksEndpoint(cluster, spec);
    return {
      ...verdict,
      verdict: verdict.result,
      subject: cloudRef('EksCluster', cluster.name, cluster.arn, cluster.source),
      layer: layerOf([cluster]),
    };
  });
}

function endpointHosts(state: ClusterState): string[] {
  const endpoints = [state.kubernetes.kubeconfig?.server, state.source.server, state.kubernetes.controlPlane.kubeadm?.controlPlaneEndpoint];
  return endpoints.flatMap((e) => (e === undefined ? [] : [hostOf(e)].filter((h): h is string => h !== undefined)));
}

function apiServerLoadBalancers(state: ClusterState) {
  const hosts = endpointHosts(state);
  return state.cloud.loadBalancers.map((lb) => ({ lb, ports: apiServerListenerPorts(lb, hosts) })).filter((x) => x.ports.length > 0);
}

function securityGroupSignals(state: ClusterState, spec: ApiEndpointSpec): Signal[] {
  const attached = new Set<string>([
    ...state.cloud.eksClusters.flatMap((c) => c.securityGroupIds ?? []),
    ...apiServerLoadBalancers(state).flatMap(({ lb }) => lb.securityGroupIds),
  ]);
  const signals: Signal[] = [];
  for (const group of state.cloud.securityGroups) {
    const open = worldOpenApiIngress(group, attached.has(group.id)).filter(
      (o) => spec.exposure === 'private' || o.sources.some((s) => !publicSourceAllowed(s, spec.allowedPublicCidrs)),
    );
    if (open.length === 0) continue;
    const ports = [...new Set(open.map((o) => o.port))];
    const sources = [...new Set(open.flatMap((o) => o.sources))];
    signals.push({
      verdict: 'fail',
      message: `Security group ${group.id}${group.name ? ` (${group.name})` : ''} allows port ${ports.join(' and ')} from ${sources.join(' and ')}${attached.has(group.id) ? ', and it is attached to the API server' : ''}.`,
      evidence: [
        {
          type: 'rule',
          rule: 'ingress to 6443 on any group, or to 443 on groups of the EKS cluster / apiserver load balancer, from 0.0.0.0/0 or ::/0 (protocol -1 covers every port)',
        },
        ...open.map((o): Evidence => ({ type: 'observation', what: `ingress rule (port ${o.port})`, observed: o.rule })),
      ],
      subject: cloudRef('SecurityGroup', group.name ?? group.id, group.id, group.source),
      layer: layerOf([group]),
    });
  }
  return signals;
}

function loadBalancerSignals(state: ClusterState, spec: ApiEndpointSpec): Signal[] {
  return apiServerLoadBalancers(state).map(({ lb, ports }) => {
    const subject = cloudRef('LoadBalancer', lb.name, lb.arn, lb.source);
    const layer = layerOf([lb]);
    const evidence: Evidence[] = [
      {
        type: 'rule',
        rule: 'a load balancer fronts the apiserver when it listens on 6443, or on 443 with the endpoint host being its DNS name',
      },
      { type: 'observation', what: `load balancer ${lb.name}`, observed: { scheme: lb.scheme, apiserverListeners: ports } },
    ];
    if (lb.scheme === 'internal')
      return {
        verdict: 'pass',
        message: `Load balancer ${lb.name} in front of the apiserver (listener ${ports.join(', ')}) is internal.`,
        evidence,
        subject,
        layer,
      };
    if (spec.exposure === 'public')
      return {
        verdict: 'pass',
        message: `Load balancer ${lb.name} in front of the apiserver is internet-facing, which the spec allows (exposure: public).`,
        evidence,
        subject,
        layer,
      };
    return {
      verdict: 'fail',
      message: `Load balancer ${lb.name} is internet-facing and serves the apiserver on port ${ports.join(', ')}, but the spec requires a private endpoint.`,
      evidence,
      subject,
      layer,
    };
  });
}

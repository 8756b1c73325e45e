// The objects the mtls-strict live layer puts into a cluster, as plain data (mtlsPlaintextProbe.ts does the I/O).
// All run the probe image's `meshprobe` (images/meshprobe) and carry the run label:
// - a witness server in each namespace probed, following the namespace's mesh membership (injected when the
//   namespace is; then istiod's PeerAuthentication decides its listener's TLS through xDS), with a Service,
// - a DestinationRule sending ISTIO_MUTUAL to that Service only (proxyless gRPC clients need it; Envoy's auto mTLS
//   does not mind it),
// - a caller forced into the mesh (`sidecar.istio.io/inject=true`) beside it, whose SPIFFE ID the witness reports,
// - a caller outside any mesh, in a namespace of this run with injection disabled,
// - a NetworkPolicy that admits traffic to and from these pods only, so a default-deny namespace's policies do not
//   hide mTLS behind dropped packets (what the policies do is the default-deny control's question).
import type { V1NetworkPolicy, V1Pod, V1Service } from '@kubernetes/client-node';
import { K8S_RUN_LABEL } from '../../kubernetes/runLabels.ts';
import { RESTRICTED } from '../probePods.ts';
import { GRPC_AGENT_TEMPLATE, INJECT_TEMPLATES_ANNOTATION, INJECTION_LABEL, SIDECAR_INJECT_LABEL } from '../../model/istio.ts';

export const MESHPROBE_BIN = '/usr/local/bin/meshprobe';
export const WITNESS_PORT = 8080;
const ROLE_LABEL = 'clusterproof.dev/mtls-probe';
export const MESHPROBE_CONTAINER = 'meshprobe';

export type Role = 'witness' | 'mesh-client' | 'outside-client';

export const objectName = (role: Role, runId: string): string => `cp-mtls-${role}-${runId}`.slice(0, 63).replace(/-+$/, '');

function meshprobePod(role: Role, namespace: string, runId: string, image: string, serve: string[], labels: Record<string, string>): V1Pod {
  return {
    metadata: {
      name: objectName(role, runId),
      namespace,
      labels: { [K8S_RUN_LABEL]: runId, [ROLE_LABEL]: role, ...labels },
      // Proxyless gRPC (pilot-agent without Envoy) where no Envoy exists; on a mesh with Envoy this template is
      // installed too (Istio ships it), so the witness looks the same everywhere.
      annotations: { [INJECT_TEMPLATES_ANNOTATION]: GRPC_AGENT_TEMPLATE },
    },
    spec: {
      terminationGracePeriodSeconds: 0,
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        {
          name: MESHPROBE_CONTAINER,
          image,
          imagePullPolicy: 'IfNotPresent',
          command: [MESHPROBE_BIN, 'serve', '--port', String(WITNESS_PORT), ...serve],
          ports: [{ name: 'grpc-probe', containerPort: WITNESS_PORT, protocol: 'TCP' }],
          // Pod Security `restricted` admits it: probes in a user's namespace must not need more.
          securityContext: RESTRICTED,
        },
      ],
    },
  };
}

/** The witness: xDS-managed when injected, plaintext otherwise, exactly as a new workload of the namespace would be. */
export function witnessPod(namespace: string, runId: string, image: string): V1Pod {
  return meshprobePod('witness', namespace, runId, image, ['--xds-auto'], {});
}

export function meshClientPod(namespace: string, runId: string, image: string): V1Pod {
  return meshprobePod('mesh-client', namespace, runId, image, [], { [SIDECAR_INJECT_LABEL]: 'true' });
}

export function outsideClientPod(namespace: string, runId: string, image: string): V1Pod {
  return meshprobePod('outside-client', namespace, runId, image, [], { [SIDECAR_INJECT_LABEL]: 'false' });
}

/** Labels of the outside caller's namespace: no injection whatever the mesh's defaults. */
export const outsideNamespaceLabels = { [INJECTION_LABEL]: 'disabled' };

export function witnessService(namespace: string, runId: string): V1Service {
  return {
    metadata: { name: objectName('witness', runId), namespace, labels: { [K8S_RUN_LABEL]: runId } },
    spec: {
      selector: { [K8S_RUN_LABEL]: runId, [ROLE_LABEL]: 'witness' },
      ports: [{ name: 'grpc-probe', port: WITNESS_PORT, targetPort: WITNESS_PORT, appProtocol: 'grpc' }],
    },
  };
}

export const witnessHost = (namespace: string, runId: string): string => `${objectName('witness', runId)}.${namespace}.svc.cluster.local`;

export const DESTINATION_RULE = { group: 'networking.istio.io', version: 'v1', plural: 'destinationrules' } as const;

export function witnessDestinationRule(namespace: string, runId: string): object {
  return {
    apiVersion: `${DESTINATION_RULE.group}/${DESTINATION_RULE.version}`,
    kind: 'DestinationRule',
    metadata: { name: objectName('witness', runId), namespace, labels: { [K8S_RUN_LABEL]: runId } },
    spec: { host: witnessHost(namespace, runId), exportTo: ['.'], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
  };
}

export function probeNetworkPolicy(namespace: string, runId: string): V1NetworkPolicy {
  return {
    metadata: { name: `cp-mtls-${runId}`.slice(0, 63), namespace, labels: { [K8S_RUN_LABEL]: runId } },
    spec: {
      podSelector: { matchLabels: { [K8S_RUN_LABEL]: runId } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{}],
      egress: [{}],
    },
  };
}

/** `meshprobe call` as a command exec'd in a caller pod. */
export function callCommand(modes: readonly string[], targets: readonly string[], timeoutSeconds = 3): string[] {
  return [MESHPROBE_BIN, 'call', '--mode', modes.join(','), '--timeout', `${timeoutSeconds}s`, ...targets];
}

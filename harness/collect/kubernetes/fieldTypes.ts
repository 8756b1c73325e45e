// The types the API server's schema enforces on the fields clusterproof reads (metadata, pod specs, NetworkPolicies,
// Services). A manifest with `spec.podSelector: 7` or `containers: [7]` would be refused by `kubectl apply`; read
// as is, it would reach evaluators that trust those types. So it is refused here, naming the field.
// A null field is what the API server treats as absent, so it passes; a null item in a list does not.

type Shape = 'object' | 'string' | 'boolean' | 'integer' | 'stringMap' | { object: Record<string, Shape> } | { arrayOf: Shape };

interface FieldTypeProblem {
  path: (string | number)[];
  message: string;
}

const selector: Shape = {
  object: {
    matchLabels: 'stringMap',
    matchExpressions: { arrayOf: { object: { key: 'string', operator: 'string', values: { arrayOf: 'string' } } } },
  },
};
const metadata: Shape = {
  object: {
    name: 'string',
    namespace: 'string',
    labels: 'stringMap',
    annotations: 'stringMap',
    ownerReferences: { arrayOf: { object: { apiVersion: 'string', kind: 'string', name: 'string' } } },
  },
};
const container: Shape = {
  object: {
    name: 'string',
    image: 'string',
    securityContext: 'object',
    env: { arrayOf: 'object' },
    ports: { arrayOf: { object: { name: 'string', containerPort: 'integer', protocol: 'string' } } },
  },
};
const podSpec: Shape = {
  object: {
    containers: { arrayOf: container },
    initContainers: { arrayOf: container },
    ephemeralContainers: { arrayOf: container },
    serviceAccountName: 'string',
    serviceAccount: 'string',
    nodeName: 'string',
    hostNetwork: 'boolean',
    automountServiceAccountToken: 'boolean',
    securityContext: 'object',
    volumes: { arrayOf: 'object' },
  },
};
const podTemplate: Shape = { object: { metadata, spec: podSpec } };
const workload: Shape = { object: { selector, template: podTemplate, replicas: 'integer' } };
const peer: Shape = {
  object: { podSelector: selector, namespaceSelector: selector, ipBlock: { object: { cidr: 'string', except: { arrayOf: 'string' } } } },
};
const policyPort: Shape = { object: { protocol: 'string', endPort: 'integer' } };

const SPEC_BY_KIND: Record<string, Shape> = {
  Pod: podSpec,
  Deployment: workload,
  StatefulSet: workload,
  DaemonSet: workload,
  ReplicaSet: workload,
  Job: workload,
  Rollout: workload,
  ReplicationController: { object: { selector: 'stringMap', template: podTemplate, replicas: 'integer' } },
  CronJob: { object: { jobTemplate: { object: { spec: { object: { template: podTemplate } } } } } },
  PodTemplate: 'object',
  NetworkPolicy: {
    object: {
      podSelector: selector,
      policyTypes: { arrayOf: 'string' },
      ingress: { arrayOf: { object: { from: { arrayOf: peer }, ports: { arrayOf: policyPort } } } },
      egress: { arrayOf: { object: { to: { arrayOf: peer }, ports: { arrayOf: policyPort } } } },
    },
  },
  Service: { object: { selector: 'stringMap', type: 'string', ports: { arrayOf: 'object' } } },
  Node: { object: { providerID: 'string', podCIDR: 'string', podCIDRs: { arrayOf: 'string' }, taints: { arrayOf: 'object' } } },
};

/** The status fields evaluators read (a dump carries status; a manifest usually does not). */
const STATUS_BY_KIND: Record<string, Shape> = {
  Node: { object: { addresses: { arrayOf: { object: { type: 'string', address: 'string' } } } } },
  Pod: { object: { phase: 'string', podIP: 'string', podIPs: { arrayOf: { object: { ip: 'string' } } }, hostIP: 'string' } },
};

/**
 * Config files that are not API objects (kind, kubeadm): the fields the endpoint, CIDR and HA evaluators read, at
 * the top level, typed as kind's and kubeadm's own config loaders would refuse them.
 */
const CONFIG_BY_API: Record<string, Record<string, Shape>> = {
  'kind.x-k8s.io/Cluster': {
    networking: { object: { apiServerAddress: 'string', apiServerPort: 'integer', podSubnet: 'string', serviceSubnet: 'string' } },
  },
  'kubeadm.k8s.io/InitConfiguration': { localAPIEndpoint: { object: { advertiseAddress: 'string', bindPort: 'integer' } } },
  'kubeadm.k8s.io/ClusterConfiguration': {
    controlPlaneEndpoint: 'string',
    networking: { object: { podSubnet: 'string', serviceSubnet: 'string', dnsDomain: 'string' } },
    apiServer: { object: { certSANs: { arrayOf: 'string' } } },
    etcd: { object: { external: { object: { endpoints: { arrayOf: 'string' } } } } },
  },
};

/** Fields of a Kubernetes object whose type the API server would refuse. */
export function fieldTypeProblems(object: Record<string, unknown>): FieldTypeProblem[] {
  const out: FieldTypeProblem[] = [];
  const kind = typeof object.kind === 'string' ? object.kind : '';
  if (kind === 'Config') return out; // a kubeconfig: no metadata or spec
  const group = typeof object.apiVersion === 'string' ? object.apiVersion.split('/')[0] : '';
  const config = CONFIG_BY_API[`${group}/${kind}`];
  if (config) {
    for (const [field, shape] of Object.entries(config)) check(object[field], shape, [field], out);
    return out;
  }
  check(object.metadata, metadata, ['metadata'], out);
  if (kind === 'PodTemplate') check(object.template, podTemplate, ['template'], out);
  check(object.spec, SPEC_BY_KIND[kind] ?? 'object', ['spec'], out);
  check(object.status, STATUS_BY_KIND[kind] ?? 'object', ['status'], out);
  return out;
}

function check(value: unknown, shape: Shape, path: (string | number)[], out: FieldTypeProblem[]): void {
  if (value === undefined || value === null) return;
  const wrong = (expected: string): void => {
    out.push({ path, message: `${path.join('.')} must be ${expected}, not ${describe(value)}` });
  };
  if (shape === 'string') return void (typeof value !== 'string' && wrong('a string'));
  if (shape === 'boolean') return void (typeof value !== 'boolean' && wrong('true or false'));
  if (shape === 'integer') return void (!Number.isSafeInteger(value) && wrong('a whole number'));
  if (shape === 'object' || shape === 'stringMap' || 'object' in shape) {
    if (typeof value !== 'object' || Array.isArray(value)) return wrong(shape === 'stringMap' ? 'a map of strings' : 'a mapping');
    for (const [key, child] of Object.entries(value)) {
      if (shape === 'stringMap') {
        if (typeof child !== 'string')
          out.push({ path: [...path, key], message: `${[...path, key].join('.')} must be a string, not ${describe(child)} (quote it)` });
      } else if (shape !== 'object' && shape.object[key] !== undefined) {
        check(child, shape.object[key], [...path, key], out);
      }
    }
    return;
  }
  if (!Array.isArray(value)) return wrong('a list');
  value.forEach((item: unknown, i) => {
    if (item === null || item === undefined)
      out.push({ path: [...path, i], message: `${[...path, i].join('.')} is empty (null): remove it or fill it in` });
    else check(item, shape.arrayOf, [...path, i], out);
  });
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

// A realistic RunReport for the writer tests: every result kind, waivers active / expired / unmatched, evidence
// of every type with sources, and a reachability matrix whose live observation disagrees with the prediction.
import type { Control, Finding } from '../../harness/model/findings.ts';
import type { RunReport } from '../../harness/model/report.ts';

const cis = (id: string) => ({ framework: 'cis-kubernetes-1.10', id });
const nsa = (id: string, title?: string) => ({ framework: 'nsa-cisa-1.2', id, ...(title ? { title } : {}) });
const seed = (id: string) => ({ framework: 'seed', id });

export const sampleControls: Control[] = [
  {
    id: 'api-endpoint-private',
    title: 'The API server endpoint is private',
    area: 'infra',
    rationale: 'A public API endpoint exposes the control plane to credential stuffing and zero-days.',
    severity: 'critical',
    layers: ['plan', 'config'],
    references: [nsa('network-separation', 'Network separation and hardening'), seed('private-api-endpoint')],
    remediation: 'Set endpointPublicAccess=false (EKS) or bind the apiserver to a private address.',
  },
  {
    id: 'cidr-non-overlap',
    title: 'VPC, subnet, pod, service and peer CIDRs do not overlap',
    area: 'infra',
    rationale: 'Overlapping ranges black-hole traffic to peered networks.',
    severity: 'high',
    layers: ['plan', 'config'],
    references: [seed('non-overlapping-cidrs')],
    remediation: 'Pick a pod CIDR outside every VPC and peer range.',
  },
  {
    id: 'etcd-backup',
    title: 'etcd is backed up off-cluster on a schedule',
    area: 'infra',
    rationale: 'Without snapshots a lost quorum loses the cluster.',
    severity: 'medium',
    layers: ['config'],
    references: [seed('etcd-backup-restore')],
    remediation: 'Add a CronJob running `etcdctl snapshot save` to off-cluster storage.',
  },
  {
    id: 'default-deny',
    title: 'Namespaces are default-deny for ingress and egress',
    area: 'network',
    rationale: 'Without a default-deny policy every pod can reach every other pod.',
    severity: 'high',
    layers: ['config', 'probe'],
    references: [cis('5.3.2'), nsa('network-policies')],
    remediation: 'Add a NetworkPolicy with an empty podSelector and policyTypes [Ingress, Egress].',
  },
  {
    id: 'mtls-strict',
    title: 'Service-to-service traffic requires mutual TLS',
    area: 'network',
    rationale: 'PERMISSIVE mode accepts plaintext from any pod.',
    severity: 'high',
    layers: ['config'],
    references: [nsa('encryption')],
    remediation: 'Apply a mesh-wide PeerAuthentication with mtls.mode STRICT.',
  },
  {
    id: 'pod-iam-isolation',
    title: 'Pods assume only their own IAM role',
    area: 'security',
    rationale: 'Node-role inheritance lets any pod act with the node’s permissions.',
    severity: 'critical',
    layers: ['config'],
    references: [cis('5.1.5'), seed('no-node-role-inheritance')],
    remediation: 'Scope each trust policy to system:serviceaccount:<ns>:<sa> and require IMDSv2 with hop limit 1.',
  },
  {
    id: 'ha-failover',
    title: 'The control plane survives the loss of one node',
    area: 'chaos',
    rationale: 'A single control-plane node is a single point of failure.',
    severity: 'high',
    layers: ['config', 'chaos'],
    references: [seed('ha-control-plane')],
    remediation: 'Run three control-plane nodes across three zones.',
  },
  {
    id: 'teardown-ownership',
    title: 'Every created resource carries the ownership label',
    area: 'infra',
    rationale: 'Unlabelled resources survive teardown and cost money.',
    severity: 'low',
    layers: ['plan'],
    references: [seed('clean-teardown')],
    remediation: 'Add the ownership tag to every resource in the module.',
  },
];

const eksSource = { file: 'fixtures/examples/non-compliant/aws/eks-describe-cluster.json', line: 4, column: 5 };
const paymentsSource = { file: 'fixtures/examples/non-compliant/k8s/payments.yaml', documentIndex: 2, line: 31, column: 1 };

export const sampleFindings: Finding[] = [
  {
    controlId: 'api-endpoint-private',
    layer: 'config',
    result: 'fail',
    message: 'EKS cluster prod has a public endpoint open to 0.0.0.0/0.',
    subject: { kind: 'EksCluster', name: 'prod', id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', source: eksSource },
    evidence: [
      {
        type: 'comparison',
        what: 'endpointPublicAccess',
        expected: false,
        actual: true,
        ref: { kind: 'EksCluster', name: 'prod', source: eksSource },
      },
      { type: 'comparison', what: 'publicAccessCidrs', expected: [], actual: ['0.0.0.0/0'] },
      { type: 'rule', rule: 'eks-public-endpoint-open-to-world', detail: 'public access enabled with 0.0.0.0/0' },
    ],
  },
  {
    controlId: 'api-endpoint-private',
    layer: 'plan',
    result: 'pass',
    message: 'The terraform plan keeps the endpoint private.',
    evidence: [
      {
        type: 'object',
        ref: { kind: 'aws_eks_cluster', name: 'prod', source: { file: 'plan.json', line: 120 } },
        detail: 'endpoint_public_access = false',
      },
    ],
  },
  {
    controlId: 'cidr-non-overlap',
    layer: 'plan',
    result: 'fail',
    message: 'Pod CIDR pods (10.0.0.0/16) overlaps VPC main (10.0.0.0/8) on 10.0.0.0–10.0.255.255.',
    evidence: [{ type: 'comparison', what: 'overlap pods × main', expected: 'disjoint', actual: '10.0.0.0-10.0.255.255' }],
  },
  {
    controlId: 'cidr-non-overlap',
    layer: 'config',
    result: 'pass',
    message: 'Service CIDR 172.20.0.0/16 is disjoint from every other range.',
    evidence: [{ type: 'rule', rule: 'cidr-pairwise-disjoint' }],
  },
  {
    controlId: 'etcd-backup',
    layer: 'config',
    result: 'fail',
    message: 'No CronJob takes etcd snapshots.',
    evidence: [{ type: 'missing-input', what: 'CronJob running etcdctl snapshot save', detail: 'searched 3 namespaces' }],
  },
  {
    controlId: 'default-deny',
    layer: 'config',
    result: 'fail',
    message: 'Namespace payments has no policy selecting all pods for Egress.',
    subject: { kind: 'Namespace', name: 'payments', source: paymentsSource },
    evidence: [
      {
        type: 'object',
        ref: { kind: 'NetworkPolicy', namespace: 'payments', name: 'deny-ingress', source: paymentsSource },
        detail: 'policyTypes [Ingress] only',
      },
      {
        type: 'comparison',
        what: 'policyTypes',
        expected: ['Ingress', 'Egress'],
        actual: ['Ingress'],
        ref: { kind: 'NetworkPolicy', namespace: 'payments', name: 'deny-ingress', source: paymentsSource },
      },
    ],
  },
  {
    controlId: 'default-deny',
    layer: 'config',
    result: 'pass',
    message: 'Namespace web is default-deny for ingress and egress.',
    evidence: [
      { type: 'object', ref: { kind: 'NetworkPolicy', namespace: 'web', name: 'default-deny', source: { file: 'k8s/web.yaml', line: 1 } } },
    ],
  },
  {
    controlId: 'default-deny',
    layer: 'probe',
    result: 'not-applicable',
    message: 'needs a live cluster',
    evidence: [],
  },
  {
    controlId: 'mtls-strict',
    layer: 'config',
    result: 'waived',
    message: 'PeerAuthentication legacy/permissive sets mtls.mode PERMISSIVE in namespace legacy.',
    subject: { kind: 'PeerAuthentication', namespace: 'legacy', name: 'permissive', source: { file: 'k8s/istio.yaml', line: 9 } },
    evidence: [{ type: 'comparison', what: 'mtls.mode', expected: 'STRICT', actual: 'PERMISSIVE' }],
    waived: {
      originalResult: 'fail',
      waiverIndex: 0,
      owner: 'alice@example.com',
      reason: 'Legacy batch jobs migrate in Q1',
      ticket: 'SEC-101',
      expires: '2099-03-31',
    },
  },
  {
    controlId: 'pod-iam-isolation',
    layer: 'config',
    result: 'error',
    message: 'Role payments-app is named by tenant payments but no get-role output was given.',
    evidence: [
      { type: 'missing-input', what: 'aws iam get-role --role-name payments-app', detail: 'add its JSON output to the scanned files' },
    ],
  },
  {
    controlId: 'ha-failover',
    layer: 'config',
    result: 'pass',
    message: '3 control-plane nodes across 3 zones.',
    evidence: [{ type: 'observation', what: 'control-plane nodes', observed: { count: 3, zones: ['a', 'b', 'c'] } }],
  },
  {
    controlId: 'ha-failover',
    layer: 'chaos',
    result: 'not-applicable',
    message: 'needs a live cluster',
    evidence: [],
    durationMs: 0,
  },
];

export function sampleReport(): RunReport {
  return {
    manifest: {
      tool: { name: 'clusterproof', version: '0.1.0' },
      mode: 'static',
      profile: 'pr-gate',
      spec: { file: 'fixtures/examples/non-compliant/clusterproof.yaml', name: 'prod', sha256: 'a'.repeat(64) },
      inputs: [
        { path: 'fixtures/examples/non-compliant/k8s/payments.yaml', sha256: 'b'.repeat(64) },
        { path: 'fixtures/examples/non-compliant/aws/eks-describe-cluster.json', sha256: 'c'.repeat(64) },
      ],
      cluster: { fingerprint: 'sha256:' + 'd'.repeat(64), source: 'files' },
      startedAt: '2026-11-24T10:00:00.000Z',
      endedAt: '2026-11-24T10:00:02.500Z',
    },
    controls: structuredClone(sampleControls),
    findings: structuredClone(sampleFindings),
    waivers: [
      {
        waiver: {
          control: 'mtls-strict',
          scope: 'legacy/*',
          owner: 'alice@example.com',
          reason: 'Legacy batch jobs migrate in Q1',
          ticket: 'SEC-101',
          expires: '2099-03-31',
        },
        status: 'active',
        matched: 1,
      },
      {
        waiver: {
          control: 'etcd-backup',
          owner: 'bob@example.com',
          reason: 'Backups move to Velero',
          ticket: 'OPS-7',
          expires: '2025-01-31',
        },
        status: 'expired',
        matched: 1,
      },
      {
        waiver: {
          control: 'teardown-ownership',
          scope: 'sandbox/*',
          owner: 'carol@example.com',
          reason: 'Sandbox is hand-managed',
          expires: '2099-01-01',
        },
        status: 'unmatched',
        matched: 0,
      },
    ],
    reachability: [
      {
        port: 80,
        protocol: 'TCP',
        pods: ['payments/api', 'web/backend', 'web/frontend'],
        allowed: [
          [true, false, false],
          [true, true, false],
          [false, true, true],
        ],
        // payments/api → web/frontend was predicted blocked but observed open.
        observed: [
          [true, false, true],
          [true, true, false],
          [false, true, null],
        ],
      },
    ],
    warnings: ['waiver for teardown-ownership (sandbox/*) matched no finding'],
    inputWarnings: [
      {
        file: 'k8s/web.yaml',
        line: 3,
        column: 1,
        message: 'Deployment web has no metadata.namespace: read into namespace default',
        fix: 'set metadata.namespace, or pass --namespace NS for the namespace it is applied to',
      },
    ],
    inventory: {
      kubernetes: [
        { kind: 'Deployment', apiVersion: 'apps/v1', count: 1, typed: true },
        { kind: 'Pod', apiVersion: 'v1', count: 3, typed: true },
        { kind: 'Widget', apiVersion: 'example.com/v1', count: 2, typed: false },
      ],
      cloud: [{ kind: 'vpcs', count: 1 }],
      workloads: [
        { kind: 'Pod', count: 3 },
        { kind: 'Deployment', count: 1 },
      ],
      namespaces: ['default', 'payments', 'web'],
      networkPolicies: 2,
      rendered: [{ tool: 'kustomize', path: 'k8s/overlays/prod', version: 'v5.4.3', objects: 4 }],
      warnings: 1,
    },
    gate: {
      failOn: 'high',
      passed: false,
      counts: { pass: 4, fail: 4, 'not-applicable': 2, error: 1, waived: 1 },
      failingControls: ['api-endpoint-private', 'cidr-non-overlap', 'default-deny', 'pod-iam-isolation'],
    },
  };
}

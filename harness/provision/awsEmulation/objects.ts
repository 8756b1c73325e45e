// What AWS emulation installs on a kind cluster (spec.provider.kind.awsEmulation), as plain Kubernetes objects:
//  - imds: a DaemonSet running images/imds-emulator on every node (AWS's ec2-metadata-mock at 169.254.169.254,
//    routed as on EC2, IMDSv2 hop limit emulated; see its `emulate-imds` script), handing out the node role with
//    credentials that are visibly fake;
//  - irsa: the EKS pod identity webhook (Deployment, Service, RBAC, MutatingWebhookConfiguration) serving a
//    certificate the harness issued, injecting AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE and a projected token
//    (audience sts.amazonaws.com) into pods whose ServiceAccount carries eks.amazonaws.com/role-arn, as on EKS.
// Every object carries the cluster's run label (K8S_CLUSTER_RUN_LABEL); all of it goes with the cluster (`down`, `sweep`).
import type { AwsEmulation } from '../../model/cluster.ts';
import { K8S_CLUSTER_RUN_LABEL } from '../../kubernetes/runLabels.ts';
import { EMULATED_ACCOUNT, EMULATION_LABEL, EMULATION_NAMESPACE, IMDS_ADDRESS, IRSA_AUDIENCE } from '../../model/awsIdentity.ts';
import type { IssuedCertificate } from '../certificates.ts';

export const IMDS_DAEMONSET = 'imds';
export const WEBHOOK_NAME = 'pod-identity-webhook';

export interface EmulationImages {
  imds: string;
  webhook: string;
}

type Manifest = Record<string, unknown>;

export function webhookDnsNames(): string[] {
  return [`${WEBHOOK_NAME}.${EMULATION_NAMESPACE}.svc`, `${WEBHOOK_NAME}.${EMULATION_NAMESPACE}.svc.cluster.local`];
}

/** ec2-metadata-mock's config file: the node role, its instance profile and fake credentials. */
export function metadataMockConfig(nodeRole: string): Manifest {
  const now = '2026-01-01T00:00:00Z';
  return {
    metadata: {
      paths: { 'iam-security-credentials': `/latest/meta-data/iam/security-credentials/${nodeRole}` },
      values: {
        'iam-security-credentials-role': nodeRole,
        'iam-info': {
          Code: 'Success',
          LastUpdated: now,
          InstanceProfileArn: `arn:aws:iam::${EMULATED_ACCOUNT}:instance-profile/${nodeRole}`,
          InstanceProfileId: 'AIPAEMULATEDCLUSTERPROOF',
        },
        'iam-security-credentials': {
          Code: 'Success',
          LastUpdated: now,
          Type: 'AWS-HMAC',
          AccessKeyId: 'ASIAEMULATEDNOTAKEY0',
          SecretAccessKey: 'clusterproof-emulated-node-credentials-not-a-secret',
          Token: 'clusterproof-emulated-node-credentials-not-a-token',
          Expiration: '2099-01-01T00:00:00Z',
        },
      },
    },
  };
}

export function emulationObjects(
  runId: string,
  emulation: AwsEmulation,
  images: EmulationImages,
  certificate: IssuedCertificate | undefined,
): Manifest[] {
  // The cluster's run label, not the suites' (K8S_RUN_LABEL): a run's teardown checks must not count it as a leftover.
  const labels = { [K8S_CLUSTER_RUN_LABEL]: runId, [EMULATION_LABEL]: 'true' };
  const meta = (name: string, extra: Record<string, string> = {}): Manifest => ({
    name,
    namespace: EMULATION_NAMESPACE,
    labels: { ...labels, ...extra },
  });
  const objects: Manifest[] = [
    // privileged: the metadata service needs a network namespace, a veth and routes on the node.
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: EMULATION_NAMESPACE, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('imds-config'),
      data: { 'aemm-config.json': JSON.stringify(metadataMockConfig(emulation.nodeRole), null, 2) },
    },
    imdsDaemonSet(meta, labels, emulation, images.imds),
  ];
  if (emulation.irsa && certificate) objects.push(...webhookObjects(meta, labels, images.webhook, certificate));
  return objects;
}

function imdsDaemonSet(
  meta: (name: string, extra?: Record<string, string>) => Manifest,
  labels: Record<string, string>,
  emulation: AwsEmulation,
  image: string,
): Manifest {
  const selector = { app: IMDS_DAEMONSET, [EMULATION_LABEL]: 'imds' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(IMDS_DAEMONSET, { [EMULATION_LABEL]: 'imds' }),
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...labels, ...selector } },
        spec: {
          hostNetwork: true,
          tolerations: [{ operator: 'Exists' }],
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'imds',
              image,
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'HOP_LIMIT', value: String(emulation.hopLimit) },
                { name: 'IMDS_V1', value: String(emulation.imdsV1) },
              ],
              securityContext: { privileged: true },
              volumeMounts: [{ name: 'config', mountPath: '/etc/imds', readOnly: true }],
              // The kubelet connects from the node's network namespace, through the veth route; nothing but the mock
              // listens in its namespace. (TCP, not HTTP: with IMDSv1 off every tokenless GET is a 401.)
              readinessProbe: { tcpSocket: { host: IMDS_ADDRESS, port: 80 }, periodSeconds: 2 },
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'imds-config' } }],
        },
      },
    },
  };
}

function webhookObjects(
  meta: (name: string, extra?: Record<string, string>) => Manifest,
  labels: Record<string, string>,
  image: string,
  certificate: IssuedCertificate,
): Manifest[] {
  const selector = { app: WEBHOOK_NAME };
  const clusterMeta = { name: `clusterproof-${WEBHOOK_NAME}`, labels };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(WEBHOOK_NAME) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: clusterMeta,
      rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'watch', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: clusterMeta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterMeta.name },
      subjects: [{ kind: 'ServiceAccount', name: WEBHOOK_NAME, namespace: EMULATION_NAMESPACE }],
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(`${WEBHOOK_NAME}-tls`),
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': certificate.certPem, 'tls.key': certificate.keyPem },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(WEBHOOK_NAME),
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: WEBHOOK_NAME,
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [
              {
                name: 'webhook',
                image,
                imagePullPolicy: 'IfNotPresent',
                // Out-of-cluster TLS mode: the certificate comes from the Secret, not from the CSR API.
                args: [
                  '--in-cluster=false',
                  `--namespace=${EMULATION_NAMESPACE}`,
                  `--service-name=${WEBHOOK_NAME}`,
                  '--tls-cert=/etc/webhook/certs/tls.crt',
                  '--tls-key=/etc/webhook/certs/tls.key',
                  '--annotation-prefix=eks.amazonaws.com',
                  `--token-audience=${IRSA_AUDIENCE}`,
                  '--port=8443',
                  '--logtostderr',
                ],
                ports: [{ containerPort: 8443, name: 'https' }],
                readinessProbe: { httpGet: { scheme: 'HTTPS', port: 8443, path: '/healthz' }, periodSeconds: 2 },
                securityContext: { runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false },
                volumeMounts: [{ name: 'certs', mountPath: '/etc/webhook/certs', readOnly: true }],
              },
            ],
            volumes: [{ name: 'certs', secret: { secretName: `${WEBHOOK_NAME}-tls` } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(WEBHOOK_NAME),
      spec: { selector, ports: [{ port: 443, targetPort: 8443 }] },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: clusterMeta,
      webhooks: [
        {
          name: 'pod-identity-webhook.amazonaws.com',
          // As EKS: a webhook outage admits pods uninjected; the live layer then reports the missing role.
          failurePolicy: 'Ignore',
          sideEffects: 'None',
          admissionReviewVersions: ['v1beta1'],
          clientConfig: {
            service: { name: WEBHOOK_NAME, namespace: EMULATION_NAMESPACE, path: '/mutate' },
            caBundle: Buffer.from(certificate.caPem).toString('base64'),
          },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        },
      ],
    },
  ];
}

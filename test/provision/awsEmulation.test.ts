// AWS emulation as `up` installs it: what the spec and flags resolve to, the objects it applies (labels, the
// metadata service's settings, the webhook's certificate) and the certificate the harness issues. The emulation
// working on real nodes is proven in the live tier (test/live/podIam.test.ts).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { K8S_CLUSTER_RUN_LABEL, K8S_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import { EMULATION_LABEL } from '../../harness/model/awsIdentity.ts';
import { emulationObjects, metadataMockConfig, webhookDnsNames } from '../../harness/provision/awsEmulation/objects.ts';
import { issueServingCertificate } from '../../harness/provision/certificates.ts';
import { clusterRequest } from '../../harness/provision/request.ts';
import { spec } from '../evaluate/stateBuilder.ts';

const images = { imds: 'clusterproof.local/imds-emulator:v1.13.0', webhook: 'clusterproof.local/pod-identity-webhook:v0.6.17' };
const settings = { nodeRole: 'node-role', imdsV1: false, hopLimit: 1, irsa: true };

describe('awsEmulation request', () => {
  test('the spec section resolves with EC2-like defaults: IMDSv1 on, hop limit 2, IRSA on', () => {
    const r = clusterRequest(spec({ provider: { type: 'kind', kind: { awsEmulation: { imds: { hopLimit: 1 } } } } }), {});
    expect(r.awsEmulation).toEqual({ nodeRole: 'clusterproof-emulated-node-role', imdsV1: true, hopLimit: 1, irsa: true });
  });

  test('--aws-emulation alone means the defaults; without either there is none', () => {
    expect(clusterRequest(undefined, { awsEmulation: true }).awsEmulation).toMatchObject({ hopLimit: 2, imdsV1: true });
    expect(clusterRequest(undefined, {}).awsEmulation).toBeUndefined();
  });

  test('on another provider it is refused naming the flag', () => {
    expect(() => clusterRequest(undefined, { provider: 'existing', kubeconfig: '/k', awsEmulation: true })).toThrow(InputError);
    expect(() => clusterRequest(undefined, { provider: 'existing', kubeconfig: '/k', awsEmulation: true })).toThrow(/--aws-emulation/);
  });
});

describe('emulationObjects', () => {
  test('every object carries the cluster run label and the emulation marker, never the suites run label', async () => {
    const cert = await issueServingCertificate('w', webhookDnsNames());
    const objects = emulationObjects('run-1', settings, images, cert);
    expect(objects.map((o) => o.kind)).toEqual([
      'Namespace',
      'ConfigMap',
      'DaemonSet',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Secret',
      'Deployment',
      'Service',
      'MutatingWebhookConfiguration',
    ]);
    for (const o of objects) {
      const labels = (o.metadata as { labels: Record<string, string> }).labels;
      expect(labels[K8S_CLUSTER_RUN_LABEL], String(o.kind)).toBe('run-1');
      expect(labels[EMULATION_LABEL]).toMatch(/^(true|imds)$/); // imds: the metadata DaemonSet the live layers look for
      expect(labels[K8S_RUN_LABEL]).toBeUndefined();
    }
  });

  test('the metadata DaemonSet runs on every node with the settings asked for', () => {
    const ds = emulationObjects('r', settings, images, undefined).find((o) => o.kind === 'DaemonSet') as never as {
      spec: {
        template: {
          spec: { hostNetwork: boolean; tolerations: unknown[]; containers: { env: { name: string; value: string }[]; image: string }[] };
        };
      };
    };
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.containers[0]?.image).toBe(images.imds);
    expect(pod.containers[0]?.env).toEqual([
      { name: 'HOP_LIMIT', value: '1' },
      { name: 'IMDS_V1', value: 'false' },
    ]);
  });

  test('irsa off: no webhook objects', () => {
    const kinds = emulationObjects('r', { ...settings, irsa: false }, images, undefined).map((o) => o.kind);
    expect(kinds).not.toContain('MutatingWebhookConfiguration');
    expect(kinds).not.toContain('Deployment');
  });

  test("the webhook trusts the run's CA and the metadata mock hands out the node role with visibly fake credentials", async () => {
    const cert = await issueServingCertificate('w', webhookDnsNames());
    const hook = emulationObjects('r', settings, images, cert).find((o) => o.kind === 'MutatingWebhookConfiguration') as never as {
      webhooks: { clientConfig: { caBundle: string } }[];
    };
    expect(Buffer.from(hook.webhooks[0]?.clientConfig.caBundle ?? '', 'base64').toString()).toBe(cert.caPem);
    const config = JSON.stringify(metadataMockConfig('node-role'));
    expect(config).toContain('/latest/meta-data/iam/security-credentials/node-role');
    expect(config).toMatch(/not-a-secret/);
  });
});

describe('issueServingCertificate', () => {
  test('a leaf for the names asked, signed by the CA it returns, matching its key', async () => {
    const c = await issueServingCertificate('svc', ['a.ns.svc', 'a.ns.svc.cluster.local']);
    const leaf = new X509Certificate(c.certPem);
    const ca = new X509Certificate(c.caPem);
    expect(leaf.subjectAltName).toBe('DNS:a.ns.svc, DNS:a.ns.svc.cluster.local');
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkPrivateKey(createPrivateKey(c.keyPem))).toBe(true);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
  });
});

// The policy's value rules, stated as a reviewer would: what is masked, and what evaluators and readers still get.
import { describe, expect, test } from 'vitest';
import { redactDeep } from '../../harness/redaction/redactDeep.ts';
import { redactText } from '../../harness/redaction/redactText.ts';

const container = (env: { name: string; value: string }[]) => ({ kind: 'Pod', spec: { containers: [{ name: 'c', env }] } });

describe('env values', () => {
  test('values evaluators read survive: IRSA settings and KMS key ARNs', () => {
    const env = [
      { name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111122223333:role/shop-web' },
      { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
      { name: 'BACKUP_KEY', value: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
    ];
    expect(redactDeep(container(env))).toEqual(container(env));
  });

  test('any other value is replaced, its name kept', () => {
    expect(redactDeep(container([{ name: 'MY_CONFIG', value: 'plain' }]))).toEqual(
      container([{ name: 'MY_CONFIG', value: '[redacted: env value]' }]),
    );
  });
});

describe('values under any key', () => {
  test('credentials are masked in place', () => {
    expect(redactText('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:[redacted: url password]@db:5432/app');
    expect(redactText('redis://:pw@cache:6379')).toBe('redis://:[redacted: url password]@cache:6379');
    expect(redactText('key AKIAIOSFODNN7EXAMPLE')).toBe('key [redacted: aws access key]');
    expect(redactText('AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
      '[redacted: aws access key] [redacted: aws secret key]',
    );
    expect(redactText('q8ZrT2vXk9LmN4pW7sYb3HcJ')).toBe('[redacted: random token]');
    expect(redactText('3f9a1c7e5b2d8f0a4c6e9b1d3f5a7c9e')).toBe('[redacted: random token]');
  });

  test('identifiers that only look long are kept: names, images, ARNs, URLs, UUIDs, digests, AWS ids, camelCase', () => {
    for (const kept of [
      'payments-api-7d9f8b6c5d-x2x4z',
      'registry.example.com/payments/api:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'arn:aws:iam::111122223333:role/eks-node-Qx7Rb2Lk9Vm4Np8Ts3Wz',
      'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      'vpc-0123456789abcdef0',
      'AssumeRoleWithWebIdentity Ipv6CidrBlockAssociationSet AmazonEC2ContainerRegistryReadOnly',
      'api/v1/namespaces/kube-system/configmaps/kubeadm-config',
      '/tmp/clusterproof-moto-Ab3xYz/non-compliant/cli/ec2-describe-vpcs.json:3',
    ])
      expect(redactText(kept)).toBe(kept);
  });

  test('digest-like keys keep their hex (bundle and report manifests)', () => {
    const manifest = { inputs: [{ path: 'a.yaml', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }] };
    expect(redactDeep(manifest)).toEqual(manifest);
  });
});

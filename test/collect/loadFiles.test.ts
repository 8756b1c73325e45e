// The files loader on realistic inputs: a kubectl get -A -o yaml List, manifests, AWS CLI outputs, a terraform plan.
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { objectKey } from '../../harness/model/state.ts';

const K = 'fixtures/collect/kubectl/all-namespaces.yaml';

describe('kubectl get -A -o yaml', async () => {
  const state = await loadStateFromPaths([K]);
  const k = state.kubernetes;

  test('List items land in their typed lists; unknown kinds are kept, not fatal', () => {
    expect(k.namespaces.map((n) => n.metadata?.name)).toEqual(['shop', 'kube-system']);
    expect(k.pods.map((p) => p.metadata?.name)).toEqual(['web-7d9c5b7f4-abcde', 'kube-apiserver-cp-1', 'etcd-cp-1']);
    expect([
      k.deployments.length,
      k.services.length,
      k.networkPolicies.length,
      k.serviceAccounts.length,
      k.nodes.length,
      k.cronJobs.length,
      k.configMaps.length,
      k.secrets.length,
    ]).toEqual([1, 1, 1, 1, 2, 1, 2, 1]);
    expect(state.unknown).toEqual([
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        name: 'kube-controller-manager',
        namespace: 'kube-system',
        source: { file: K, documentIndex: 0, line: 239, column: 3 },
      },
    ]);
  });

  test('every object has its origin: file, document index and the line:col of its list item', () => {
    expect(state.origins[objectKey('Pod', 'shop', 'web-7d9c5b7f4-abcde')]).toEqual({ file: K, documentIndex: 0, line: 18, column: 3 });
    expect(state.origins[objectKey('Node', undefined, 'cp-1')]?.line).toBe(140);
    expect(Object.keys(state.origins)).toHaveLength(15); // every typed object; the Lease is in `unknown` with its own source
  });

  test('managedFields are stripped and pod fields keep their API shape', () => {
    const web = k.pods[0];
    expect(web?.metadata?.managedFields).toBeUndefined();
    expect(web?.metadata?.creationTimestamp).toBe('2026-11-20T10:00:00Z'); // a string as kubectl printed it, not a Date
    expect(web?.spec?.containers[0]?.ports?.[0]).toEqual({ name: 'http', containerPort: 8080, protocol: 'TCP' });
    expect(web?.status?.podIP).toBe('10.244.1.5');
  });

  test('control plane: kubeadm config, kube-proxy config, apiserver flags and etcd members', () => {
    const cp = k.controlPlane;
    expect(cp.kubeadm?.networking).toEqual({ dnsDomain: 'cluster.local', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' });
    expect(cp.kubeadm?.controlPlaneEndpoint).toBe('cp.internal.example:6443');
    expect(cp.kubeProxy).toEqual({ mode: 'iptables', clusterCIDR: '10.244.0.0/16' });
    expect(cp.apiServers).toHaveLength(1);
    expect(cp.apiServers[0]?.node).toBe('cp-1');
    expect(cp.apiServers[0]?.flags).toMatchObject({
      'advertise-address': '172.18.0.2',
      'bind-address': '0.0.0.0',
      'anonymous-auth': 'false',
    });
    expect(cp.apiServers[0]?.source).toEqual({ file: K, documentIndex: 0, line: 51, column: 3 });
    expect(cp.etcdMembers).toEqual([{ name: 'cp-1', node: 'cp-1', clientUrls: ['https://172.18.0.2:2379'] }]);
  });

  test('source lists each input with its sha256', () => {
    expect(state.source.type).toBe('files');
    expect(state.source.inputs).toEqual([{ path: K, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown }]);
  });
});

describe('manifests', async () => {
  const state = await loadStateFromPaths(['fixtures/collect/manifests']);

  test('Istio and Argo objects of any served version are classified', () => {
    expect(state.kubernetes.istio.peerAuthentications[0]?.spec.mtls?.mode).toBe('STRICT');
    expect(state.kubernetes.istio.destinationRules[0]?.spec.trafficPolicy?.tls?.mode).toBe('DISABLE');
    expect(state.kubernetes.argo.rollouts[0]?.spec.strategy?.canary?.analysis?.templates?.[0]?.templateName).toBe('success-rate');
    expect(state.kubernetes.argo.analysisTemplates[0]?.metadata.name).toBe('success-rate');
  });

  test('YAML 1.1 as the API server reads it: 0644 is 420, yes is true; dates stay strings', () => {
    const pod = state.kubernetes.pods.find((p) => p.metadata?.name === 'mounter');
    expect(pod?.spec?.volumes?.[0]?.configMap?.defaultMode).toBe(420);
    const cm = state.kubernetes.configMaps.find((c) => c.metadata?.name === 'yaml11');
    expect(cm?.immutable).toBe(true);
    expect(cm?.metadata?.annotations?.['example.com/date']).toBe('2026-11-20');
    expect(cm?.data?.port).toBe('8080');
  });

  test('document index and line of each document in a multi-document file', () => {
    const file = 'fixtures/collect/manifests/mesh-and-rollouts.yaml';
    expect(state.origins[objectKey('PeerAuthentication', 'istio-system', 'default')]).toEqual({
      file,
      documentIndex: 0,
      line: 2,
      column: 1,
    });
    expect(state.origins[objectKey('AnalysisTemplate', 'shop', 'success-rate')]).toEqual({ file, documentIndex: 3, line: 38, column: 1 });
    expect(state.origins[objectKey('Pod', 'shop', 'mounter')]?.documentIndex).toBe(5);
  });

  test('a kubeconfig contributes only its server URL and context', () => {
    expect(state.kubernetes.kubeconfig).toEqual({
      server: 'https://10.0.12.7:6443',
      context: 'prod',
      file: 'fixtures/collect/manifests/kubeconfig.yaml',
    });
  });
});

describe('AWS CLI outputs', async () => {
  const { cloud } = await loadStateFromPaths(['fixtures/collect/aws']);

  test('VPCs keep associated CIDRs only; subnets, route tables, peerings', () => {
    expect(cloud.vpcs).toMatchObject([
      {
        id: 'vpc-0123456789abcdef0',
        cidrs: ['10.0.0.0/16', '100.64.0.0/16'],
        ipv6Cidrs: ['2600:1f18:1234:5600::/56'],
        tags: { Name: 'prod-eks' },
        source: { file: 'fixtures/collect/aws/describe-vpcs.json', line: 3, column: 9 },
      },
    ]);
    expect(cloud.subnets.map((s) => [s.id, s.cidr, s.ipv6Cidr, s.mapPublicIpOnLaunch])).toEqual([
      ['subnet-0aaa1111', '10.0.0.0/19', undefined, false],
      ['subnet-0bbb2222', '10.0.32.0/19', '2600:1f18:1234:5601::/64', true],
    ]);
    expect(cloud.routeTables[0]?.routes).toContainEqual({ destination: '192.168.0.0/16', target: 'pcx-0abc' });
    expect(cloud.routeTables[0]?.subnetIds).toEqual(['subnet-0aaa1111']);
    expect(cloud.peerings[0]).toMatchObject({ requesterCidrs: ['10.0.0.0/16', '100.64.0.0/16'], accepterCidrs: ['192.168.0.0/16'] });
  });

  test('security groups, load balancer with its listeners, EKS endpoint access', () => {
    expect(cloud.securityGroups[0]?.ingress[0]).toEqual({
      protocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrs: ['0.0.0.0/0'],
      ipv6Cidrs: ['::/0'],
      sourceGroupIds: [],
    });
    expect(cloud.loadBalancers[0]).toMatchObject({
      name: 'k8s-api',
      scheme: 'internet-facing',
      listenerPorts: [6443],
      securityGroupIds: ['sg-0cluster'],
    });
    expect(cloud.eksClusters[0]).toMatchObject({
      name: 'prod',
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
      serviceIpv4Cidr: '172.20.0.0/16',
      oidcIssuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789',
      accountId: '111122223333',
      securityGroupIds: ['sg-0cluster'],
    });
  });

  test('IAM: URL-encoded trust policy decoded; inline, attached (with and without documents) joined to roles', () => {
    const web = cloud.iamRoles.find((r) => r.name === 'shop-web');
    expect(web?.trustPolicy).toMatchObject({ Version: '2012-10-17', Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity' }] });
    expect(web?.permissionPolicies.map((p) => p.name)).toEqual(['read-orders-bucket']);
    const node = cloud.iamRoles.find((r) => r.name === 'eks-node');
    expect(node?.permissionPolicies).toEqual([
      {
        name: 'orders-admin',
        arn: 'arn:aws:iam::111122223333:policy/orders-admin',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::orders/*' }] },
      },
    ]);
    expect(node?.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy']);
    expect(cloud.instanceProfiles).toMatchObject([{ name: 'eks-nodes', roleNames: ['eks-node'] }]);
  });

  test('instances with metadata options and profile; pod identity associations', () => {
    expect(cloud.instances[0]).toMatchObject({
      id: 'i-0node1',
      instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/eks-nodes',
      metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
    });
    expect(cloud.podIdentityAssociations).toMatchObject([
      { clusterName: 'prod', namespace: 'shop', serviceAccount: 'checkout', roleArn: 'arn:aws:iam::111122223333:role/shop-checkout' },
    ]);
  });
});

describe('terraform show -json plan', async () => {
  const state = await loadStateFromPaths(['fixtures/collect/terraform/plan.json']);
  const { cloud } = state;

  test('values unknown at plan become tf:<address> and references still join up', () => {
    expect(cloud.vpcs).toEqual([
      expect.objectContaining({
        id: 'tf:aws_vpc.main',
        cidrs: ['10.20.0.0/16'],
        ipv6Cidrs: [],
        tags: { Name: 'staging', 'clusterproof.dev/owner': 'platform' },
      }),
    ]);
    expect(cloud.subnets[0]).toMatchObject({ id: 'tf:aws_subnet.private[0]', vpcId: 'tf:aws_vpc.main', cidr: '10.20.0.0/19' });
    expect(cloud.securityGroups[0]?.ingress).toEqual([
      { protocol: 'tcp', fromPort: 6443, toPort: 6443, cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], sourceGroupIds: [] },
      { protocol: '-1', fromPort: 0, toPort: 0, cidrs: ['10.20.0.0/16'], ipv6Cidrs: [], sourceGroupIds: [] },
    ]);
    expect(cloud.podIdentityAssociations).toMatchObject([
      { clusterName: 'staging', namespace: 'app', serviceAccount: 'api', roleArn: 'tf:aws_iam_role.app' },
    ]);
  });

  test('EKS endpoint flags, IAM role with its inline policy, launch template IMDS options; deletions skipped', () => {
    expect(cloud.eksClusters[0]).toMatchObject({
      name: 'staging',
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(cloud.eksClusters[0]?.oidcIssuer).toBeUndefined();
    expect(cloud.iamRoles[0]).toMatchObject({
      name: 'staging-app',
      arn: 'tf:aws_iam_role.app',
      trustPolicy: { Statement: [{ Principal: { Service: 'pods.eks.amazonaws.com' } }] },
      permissionPolicies: [{ name: 'read' }],
    });
    expect(cloud.instances[0]).toMatchObject({
      kind: 'launch-template',
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
    });
    expect(cloud.vpcs.some((v) => v.id === 'vpc-0old')).toBe(false);
    expect(state.unknown).toEqual([expect.objectContaining({ kind: 'random_password', name: 'random_password.db' })]);
  });
});

describe('static pod manifests and kubeadm config files', async () => {
  const dir = 'fixtures/collect/static-pods';

  test('manifest flags are parsed; bare flags are "true"; the kubeadm file wins over nothing', async () => {
    const state = await loadStateFromPaths([dir]);
    const cp = state.kubernetes.controlPlane;
    expect(cp.apiServers).toEqual([
      {
        flags: {
          'advertise-address': '172.18.0.4',
          'bind-address': '172.18.0.4',
          'secure-port': '6443',
          'enable-admission-plugins': 'NodeRestriction',
          profiling: 'true',
        },
        source: { file: `${dir}/kube-apiserver.yaml`, documentIndex: 0, line: 2, column: 1 },
      },
    ]);
    expect(cp.etcdMembers).toEqual([{ name: 'cp-2', clientUrls: ['https://172.18.0.4:2379'] }]);
    expect(cp.kubeadm).toMatchObject({
      controlPlaneEndpoint: 'lb.internal:6443',
      apiServer: { extraArgs: [{ name: 'anonymous-auth', value: 'false' }] },
    });
    // InitConfiguration is read for the API endpoint control (localAPIEndpoint), not left unknown.
    expect(state.unknown).toEqual([]);
    expect(cp.kubeadmInit).toBeDefined();
  });

  test('a static manifest and the mirror pod of another node are two apiservers; the same node is one', async () => {
    const state = await loadStateFromPaths([K, dir]);
    expect(state.kubernetes.controlPlane.apiServers.map((a) => a.flags['advertise-address'])).toEqual(['172.18.0.2', '172.18.0.4']);
    expect(state.kubernetes.controlPlane.etcdMembers.map((m) => m.name)).toEqual(['cp-1', 'cp-2']);
    // kubeadm-config from the cluster (ConfigMap) and from a file disagree: the file, read as a typed object, is kept.
    expect(state.kubernetes.controlPlane.kubeadm?.controlPlaneEndpoint).toBe('lb.internal:6443');
  });
});

test('terraform: a trust policy unknown until apply is not a role with an empty trust policy, but an unknown object', async () => {
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'cp-tf-'));
  await writeFile(
    join(dir, 'plan.json'),
    JSON.stringify({
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_iam_role.x',
          mode: 'managed',
          type: 'aws_iam_role',
          change: { actions: ['create'], after: { name: 'x' }, after_unknown: { assume_role_policy: true } },
        },
      ],
    }),
  );
  const state = await loadStateFromPaths([dir]);
  expect(state.cloud.iamRoles).toEqual([]);
  expect(state.unknown).toMatchObject([{ kind: 'aws_iam_role', name: 'aws_iam_role.x' }]);
});

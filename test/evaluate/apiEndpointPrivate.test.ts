import { describe, expect, it } from 'vitest';
import { evaluateApiEndpointPrivate } from '../../harness/evaluate/apiEndpointPrivate.ts';
import { classifyAddress, hostOf } from '../../harness/evaluate/apiEndpointPrivate/addressClass.ts';
import type { ApiEndpointSpec } from '../../harness/model/spec.ts';
import type { ClusterState, EksCluster } from '../../harness/model/state.ts';
import { control, node, spec, state } from './stateBuilder.ts';

const run = (s: ClusterState, apiEndpoint?: ApiEndpointSpec) =>
  evaluateApiEndpointPrivate({ state: s, spec: spec(apiEndpoint ? { apiEndpoint } : {}), control: control('api-endpoint-private') });
const results = (s: ClusterState, e?: ApiEndpointSpec) => run(s, e).map((f) => f.result);
const PRIVATE: ApiEndpointSpec = { exposure: 'private' };
const eks = (fields: Partial<EksCluster>): ClusterState =>
  state((s) => {
    s.cloud.eksClusters.push({ name: 'prod', tags: {}, ...fields });
  });

describe('address classes', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['127.0.0.1', 'private'],
    ['169.254.1.1', 'private'],
    ['fd00::1', 'private'],
    ['::1', 'private'],
    ['fe80::1', 'private'],
    ['::ffff:10.1.2.3', 'private'],
    ['203.0.113.10', 'public'],
    ['8.8.8.8', 'public'],
    ['2001:4860::8888', 'public'],
    ['0.0.0.0', 'all-interfaces'],
    ['::', 'all-interfaces'],
    ['localhost', 'private'],
    ['api.cluster.local', 'private'],
    ['ip-10-0-1-5.ec2.internal', 'private'],
    ['ABC.gr7.eu-west-1.eks.amazonaws.com', 'unresolved'],
    ['kind-control-plane', 'unresolved'],
    ['bad host!', 'invalid'],
  ])('%s is %s', (address, kind) => expect(classifyAddress(address).kind).toBe(kind));

  it('takes the host out of URLs and host:port endpoints', () => {
    expect(hostOf('https://[fd00::1]:6443')).toBe('fd00::1');
    expect(hostOf('lb.example.com:6443')).toBe('lb.example.com');
    expect(hostOf('https://127.0.0.1:39211')).toBe('127.0.0.1');
  });
});

describe('api-endpoint-private', () => {
  it('is not-applicable when the spec has no apiEndpoint section', () => {
    expect(results(state())).toEqual(['not-applicable']);
  });

  it('is an error, never a pass, when nothing about the endpoint was collected', () => {
    const [f] = run(state(), PRIVATE);
    expect(f?.result).toBe('error');
    expect(f?.message).toMatch(/no kubeconfig server.*no EKS cluster.*no apiserver flags/);
  });

  it('passes a loopback kubeconfig server and fails a public one', () => {
    expect(
      results(
        state((s) => {
          s.kubernetes.kubeconfig = { server: 'https://127.0.0.1:6443' };
        }),
        PRIVATE,
      ),
    ).toEqual(['pass']);
    expect(
      results(
        state((s) => {
          s.kubernetes.kubeconfig = { server: 'https://203.0.113.7:6443' };
        }),
        PRIVATE,
      ),
    ).toEqual(['fail']);
    expect(
      results(
        state((s) => {
          s.kubernetes.kubeconfig = { server: 'https://203.0.113.7:6443' };
        }),
        { exposure: 'public' },
      ),
    ).toEqual(['pass']);
  });

  it('reports an unresolvable hostname as error when it is the only signal, not-applicable when others decide', () => {
    const hostOnly = state((s) => {
      s.kubernetes.kubeconfig = { server: 'https://api.example.com:6443' };
    });
    expect(results(hostOnly, PRIVATE)).toEqual(['error']);
    const withEks = state((s) => {
      s.kubernetes.kubeconfig = { server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com' };
      s.cloud.eksClusters.push({ name: 'prod', endpointPublicAccess: false, endpointPrivateAccess: true, tags: {} });
    });
    expect(results(withEks, PRIVATE)).toEqual(['not-applicable', 'pass']);
  });

  it('judges --bind-address 0.0.0.0 by the node addresses it listens on', () => {
    const s = (externalIP?: string) =>
      state((st) => {
        st.kubernetes.nodes.push(node('cp-1', { controlPlane: true, internalIP: '10.0.1.10', ...(externalIP ? { externalIP } : {}) }));
        st.kubernetes.controlPlane.apiServers.push({
          node: 'cp-1',
          flags: { 'advertise-address': '10.0.1.10', 'bind-address': '0.0.0.0' },
        });
      });
    expect(results(s(), PRIVATE)).toEqual(['pass', 'pass']);
    const withPublic = run(s('198.51.100.20'), PRIVATE);
    expect(withPublic.map((f) => f.result)).toEqual(['pass', 'fail']);
    expect(withPublic[1]?.message).toContain('198.51.100.20');
  });

  it('reads flags stored with leading dashes and defaults an absent bind address to all interfaces', () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.apiServers.push({ node: 'cp-1', flags: { '--advertise-address': '52.1.2.3' } });
    });
    const out = run(s, PRIVATE);
    expect(out.map((f) => f.result)).toEqual(['fail', 'not-applicable']);
  });

  // The four misreadings behind checkov#883, tfsec#910, cloudsploit#823, prowler#2824/#2825.
  describe('EKS endpoint access fields read together', () => {
    it('public off + private on is private', () => {
      expect(results(eks({ endpointPublicAccess: false, endpointPrivateAccess: true }), PRIVATE)).toEqual(['pass']);
    });
    it('public on + private on is still public (private access does not close the public endpoint)', () => {
      expect(results(eks({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] }), PRIVATE)).toEqual([
        'fail',
      ]);
    });
    it('public on with restricted CIDRs fails a private spec and passes a public spec that allows them', () => {
      const s = eks({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/28'] });
      expect(results(s, PRIVATE)).toEqual(['fail']);
      expect(results(s, { exposure: 'public', allowedPublicCidrs: ['203.0.113.0/24'] })).toEqual(['pass']);
      expect(results(s, { exposure: 'public', allowedPublicCidrs: ['198.51.100.0/24'] })).toEqual(['fail']);
    });
    it('public on with 0.0.0.0/0 fails even a public spec unless the spec lists the whole internet', () => {
      const s = eks({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] });
      expect(results(s, { exposure: 'public' })).toEqual(['fail']);
      expect(results(s, { exposure: 'public', allowedPublicCidrs: ['0.0.0.0/0'] })).toEqual(['pass']);
    });
    it('public off + private off is impossible in EKS: error', () => {
      expect(results(eks({ endpointPublicAccess: false, endpointPrivateAccess: false }), PRIVATE)).toEqual(['error']);
    });
    it('absent fields take the EKS defaults (public, 0.0.0.0/0), which can only fail', () => {
      const [f] = run(eks({}), PRIVATE);
      expect(f?.result).toBe('fail');
      expect(JSON.stringify(f?.evidence)).toContain('EKS defaults applied');
      expect(results(eks({ endpointPublicAccess: false }), PRIVATE)).toEqual(['error']);
    });
  });

  it("fails a security group open to the internet on 6443 (or all traffic) and on 443 only when it is the cluster's", () => {
    const s = state((st) => {
      st.cloud.eksClusters.push({
        name: 'prod',
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        securityGroupIds: ['sg-cluster'],
        tags: {},
      });
      const rule = (protocol: string, from: number | undefined, to: number | undefined, cidrs: string[], ipv6Cidrs: string[] = []) => ({
        protocol,
        fromPort: from,
        toPort: to,
        cidrs,
        ipv6Cidrs,
        sourceGroupIds: [],
      });
      st.cloud.securityGroups.push(
        { id: 'sg-cluster', ingress: [rule('tcp', 443, 443, [], ['::/0'])], egress: [], tags: {} },
        { id: 'sg-web', ingress: [rule('tcp', 443, 443, ['0.0.0.0/0'])], egress: [], tags: {} },
        { id: 'sg-any', ingress: [rule('-1', undefined, undefined, ['0.0.0.0/0'])], egress: [], tags: {} },
        { id: 'sg-vpc', ingress: [rule('tcp', 6443, 6443, ['10.0.0.0/16'])], egress: [], tags: {} },
      );
    });
    const out = run(s, PRIVATE);
    expect(out.filter((f) => f.result === 'fail').map((f) => f.subject?.id)).toEqual(['sg-cluster', 'sg-any']);
  });

  it('fails an internet-facing load balancer in front of the apiserver and passes an internal one', () => {
    const s = (scheme: 'internet-facing' | 'internal') =>
      state((st) => {
        st.kubernetes.kubeconfig = { server: 'https://k8s-api-1234.elb.eu-west-1.amazonaws.com' };
        st.cloud.loadBalancers.push(
          { name: 'k8s-api', scheme, listenerPorts: [443], securityGroupIds: [], tags: {} },
          { name: 'web', scheme: 'internet-facing', listenerPorts: [443], securityGroupIds: [], tags: {} },
        );
      });
    const failing = run(s('internet-facing'), PRIVATE).filter((f) => f.result === 'fail');
    expect(failing.map((f) => f.subject?.name)).toEqual(['k8s-api']);
    expect(results(s('internal'), PRIVATE)).toEqual(['not-applicable', 'pass']);
  });
});

describe('api-endpoint-private: a hostname that is a collected load balancer DNS name', () => {
  const DNS = 'payments-prod-api-5f0c1e2d3a4b5c6d.elb.eu-west-1.amazonaws.com';
  const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/payments-prod-api/5f0c1e2d3a4b5c6d';
  // Listener on 443 only: the load balancer itself does not count as "in front of the apiserver" (its name is not a
  // prefix of the host), so the kubeconfig server finding alone decides.
  const withLb = (scheme: 'internet-facing' | 'internal', dnsName: string | null = DNS) =>
    state((st) => {
      st.kubernetes.kubeconfig = { server: `https://${DNS.toUpperCase()}:6443` };
      st.cloud.loadBalancers.push({
        name: 'api-nlb',
        arn: ARN,
        scheme,
        ...(dnsName ? { dnsName } : {}),
        listenerPorts: [443],
        securityGroupIds: [],
        tags: {},
      });
    });
  const kubeconfigFinding = (s: ClusterState, e: ApiEndpointSpec) => run(s, e).find((f) => f.subject?.kind === 'KubeconfigCluster');

  it('fails an internet-facing load balancer DNS name when the spec requires a private endpoint, naming the load balancer and its scheme', () => {
    const f = kubeconfigFinding(withLb('internet-facing'), PRIVATE);
    expect(f?.result).toBe('fail');
    expect(f?.message).toMatch(/internet-facing load balancer api-nlb/);
    expect(f?.evidence).toContainEqual({
      type: 'observation',
      what: `load balancer api-nlb with DNS name ${DNS}`,
      observed: { name: 'api-nlb', arn: ARN, scheme: 'internet-facing' },
    });
    expect(f?.evidence).toContainEqual({ type: 'comparison', what: 'endpoint exposure', expected: 'private', actual: 'public' });
    expect(kubeconfigFinding(withLb('internet-facing'), { exposure: 'public' })?.result).toBe('pass');
  });

  it('passes an internal load balancer DNS name as private', () => {
    const f = kubeconfigFinding(withLb('internal'), PRIVATE);
    expect(f?.result).toBe('pass');
    expect(f?.message).toMatch(/is private \(DNS name of the internal load balancer api-nlb\)/);
    expect(f?.evidence).toContainEqual(expect.objectContaining({ observed: { name: 'api-nlb', arn: ARN, scheme: 'internal' } }));
  });

  it('still cannot classify the name when no collected load balancer has it as DNS name', () => {
    expect(results(withLb('internal', null), PRIVATE)).toEqual(['error']);
    expect(results(withLb('internal', 'other-1.elb.eu-west-1.amazonaws.com'), PRIVATE)).toEqual(['error']);
  });
});

describe('api-endpoint-private layers', () => {
  it('reports a planned EKS cluster on the plan layer', () => {
    const [f] = run(eks({ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'], planned: true }), PRIVATE);
    expect(f).toMatchObject({ layer: 'plan', result: 'fail' });
    expect(run(eks({ endpointPublicAccess: false, endpointPrivateAccess: true }), PRIVATE)[0]?.layer).toBe('config');
  });
});

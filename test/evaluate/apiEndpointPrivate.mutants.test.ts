// api-endpoint-private verdicts that mutation testing (npm run mutation) showed no test pinned down: which
// signals are judged at all, which finding says the others decide, and the public-exposure exceptions.
import { describe, expect, it } from 'vitest';
import { evaluateApiEndpointPrivate } from '../../harness/evaluate/apiEndpointPrivate.ts';
import type { ApiEndpointSpec } from '../../harness/model/spec.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { control, node, spec, state } from './stateBuilder.ts';

const run = (s: ClusterState, apiEndpoint: ApiEndpointSpec) =>
  evaluateApiEndpointPrivate({ state: s, spec: spec({ apiEndpoint }), control: control('api-endpoint-private') });
const results = (s: ClusterState, e: ApiEndpointSpec) => run(s, e).map((f) => f.result);
const PRIVATE: ApiEndpointSpec = { exposure: 'private' };
const PUBLIC: ApiEndpointSpec = { exposure: 'public' };

describe('api-endpoint-private: which signals are judged', () => {
  it('says "the other findings decide" only on the unclassifiable name that other findings outvote', () => {
    const alone = run(
      state((s) => {
        s.kubernetes.kubeconfig = { server: 'https://api.example.com:6443' };
      }),
      PRIVATE,
    );
    expect(alone.map((f) => f.result)).toEqual(['error']);
    expect(alone[0]?.message).not.toContain('The other endpoint findings decide');

    const outvoted = run(
      state((s) => {
        s.kubernetes.kubeconfig = { server: 'https://api.example.com:6443' };
        s.kubernetes.controlPlane.apiServers.push({ node: 'cp-1', flags: { 'bind-address': '127.0.0.1' } });
      }),
      PRIVATE,
    );
    expect(outvoted.map((f) => f.result)).toEqual(['not-applicable', 'pass']);
    expect(outvoted[0]?.message).toContain('The other endpoint findings decide');
    expect(outvoted[1]?.message).not.toContain('The other endpoint findings decide');
  });

  it('fails a public kubeadm controlPlaneEndpoint even when nothing else about the endpoint was collected', () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.kubeadm = { controlPlaneEndpoint: '203.0.113.9:6443' };
    });
    // The second finding is kubeadm's unset bind-address: every interface of a node whose addresses are unknown.
    expect(results(s, PRIVATE)).toEqual(['fail', 'not-applicable']);
  });

  it('judges only the apiserver flags that are set, apart from the bind address that defaults to every interface', () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.apiServers.push({ node: 'cp-1', flags: { 'bind-address': '127.0.0.1' } });
    });
    expect(results(s, PRIVATE)).toEqual(['pass']);
  });

  it("ignores kubeadm's planned bind and advertise addresses once the running apiserver's flags are collected", () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.kubeadm = { controlPlaneEndpoint: '10.0.0.5:6443' };
      st.kubernetes.controlPlane.kubeadmInit = { localAPIEndpoint: { advertiseAddress: '203.0.113.9' } };
      st.kubernetes.controlPlane.apiServers.push({ node: 'cp-1', flags: { 'bind-address': '127.0.0.1' } });
    });
    expect(results(s, PRIVATE)).toEqual(['pass', 'pass']);
  });

  it('judges a public kubeadm InitConfiguration advertise address when no apiserver flags were collected', () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.kubeadmInit = { localAPIEndpoint: { advertiseAddress: '203.0.113.9' } };
    });
    expect(results(s, PRIVATE)).toEqual(['fail']);
  });

  it('is an error, not a pass, when the kubeconfig server is not a URL or host', () => {
    const out = run(
      state((s) => {
        s.kubernetes.kubeconfig = { server: 'https://bad host!:6443' };
      }),
      PRIVATE,
    );
    expect(out.map((f) => f.result)).toEqual(['error']);
    expect(out[0]?.message).toContain('is not a valid URL or host');
  });

  it('is an error, not a pass, when an apiserver flag holds something that is not an address', () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.apiServers.push({
        node: 'cp-1',
        flags: { 'advertise-address': 'bad host!', 'bind-address': '127.0.0.1' },
      });
    });
    expect(results(s, PRIVATE)).toEqual(['error', 'pass']);
  });

  it("judges a bind-address 0.0.0.0 by the addresses of the apiserver's own node, not another node's", () => {
    const s = state((st) => {
      st.kubernetes.nodes.push(
        node('cp-1', { controlPlane: true, internalIP: '10.0.1.10', externalIP: '198.51.100.20' }),
        node('cp-2', { controlPlane: true, internalIP: '10.0.1.11' }),
      );
      st.kubernetes.controlPlane.apiServers.push({ node: 'cp-2', flags: { 'bind-address': '0.0.0.0' } });
    });
    expect(results(s, PRIVATE)).toEqual(['pass']);
  });
});

describe('api-endpoint-private: public exposure allowed by the spec', () => {
  const openOn6443 = (cidr: string) =>
    state((st) => {
      st.cloud.securityGroups.push({
        id: 'sg-api',
        ingress: [{ protocol: 'tcp', fromPort: 6443, toPort: 6443, cidrs: [cidr], ipv6Cidrs: [], sourceGroupIds: [] }],
        egress: [],
        tags: {},
      });
    });
  const groupVerdicts = (s: ClusterState, e: ApiEndpointSpec) =>
    run(s, e)
      .filter((f) => f.subject?.id === 'sg-api')
      .map((f) => f.result);

  it('fails a security group open to the internet on 6443 for a private spec, and for a public spec that does not list the internet', () => {
    expect(groupVerdicts(openOn6443('0.0.0.0/0'), PRIVATE)).toEqual(['fail']);
    expect(groupVerdicts(openOn6443('0.0.0.0/0'), PUBLIC)).toEqual(['fail']);
    expect(groupVerdicts(openOn6443('0.0.0.0/0'), { exposure: 'public', allowedPublicCidrs: ['198.51.100.0/24'] })).toEqual(['fail']);
  });

  it('raises nothing about an internet-open group when the public spec lists the whole internet', () => {
    expect(groupVerdicts(openOn6443('0.0.0.0/0'), { exposure: 'public', allowedPublicCidrs: ['0.0.0.0/0'] })).toEqual([]);
  });

  it('fails an internet-open group for a private spec even when allowedPublicCidrs lists the internet (the list is for public exposure)', () => {
    expect(groupVerdicts(openOn6443('0.0.0.0/0'), { exposure: 'private', allowedPublicCidrs: ['0.0.0.0/0'] })).toEqual(['fail']);
  });

  it('passes an internet-facing load balancer on 6443 when the spec allows a public endpoint, fails it otherwise', () => {
    const s = state((st) => {
      st.cloud.loadBalancers.push({ name: 'api', scheme: 'internet-facing', listenerPorts: [6443], securityGroupIds: [], tags: {} });
    });
    expect(results(s, PUBLIC)).toEqual(['pass']);
    expect(results(s, PRIVATE)).toEqual(['fail']);
  });
});

describe('api-endpoint-private: which object a finding names', () => {
  const subjects = (s: ClusterState) => run(s, PRIVATE).map((f) => [f.result, f.subject]);

  it('names the kubeconfig cluster by its context and file, else the context of the live source, else "current"', () => {
    expect(
      subjects(
        state((s) => {
          s.kubernetes.kubeconfig = { server: 'https://10.0.0.1:6443', context: 'prod', file: 'kubeconfig.yaml' };
          s.source.context = 'other';
        }),
      ),
    ).toEqual([['pass', { kind: 'KubeconfigCluster', name: 'prod', source: { file: 'kubeconfig.yaml' } }]]);
    expect(
      subjects(
        state((s) => {
          s.source.server = 'https://10.0.0.1:6443';
          s.source.context = 'live';
        }),
      ),
    ).toEqual([['pass', { kind: 'KubeconfigCluster', name: 'live' }]]);
    expect(
      subjects(
        state((s) => {
          s.kubernetes.kubeconfig = { server: 'https://10.0.0.1:6443' };
        }),
      ),
    ).toEqual([['pass', { kind: 'KubeconfigCluster', name: 'current' }]]);
  });

  it("names an apiserver's static pod after its node, with the file it was read from", () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.apiServers.push(
        { node: 'cp-1', flags: { 'bind-address': '127.0.0.1' }, source: { file: 'kube-apiserver.yaml', line: 3 } },
        { flags: { 'bind-address': '10.0.0.5' } },
      );
    });
    expect(subjects(s)).toEqual([
      ['pass', { kind: 'Pod', namespace: 'kube-system', name: 'kube-apiserver-cp-1', source: { file: 'kube-apiserver.yaml', line: 3 } }],
      ['pass', { kind: 'Pod', namespace: 'kube-system', name: 'kube-apiserver' }],
    ]);
  });

  it('names the kubeadm InitConfiguration by the name and file it was read with', () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.kubeadmInit = { localAPIEndpoint: { advertiseAddress: '203.0.113.9' } };
      st.origins['InitConfiguration/init'] = { file: 'kubeadm.yaml', documentIndex: 1 };
    });
    expect(subjects(s)).toEqual([
      ['fail', { kind: 'InitConfiguration', name: 'init', source: { file: 'kubeadm.yaml', documentIndex: 1 } }],
    ]);
  });

  it('judges nothing from an InitConfiguration without localAPIEndpoint', () => {
    const s = state((st) => {
      st.kubernetes.controlPlane.kubeadmInit = {};
    });
    expect(results(s, PRIVATE)).toEqual(['error']);
  });
});

describe('api-endpoint-private: what a finding shows', () => {
  it('says which inputs to collect when there is nothing to judge', () => {
    const findings = run(state(), PRIVATE);
    expect(findings.map((f) => [f.result, f.evidence])).toEqual([
      [
        'error',
        [{ type: 'missing-input', what: 'kubeconfig server, kubeadm config, apiserver static pod flags, aws eks describe-cluster output' }],
      ],
    ]);
  });

  it('records the address and the class it was judged by', () => {
    const [f] = run(
      state((s) => {
        s.kubernetes.kubeconfig = { server: 'https://203.0.113.9:6443' };
      }),
      PRIVATE,
    );
    expect(f?.result).toBe('fail');
    expect(f?.evidence).toContainEqual(
      expect.objectContaining({
        type: 'observation',
        what: 'kubeconfig server https://203.0.113.9:6443',
        observed: { address: '203.0.113.9', class: 'public' },
      }),
    );
  });

  it("lists only a node's IP addresses for an apiserver bound to every interface", () => {
    const s = state((st) => {
      const cp = node('cp-1', { controlPlane: true, internalIP: '10.0.1.10' });
      cp.status?.addresses?.push({ type: 'Hostname', address: 'cp-1' }, { type: 'InternalDNS', address: 'ip-10-0-1-10.ec2.internal' });
      st.kubernetes.nodes.push(cp);
      st.kubernetes.controlPlane.apiServers.push({ node: 'cp-1', flags: { 'bind-address': '0.0.0.0' } });
    });
    const [f] = run(s, PRIVATE);
    expect(f?.result).toBe('pass');
    expect(f?.evidence).toContainEqual({ type: 'observation', what: 'addresses of node cp-1', observed: ['10.0.1.10'] });
  });

  it('counts a node collected without status as a node whose addresses are unknown', () => {
    const s = state((st) => {
      st.kubernetes.nodes.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp-1' } });
      st.kubernetes.controlPlane.apiServers.push({ node: 'cp-1', flags: {} });
    });
    expect(results(s, PRIVATE)).toEqual(['error']);
    expect(run(s, PRIVATE)[0]?.message).toContain('listens on every interface of node cp-1, whose addresses were not collected');
  });

  it('still judges a load balancer on 6443 when the kubeconfig server cannot be parsed', () => {
    const s = state((st) => {
      st.kubernetes.kubeconfig = { server: 'https://bad host!:6443' };
      st.cloud.loadBalancers.push({ name: 'api', scheme: 'internal', listenerPorts: [6443], securityGroupIds: [], tags: {} });
    });
    expect(run(s, PRIVATE).map((f) => [f.result, f.subject?.kind])).toEqual([
      ['error', 'KubeconfigCluster'],
      ['pass', 'LoadBalancer'],
    ]);
  });

  it('takes every-interface addresses only from the named node: an apiserver without a node name and nameless nodes match nothing', () => {
    const s = state((st) => {
      st.kubernetes.nodes.push(
        { apiVersion: 'v1', kind: 'Node', metadata: {}, status: { addresses: [{ type: 'InternalIP', address: '10.0.1.10' }] } },
        { apiVersion: 'v1', kind: 'Node' },
      );
      st.kubernetes.controlPlane.apiServers.push({ flags: {} }, { node: 'cp-1', flags: {} });
    });
    expect(results(s, PRIVATE)).toEqual(['error', 'error']);
  });

  it('keeps the address-class rule in the evidence of an unparseable address', () => {
    const [f] = run(
      state((s) => {
        s.kubernetes.kubeconfig = { server: 'https://bad host!:6443' };
      }),
      PRIVATE,
    );
    expect(f?.evidence).toEqual([{ type: 'rule', rule: expect.stringMatching(/^address class: RFC 1918/) }]);
  });

  it('shows which load balancer a kubeconfig DNS name belongs to, and its scheme', () => {
    const [f] = run(
      state((s) => {
        s.kubernetes.kubeconfig = { server: 'https://api-123.elb.eu-west-1.amazonaws.com' };
        s.cloud.loadBalancers.push({
          name: 'api',
          arn: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/api/1',
          scheme: 'internal',
          dnsName: 'api-123.elb.eu-west-1.amazonaws.com',
          securityGroupIds: [],
          listenerPorts: [443],
          tags: {},
        });
      }),
      PRIVATE,
    );
    expect(f?.result).toBe('pass');
    expect(f?.evidence).toContainEqual({
      type: 'observation',
      what: 'load balancer api with DNS name api-123.elb.eu-west-1.amazonaws.com',
      observed: { name: 'api', arn: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/api/1', scheme: 'internal' },
    });
  });

  it('fails a public spec whose allowed ranges cover only one of the internet-wide sources a rule opens', () => {
    const s = state((st) => {
      st.cloud.securityGroups.push({
        id: 'sg-api',
        ingress: [{ protocol: 'tcp', fromPort: 6443, toPort: 6443, cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'], sourceGroupIds: [] }],
        egress: [],
        tags: {},
      });
    });
    const findings = run(s, { exposure: 'public', allowedPublicCidrs: ['0.0.0.0/0'] });
    expect(findings.map((f) => [f.result, f.subject?.id])).toEqual([['fail', 'sg-api']]);
    expect(run(s, { exposure: 'public', allowedPublicCidrs: ['0.0.0.0/0', '::/0'] }).filter((f) => f.subject?.id === 'sg-api')).toEqual([]);
  });

  it('shows the rule and the open ingress rule of a security group, and the scheme and listeners of a load balancer', () => {
    const ingress = { protocol: 'tcp', fromPort: 6443, toPort: 6443, cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], sourceGroupIds: [] };
    const s = state((st) => {
      st.cloud.securityGroups.push({ id: 'sg-api', ingress: [ingress], egress: [], tags: {} });
      st.cloud.loadBalancers.push({ name: 'api', scheme: 'internal', listenerPorts: [6443], securityGroupIds: [], tags: {} });
    });
    const [group, lb] = run(s, PRIVATE);
    // Order aside (a finding puts its rule last): exactly these two pieces.
    expect(group?.evidence).toHaveLength(2);
    expect(group?.evidence).toContainEqual({ type: 'rule', rule: expect.stringMatching(/^ingress to 6443 on any group/) });
    expect(group?.evidence).toContainEqual({ type: 'observation', what: 'ingress rule (port 6443)', observed: ingress });
    expect(lb?.evidence).toHaveLength(2);
    expect(lb?.evidence).toContainEqual({ type: 'rule', rule: expect.stringMatching(/^a load balancer fronts the apiserver/) });
    expect(lb?.evidence).toContainEqual({
      type: 'observation',
      what: 'load balancer api',
      observed: { scheme: 'internal', apiserverListeners: [6443] },
    });
  });
});

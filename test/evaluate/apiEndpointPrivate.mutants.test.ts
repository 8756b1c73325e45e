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

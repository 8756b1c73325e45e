// Endpoint exposure as AWS and kubeadm decide it: EKS publicAccessCidrs judged as a set, kubeadm bind-address in
// both extraArgs forms with its all-interfaces default.
import { describe, expect, it } from 'vitest';
import { evaluateApiEndpointPrivate } from '../../harness/evaluate/apiEndpointPrivate.ts';
import { internetCoveredBy } from '../../harness/evaluate/apiEndpointPrivate/cidrSet.ts';
import { kubeadmApiServerArg } from '../../harness/evaluate/apiEndpointPrivate/kubeadmApiServerArgs.ts';
import type { ApiEndpointSpec } from '../../harness/model/spec.ts';
import type { ClusterState, EksCluster, KubeadmClusterConfiguration } from '../../harness/model/state.ts';
import { control, spec, state } from './stateBuilder.ts';

const run = (s: ClusterState, apiEndpoint: ApiEndpointSpec) =>
  evaluateApiEndpointPrivate({ state: s, spec: spec({ apiEndpoint }), control: control('api-endpoint-private') });
const eks = (fields: Partial<EksCluster>): ClusterState =>
  state((s) => {
    s.cloud.eksClusters.push({ name: 'prod', tags: {}, ...fields });
  });
const kubeadm = (config: KubeadmClusterConfiguration): ClusterState =>
  state((s) => {
    s.kubernetes.controlPlane.kubeadm = config;
  });

describe('publicAccessCidrs as a set', () => {
  it.each([
    [['0.0.0.0/1', '128.0.0.0/1'], ['IPv4']],
    [['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1'], ['IPv4']],
    [['128.0.0.0/1', '0.0.0.0/1', '10.0.0.0/8'], ['IPv4']],
    [['::/1', '8000::/1'], ['IPv6']],
    [
      ['0.0.0.0/0', '::/0'],
      ['IPv4', 'IPv6'],
    ],
    [['0.0.0.0/1', '192.0.0.0/2'], []],
    [['203.0.113.0/24'], []],
  ])('%j covers %j', (cidrs, families) => expect(internetCoveredBy(cidrs).map((c) => c.family)).toEqual(families));

  it('0.0.0.0/1 + 128.0.0.0/1 fails a public spec without allowedPublicCidrs, like 0.0.0.0/0 does', () => {
    const [f] = run(eks({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'] }), {
      exposure: 'public',
    });
    expect(f?.result).toBe('fail');
    expect(f?.message).toContain('0.0.0.0/1 + 128.0.0.0/1 (together all of IPv4)');
  });

  it('names the split internet when the spec requires a private endpoint', () => {
    const [f] = run(eks({ endpointPublicAccess: true, publicAccessCidrs: ['::/1', '8000::/1'] }), { exposure: 'private' });
    expect(f?.result).toBe('fail');
    expect(f?.message).toContain('open to the whole internet (::/1 + 8000::/1 (together all of IPv6))');
  });

  it('passes split ranges when the spec allows the whole internet explicitly', () => {
    const [f] = run(eks({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'] }), {
      exposure: 'public',
      allowedPublicCidrs: ['0.0.0.0/0'],
    });
    expect(f?.result).toBe('pass');
  });
});

describe('kubeadm apiServer.extraArgs bind-address', () => {
  it('reads the map form (v1beta3) and the list form (v1beta4, last one wins)', () => {
    expect(kubeadmApiServerArg({ apiServer: { extraArgs: { 'bind-address': '10.0.0.5' } } }, 'bind-address')).toBe('10.0.0.5');
    expect(
      kubeadmApiServerArg(
        {
          apiServer: {
            extraArgs: [
              { name: 'bind-address', value: '0.0.0.0' },
              { name: 'bind-address', value: '10.0.0.6' },
            ],
          },
        },
        'bind-address',
      ),
    ).toBe('10.0.0.6');
    expect(kubeadmApiServerArg({}, 'bind-address')).toBeUndefined();
  });

  it('a private bind address passes, a public one fails', () => {
    expect(
      run(kubeadm({ apiServer: { extraArgs: [{ name: 'bind-address', value: '10.0.0.5' }] } }), { exposure: 'private' }).map(
        (f) => f.result,
      ),
    ).toEqual(['pass']);
    const [f] = run(kubeadm({ apiServer: { extraArgs: { 'bind-address': '203.0.113.7' } } }), { exposure: 'private' });
    expect(f?.result).toBe('fail');
    expect(f?.message).toContain('bind-address 203.0.113.7');
  });

  it('unset means every interface: never a pass when the node addresses are unknown', () => {
    const [f] = run(kubeadm({ apiServer: {} }), { exposure: 'private' });
    expect(f?.result).toBe('error');
    expect(f?.message).toContain('0.0.0.0 (unset: every interface)');
  });
});

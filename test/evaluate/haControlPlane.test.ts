import { describe, expect, it } from 'vitest';
import { evaluateHaControlPlane } from '../../harness/evaluate/haControlPlane.ts';
import type { HaSpec } from '../../harness/model/spec.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { control, node, spec, state } from './stateBuilder.ts';

const HA: HaSpec = { controlPlanes: 3, zones: 3 };
const run = (s: ClusterState, ha: HaSpec | null = HA) =>
  evaluateHaControlPlane({ state: s, spec: spec(ha ? { ha } : {}), control: control('ha-control-plane') });
const results = (s: ClusterState, ha: HaSpec | null = HA) => run(s, ha).map((f) => f.result);

function kubeadm(
  cps: { zone: string; ip: string }[],
  endpoint: string | undefined,
  edit: (s: ClusterState) => void = () => {},
): ClusterState {
  return state((s) => {
    cps.forEach((cp, i) => s.kubernetes.nodes.push(node(`cp-${i + 1}`, { controlPlane: true, zone: cp.zone, internalIP: cp.ip })));
    s.kubernetes.nodes.push(node('worker-1', { zone: 'a', internalIP: '10.0.9.9' }));
    s.kubernetes.controlPlane.kubeadm = { ...(endpoint ? { controlPlaneEndpoint: endpoint } : {}), etcd: { local: {} } };
    edit(s);
  });
}
const three = [
  { zone: 'eu-west-1a', ip: '10.0.1.10' },
  { zone: 'eu-west-1b', ip: '10.0.2.10' },
  { zone: 'eu-west-1c', ip: '10.0.3.10' },
];

describe('ha-control-plane', () => {
  it('is not-applicable without an ha section and an error without nodes or EKS', () => {
    expect(results(state(), null)).toEqual(['not-applicable']);
    expect(results(state())).toEqual(['error']);
  });

  it('passes three control planes in three zones behind a load-balanced endpoint', () => {
    expect(results(kubeadm(three, 'k8s-api.internal:6443'))).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('fails too few control planes, too few zones and an even stacked etcd', () => {
    const two = kubeadm(three.slice(0, 2), 'k8s-api.internal:6443');
    const out = run(two);
    expect(out.map((f) => f.result)).toEqual(['fail', 'fail', 'fail', 'pass']);
    expect(out[2]?.message).toMatch(/2 member\(s\)/);
    const sameZone = kubeadm(
      three.map((t) => ({ ...t, zone: 'eu-west-1a' })),
      'k8s-api.internal:6443',
    );
    expect(results(sameZone)).toEqual(['pass', 'fail', 'pass', 'pass']);
  });

  it('counts collected or external etcd members before assuming stacked etcd', () => {
    const external = kubeadm(three, 'k8s-api.internal:6443', (s) => {
      s.kubernetes.controlPlane.kubeadm!.etcd = {
        external: { endpoints: ['https://e1:2379', 'https://e2:2379', 'https://e3:2379', 'https://e4:2379'] },
      };
    });
    expect(results(external)[2]).toBe('fail');
    const seen = kubeadm(three, 'k8s-api.internal:6443', (s) => {
      s.kubernetes.controlPlane.etcdMembers = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: n, clientUrls: [] }));
    });
    expect(results(seen)[2]).toBe('pass');
  });

  it("fails an endpoint that is one control-plane node's address, or a kubeadm config without one", () => {
    expect(results(kubeadm(three, '10.0.2.10:6443'))[3]).toBe('fail');
    expect(results(kubeadm(three, 'cp-1:6443'))[3]).toBe('fail');
    expect(results(kubeadm(three, undefined))[3]).toBe('fail');
  });

  it('falls back to the kubeconfig server when there is no kubeadm config', () => {
    const s = (server: string) =>
      kubeadm(three, undefined, (st) => {
        delete st.kubernetes.controlPlane.kubeadm;
        st.kubernetes.kubeconfig = { server };
      });
    expect(results(s('https://127.0.0.1:41234'))[3]).toBe('pass');
    expect(results(s('https://10.0.1.10:6443'))[3]).toBe('fail');
  });

  it('accepts the legacy master label', () => {
    const s = kubeadm(three, 'lb:6443', (st) => {
      for (const n of st.kubernetes.nodes.slice(0, 3)) {
        delete n.metadata!.labels!['node-role.kubernetes.io/control-plane'];
        n.metadata!.labels!['node-role.kubernetes.io/master'] = '';
      }
    });
    expect(results(s)[0]).toBe('pass');
  });

  it('passes an EKS cluster with the managed control plane as evidence', () => {
    const out = run(
      state((s) => {
        s.cloud.eksClusters.push({ name: 'prod', tags: {} });
        s.kubernetes.nodes.push(node('ip-10-0-1-5', { zone: 'a' }));
      }),
    );
    expect(out.map((f) => f.result)).toEqual(['pass']);
    expect(out[0]?.message).toContain('EKS manages the control plane across ≥3 AZs');
  });
});

describe('ha-control-plane without visible control planes', () => {
  it('is an error, not a fail, when only workers were collected and no managed control plane is described', () => {
    const out = run(
      state((s) => {
        s.kubernetes.nodes.push(node('gke-pool-1-abc', { zone: 'europe-west1-b' }));
      }),
    );
    expect(out.map((f) => f.result)).toEqual(['error']);
    expect(out[0]?.message).toMatch(/None of the 1 collected nodes is a control plane/);
  });
});

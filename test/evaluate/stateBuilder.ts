// A tiny builder for ClusterState and ClusterSpec in tests: start from emptyState and add only what a case
// needs, so each test reads as the situation it describes.
import type { V1CronJob, V1Deployment, V1Namespace, V1Node, V1Pod, V1Volume } from '@kubernetes/client-node';
import type { Control } from '../../harness/model/findings.ts';
import type { ClusterSpec, ClusterSpecBody } from '../../harness/model/spec.ts';
import { emptyState, type ClusterState } from '../../harness/model/state.ts';

export function state(edit: (s: ClusterState) => void = () => {}): ClusterState {
  const s = emptyState({ type: 'files', inputs: [], collectedAt: '2026-01-01T00:00:00Z' });
  edit(s);
  return s;
}

export function spec(body: ClusterSpecBody): ClusterSpec {
  return { apiVersion: 'clusterproof.dev/v1alpha1', kind: 'ClusterSpec', metadata: { name: 'test' }, spec: body };
}

export function control(id: string): Control {
  return { id, title: id, area: 'infra', rationale: '', severity: 'high', layers: ['plan', 'config'], references: [], remediation: '' };
}

export function namespace(name: string, labels: Record<string, string> = {}): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function node(name: string, opts: { controlPlane?: boolean; zone?: string; internalIP?: string; externalIP?: string } = {}): V1Node {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  if (opts.controlPlane) labels['node-role.kubernetes.io/control-plane'] = '';
  if (opts.zone) labels['topology.kubernetes.io/zone'] = opts.zone;
  const addresses = [
    ...(opts.internalIP ? [{ type: 'InternalIP', address: opts.internalIP }] : []),
    ...(opts.externalIP ? [{ type: 'ExternalIP', address: opts.externalIP }] : []),
  ];
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { addresses } };
}

export function pod(
  ns: string,
  name: string,
  opts: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ports?: number[];
    containers?: string[];
    phase?: string;
  } = {},
): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: opts.labels ?? {}, annotations: opts.annotations ?? {} },
    spec: {
      containers: (opts.containers ?? ['app']).map((c, i) => ({
        name: c,
        image: 'app',
        ...(i === 0 ? { ports: (opts.ports ?? []).map((p) => ({ containerPort: p })) } : {}),
      })),
    },
    ...(opts.phase ? { status: { phase: opts.phase } } : {}),
  };
}

export function deployment(
  ns: string,
  name: string,
  opts: { labels?: Record<string, string>; templateLabels?: Record<string, string>; templateAnnotations?: Record<string, string> } = {},
): V1Deployment {
  const tl = opts.templateLabels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: opts.labels ?? {} },
    spec: {
      selector: { matchLabels: tl },
      template: {
        metadata: { labels: tl, annotations: opts.templateAnnotations ?? {} },
        spec: { containers: [{ name: 'app', image: 'app' }] },
      },
    },
  };
}

export function cronJob(
  ns: string,
  name: string,
  schedule: string,
  script: string,
  extra: { volumes?: V1Volume[]; env?: { name: string; value?: string }[]; annotations?: Record<string, string>; suspend?: boolean } = {},
): V1CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: ns, annotations: extra.annotations ?? {} },
    spec: {
      schedule,
      ...(extra.suspend ? { suspend: true } : {}),
      jobTemplate: {
        spec: {
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              containers: [{ name: 'backup', image: 'etcd-backup', command: ['/bin/sh', '-c'], args: [script], env: extra.env ?? [] }],
              ...(extra.volumes ? { volumes: extra.volumes } : {}),
            },
          },
        },
      },
    },
  };
}

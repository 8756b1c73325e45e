// Control-plane configuration as far as the objects show it: kubeadm's ClusterConfiguration (a file, or the
// kube-system/kubeadm-config ConfigMap), kube-proxy's config.conf, and the kube-apiserver / etcd static pods
// (manifest files or their mirror pods). Derived after all objects are loaded, identically for files and live.
import { parse } from 'yaml';
import type { V1Pod } from '@kubernetes/client-node';
import type { ControlPlaneConfig, KubeadmClusterConfiguration, KubernetesState } from '../../model/state.ts';
import type { SourceLocation } from '../../model/findings.ts';
import { errorMessage, type InputProblem } from '../../errors.ts';
import { objectKey } from '../../model/state.ts';
import { kubernetesYamlOptions } from '../yamlOptions.ts';
import { isRecord } from '../../model/isRecord.ts';

export function deriveControlPlane(
  kubernetes: KubernetesState,
  origins: Record<string, SourceLocation>,
  problems: InputProblem[],
): ControlPlaneConfig {
  const result: ControlPlaneConfig = { ...kubernetes.controlPlane, apiServers: [], etcdMembers: [] };
  const embedded = (namespace: string, name: string, key: string): unknown => {
    const cm = kubernetes.configMaps.find((c) => c.metadata?.namespace === namespace && c.metadata?.name === name);
    const text = cm?.data?.[key];
    if (text === undefined) return undefined;
    try {
      return parse(text, kubernetesYamlOptions()) as unknown;
    } catch (error) {
      const at = origins[objectKey('ConfigMap', namespace, name)];
      problems.push({
        file: at?.file ?? `ConfigMap ${namespace}/${name}`,
        ...(at?.line !== undefined ? { line: at.line, column: at.column } : {}),
        pointer: `/data/${key}`,
        message: `ConfigMap ${namespace}/${name} key ${key} is not valid YAML: ${errorMessage(error).split('\n')[0]}`,
        fix: `export it again with \`kubectl get configmap -n ${namespace} ${name} -o yaml\``,
      });
      return undefined;
    }
  };

  const kubeadm = embedded('kube-system', 'kubeadm-config', 'ClusterConfiguration');
  if (!result.kubeadm && isRecord(kubeadm)) result.kubeadm = kubeadm as KubeadmClusterConfiguration;

  const proxy = embedded('kube-system', 'kube-proxy', 'config.conf');
  if (!result.kubeProxy && isRecord(proxy)) result.kubeProxy = kubeProxyFields(proxy);

  for (const pod of kubernetes.pods) {
    const component = controlPlaneComponent(pod);
    if (!component) continue;
    const flags = commandFlags(pod, component);
    const node = pod.spec?.nodeName;
    const source = origins[objectKey('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '')];
    if (component === 'kube-apiserver') {
      // A manifest file and the mirror pod of the same apiserver are one apiserver: match on node or advertise address.
      const same = result.apiServers.find(
        (a) =>
          (node !== undefined && a.node === node) ||
          (flags['advertise-address'] !== undefined && a.flags['advertise-address'] === flags['advertise-address']),
      );
      if (same) {
        same.node ??= node;
        continue;
      }
      result.apiServers.push({ ...(node !== undefined ? { node } : {}), flags, ...(source ? { source } : {}) });
    } else {
      const name = flags.name ?? node ?? pod.metadata?.name ?? 'etcd';
      if (result.etcdMembers.some((m) => m.name === name)) continue;
      const clientUrls = (flags['advertise-client-urls'] ?? '').split(',').filter((u) => u !== '');
      result.etcdMembers.push({ name, ...(node !== undefined ? { node } : {}), clientUrls });
    }
  }

  // External etcd is only visible through kubeadm's configuration.
  const external = result.kubeadm?.etcd?.external?.endpoints;
  if (result.etcdMembers.length === 0 && Array.isArray(external)) {
    for (const endpoint of external) result.etcdMembers.push({ name: endpoint, clientUrls: [endpoint] });
  }
  return result;
}

function controlPlaneComponent(pod: V1Pod): 'kube-apiserver' | 'etcd' | undefined {
  const label = pod.metadata?.labels?.component;
  const containers = pod.spec?.containers ?? [];
  if (label === 'kube-apiserver' || label === 'etcd') return label;
  if (pod.metadata?.namespace !== undefined && pod.metadata.namespace !== 'kube-system') return undefined;
  if (containers.some((c) => c.name === 'kube-apiserver')) return 'kube-apiserver';
  if (containers.some((c) => c.name === 'etcd')) return 'etcd';
  return undefined;
}

/** `--a=b` → {a: 'b'}; a bare `--flag` → {flag: 'true'}. Reads `command` and `args` of the component's container. */
function commandFlags(pod: V1Pod, component: string): Record<string, string> {
  const containers = pod.spec?.containers ?? [];
  const container = containers.find((c) => c.name === component) ?? containers[0];
  const flags: Record<string, string> = {};
  for (const arg of [...(container?.command ?? []), ...(container?.args ?? [])]) {
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq === -1) flags[arg.slice(2)] = 'true';
    else flags[arg.slice(2, eq)] = arg.slice(eq + 1);
  }
  return flags;
}

export function kubeProxyFields(config: Record<string, unknown>): { mode?: string; clusterCIDR?: string } {
  return {
    ...(typeof config.mode === 'string' ? { mode: config.mode } : {}),
    ...(typeof config.clusterCIDR === 'string' ? { clusterCIDR: config.clusterCIDR } : {}),
  };
}

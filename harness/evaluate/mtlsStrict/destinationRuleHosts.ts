// Which namespaces a DestinationRule's `host` points at. Istio resolves a short name (`reviews`) in the
// DestinationRule's own namespace; `svc.ns`, `svc.ns.svc` and `svc.ns.svc.<domain>` name namespace `ns`;
// `*.ns.svc.<domain>` is every service in `ns`; `*`, `*.svc.<domain>`, `*.<domain>` are every namespace.
// Any other name is outside the cluster (ServiceEntry hosts) and not an in-mesh target.

type HostTarget = { kind: 'all' } | { kind: 'namespace'; namespace: string } | { kind: 'external' };

export function hostTarget(host: string, ruleNamespace: string, knownNamespaces: Set<string>, clusterDomain = 'cluster.local'): HostTarget {
  const h = host.toLowerCase().replace(/\.$/, '');
  // `*.local` covers `<svc>.<ns>.svc.cluster.local` too (a wildcard matches any suffix of labels in Istio hosts).
  if (
    h === '*' ||
    h === `*.svc.${clusterDomain}` ||
    h === `*.${clusterDomain}` ||
    (h.startsWith('*.') && `.${clusterDomain}`.endsWith(h.slice(1)))
  )
    return { kind: 'all' };
  const suffix = `.svc.${clusterDomain}`;
  const labels = (h.endsWith(suffix) ? h.slice(0, -suffix.length) : h.endsWith('.svc') ? h.slice(0, -'.svc'.length) : h).split('.');
  if (h.endsWith(suffix) || h.endsWith('.svc')) {
    return labels.length === 2 && labels[1] ? { kind: 'namespace', namespace: labels[1] } : { kind: 'external' };
  }
  if (labels.length === 1) return { kind: 'namespace', namespace: ruleNamespace };
  if (labels.length === 2 && knownNamespaces.has(labels[1]!)) return { kind: 'namespace', namespace: labels[1]! };
  return { kind: 'external' };
}

/** The Service a host names (`svc`, `svc.ns`, `svc.ns.svc[.<domain>]`), or undefined for wildcards and external names. */
export function hostService(
  host: string,
  ruleNamespace: string,
  knownNamespaces: Set<string>,
  clusterDomain = 'cluster.local',
): { namespace: string; name: string } | undefined {
  const target = hostTarget(host, ruleNamespace, knownNamespaces, clusterDomain);
  if (target.kind !== 'namespace' || host.startsWith('*')) return undefined;
  const name = host.toLowerCase().split('.')[0];
  return name ? { namespace: target.namespace, name } : undefined;
}

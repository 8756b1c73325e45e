// The inventory of a ClusterState (model/inventory.ts): pure counting, no judgement.
import type { Inventory } from '../model/inventory.ts';
import type { ClusterState } from '../model/state.ts';
import { typedLists } from '../model/typedLists.ts';
import { workloadsOf } from '../model/workloads.ts';

export function inventoryOf(state: ClusterState): Inventory {
  const k = state.kubernetes;
  const byKind = new Map<string, Inventory['kubernetes'][number]>();
  const count = (kind: string, apiVersion: string, typed: boolean): void => {
    const key = `${typed}\u0000${kind}\u0000${apiVersion}`;
    const entry = byKind.get(key) ?? { kind, apiVersion, count: 0, typed };
    entry.count += 1;
    byKind.set(key, entry);
  };
  // Typed lists keep the object as read, apiVersion included; the fallback is the kind's served version.
  for (const t of typedLists(state)) {
    const fallback = t.group ? `${t.group}/${t.version}` : t.version;
    for (const o of t.objects) count(t.kind, o.apiVersion ?? fallback, true);
  }
  // Unknown entries without a kind are documents that were not objects (each has a warning) or terraform resources.
  for (const u of state.unknown) if (u.kind !== undefined) count(u.kind, u.apiVersion ?? '', false);

  const cloud = Object.entries(state.cloud)
    .map(([kind, list]) => ({ kind, count: (list as unknown[]).length }))
    .filter((c) => c.count > 0);

  const workloads = workloadsOf(state);
  const workloadKinds = new Map<string, number>();
  for (const w of workloads) workloadKinds.set(w.kind, (workloadKinds.get(w.kind) ?? 0) + 1);

  const namespaces = new Set<string>(k.namespaces.map((n) => n.metadata?.name ?? '').filter((n) => n !== ''));
  for (const w of workloads) namespaces.add(w.namespace);
  for (const list of [k.services, k.networkPolicies, k.serviceAccounts, k.configMaps])
    for (const o of list) if (o.metadata?.namespace) namespaces.add(o.metadata.namespace);

  return {
    kubernetes: [...byKind.values()].sort(
      (a, b) => Number(b.typed) - Number(a.typed) || a.kind.localeCompare(b.kind) || a.apiVersion.localeCompare(b.apiVersion),
    ),
    cloud,
    workloads: [...workloadKinds].map(([kind, n]) => ({ kind, count: n })),
    namespaces: [...namespaces].sort(),
    networkPolicies: k.networkPolicies.length,
    rendered: (state.source.rendered ?? []).map(({ tool, path, version, objects }) => ({ tool, path, version, objects })),
    warnings: state.warnings.length,
  };
}

// The inventory as rows of plain text (what, how many), for the HTML and Markdown writers to escape and lay out.
import type { Inventory } from '../harness/model/inventory.ts';

interface InventoryRow {
  group: 'objects' | 'cloud' | 'workloads' | 'scope' | 'rendered';
  what: string;
  count: number;
}

export function inventoryRows(inv: Inventory): InventoryRow[] {
  const workloads = inv.workloads.reduce((sum, w) => sum + w.count, 0);
  return [
    { group: 'scope', what: `namespaces${inv.namespaces.length ? `: ${inv.namespaces.join(', ')}` : ''}`, count: inv.namespaces.length },
    { group: 'scope', what: 'NetworkPolicies', count: inv.networkPolicies },
    { group: 'scope', what: 'input warnings', count: inv.warnings },
    {
      group: 'workloads',
      what: `workloads judged${inv.workloads.length ? ` (${inv.workloads.map((w) => `${w.count} ${w.kind}`).join(', ')})` : ''}`,
      count: workloads,
    },
    ...inv.kubernetes.map((o) => ({
      group: 'objects' as const,
      what: `${o.kind} ${o.apiVersion}${o.typed ? '' : ' (kept, not evaluated)'}`.trim(),
      count: o.count,
    })),
    ...inv.cloud.map((c) => ({ group: 'cloud' as const, what: c.kind, count: c.count })),
    ...inv.rendered.map((r) => ({ group: 'rendered' as const, what: `${r.tool} ${r.version}: ${r.path}`, count: r.objects })),
  ];
}

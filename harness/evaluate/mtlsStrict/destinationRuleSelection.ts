// Which DestinationRule a client's sidecar uses toward a host, as istiod picks it. Transcribed from istio.io/istio
// pilot/pkg/model (and https://istio.io/latest/docs/ops/best-practices/traffic-management/ "Cross-namespace
// configuration sharing": the lookup path is client namespace, service namespace, root namespace):
//   push_context.go setDestinationRules: a host without dots is `<host>.<rule ns>.svc.<domain>` (ResolveShortnameToFQDN);
//     a rule with a workloadSelector is exported to its own namespace only. A rule serves its own namespace's
//     clients when exportTo is empty, `*`, `.` or names its namespace; it is exported to others unless exportTo is
//     only `.`/its namespace, or empty while meshConfig.defaultDestinationRuleExportTo is `.` (only `.` and `*`
//     are honoured there). A private rule of the root namespace serves only the root namespace's proxies.
//   push_context.go destinationRule: 1. the client's namespace, 2. the service's namespace, 3. the root namespace
//     (2 and 3: exported rules only). In each, the most specific host wins (config.go MostSpecificHostMatch: the exact
//     host, else the longest matching wildcard); then, for 2 and 3, only rules exported to the client's namespace
//     are kept, without falling back to a less specific host of that namespace.
//   destination_rule.go mergeDestinationRule (ENABLE_ENHANCED_DESTINATIONRULE_MERGE, on by default): rules for the same
//     host in one namespace, selector-bearing first, then oldest first, merge when their exportTo are equal (or the
//     newer's is a superset): the merged rule keeps the first top-level trafficPolicy and adds subsets by new name.
//   sidecar.go SidecarScope.DestinationRule: a rule with a workloadSelector applies to the clients of its own
//     namespace whose labels it selects; every other client gets the (last) rule without selector.
import type { DestinationRule, DestinationRuleTrafficPolicy } from '../../model/state.ts';
import { olderFirst } from './composePeerAuthentication.ts';

type Subset = NonNullable<DestinationRule['spec']['subsets']>[number];

/** One rule as istiod keeps it after merging the same-host rules of a namespace. */
export interface ConsolidatedRule {
  /** The rules merged into this one, in istiod's order; the first names it. */
  from: DestinationRule[];
  namespace: string;
  /** The resolved host. */
  host: string;
  exportTo: ReadonlySet<string>;
  selector?: Record<string, string>;
  trafficPolicy?: { policy: DestinationRuleTrafficPolicy; from: DestinationRule };
  subsets: { subset: Subset; from: DestinationRule }[];
}

type HostIndex = Map<string, ConsolidatedRule[]>;

export interface RuleIndex {
  rootNamespace: string;
  namespaceLocal: Map<string, HostIndex>;
  exported: Map<string, HostIndex>;
  rootLocal: HostIndex;
}

export interface IndexOptions {
  rootNamespace: string;
  clusterDomain: string;
  /** meshConfig.defaultDestinationRuleExportTo: `.` makes rules without exportTo private. */
  defaultExportTo: 'private' | 'public';
}

/** ResolveShortnameToFQDN: `reviews` in namespace `shop` is `reviews.shop.svc.<domain>`; names with dots and `*` stay. */
export function resolveHost(dr: DestinationRule, clusterDomain: string): string {
  const host = dr.spec.host;
  return host === '*' || host.includes('.') ? host : `${host}.${dr.metadata.namespace ?? 'default'}.svc.${clusterDomain}`;
}

const selectorOf = (dr: DestinationRule): Record<string, string> | undefined =>
  dr.spec.workloadSelector ? (dr.spec.workloadSelector.matchLabels ?? {}) : undefined;

/** selector ⊆ labels (labels.Instance SubsetOf). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && selectorMatches(a, b);
const superset = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...b].every((x) => a.has(x));

function mergeInto(target: ConsolidatedRule, dr: DestinationRule): void {
  target.from.push(dr);
  for (const subset of dr.spec.subsets ?? [])
    if (!target.subsets.some((s) => s.subset.name === subset.name)) target.subsets.push({ subset, from: dr });
  if (!target.trafficPolicy && dr.spec.trafficPolicy) target.trafficPolicy = { policy: dr.spec.trafficPolicy, from: dr };
}

function consolidated(dr: DestinationRule, host: string, exportTo: ReadonlySet<string>): ConsolidatedRule {
  const selector = selectorOf(dr);
  const rule: ConsolidatedRule = { from: [], namespace: dr.metadata.namespace ?? 'default', host, exportTo, subsets: [] };
  if (selector) rule.selector = selector;
  mergeInto(rule, dr);
  return rule;
}

function merge(index: HostIndex, dr: DestinationRule, host: string, exportTo: ReadonlySet<string>): void {
  const list = index.get(host);
  if (!list) {
    index.set(host, [consolidated(dr, host, exportTo)]);
    return;
  }
  const selector = selectorOf(dr);
  let appendSeparately = true;
  for (const existing of list) {
    const equal = exportTo.size === existing.exportTo.size && superset(exportTo, existing.exportTo);
    // Equal exportTo: merged only; a superset of a non-empty exportTo: merged and kept apart; otherwise kept apart.
    if (equal) appendSeparately = false;
    else if (existing.exportTo.size > 0 && superset(exportTo, existing.exportTo)) appendSeparately = true;
    else {
      appendSeparately = true;
      continue;
    }
    const bothWithSelector = selector !== undefined && existing.selector !== undefined;
    const sameSelector = bothWithSelector && sameLabels(selector, existing.selector as Record<string, string>);
    if (bothWithSelector && !sameSelector) {
      appendSeparately = true;
      continue;
    }
    // Both without selector, or both with the same one: merged only. One with, one without: istiod leaves the
    // exportTo decision above standing (so a selector-less `exportTo: ['.']` rule merges into an earlier selector rule).
    if (sameSelector || (selector === undefined && existing.selector === undefined)) appendSeparately = false;
    mergeInto(existing, dr);
  }
  if (appendSeparately) list.push(consolidated(dr, host, exportTo));
}

function hostIndex(map: Map<string, HostIndex>, ns: string): HostIndex {
  let index = map.get(ns);
  if (!index) map.set(ns, (index = new Map()));
  return index;
}

export function buildRuleIndex(rules: readonly DestinationRule[], options: IndexOptions): RuleIndex {
  const index: RuleIndex = { rootNamespace: options.rootNamespace, namespaceLocal: new Map(), exported: new Map(), rootLocal: new Map() };
  // sortConfigBySelectorAndCreationTime: rules with a workloadSelector first, then oldest, name, namespace.
  const ordered = [...rules].sort((a, b) => Number(selectorOf(b) !== undefined) - Number(selectorOf(a) !== undefined) || olderFirst(a, b));
  for (const dr of ordered) {
    const ns = dr.metadata.namespace ?? 'default';
    const host = resolveHost(dr, options.clusterDomain);
    const exportTo: ReadonlySet<string> = selectorOf(dr) ? new Set(['.']) : new Set(dr.spec.exportTo ?? []);
    if (exportTo.size === 0 || exportTo.has('*') || exportTo.has('.') || exportTo.has(ns))
      merge(hostIndex(index.namespaceLocal, ns), dr, host, exportTo);
    const privateOnly =
      (exportTo.size === 0 && options.defaultExportTo === 'private') || (exportTo.size === 1 && (exportTo.has('.') || exportTo.has(ns)));
    if (!privateOnly) merge(hostIndex(index.exported, ns), dr, host, exportTo);
    else if (ns === options.rootNamespace) merge(index.rootLocal, dr, host, exportTo);
  }
  return index;
}

/** MostSpecificHostMatch: the exact host, else the longest wildcard whose suffix the host ends with. */
export function mostSpecificHost(needle: string, hosts: Iterable<string>): string | undefined {
  let best: string | undefined;
  const name = needle.startsWith('*') ? needle.slice(1) : needle;
  for (const h of hosts) {
    if (h === needle) return h;
    if (h.startsWith('*') && name.endsWith(h.slice(1)) && (best === undefined || h.length > best.length)) best = h;
  }
  return best;
}

function lookup(index: HostIndex | undefined, host: string): ConsolidatedRule[] | undefined {
  const found = index && mostSpecificHost(host, index.keys());
  return found === undefined ? undefined : index?.get(found);
}

function exportedFrom(index: RuleIndex, owner: string, host: string, client: string): ConsolidatedRule[] {
  return (lookup(index.exported.get(owner), host) ?? []).filter(
    (r) => r.exportTo.size === 0 || r.exportTo.has('*') || r.exportTo.has(client),
  );
}

/** PushContext.destinationRule: the rules a proxy in `clientNamespace` sees for `host` (a service of `serviceNamespace`). */
export function rulesFor(index: RuleIndex, clientNamespace: string, host: string, serviceNamespace?: string): ConsolidatedRule[] {
  const own =
    clientNamespace === index.rootNamespace ? lookup(index.rootLocal, host) : lookup(index.namespaceLocal.get(clientNamespace), host);
  if (own) return own;
  const fromService = serviceNamespace === undefined ? [] : exportedFrom(index, serviceNamespace, host, clientNamespace);
  return fromService.length > 0 ? fromService : exportedFrom(index, index.rootNamespace, host, clientNamespace);
}

/** SidecarScope.DestinationRule: a matching workload-selector rule of the client's namespace, else the catch-all. */
export function pickRule(
  rules: readonly ConsolidatedRule[],
  clientNamespace: string,
  clientLabels: Record<string, string>,
): ConsolidatedRule | undefined {
  let catchAll: ConsolidatedRule | undefined;
  for (const r of rules) {
    if (!r.selector) catchAll = r;
    else if (r.namespace === clientNamespace && selectorMatches(r.selector, clientLabels)) return r;
  }
  return catchAll;
}

// What TLS a DestinationRule makes clients send, per destination port, and which of its settings do it. Taken from
// istio/api networking/v1alpha3/destination_rule.proto: a subset's trafficPolicy overrides the rule's for traffic
// to that subset; `portLevelSettings` override the policy-wide `tls` for their port. Which clients a rule reaches
// (`exportTo`, precedence, `workloadSelector`) is destinationRuleSelection.ts.
import type { DestinationRule, DestinationRuleTrafficPolicy } from '../../model/state.ts';
import type { ConsolidatedRule } from './destinationRuleSelection.ts';

export interface TlsSetting {
  mode: string;
  /** Which field: `trafficPolicy.tls`, `trafficPolicy.portLevelSettings[port 8080].tls`, `subsets[v1].trafficPolicy.tls`. */
  field: string;
  /** Destination port the setting is limited to; undefined: every port. */
  port?: number;
  /** Subset the setting is limited to (pods with the subset's labels). */
  subset?: { name: string; labels: Record<string, string> };
}

function policySettings(policy: DestinationRuleTrafficPolicy | undefined, prefix: string, subset?: TlsSetting['subset']): TlsSetting[] {
  const out: TlsSetting[] = [];
  if (policy?.tls?.mode) out.push({ mode: policy.tls.mode, field: `${prefix}trafficPolicy.tls`, ...(subset ? { subset } : {}) });
  for (const s of policy?.portLevelSettings ?? []) {
    if (s.tls?.mode)
      out.push({
        mode: s.tls.mode,
        field: `${prefix}trafficPolicy.portLevelSettings[port ${s.port?.number ?? '?'}].tls`,
        ...(s.port?.number ? { port: s.port.number } : {}),
        ...(subset ? { subset } : {}),
      });
  }
  return out;
}

/** Every TLS setting in the rule, rule-wide first, then per subset. */
export function tlsSettings(dr: DestinationRule): TlsSetting[] {
  return [
    ...policySettings(dr.spec.trafficPolicy, ''),
    ...(dr.spec.subsets ?? []).flatMap((s) =>
      policySettings(s.trafficPolicy, `subsets[${s.name}].`, { name: s.name, labels: s.labels ?? {} }),
    ),
  ];
}

/** The TLS settings of a rule as istiod merged it, each with the rule it came from. */
export function consolidatedTlsSettings(rule: ConsolidatedRule): (TlsSetting & { from: DestinationRule })[] {
  const top = rule.trafficPolicy;
  return [
    ...(top ? policySettings(top.policy, '').map((t) => ({ ...t, from: top.from })) : []),
    ...rule.subsets.flatMap(({ subset: s, from }) =>
      policySettings(s.trafficPolicy, `subsets[${s.name}].`, { name: s.name, labels: s.labels ?? {} }).map((t) => ({ ...t, from })),
    ),
  ];
}

/** Client namespaces that may see the rule (exportTo; a workloadSelector keeps it in its namespace). */
export function exportedTo(dr: DestinationRule, defaultExportTo: 'private' | 'public' = 'public'): string {
  const own = dr.metadata.namespace ?? 'default';
  if (dr.spec.workloadSelector) return `${own} only (workloadSelector)`;
  const to = dr.spec.exportTo ?? [];
  if (to.length === 0) return defaultExportTo === 'private' ? `${own} only (mesh defaultDestinationRuleExportTo)` : 'every namespace';
  return to.includes('*') ? 'every namespace' : to.map((n) => (n === '.' ? own : n)).join(', ');
}

// DestinationRules that make clients send plaintext toward in-scope workloads, or ISTIO_MUTUAL toward workloads with
// nothing to terminate it. A rule counts only for the clients istiod gives it to (destinationRuleSelection.ts:
// exportTo, client → service → root namespace, most specific host, same-host merging, workloadSelector): a rule
// exported elsewhere, shadowed by a more specific or nearer one, or selecting no client is not a violation.
// Clients are the sidecar workloads of every collected namespace (ztunnel does not apply DestinationRule TLS); a
// namespace without collected workloads counts as one label-less client when its new pods get a sidecar.
// Destinations are the Services of in-scope namespaces, plus the host of each wildcard rule and of each rule naming
// an uncollected `<svc>.<ns>.svc.<domain>`: new services there get the rule too.
import type { V1Service } from '@kubernetes/client-node';
import type { Evidence, ObjectRef } from '../../model/findings.ts';
import type { ClusterState, DestinationRule } from '../../model/state.ts';
import { kubeRef } from '../evidence/objectRef.ts';
import { hostTarget } from './destinationRuleHosts.ts';
import { buildRuleIndex, pickRule, resolveHost, rulesFor, type ConsolidatedRule } from './destinationRuleSelection.ts';
import { consolidatedTlsSettings, exportedTo, type TlsSetting } from './destinationRuleTls.ts';
import { dataplaneOf, namespaceEnrollment } from './meshEnrollment.ts';
import { meshConfigValues } from './meshRootNamespace.ts';
import { meshWorkloads } from './meshWorkloads.ts';
import type { MtlsResolution, WorkloadMtls } from './resolveWorkloadMtls.ts';
import { targetPortOn } from './serviceTargetPorts.ts';

/** A problem tied to one object, counted against the namespaces it affects. */
export interface Violation {
  namespaces: string[];
  subject: ObjectRef;
  message: string;
  evidence: Evidence[];
}

interface Destination {
  host: string;
  namespace?: string;
  service?: V1Service;
  scope: string[];
}

interface Client {
  namespace: string;
  /** A workload id, or `any pod in <ns>` for a namespace without collected workloads. */
  id: string;
  labels: Record<string, string>;
}

/** One rule's TLS settings toward one destination, for the clients istiod gave it to. */
interface Use {
  destination: Destination;
  clients: string[];
  settings: TlsSetting[];
  merged: DestinationRule[];
}

export const SELECTION_RULE =
  'DestinationRule selection as istiod: client namespace, then service namespace, then root namespace (the last two: rules exported to the client only); most specific host over wildcard; same-host rules of a namespace merged oldest first; a workloadSelector rule only for the selected clients of its namespace; subset and port-level tls override the rule-wide tls';

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function destinationRuleViolations(
  state: ClusterState,
  inScope: ReadonlySet<string>,
  rootNamespace: string,
  resolution: MtlsResolution,
): Violation[] {
  const rules = state.kubernetes.istio.destinationRules;
  if (rules.length === 0) return [];
  const domain = state.kubernetes.controlPlane.kubeadm?.networking?.dnsDomain ?? 'cluster.local';
  const [meshDefault] = meshConfigValues(state, 'defaultDestinationRuleExportTo', stringList);
  const defaultExportTo = meshDefault?.value.includes('.') ? 'private' : 'public';
  const index = buildRuleIndex(rules, { rootNamespace, clusterDomain: domain, defaultExportTo });
  const uses = new Map<DestinationRule, Use[]>();
  const clients = clientsByNamespace(state);
  for (const destination of destinations(state, inScope, domain)) {
    for (const [rule, ruleClients] of chosenRules(index, clients, destination)) {
      // istiod keeps one copy of a rule per index (namespace-local, exported, root-local): the clients of each copy add up.
      for (const setting of consolidatedTlsSettings(rule)) {
        const list = uses.get(setting.from) ?? [];
        let use = list.find((u) => u.destination === destination);
        if (!use) list.push((use = { destination, clients: [], settings: [], merged: rule.from }));
        for (const c of ruleClients) if (!use.clients.includes(c)) use.clients.push(c);
        if (!use.settings.some((t) => t.field === setting.field)) use.settings.push(setting);
        uses.set(setting.from, list);
      }
    }
  }
  return [...uses].flatMap(([dr, list]) => ruleViolations(state, dr, list, resolution, defaultExportTo));
}

function destinations(state: ClusterState, inScope: ReadonlySet<string>, domain: string): Destination[] {
  const out = new Map<string, Destination>();
  for (const service of state.kubernetes.services) {
    const ns = service.metadata?.namespace ?? 'default';
    const host = `${service.metadata?.name}.${ns}.svc.${domain}`;
    if (inScope.has(ns)) out.set(host, { host, namespace: ns, service, scope: [ns] });
  }
  const known = new Set(state.kubernetes.namespaces.map((n) => n.metadata?.name ?? ''));
  for (const dr of state.kubernetes.istio.destinationRules) {
    const host = resolveHost(dr, domain);
    if (out.has(host) || !(host.startsWith('*') || host.endsWith(`.svc.${domain}`))) continue;
    const target = hostTarget(dr.spec.host, dr.metadata.namespace ?? 'default', known, domain);
    if (target.kind === 'all') out.set(host, { host, scope: [...inScope] });
    else if (target.kind === 'namespace' && inScope.has(target.namespace))
      out.set(host, { host, namespace: target.namespace, scope: [target.namespace] });
  }
  return [...out.values()];
}

function clientsByNamespace(state: ClusterState): Map<string, Client[]> {
  const nsLabels = new Map(state.kubernetes.namespaces.map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));
  const clients = new Map<string, Client[]>();
  const withWorkloads = new Set<string>();
  for (const w of meshWorkloads(state)) {
    withWorkloads.add(w.namespace);
    if (dataplaneOf(nsLabels.get(w.namespace) ?? {}, w.labels, w.annotations, w.hasSidecar).dataplane !== 'sidecar') continue;
    const list = clients.get(w.namespace);
    const client = { namespace: w.namespace, id: w.id, labels: w.labels };
    if (list) list.push(client);
    else clients.set(w.namespace, [client]);
  }
  for (const [ns, labels] of nsLabels)
    if (!withWorkloads.has(ns) && namespaceEnrollment(labels) === 'sidecar')
      clients.set(ns, [{ namespace: ns, id: `any pod in ${ns}`, labels: {} }]);
  return clients;
}

/** The rule istiod gives each client toward the destination, with the clients that get it. */
function chosenRules(
  index: ReturnType<typeof buildRuleIndex>,
  clients: Map<string, Client[]>,
  destination: Destination,
): Map<ConsolidatedRule, string[]> {
  const chosen = new Map<ConsolidatedRule, string[]>();
  for (const [ns, list] of clients) {
    const candidates = rulesFor(index, ns, destination.host, destination.namespace);
    for (const c of list) {
      const rule = pickRule(candidates, ns, c.labels);
      if (rule) chosen.set(rule, [...(chosen.get(rule) ?? []), c.id]);
    }
  }
  return chosen;
}

function ruleViolations(
  state: ClusterState,
  dr: DestinationRule,
  list: Use[],
  resolution: MtlsResolution,
  defaultExportTo: 'private' | 'public',
): Violation[] {
  const ref = kubeRef(state, 'DestinationRule', dr);
  const namespaces = [...new Set(list.flatMap((u) => u.destination.scope))];
  const hosts = [...new Set(list.map((u) => u.destination.host))].join(', ');
  const evidence: Evidence[] = [
    { type: 'rule', rule: SELECTION_RULE },
    { type: 'object', ref, detail: `host ${dr.spec.host}` },
    ...list.map(
      (u): Evidence => ({
        type: 'observation',
        what: `clients istiod gives ${dr.metadata.namespace}/${dr.metadata.name} toward ${u.destination.host}`,
        observed: summarize(u.clients),
        ...(u.merged.length > 1
          ? { detail: `merged by istiod: ${u.merged.map((m) => `${m.metadata.namespace}/${m.metadata.name}`).join(', ')}` }
          : {}),
      }),
    ),
  ];
  const base = `DestinationRule ${dr.metadata.namespace}/${dr.metadata.name} (exported to ${exportedTo(dr, defaultExportTo)})`;
  const clients = summarize([...new Set(list.flatMap((u) => u.clients))]);
  const violations: Violation[] = [];
  const disabled = list.flatMap((u) => u.settings.filter((t) => t.mode === 'DISABLE').map((t) => ({ u, t })));
  if (disabled.length > 0) {
    // Plaintext to a STRICT port is refused: the path is broken, not only unencrypted.
    const broken = new Set(
      disabled.flatMap(({ u, t }) =>
        served(u.destination, t, resolution)
          .filter(({ port }) => port.mode === 'STRICT')
          .map(({ w, port }) => `${w.workload.id} port ${port.port ?? 'any'}`),
      ),
    );
    const brokenText = broken.size > 0 ? `; broken path: ${[...broken].join(', ')} STRICT, refusing the plaintext` : '';
    const fields = [...new Set(disabled.map(({ t }) => t.field))].join(', ');
    violations.push({
      namespaces,
      subject: ref,
      evidence,
      message: `${base} turns TLS off (${fields}) toward ${hosts}, which is in scope (${namespaces.join(', ')}), for ${clients}${brokenText}.`,
    });
  }
  // ISTIO_MUTUAL toward a pod without a sidecar or ztunnel: nothing there terminates the mTLS.
  const noProxy = new Set(
    list.flatMap((u) =>
      u.settings
        .filter((t) => t.mode === 'ISTIO_MUTUAL')
        .flatMap((t) => served(u.destination, t, resolution).filter(({ port }) => port.mode === 'NONE'))
        .map(({ w }) => w.workload.id),
    ),
  );
  if (noProxy.size > 0)
    violations.push({
      namespaces,
      subject: ref,
      evidence,
      message: `${base} sends ISTIO_MUTUAL toward ${hosts} for ${clients}, but ${[...noProxy].join(', ')} has no sidecar or ztunnel to terminate it: broken path.`,
    });
  return violations;
}

function summarize(clients: readonly string[]): string {
  const shown = clients.slice(0, 5).join(', ');
  return clients.length > 5 ? `clients ${shown} and ${clients.length - 5} more` : `clients ${shown}`;
}

type Served = { w: WorkloadMtls; port: WorkloadMtls['ports'][number] };

/**
 * For one TLS setting: the in-scope workload ports behind the destination's Service (subset labels applied). A
 * port-level setting names a Service port; its targetPort is resolved on each workload (a name may map to different
 * container ports on different pods, or to none).
 */
function served(destination: Destination, t: TlsSetting, resolution: MtlsResolution): Served[] {
  const svc = destination.service;
  const selector = svc?.spec?.selector ?? {};
  if (!svc || Object.keys(selector).length === 0) return [];
  const wanted = { ...selector, ...(t.subset?.labels ?? {}) };
  const svcPort = t.port === undefined ? undefined : svc.spec?.ports?.find((p) => p.port === t.port);
  if (t.port !== undefined && !svcPort) return []; // istiod builds clusters for the Service's ports only
  return resolution.workloads
    .filter((w) => w.workload.namespace === destination.namespace && Object.entries(wanted).every(([k, v]) => w.workload.labels[k] === v))
    .flatMap((w) => {
      const target = svcPort ? targetPortOn(svcPort, w.workload) : undefined;
      if (svcPort && target === undefined) return [];
      return w.ports.filter((p) => target === undefined || p.port === target || p.port === null).map((port) => ({ w, port }));
    });
}

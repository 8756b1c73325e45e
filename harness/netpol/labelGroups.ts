// Label groups of all-pairs: pods of one namespace whose labels agree on every key a pod selector reads
// (and hostNetwork), with the policy sets isolating them and the peers they match, worked out once per group.
import type { CompiledPolicy, CompiledRule } from './compile.ts';
import type { PodEndpoint } from './endpoints.ts';
import type { NetworkPolicyEngine } from './engine.ts';
import { Interner, SelectorMemo } from './interning.ts';
import { NamespacePeers } from './namespacePeers.ts';
import type { PeerCatalogue } from './peerCatalogue.ts';
import type { Labels } from './selectors.ts';

/** What LabelGroups reads of the pods: per pod, its namespace and projected label set ids. */
export interface LabelKeys {
  readonly ns: Int32Array;
  readonly labels: Int32Array;
  readonly nsNames: readonly string[];
  readonly nsLabelSets: readonly Labels[];
  /** By projected label set id: one label set of that class. */
  readonly labelSets: readonly Labels[];
}

/**
 * Label groups (namespace × projected labels × hostNetwork) with, per group, the ids of its isolating
 * policy sets and matched peer set; the sets themselves are interned, so equal sets share one row/column.
 */
export class LabelGroups {
  readonly egressSet: number[] = [];
  readonly ingressSet: number[] = [];
  readonly peerSet: number[] = [];
  readonly peerSets: Int32Array[] = [];
  private readonly egress = new PolicySets('egress');
  private readonly ingress = new PolicySets('ingress');
  private readonly groups = new Map<number, number>();
  private readonly peerIds = new Interner();
  private readonly engine: NetworkPolicyEngine;
  private readonly keys: LabelKeys;
  private readonly podMemo: SelectorMemo;
  private readonly policySelector = new Map<CompiledPolicy, number>();
  /** Per pod peer: its pod selector's memo id, -1 for every pod. */
  private readonly peerSelector: Int32Array;
  private readonly nsPeers: NamespacePeers;

  constructor(engine: NetworkPolicyEngine, catalogue: PeerCatalogue, keys: LabelKeys) {
    this.engine = engine;
    this.keys = keys;
    this.podMemo = new SelectorMemo(keys.labelSets);
    for (const p of engine.policies) this.policySelector.set(p, this.podMemo.register(p.podSelector));
    this.peerSelector = Int32Array.from(catalogue.podPeers, (p) => (p?.podSelector ? this.podMemo.register(p.podSelector) : -1));
    this.nsPeers = new NamespacePeers(catalogue, keys.nsNames, keys.nsLabelSets);
  }

  /** Pod i's label group, created on first sight. */
  of(i: number, pod: PodEndpoint): number {
    const key = ((this.keys.labels[i] as number) * this.keys.nsNames.length + (this.keys.ns[i] as number)) * 2 + (pod.hostNetwork ? 1 : 0);
    const g = this.groups.get(key);
    if (g !== undefined) return g;
    this.groups.set(key, this.egressSet.length);
    this.create(this.keys.ns[i] as number, this.keys.labels[i] as number, pod.hostNetwork);
    return this.egressSet.length - 1;
  }

  private create(ns: number, labels: number, hostNetwork: boolean): void {
    if (hostNetwork) {
      // NetworkPolicy does not apply to it, and only ipBlock peers (added per pod) can match it.
      this.egressSet.push(HOST_NETWORK);
      this.ingressSet.push(HOST_NETWORK);
      this.peerSet.push(this.internPeers(new Int32Array(0)));
      return;
    }
    const policies = this.engine.inNamespace(this.keys.nsNames[ns] as string);
    this.egressSet.push(this.egress.id(ns, policies, this.selecting(policies, labels, 'egress')));
    this.ingressSet.push(this.ingress.id(ns, policies, this.selecting(policies, labels, 'ingress')));
    this.peerSet.push(this.internPeers(this.matchedPeers(ns, labels)));
  }

  /** Which of `policies` (by position) select the label set for `direction`. */
  private selecting(policies: readonly CompiledPolicy[], labels: number, direction: 'ingress' | 'egress'): boolean[] {
    const selected: boolean[] = [];
    for (let k = 0; k < policies.length; k++) {
      const p = policies[k] as CompiledPolicy;
      selected.push(p[direction] !== undefined && this.podMemo.matches(this.policySelector.get(p) as number, labels));
    }
    return selected;
  }

  private matchedPeers(ns: number, labels: number): Int32Array {
    const candidates = this.nsPeers.visible[ns] as Int32Array;
    const matched: number[] = [];
    for (let k = 0; k < candidates.length; k++) {
      const peer = candidates[k] as number;
      const selector = this.peerSelector[peer] as number;
      if (selector < 0 || this.podMemo.matches(selector, labels)) matched.push(peer);
    }
    return Int32Array.from(matched);
  }

  private internPeers(peers: Int32Array): number {
    const id = this.peerIds.id(peers.join(','));
    if (id === this.peerSets.length) this.peerSets.push(peers);
    return id;
  }

  /** By set id: the rules of the set's policies (undefined: not isolated, or hostNetwork). */
  get egressRules(): readonly (CompiledRule[] | undefined)[] {
    return this.egress.rules;
  }
  get ingressRules(): readonly (CompiledRule[] | undefined)[] {
    return this.ingress.rules;
  }
}

/** Set ids shared by every namespace: no policy isolates the pod, or it is on the host network. */
const NOT_ISOLATED = 0;
const HOST_NETWORK = 1;

/**
 * Sets of policies isolating a direction, by id. A set is a subset of one namespace's policies, so it is keyed
 * by (namespace, bitmask of its policies' positions): numbers, not text, for namespaces of up to 31 policies.
 * Isolated by policies without rules: an empty rule list (deny all), not undefined (open).
 */
class PolicySets {
  readonly rules: (CompiledRule[] | undefined)[] = [undefined, undefined];
  private readonly direction: 'ingress' | 'egress';
  private readonly byMask = new Map<number, number>();
  private readonly byText = new Map<string, number>();
  constructor(direction: 'ingress' | 'egress') {
    this.direction = direction;
  }

  id(ns: number, policies: readonly CompiledPolicy[], selected: readonly boolean[]): number {
    let mask = 0;
    let text = '';
    for (let k = 0; k < selected.length; k++) {
      if (!selected[k]) continue;
      if (policies.length <= 31) mask |= 1 << k;
      else text += `${k},`;
    }
    if (mask === 0 && text === '') return NOT_ISOLATED;
    const known = policies.length <= 31 ? this.byMask.get(ns * 2 ** 31 + mask) : this.byText.get(`${ns}:${text}`);
    if (known !== undefined) return known;
    const id = this.rules.length;
    if (policies.length <= 31) this.byMask.set(ns * 2 ** 31 + mask, id);
    else this.byText.set(`${ns}:${text}`, id);
    const rules: CompiledRule[] = [];
    for (let k = 0; k < selected.length; k++) if (selected[k]) rules.push(...((policies[k] as CompiledPolicy)[this.direction] ?? []));
    this.rules.push(rules);
    return id;
  }
}

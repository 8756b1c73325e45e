// Which pod peers (policy rule peers naming pods) can see each namespace, for the all-pairs label groups.
import type { PeerCatalogue } from './peerCatalogue.ts';
import type { CompiledSelector, Labels } from './selectors.ts';

/**
 * Which pod peers can see each namespace: its own podSelector-only peers, and the namespaceSelector peers
 * whose selector matches it. A selector with an `In` requirement (`team: a`) is tested only against the
 * namespaces carrying one of its values, found through an index of namespace labels, not against all.
 */
export class NamespacePeers {
  /** Per namespace id: ascending peer numbers. */
  readonly visible: Int32Array[] = [];

  constructor(catalogue: PeerCatalogue, nsNames: readonly string[], nsLabelSets: readonly Labels[]) {
    const own = new Map<string, number[]>();
    const bySelector = new Map<string, { selector: CompiledSelector; peers: number[] }>();
    for (const [id, peer] of catalogue.podPeers.entries()) {
      if (!peer) continue; // an ipBlock peer
      if (peer.namespaceSelector) {
        const entry = bySelector.get(peer.namespaceSelector.key);
        if (entry) entry.peers.push(id);
        else bySelector.set(peer.namespaceSelector.key, { selector: peer.namespaceSelector, peers: [id] });
      } else {
        const list = own.get(peer.policyNamespace as string);
        if (list) list.push(id);
        else own.set(peer.policyNamespace as string, [id]);
      }
    }
    const lists: number[][] = nsNames.map((name) => [...(own.get(name) ?? [])]);
    const index = new LabelIndex(nsLabelSets);
    for (const { selector, peers } of bySelector.values()) {
      for (const ns of index.candidates(selector)) if (selector.matches(nsLabelSets[ns] as Labels)) (lists[ns] as number[]).push(...peers);
    }
    for (const list of lists) this.visible.push(Int32Array.from(list).sort());
  }
}

/** Label sets by (key, value), for the selectors' `In` anchors. */
class LabelIndex {
  private readonly byKey = new Map<string, Map<string, number[]>>();
  private readonly all: number[];
  private readonly labelSets: readonly Labels[];
  constructor(labelSets: readonly Labels[]) {
    this.labelSets = labelSets;
    this.all = labelSets.map((_, i) => i);
  }
  /** The label sets that can match `selector`: those meeting its anchor, or all. */
  candidates(selector: CompiledSelector): readonly number[] {
    if (!selector.anchor) return this.all;
    const byValue = this.values(selector.anchor.key);
    if (selector.anchor.values.size === 1) for (const v of selector.anchor.values) return byValue.get(v) ?? [];
    const out: number[] = [];
    for (const v of selector.anchor.values) out.push(...(byValue.get(v) ?? []));
    return out;
  }
  private values(key: string): Map<string, number[]> {
    let byValue = this.byKey.get(key);
    if (!byValue) {
      this.byKey.set(key, (byValue = new Map()));
      for (const [i, labels] of this.labelSets.entries()) {
        if (!Object.hasOwn(labels, key)) continue;
        const value = labels[key] as string;
        const list = byValue.get(value);
        if (list) list.push(i);
        else byValue.set(value, [i]);
      }
    }
    return byValue;
  }
}

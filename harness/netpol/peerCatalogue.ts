// The distinct peers of every rule of every policy, numbered, for the all-pairs compression. Rules refer to
// their peers by number, so deciding whether a rule admits a group of pods is a few integer reads instead
// of selector calls. compilePolicies gives equal peers one object, so peers are told apart by identity.
import type { CompiledPeer, CompiledPolicy, CompiledRule } from './compile.ts';
import type { CompiledIpBlock } from './ipBlocks.ts';
import type { CompiledSelector } from './selectors.ts';

interface PodPeer {
  /** Absent: the policy's own namespace, `policyNamespace`. */
  readonly namespaceSelector: CompiledSelector | undefined;
  readonly policyNamespace: string | undefined;
  /** Absent: every pod of the selected namespaces. */
  readonly podSelector: CompiledSelector | undefined;
}

export interface IpPeer {
  readonly number: number;
  readonly block: CompiledIpBlock;
}

export interface PeerCatalogue {
  /** Peers are numbered 0 … count - 1, pod and ipBlock peers alike. */
  readonly count: number;
  /** By number: the pod peer, undefined where the number is an ipBlock peer's. */
  readonly podPeers: readonly (PodPeer | undefined)[];
  readonly ipPeers: readonly IpPeer[];
  /** Each rule with peers, by the numbers of its peers; rules without are absent (they admit every peer). */
  readonly ingressRulePeers: ReadonlyMap<CompiledRule, Int32Array>;
  readonly egressRulePeers: ReadonlyMap<CompiledRule, Int32Array>;
  /** Whether some rule names a port: then a destination's named ports are part of its identity. */
  readonly hasNamedPorts: boolean;
  /** The label keys any pod selector reads (policy targets and pod peers): other labels change no answer. */
  readonly podSelectorKeys: ReadonlySet<string>;
}

export function catalogPeers(policies: readonly CompiledPolicy[]): PeerCatalogue {
  // One small method per policy and rule: V8 optimises them from their own feedback (a single large loop
  // was recompiled on stack replacement, then deoptimised by the code after it).
  const catalogue = new Catalogue();
  for (const policy of policies) catalogue.addPolicy(policy);
  return catalogue;
}

class Catalogue implements PeerCatalogue {
  readonly podPeers: (PodPeer | undefined)[] = [];
  readonly ipPeers: IpPeer[] = [];
  readonly ingressRulePeers = new Map<CompiledRule, Int32Array>();
  readonly egressRulePeers = new Map<CompiledRule, Int32Array>();
  readonly podSelectorKeys = new Set<string>();
  hasNamedPorts = false;
  private readonly numbers = new Map<CompiledPeer | CompiledIpBlock, number>();

  get count(): number {
    return this.podPeers.length;
  }

  addPolicy(policy: CompiledPolicy): void {
    this.addKeys(policy.podSelector);
    if (policy.ingress) for (const rule of policy.ingress) this.addRule(rule, this.ingressRulePeers);
    if (policy.egress) for (const rule of policy.egress) this.addRule(rule, this.egressRulePeers);
  }

  private addRule(rule: CompiledRule, byRule: Map<CompiledRule, Int32Array>): void {
    if (rule.ports) for (const p of rule.ports) if (p.kind === 'named') this.hasNamedPorts = true;
    if (!rule.peers) return;
    const numbers = new Int32Array(rule.peers.length);
    for (let k = 0; k < rule.peers.length; k++) numbers[k] = this.number(rule.peers[k] as CompiledPeer);
    byRule.set(rule, numbers);
  }

  private number(peer: CompiledPeer): number {
    // ipBlock peers by their block (compiled blocks are shared), pod peers by object.
    const identity = peer.kind === 'ipBlock' ? peer.block : peer;
    let n = this.numbers.get(identity);
    if (n === undefined) {
      this.numbers.set(identity, (n = this.podPeers.length));
      if (peer.kind === 'ipBlock') {
        this.podPeers.push(undefined);
        this.ipPeers.push({ number: n, block: peer.block });
      } else {
        this.addKeys(peer.podSelector);
        this.podPeers.push({
          namespaceSelector: peer.namespaceSelector,
          policyNamespace: peer.policyNamespace,
          podSelector: peer.podSelector,
        });
      }
    }
    return n;
  }

  private addKeys(selector: CompiledSelector | undefined): void {
    if (selector) for (const k of selector.keys) this.podSelectorKeys.add(k);
  }
}

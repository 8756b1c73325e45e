// The decision tables of all-pairs, one pair per requested port, as bitsets:
//   egress[egress row]   over destination columns: the source's egress policies let traffic to that column out;
//   ingress[ingress row] over source columns: the destination's ingress policies let traffic from that column in.
// A rule's peer test depends only on a column's peers, so each rule gets one "admits" bitset over the columns
// (built through an inverted index peer → rules: a column matches few peers), and a row is the OR of the
// admits of its rules whose ports match. Named ports resolve against the destination: the row's for ingress,
// each admitted column's for egress.
import type { PortProtocol } from '../model/reachability.ts';
import { portMatches, type CompiledRule } from './compile.ts';
import type { PodEndpoint } from './endpoints.ts';
import type { PeerCatalogue } from './peerCatalogue.ts';
import type { ColumnGroup, PodGroups, RowGroup } from './podGroups.ts';

export interface DecisionTables {
  /** Per port: egressRows × destWords words. */
  readonly egress: readonly Uint32Array[];
  /** Per port: ingressRows × sourceWords words. */
  readonly ingress: readonly Uint32Array[];
  readonly destWords: number;
  readonly sourceWords: number;
}

export function decisionTables(groups: PodGroups, catalogue: PeerCatalogue, ports: readonly PortProtocol[]): DecisionTables {
  const destWords = words(groups.destColumns.length);
  const sourceWords = words(groups.sourceColumns.length);
  const egressAdmits = new Admits(groups.destColumns, catalogue.egressRulePeers, catalogue.count, destWords);
  const ingressAdmits = new Admits(groups.sourceColumns, catalogue.ingressRulePeers, catalogue.count, sourceWords);
  return {
    egress: ports.map((pp) => egressTable(groups.egressRows, groups.destColumns, egressAdmits, pp)),
    ingress: ports.map((pp) => ingressTable(groups.ingressRows, ingressAdmits, pp)),
    destWords,
    sourceWords,
  };
}

function words(bits: number): number {
  return (bits + 31) >>> 5;
}

/** Each rule's bitset of the columns whose peers it admits. */
class Admits {
  readonly words: number;
  private readonly vectors = new Map<CompiledRule, Uint32Array>();
  private readonly everyone: Uint32Array;
  private readonly nobody: Uint32Array;
  constructor(columns: readonly ColumnGroup[], rulePeers: ReadonlyMap<CompiledRule, Int32Array>, peerCount: number, words: number) {
    this.words = words;
    this.everyone = new Uint32Array(words).fill(0xffffffff);
    this.nobody = new Uint32Array(words);
    const rulesByPeer: CompiledRule[][] = Array.from({ length: peerCount }, () => []);
    for (const [rule, peers] of rulePeers) for (const p of peers) (rulesByPeer[p] as CompiledRule[]).push(rule);
    for (let c = 0; c < columns.length; c++) {
      const peers = (columns[c] as ColumnGroup).peers;
      for (let k = 0; k < peers.length; k++) {
        for (const rule of rulesByPeer[peers[k] as number] as CompiledRule[]) {
          let v = this.vectors.get(rule);
          if (!v) this.vectors.set(rule, (v = new Uint32Array(words)));
          v[c >>> 5] = (v[c >>> 5] as number) | (1 << (c & 31));
        }
      }
    }
  }
  of(rule: CompiledRule): Uint32Array {
    return rule.peers ? (this.vectors.get(rule) ?? this.nobody) : this.everyone;
  }
}

function portOk(rule: CompiledRule, pp: PortProtocol, destination: PodEndpoint | undefined): boolean {
  if (!rule.ports) return true;
  for (const p of rule.ports) if (portMatches(p, pp.port, pp.protocol, destination)) return true;
  return false;
}

function hasNamedPort(rule: CompiledRule): boolean {
  if (rule.ports) for (const p of rule.ports) if (p.kind === 'named') return true;
  return false;
}

function orInto(out: Uint32Array, base: number, bits: Uint32Array): void {
  for (let w = 0; w < bits.length; w++) out[base + w] = (out[base + w] as number) | (bits[w] as number);
}

function egressTable(rows: readonly RowGroup[], columns: readonly ColumnGroup[], admits: Admits, pp: PortProtocol): Uint32Array {
  const w = admits.words;
  const out = new Uint32Array(rows.length * w);
  // A rule belongs to one policy, which sits in the rows of many pods: its bits for this port are worked out once.
  const contribution = new Map<CompiledRule, Uint32Array | null>();
  for (let r = 0; r < rows.length; r++) {
    const rules = (rows[r] as RowGroup).rules;
    if (!rules) {
      out.fill(0xffffffff, r * w, (r + 1) * w);
      continue;
    }
    for (const rule of rules) {
      let bits = contribution.get(rule);
      if (bits === undefined) contribution.set(rule, (bits = egressBits(rule, admits.of(rule), columns, pp)));
      if (bits) orInto(out, r * w, bits);
    }
  }
  return out;
}

/** The columns an egress rule lets traffic to on this port: its admits, less the columns whose named ports miss. */
function egressBits(rule: CompiledRule, admitted: Uint32Array, columns: readonly ColumnGroup[], pp: PortProtocol): Uint32Array | null {
  // Numeric or absent ports do not depend on the destination: all or nothing.
  if (!hasNamedPort(rule)) return portOk(rule, pp, undefined) ? admitted : null;
  const bits = new Uint32Array(admitted.length);
  for (let w = 0; w < admitted.length; w++) {
    let word = admitted[w] as number;
    while (word !== 0) {
      const low = word & -word;
      const c = (w << 5) + (31 - Math.clz32(low));
      word ^= low;
      if (c < columns.length && portOk(rule, pp, (columns[c] as ColumnGroup).rep)) bits[w] = (bits[w] as number) | low;
    }
  }
  return bits;
}

function ingressTable(rows: readonly RowGroup[], admits: Admits, pp: PortProtocol): Uint32Array {
  const w = admits.words;
  const out = new Uint32Array(rows.length * w);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as RowGroup;
    if (!row.rules) {
      out.fill(0xffffffff, r * w, (r + 1) * w);
      continue;
    }
    for (const rule of row.rules) if (portOk(rule, pp, row.rep)) orInto(out, r * w, admits.of(rule));
  }
  return out;
}

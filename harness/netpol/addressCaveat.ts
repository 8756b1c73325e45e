// A workload read from a template has no address yet. An ipBlock rule whose range holds part of the pod range (or
// any ipBlock, when no pod range is given) may or may not admit it, depending on the address its pods get: the
// verdict says so and names the rule, never a silent allow or deny. A block holding the whole pod range (or none of
// it) decides the same for every address, so the stand-in address in the pod range answers it exactly.
import type { CompiledPolicy } from './compile.ts';
import type { PodEndpoint } from './endpoints.ts';
import type { Direction, NetworkPolicyEngine } from './engine.ts';
import type { AddressRange } from './ipBlocks.ts';

export function addressCaveat(
  engine: NetworkPolicyEngine,
  from: PodEndpoint,
  to: PodEndpoint,
  ranges: readonly AddressRange[],
): string | undefined {
  const rules = [
    ...(from.addressKnown ? [] : undecided(engine.selecting(to, 'ingress'), 'ingress', ranges)),
    ...(to.addressKnown ? [] : undecided(engine.selecting(from, 'egress'), 'egress', ranges)),
  ];
  if (rules.length === 0) return undefined;
  const where =
    ranges.length > 0
      ? `part of the pod range ${ranges.map((r) => r.text).join(', ')}`
      : 'pod addresses (no pod range given: set spec.cidrs.pods or --pod-cidr)';
  return `depends on the pods' addresses: ${rules.join('; ')} admits ${where}`;
}

function undecided(policies: readonly CompiledPolicy[], direction: Direction, ranges: readonly AddressRange[]): string[] {
  const out: string[] = [];
  for (const p of policies) {
    for (const rule of p[direction] ?? []) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind !== 'ipBlock') continue;
        const open = ranges.length === 0 || ranges.some((r) => peer.block.covers(r) === 'some');
        if (open) out.push(`${p.id} ${direction} rule ${rule.index} (ipBlock ${peer.block.key})`);
      }
    }
  }
  return out;
}

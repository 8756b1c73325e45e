// The compact form of a reachability query: pods that get the same verdict in every pair, as source and as
// destination (same all-pairs classes, same asked ports, same side of the query), form one class; a rule per
// (source class, destination class, port) then stands for all its member pairs. Expanding the rules gives the
// pairwise listing back, reasons included (with class ids in place of pod ids).
import type { Protocol } from '../model/reachability.ts';
import type { PodEndpoint } from './endpoints.ts';
import type { ReachabilityQuery } from './reachabilityQuery.ts';

interface VerdictClass {
  id: string;
  members: string[];
}

interface ClassRule {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  allowed: boolean;
  reason: string;
}

interface Built extends VerdictClass {
  rep: number;
  isFrom: boolean;
  isTo: boolean;
}

export function verdictClasses(q: ReachabilityQuery): { classes: VerdictClass[]; rules: () => Generator<ClassRule> } {
  const { pairs } = q;
  const fromSet = new Set(q.from);
  const toSet = new Set(q.to);
  const byKey = new Map<string, Built>();
  const built: Built[] = [];
  for (let i = 0; i < pairs.pods.length; i++) {
    const isFrom = fromSet.has(i);
    const isTo = toSet.has(i);
    const key = `${pairs.sourceClassOf[i]}|${pairs.destinationClassOf[i]}|${(q.portsOf[i] as number[]).join('.')}|${isFrom}|${isTo}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { id: `c${built.length + 1}`, members: [], rep: i, isFrom, isTo }));
    if (c.members.length === 0) built.push(c);
    c.members.push((pairs.pods[i] as PodEndpoint).id);
  }
  const classes = built.map(({ id, members }) => ({ id, members }));
  function* rules(): Generator<ClassRule> {
    const sources = built.filter((c) => c.isFrom);
    const destinations = built.filter((c) => c.isTo);
    for (const a of sources) {
      const from = { ...(pairs.pods[a.rep] as PodEndpoint), id: a.id };
      for (const b of destinations) {
        const to = { ...(pairs.pods[b.rep] as PodEndpoint), id: b.id };
        for (const pi of q.portsOf[b.rep] as number[]) {
          const { port, protocol } = pairs.ports[pi] as { port: number; protocol: Protocol };
          const allowed = pairs.allowed(a.rep, b.rep, pi);
          yield { from: a.id, to: b.id, port, protocol, allowed, reason: q.engine.evaluate(from, to, port, protocol).reason };
        }
      }
    }
  }
  return { classes, rules };
}

// Picks TCP ports nothing listens on, from a node's /proc/net/tcp{,6} (the node has no `ss`), so the throwaway
// etcd of the restore drill never collides with the real member (and stays clear of the NodePort range). Pure.

/** Ports in LISTEN state (st 0A) in /proc/net/tcp or tcp6 text. */
export function listeningPorts(procNetTcp: string): Set<number> {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (cols[3] !== '0A' || !local?.includes(':')) continue;
    ports.add(Number.parseInt(local.split(':').at(-1) ?? '', 16));
  }
  return ports;
}

/** `count` free ports from [from, to], skipping listened ones; deterministic for a given input. */
export function pickFreePorts(listening: ReadonlySet<number>, count: number, from = 42_379, to = 42_999): number[] {
  const out: number[] = [];
  for (let p = from; p <= to && out.length < count; p++) if (!listening.has(p)) out.push(p);
  if (out.length < count) throw new Error(`no ${count} free TCP ports in ${from}-${to}`);
  return out;
}

// Samples GET /readyz through the API endpoint (the load balancer) at a fixed rate with a fresh TLS connection
// each time, so a dead backend shows up instead of hiding behind a kept-alive connection to a healthy one.
import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface Sample {
  at: number; // ms since the sampler started
  ok: boolean;
  detail: string;
}

export interface SamplerReport {
  samples: Sample[];
  /** Longest time between two successful answers (or from start / to end), in seconds. */
  longestGapSeconds: number;
  failures: number;
}

function tlsOptions(kc: KubeConfig): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  const b64 = (s: string | undefined): Buffer | undefined => (s ? Buffer.from(s, 'base64') : undefined);
  const out: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  const ca = b64(cluster?.caData);
  const cert = b64(user?.certData);
  const key = b64(user?.keyData);
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  return out;
}

function readyz(server: string, tls: ReturnType<typeof tlsOptions>, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = request(`${server}/readyz`, { ...tls, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ ok: res.statusCode === 200, detail: `${res.statusCode} ${body.slice(0, 80).trim()}` }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ok: false, detail: e.message }));
    req.end();
  });
}

/** Samples every periodMs until `until` resolves or maxSeconds pass, whichever is first. */
export async function sampleReadyz(kc: KubeConfig, opts: { periodMs: number; maxSeconds: number; until: Promise<unknown> }): Promise<SamplerReport> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const tls = tlsOptions(kc);
  const start = performance.now();
  let done = false;
  void opts.until.finally(() => (done = true));
  const samples: Sample[] = [];
  while (!done && performance.now() - start < opts.maxSeconds * 1000) {
    const tick = performance.now();
    const r = await readyz(server, tls, opts.periodMs * 5);
    samples.push({ at: tick - start, ...r });
    const wait = opts.periodMs - (performance.now() - tick);
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  const end = performance.now() - start;
  let last = 0;
  let gap = 0;
  for (const s of samples) {
    if (!s.ok) continue;
    gap = Math.max(gap, s.at - last);
    last = s.at;
  }
  gap = Math.max(gap, end - last);
  return { samples, longestGapSeconds: gap / 1000, failures: samples.filter((s) => !s.ok).length };
}

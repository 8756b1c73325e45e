// Samples GET /readyz through the kubeconfig's endpoint (kind: the HA load balancer) at a fixed rate, with a fresh
// TLS connection each time so a dead backend shows up instead of hiding behind a kept-alive connection to a healthy
// one. Bounded: stops when `until` settles or after maxSeconds, whichever is first. The product version of the
// sampler helper-8 wrote for the live tests (test/live/support/readyzSampler.ts).
import { request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { longestGap, type AvailabilitySample, type GapReport } from './availabilityGaps.ts';

export interface SamplerRun extends GapReport {
  trace: AvailabilitySample[];
  durationMs: number;
}

async function readyzOnce(kc: KubeConfig, server: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  const options: RequestOptions = { method: 'GET', timeout: timeoutMs };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve) => {
    const req = request(`${server.replace(/\/+$/, '')}/readyz`, { ...options, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ ok: res.statusCode === 200, detail: `${res.statusCode ?? 0} ${body.slice(0, 60).trim()}` }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ ok: false, detail: e.message }));
    req.end();
  });
}

export async function sampleReadyz(
  kc: KubeConfig,
  opts: { periodMs: number; maxSeconds: number; until: Promise<unknown>; signal?: AbortSignal },
): Promise<SamplerRun> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const start = performance.now();
  let done = false;
  void opts.until.finally(() => (done = true)).catch(() => undefined);
  const trace: AvailabilitySample[] = [];
  while (!done && !opts.signal?.aborted && performance.now() - start < opts.maxSeconds * 1000) {
    const tick = performance.now();
    const r = await readyzOnce(kc, server, Math.max(opts.periodMs * 5, 500));
    trace.push({ at: tick - start, ...r });
    const wait = opts.periodMs - (performance.now() - tick);
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  const durationMs = performance.now() - start;
  return { ...longestGap(trace, durationMs), trace, durationMs };
}

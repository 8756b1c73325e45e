// The API client honours Retry-After the way client-go does. A real HTTP server stands in for an apiserver
// whose watch cache is rebuilding after a restart: it answers 429 "storage is (re)initializing" with
// Retry-After before it answers for real (the live tier met exactly this right after the HA drill).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, test } from 'vitest';
import { apiClient as rawApiClient } from '../../harness/collect/live/apiGet.ts';
import { makeApiClient, MAX_RETRIES, retryAfterSeconds } from '../../harness/kubernetes/apiClient.ts';

const servers: Server[] = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r())))));

const reinitializing = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: 'storage is (re)initializing',
  reason: 'TooManyRequests',
  code: 429,
});
const namespaces = JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'default' } }] });

/** Serves `busy` 429s (with or without Retry-After), then the namespace list; counts requests. */
async function apiserver(busy: number, retryAfter: string | undefined): Promise<{ kc: KubeConfig; requests: () => number }> {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    if (n <= busy) {
      res.writeHead(429, { 'content-type': 'application/json', ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) });
      res.end(reinitializing);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(namespaces);
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { kc, requests: () => n };
}

describe('API client: Retry-After', () => {
  test('429 with Retry-After is asked again after the delay, and the caller sees only the answer', async () => {
    const { kc, requests } = await apiserver(2, '0');
    const list = await makeApiClient(kc, CoreV1Api).listNamespace();
    expect(list.items.map((ns) => ns.metadata?.name)).toEqual(['default']);
    expect(requests()).toBe(3);
  });

  test('429 without Retry-After reaches the caller at once (nothing says when to come back)', async () => {
    const { kc, requests } = await apiserver(1, undefined);
    await expect(makeApiClient(kc, CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 429 });
    expect(requests()).toBe(1);
  });

  test(`a server that never recovers gets ${MAX_RETRIES} retries, then its 429 is the caller's error`, async () => {
    const { kc, requests } = await apiserver(1000, '0');
    await expect(makeApiClient(kc, CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 429 });
    expect(requests()).toBe(MAX_RETRIES + 1);
  });

  test("the live collector's raw GETs follow the same rule", async () => {
    const { kc, requests } = await apiserver(2, '0');
    const list = (await rawApiClient(kc, 5000).get('/api/v1/namespaces')) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((ns) => ns.metadata.name)).toEqual(['default']);
    expect(requests()).toBe(3);
    const busy = await apiserver(1, undefined);
    await expect(rawApiClient(busy.kc, 5000).get('/api/v1/namespaces')).rejects.toMatchObject({ status: 429 });
    expect(busy.requests()).toBe(1);
  });

  test('which responses are retried: 429 and 5xx with a delay in seconds; the delay is capped', () => {
    expect(retryAfterSeconds(429, '1')).toBe(1);
    expect(retryAfterSeconds(503, '2')).toBe(2);
    expect(retryAfterSeconds(429, '3600')).toBe(5);
    expect(retryAfterSeconds(404, '1')).toBeUndefined();
    expect(retryAfterSeconds(409, '1')).toBeUndefined();
    expect(retryAfterSeconds(429, undefined)).toBeUndefined();
    expect(retryAfterSeconds(429, 'Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
  });
});

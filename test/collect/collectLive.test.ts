// The live collector's own logic, without a cluster: paging, apiVersion/kind restored on list items, managedFields
// stripped, secrets redacted, CRD groups that are not installed, and unreachable servers.
// The API server here is a FAKE on loopback that serves the objects of the kubectl fixture as list responses;
// the assertion is that the live path builds the same state as the files path from those same objects
// (the real-cluster comparison is test/live/collector.test.ts).
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectLive } from '../../harness/collect/live/collectLive.ts';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { BUILT_IN } from '../../harness/collect/live/resources.ts';
import { InputError, RunError } from '../../harness/errors.ts';

const FIXTURE = 'fixtures/collect/kubectl/all-namespaces.yaml';
type Item = { apiVersion: string; kind: string; [k: string]: unknown };

async function kubeconfig(server: string, context = 'fake'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cp-kc-'));
  const path = join(dir, 'config');
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${context}`,
      // client-node only speaks plain HTTP (our fake) when TLS verification is explicitly off.
      'clusters:',
      '- name: c',
      '  cluster:',
      `    server: ${server}`,
      ...(server.startsWith('http:') ? ['    insecure-skip-tls-verify: true'] : []),
      'contexts:',
      `- name: ${context}`,
      '  context:',
      '    cluster: c',
      '    user: u',
      'users:',
      '- name: u',
      '  user:',
      '    token: PLANTED-COLLECTOR-TOKEN',
    ].join('\n'),
  );
  return path;
}

describe('collectLive against a fake API server on loopback', () => {
  let server: Server;
  let url = '';
  const requests: string[] = [];
  const authorization: (string | undefined)[] = [];

  beforeAll(async () => {
    const items = (parse(await readFile(FIXTURE, 'utf8'), { version: '1.1' }) as { items: Item[] }).items;
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      authorization.push(req.headers.authorization);
      const u = new URL(req.url ?? '/', 'http://x');
      const resource = BUILT_IN.find((r) => r.path === u.pathname);
      if (!resource) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ kind: 'Status', message: 'the server could not find the requested resource' }));
        return;
      }
      // Like the API server: list items carry no apiVersion/kind, objects carry managedFields, pages of 2.
      const all = items
        .filter((i) => i.kind === resource.kind)
        .map(({ apiVersion: _a, kind: _k, ...rest }) => ({
          ...rest,
          metadata: { ...(rest.metadata as object), managedFields: [{ manager: 'kubectl', operation: 'Apply' }] },
        }));
      const start = Number(u.searchParams.get('continue') ?? '0');
      const page = all.slice(start, start + 2);
      const more = start + 2 < all.length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          apiVersion: resource.apiVersion,
          kind: `${resource.kind}List`,
          metadata: { resourceVersion: '1', ...(more ? { continue: String(start + 2) } : {}) },
          items: page,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('gives the same Kubernetes state as the files loader on the same objects', async () => {
    const live = await collectLive({ kubeconfig: await kubeconfig(url) });
    const files = await loadStateFromPaths([FIXTURE]);
    const { kubeconfig: kc, ...liveKubernetes } = live.kubernetes;
    const { apiServers: liveApi, ...liveCp } = liveKubernetes.controlPlane;
    const { apiServers: filesApi, ...filesCp } = files.kubernetes.controlPlane;
    expect({ ...liveKubernetes, controlPlane: liveCp }).toEqual({ ...files.kubernetes, controlPlane: filesCp });
    expect(liveApi.map(({ source: _s, ...a }) => a)).toEqual(filesApi.map(({ source: _s, ...a }) => a));
    expect(Object.keys(live.origins).sort()).toEqual(Object.keys(files.origins).sort());
    expect(kc).toEqual({ server: url, context: 'fake', file: expect.stringContaining('config') as unknown });
    expect(live.source).toMatchObject({ type: 'live', server: url, context: 'fake' });
    expect(JSON.stringify(live)).not.toMatch(/PLANTED/);
    expect(requests.some((r) => r.includes('continue='))).toBe(true); // paged
    expect(authorization.every((a) => a === 'Bearer PLANTED-COLLECTOR-TOKEN')).toBe(true);
  });

  test('a context that does not exist is an InputError listing the ones that do', async () => {
    const error = await collectLive({ kubeconfig: await kubeconfig(url), context: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('context "nope" not found (have: fake)');
  });
});

test('an unreachable API server is a RunError naming the server URL, with a fix', async () => {
  const dead = 'https://127.0.0.1:9'; // discard port: nothing listens
  const error = await collectLive({ kubeconfig: await kubeconfig(dead), timeoutMs: 5000 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RunError);
  expect((error as RunError).message).toContain(`cannot reach the Kubernetes API server at ${dead}`);
  expect((error as RunError).fix).toContain('--kubeconfig/--context');
});

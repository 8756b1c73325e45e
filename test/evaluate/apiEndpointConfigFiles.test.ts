// kind and kubeadm configuration files say where the API server listens before any cluster exists: read, not ignored.
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { evaluateApiEndpointPrivate } from '../../harness/evaluate/apiEndpointPrivate.ts';
import { control, spec } from './stateBuilder.ts';

const DIR = 'fixtures/collect/endpoint-configs';
const judge = async (file: string) => {
  const state = await loadStateFromPaths([`${DIR}/${file}`]);
  return evaluateApiEndpointPrivate({
    state,
    spec: spec({ apiEndpoint: { exposure: 'private' } }),
    control: control('api-endpoint-private'),
  });
};

describe('api-endpoint-private from configuration files', () => {
  test('kind without apiServerAddress binds 127.0.0.1: private', async () => {
    const findings = await judge('kind-default.yaml');
    expect(findings.map((f) => f.result)).toEqual(['pass']);
    expect(JSON.stringify(findings[0]?.evidence)).toContain('kind networking.apiServerAddress 127.0.0.1 (unset: kind binds loopback)');
  });

  test('kind publishing the API on a public address: fail, naming the field and the file', async () => {
    const [f] = await judge('kind-exposed.yaml');
    expect(f?.result).toBe('fail');
    expect(f?.message).toContain('kind networking.apiServerAddress 203.0.113.10 port 6443');
    expect(f?.subject).toMatchObject({ kind: 'Cluster', source: { file: `${DIR}/kind-exposed.yaml`, line: 2 } });
  });

  test('kubeadm InitConfiguration advertising a public address: fail; a private one: pass', async () => {
    expect((await judge('kubeadm-init-public.yaml'))[0]?.result).toBe('fail');
    expect((await judge('kubeadm-init-private.yaml')).map((f) => f.result)).toEqual(['pass']);
  });
});

// Rendering what a repository holds, with the real kustomize and helm binaries (scripts/setup-tools.sh builds the
// pinned versions): the shop as a kustomize base with staging/production overlays, and as a Helm chart.
// Expected results are read off the fixtures: production adds frontend-allow-all (`ingress: [{}]`), staging does
// not; the chart's default values render no NetworkPolicy and PERMISSIVE mTLS, values-strict.yaml both.
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RunError } from '../../harness/errors.ts';
import { loadStateFromPaths, type LoadOptions } from '../../harness/collect/files/loadFiles.ts';
import { findRenderTool } from '../../harness/collect/render/renderTools.ts';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';
import { locateFindings } from '../../harness/findings/locate.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { loadSpec } from '../../harness/spec/load.ts';
import { control } from '../evaluate/stateBuilder.ts';

const KUSTOMIZE = 'fixtures/repos/shop-kustomize';
const CHART = 'fixtures/repos/shop-chart';
const SHOP = { defaultNamespaces: ['shop'] } satisfies LoadOptions;

async function judge(state: ClusterState, specFile: string): Promise<{ defaultDeny: Finding[]; mtls: Finding[] }> {
  const { spec } = await loadSpec(specFile);
  return {
    // Located as scan locates them: evidence refs get the file their object was read from.
    defaultDeny: locateFindings(evaluateDefaultDeny({ state, spec, control: control('netpol-default-deny') }), state.origins),
    mtls: spec.spec.mtls ? locateFindings(evaluateMtlsStrict({ state, spec, control: control('mtls-strict') }), state.origins) : [],
  };
}

describe('kustomize overlays', () => {
  test('production re-opens frontend to every peer: default-deny fails naming frontend-allow-all in the overlay file', async () => {
    const dir = `${KUSTOMIZE}/overlays/production`;
    const state = await loadStateFromPaths([dir]);
    const { defaultDeny } = await judge(state, `${dir}/clusterproof.yaml`);
    expect(defaultDeny.map((f) => f.result)).toEqual(['fail']);
    const rule = defaultDeny[0]?.evidence.find((e) => e.type === 'rule');
    expect(rule).toMatchObject({
      rule: 'shop/frontend-allow-all ingress rule 0',
      ref: { source: { file: `${dir}/frontend-public.yaml` } },
    });
    // The base's objects point at the base's files, with no made-up line.
    expect(state.origins['NetworkPolicy/shop/deny-all']).toEqual({ file: `${KUSTOMIZE}/base/network-policies.yaml` });
    expect(state.origins['Deployment/shop/frontend']).toEqual({ file: `${KUSTOMIZE}/base/frontend.yaml` });
    // The overlay's replicas and label are applied; kustomize's origin annotation is gone.
    const frontend = state.kubernetes.deployments.find((d) => d.metadata?.name === 'frontend');
    expect(frontend?.spec?.replicas).toBe(3);
    expect(frontend?.metadata?.labels?.environment).toBe('production');
    expect(frontend?.metadata?.annotations).toBeUndefined();
    expect(state.source.rendered).toEqual([{ tool: 'kustomize', path: dir, version: 'v5.8.3', objects: 33 }]);
    expect(state.source.inputs).toEqual([]);
  });

  test('staging keeps only the allow-lists: default-deny passes', async () => {
    const dir = `${KUSTOMIZE}/overlays/staging`;
    const state = await loadStateFromPaths([dir]);
    const { defaultDeny } = await judge(state, `${dir}/clusterproof.yaml`);
    expect(defaultDeny.map((f) => f.result)).toEqual(['pass']);
    expect(state.kubernetes.networkPolicies.map((p) => p.metadata?.name)).not.toContain('frontend-allow-all');
    expect(state.kubernetes.deployments).toHaveLength(10);
  });

  test('a broken kustomization is one problem naming the directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-render-'));
    await writeFile(join(dir, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
    await expect(loadStateFromPaths([dir])).rejects.toThrow(new RegExp(`^${dir}: kustomize build failed: .*missing\\.yaml`));
  });
});

describe('helm chart', () => {
  test('default values: no NetworkPolicy and PERMISSIVE mTLS, both fail; objects point at their templates', async () => {
    const state = await loadStateFromPaths([CHART], SHOP);
    const { defaultDeny, mtls } = await judge(state, `${CHART}/clusterproof.yaml`);
    expect(defaultDeny.map((f) => f.result)).toEqual(['fail']);
    expect(mtls.map((f) => f.result)).toContain('fail');
    expect(state.kubernetes.networkPolicies).toEqual([]);
    expect(state.origins['PeerAuthentication/shop/default']).toEqual({ file: `${CHART}/templates/peerauthentication.yaml` });
    expect(state.origins['Deployment/shop/cart']).toEqual({ file: `${CHART}/templates/deployments.yaml` });
    // values.yaml, Chart.yaml and the templates are not read as raw files.
    expect(state.source.inputs).toEqual([]);
    expect(state.warnings).toEqual([]);
    expect(state.source.rendered).toEqual([
      {
        tool: 'helm',
        path: CHART,
        version: 'v3.22.1',
        objects: 22,
        options: { releaseName: 'release-name', namespace: 'shop', kubeVersion: 'v1.34.4', values: [], set: [] },
      },
    ]);
  });

  test('values-strict.yaml: deny-all plus allow-lists and STRICT mTLS, both pass', async () => {
    const state = await loadStateFromPaths([CHART], { ...SHOP, render: { values: [`${CHART}/values-strict.yaml`] } });
    const { defaultDeny, mtls } = await judge(state, `${CHART}/clusterproof.yaml`);
    expect(defaultDeny.map((f) => f.result)).toEqual(['pass']);
    expect(mtls.map((f) => f.result)).toEqual(['pass']);
    expect(state.origins['NetworkPolicy/shop/deny-all']).toEqual({ file: `${CHART}/templates/networkpolicies.yaml` });
  });

  test('--set reaches the chart and is recorded without its value', async () => {
    const state = await loadStateFromPaths([CHART], { ...SHOP, render: { set: ['mtls.mode=STRICT'], releaseName: 'shop' } });
    expect(state.kubernetes.istio.peerAuthentications[0]?.spec.mtls?.mode).toBe('STRICT');
    expect(state.source.rendered?.[0]?.options).toMatchObject({ releaseName: 'shop', set: ['mtls.mode=(redacted)'] });
  });

  test("the chart's kubeVersion is checked against --kube-version", async () => {
    const chart = await chartDir('>=1.30.0-0');
    const ok = await loadStateFromPaths([chart]);
    expect(ok.kubernetes.configMaps.map((c) => c.metadata?.name)).toEqual(['settings']);
    await expect(loadStateFromPaths([chart], { render: { kubeVersion: 'v1.29.0' } })).rejects.toThrow(
      /helm template failed: .*kubeVersion.*\n\s+fix: .*--kube-version/,
    );
  });

  test('a missing values file is one problem naming it', async () => {
    await expect(loadStateFromPaths([CHART], { render: { values: ['nope.yaml'] } })).rejects.toThrow(
      /^nope\.yaml: values file not found \(--values\)/,
    );
  });
});

describe('finding the tools', () => {
  test('a missing binary is a RunError naming the install step', () => {
    let error: unknown;
    try {
      findRenderTool('helm', { CLUSTERPROOF_HELM: '/nonexistent/helm', PATH: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).fix).toContain('bash scripts/setup-tools.sh');
  });

  test('CLUSTERPROOF_KUSTOMIZE overrides the cache', () => {
    const pinned = findRenderTool('kustomize', {});
    expect(findRenderTool('kustomize', { CLUSTERPROOF_KUSTOMIZE: pinned.path }).path).toBe(pinned.path);
  });
});

/** A real-world-shaped chart whose Chart.yaml declares kubeVersion, with one ConfigMap. */
async function chartDir(kubeVersion: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cp-chart-'));
  await mkdir(join(dir, 'templates'));
  await writeFile(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: settings\nversion: 1.0.0\nkubeVersion: "${kubeVersion}"\n`);
  await writeFile(
    join(dir, 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n',
  );
  return dir;
}

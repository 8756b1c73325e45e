// The shipped control catalogue: the fixed ids evaluators are keyed by, complete entries, references that resolve
// to a declared framework, and a loader that rejects a broken catalogue with positions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlById, frameworkById, loadControls, loadFrameworks, readCatalogue } from '../../harness/controls/load.ts';
import { problemsOf, where } from '../spec/problems.ts';

const FIXED_IDS = [
  'api-endpoint-private',
  'cidr-non-overlapping',
  'netpol-default-deny',
  'mtls-strict',
  'iam-pod-isolation',
  'iam-node-role-inheritance',
  'ha-control-plane',
  'etcd-backup',
  'teardown-clean',
  'canary-auto-rollback',
];

describe('control catalogue', () => {
  it('holds exactly the fixed control ids, with their areas and layers', () => {
    expect(loadControls().map((c) => c.id)).toEqual(FIXED_IDS);
    const summary = Object.fromEntries(loadControls().map((c) => [c.id, `${c.area}: ${c.layers.join(',')}`]));
    expect(summary).toEqual({
      'api-endpoint-private': 'infra: plan,config,probe',
      'cidr-non-overlapping': 'infra: plan,config',
      'netpol-default-deny': 'network: config,probe',
      'mtls-strict': 'network: config,probe',
      'iam-pod-isolation': 'security: plan,config,probe',
      'iam-node-role-inheritance': 'security: plan,config,probe',
      'ha-control-plane': 'infra: config,chaos',
      'etcd-backup': 'infra: config,chaos',
      'teardown-clean': 'infra: plan,config,teardown',
      'canary-auto-rollback': 'chaos: config,chaos',
    });
  });

  it('gives every control a rationale of 2-4 sentences, a remediation and a seed reference', () => {
    for (const control of loadControls()) {
      const sentences = control.rationale.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences, control.id).toBeGreaterThanOrEqual(2);
      expect(sentences, control.id).toBeLessThanOrEqual(4);
      expect(control.remediation.length, control.id).toBeGreaterThan(40);
      expect(
        control.references.some((r) => r.framework === 'seed'),
        control.id,
      ).toBe(true);
    }
  });

  it('cites the CIS and NSA/CISA items checked against the published benchmarks', () => {
    const refs = (id: string) => controlById(id)?.references.map((r) => `${r.framework} ${r.id}`);
    expect(refs('netpol-default-deny')).toEqual(expect.arrayContaining(['cis-kubernetes-1.10 5.3.2', 'cis-eks-1.7 4.3.2']));
    expect(refs('api-endpoint-private')).toEqual(expect.arrayContaining(['cis-eks-1.7 5.4.1', 'cis-eks-1.7 5.4.2']));
    expect(refs('iam-pod-isolation')).toContain('cis-eks-1.7 5.2.1');
    expect(refs('iam-node-role-inheritance')).toContain(
      'nsa-cisa-1.2 network-separation-and-hardening/protecting-sensitive-cloud-infrastructure',
    );
    expect(refs('iam-node-role-inheritance')).toContain('seed no-node-role-inheritance');
  });

  it('declares the four frameworks, and every reference resolves to one', () => {
    expect(loadFrameworks().map((f) => f.id)).toEqual(['cis-kubernetes-1.10', 'cis-eks-1.7', 'nsa-cisa-1.2', 'seed']);
    expect(frameworkById('nsa-cisa-1.2')).toMatchObject({ version: '1.2', published: '2022-08-29' });
    for (const control of loadControls())
      for (const ref of control.references) expect(frameworkById(ref.framework), `${control.id} → ${ref.framework}`).toBeDefined();
  });

  it('returns undefined for an unknown id', () => {
    expect(controlById('no-such-control')).toBeUndefined();
  });
});

describe('readCatalogue on a broken copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterproof-catalogue-'));
  const frameworks = join(dir, 'frameworks.yaml');
  writeFileSync(frameworks, readFileSync('harness/controls/frameworks.yaml', 'utf8'));

  it('reports schema problems, duplicate ids and unknown frameworks with positions', async () => {
    const controls = join(dir, 'controls.yaml');
    writeFileSync(
      controls,
      [
        'controls:',
        '  - id: a-control',
        '    title: A',
        '    area: infra',
        '    rationale: Why. Really.',
        '    severity: urgent',
        '    layers: [config]',
        '    references: [{ framework: cis-k8s, id: "1.1" }]',
        '    remediation: Do it.',
        '',
      ].join('\n'),
    );
    const problems = await problemsOf(() => readCatalogue({ controls, frameworks }));
    expect(where(problems)).toEqual(['6:15 /controls/0/severity']);
    expect(problems[0]?.message).toBe('expected one of critical, high, medium, low; got "urgent"');

    writeFileSync(
      controls,
      readFileSync(controls, 'utf8').replace('urgent', 'high') +
        readFileSync(controls, 'utf8').replace('controls:\n', '').replace('urgent', 'low'),
    );
    const semantic = await problemsOf(() => readCatalogue({ controls, frameworks }));
    expect(where(semantic)).toEqual([
      '8:31 /controls/0/references/0/framework',
      '10:9 /controls/1/id',
      '16:31 /controls/1/references/0/framework',
    ]);
    expect(semantic[1]?.message).toBe('duplicate control id "a-control" (first at /controls/0)');
    expect(semantic[0]?.fix).toContain('cis-kubernetes-1.10');
  });
});

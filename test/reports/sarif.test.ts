import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { buildSarif } from '../../reports/sarif.ts';
import { hostileReport } from './hostile.ts';
import { sampleReport } from './sampleReport.ts';
import { validateSarifJson } from './validators.ts';

describe('SARIF writer', () => {
  const log = buildSarif(redactReport(sampleReport()), { cwd: '/repo' });
  const run = log.runs[0];
  if (!run) throw new Error('no run');
  const results = run.results ?? [];

  it('validates against the official SARIF 2.1.0 schema', () => {
    const ok = validateSarifJson(JSON.parse(JSON.stringify(log)));
    expect(validateSarifJson.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('declares every control as a rule with framework tags, help and a severity-derived level', () => {
    const rules = run.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toContain('default-deny');
    const dd = rules.find((r) => r.id === 'default-deny');
    expect(dd?.properties?.tags).toEqual(expect.arrayContaining(['cis-kubernetes-1.10:5.3.2', 'nsa-cisa-1.2:network-policies']));
    expect(dd?.defaultConfiguration?.level).toBe('error');
    expect(dd?.help?.text).toMatch(/NetworkPolicy with an empty podSelector/);
    expect(rules.find((r) => r.id === 'etcd-backup')?.defaultConfiguration?.level).toBe('warning');
  });

  it('makes every failing or waived finding a result, at its file:line when known, with the object as a logical location', () => {
    // Passes, not-applicable and the pod-iam-isolation error are not results; cidr-non-overlap and etcd-backup
    // have no file and no subject, and are results all the same.
    expect(results.map((r) => r.ruleId)).toEqual([
      'api-endpoint-private',
      'cidr-non-overlap',
      'etcd-backup',
      'default-deny',
      'mtls-strict',
    ]);
    const dd = results.find((r) => r.ruleId === 'default-deny');
    expect(dd?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'fixtures/examples/non-compliant/k8s/payments.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 31, startColumn: 1 },
        },
        logicalLocations: [{ name: 'payments', fullyQualifiedName: 'Namespace/payments', kind: 'Namespace' }],
      },
    ]);
    expect(dd?.level).toBe('error');
    expect(dd?.message.text).toContain('policyTypes: expected ["Ingress","Egress"]');
    expect(results.find((r) => r.ruleId === 'etcd-backup')?.locations).toBeUndefined();
    expect(run.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe('file:///repo/');
  });

  it('reports a check that could not run as a tool execution notification and an unsuccessful execution', () => {
    const invocation = run.invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'error', associatedRule: { id: 'pod-iam-isolation', index: expect.any(Number) as number } }),
    ]);
    expect(invocation?.toolExecutionNotifications?.[0]?.message.text).toMatch(
      /^Could not check pod-iam-isolation, config layer: Role payments-app/,
    );
    const allChecked = sampleReport();
    allChecked.findings = allChecked.findings.filter((f) => f.result !== 'error');
    expect(buildSarif(redactReport(allChecked), { cwd: '/repo' }).runs[0]?.invocations?.[0]?.executionSuccessful).toBe(true);
  });

  it('gives each result a fingerprint that ignores line numbers and measured values but not the subject', () => {
    const fingerprints = results.map((r) => r.partialFingerprints?.['clusterproofFinding/v1']);
    expect(new Set(fingerprints).size).toBe(results.length);
    const moved = sampleReport();
    for (const f of moved.findings) {
      if (f.subject?.source) f.subject.source.line = (f.subject.source.line ?? 1) + 40;
      f.message = `${f.message} (re-measured)`;
    }
    const again = buildSarif(redactReport(moved), { cwd: '/repo' }).runs[0]?.results ?? [];
    expect(again.map((r) => r.partialFingerprints?.['clusterproofFinding/v1'])).toEqual(fingerprints);
    const renamed = sampleReport();
    const dd = renamed.findings.find((f) => f.controlId === 'default-deny' && f.result === 'fail');
    if (dd?.subject) dd.subject.name = 'orders';
    const other = buildSarif(redactReport(renamed), { cwd: '/repo' }).runs[0]?.results?.find((r) => r.ruleId === 'default-deny');
    expect(other?.partialFingerprints?.['clusterproofFinding/v1']).not.toBe(
      results.find((r) => r.ruleId === 'default-deny')?.partialFingerprints?.['clusterproofFinding/v1'],
    );
  });

  it('uses the first evidence reference with a source when the subject has none', () => {
    const r = sampleReport();
    const f = r.findings.find((x) => x.controlId === 'default-deny' && x.result === 'fail');
    if (f) delete f.subject;
    const located = buildSarif(redactReport(r), { cwd: '/repo' }).runs[0]?.results?.find((x) => x.ruleId === 'default-deny');
    expect(located?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(31);
  });

  it('turns waived findings into external suppressions with the justification', () => {
    const waived = results.find((r) => r.ruleId === 'mtls-strict');
    expect(waived?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'waived by alice@example.com until 2099-03-31 (SEC-101): Legacy batch jobs migrate in Q1 [was fail]',
      },
    ]);
  });

  it('makes every path relative to %SRCROOT%, also outside the working directory, and encodes odd file names', () => {
    const r = sampleReport();
    const [a, b] = r.findings.filter((x) => x.result === 'fail' && x.subject?.source);
    if (a?.subject?.source) a.subject.source.file = '/elsewhere/x.yaml';
    if (b?.subject?.source) b.subject.source.file = '/repo/dir with space/#1.yaml';
    const uris = (buildSarif(redactReport(r), { cwd: '/repo' }).runs[0]?.results ?? []).map(
      (x) => x.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
    );
    expect(uris).toContain('../elsewhere/x.yaml');
    expect(uris).toContain('dir%20with%20space/%231.yaml');
  });

  it('stays valid with hostile text', () => {
    expect(validateSarifJson(JSON.parse(JSON.stringify(buildSarif(redactReport(hostileReport()), { cwd: '/repo' }))))).toBe(true);
  });
});

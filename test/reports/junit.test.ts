import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { renderJunit } from '../../reports/junit.ts';
import { HOSTILE, hostileReport } from './hostile.ts';
import { sampleReport } from './sampleReport.ts';
import { validateJunitXml } from './validators.ts';

function attr(xml: string, element: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${element}\\b[^>]*\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '');
}

describe('JUnit writer', () => {
  const xml = renderJunit(redactReport(sampleReport()));

  it('is valid against reports/schema/junit.xsd', async () => {
    const result = await validateJunitXml(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('has one testsuite per area and one testcase per control and layer', () => {
    expect(attr(xml, 'testsuite', 'name')).toEqual([
      'clusterproof.infra',
      'clusterproof.network',
      'clusterproof.security',
      'clusterproof.chaos',
    ]);
    // 8 controls: api(2 layers) cidr(2) etcd(1) teardown(1) | default-deny(2) mtls(1) | iam(1) | ha(2) = 12
    expect(attr(xml, 'testsuites', 'tests')).toEqual(['12']);
    expect(attr(xml, 'testsuite', 'tests')).toEqual(['6', '3', '1', '2']);
    expect(attr(xml, 'testsuite', 'failures')).toEqual(['3', '1', '0', '0']);
    expect(attr(xml, 'testsuite', 'errors')).toEqual(['0', '0', '1', '0']);
    // infra: teardown (no finding); network: probe n/a + mtls waived; chaos: chaos n/a.
    expect(attr(xml, 'testsuite', 'skipped')).toEqual(['1', '2', '0', '1']);
    expect(xml).toContain(
      'name="default-deny [probe] Namespaces are default-deny for ingress and egress" classname="clusterproof.network.default-deny"',
    );
  });

  it('names controls, severity and framework ids in properties', () => {
    const dd = xml.slice(xml.indexOf('name="default-deny [config]'));
    expect(dd).toContain('<property name="control.id" value="default-deny"/>');
    expect(dd).toContain('<property name="control.severity" value="high"/>');
    expect(dd).toContain('<property name="framework" value="cis-kubernetes-1.10:5.3.2"/>');
  });

  it('puts the evidence summary in failures and says who waived what until when', () => {
    expect(xml).toMatch(
      /<failure message="Namespace payments has no policy selecting all pods for Egress\." type="severity:high">[^<]*policyTypes: expected \["Ingress","Egress"\], actual \["Ingress"\]/,
    );
    expect(xml).toContain(
      '<skipped message="waived by alice@example.com until 2099-03-31 (SEC-101): Legacy batch jobs migrate in Q1 [was fail]" type="waived">',
    );
    expect(xml).toContain(
      '<error message="Role payments-app is named by tenant payments but no get-role output was given." type="check-error">',
    );
    expect(xml).toContain('<skipped message="not applicable: no finding was recorded for this layer in this run" type="not-applicable">');
  });

  it('is checked by a schema that rejects what we must not emit', async () => {
    const noClassname = xml.replace(/ classname="[^"]*"/, '');
    expect((await validateJunitXml(noClassname)).valid).toBe(false);
    const twoVerdicts = xml.replace('</failure>', '</failure><error message="x" type="y"/>');
    expect((await validateJunitXml(twoVerdicts)).valid).toBe(false);
  });

  it('reports the run duration and per-finding times', async () => {
    expect(attr(xml, 'testsuites', 'time')).toEqual(['2.500']);
    const r = sampleReport();
    for (const f of r.findings) if (f.layer === 'config' && f.controlId === 'default-deny') f.durationMs = 1250;
    const timed = renderJunit(redactReport(r));
    expect(timed).toMatch(/name="default-deny \[config\][^"]*" classname="[^"]*" time="2.500"/);
    expect((await validateJunitXml(timed)).valid).toBe(true);
  });

  it('stays valid and escaped with hostile text (<script>, ]]>, NUL, ANSI, quotes)', async () => {
    const hostile = renderJunit(redactReport(hostileReport()));
    const result = await validateJunitXml(hostile);
    expect(result.errors).toEqual([]);
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain(HOSTILE.cdataEnd);
    expect(hostile).not.toContain('\u0000');
    expect(hostile).not.toContain('\u001b');
    expect(hostile).toContain('&lt;script&gt;');
    expect(hostile).toContain('red');
  });
});

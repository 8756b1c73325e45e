import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { REPORT_SCHEMA_ID, renderJson, type JsonReport } from '../../reports/json.ts';
import schema from '../../reports/schema/report.schema.json' with { type: 'json' };
import { hostileReport, HOSTILE_TEXT } from './hostile.ts';
import { sampleReport } from './sampleReport.ts';
import { validateReportJson } from './validators.ts';

describe('compliance JSON writer', () => {
  const text = renderJson(redactReport(sampleReport()));
  const json = JSON.parse(text) as JsonReport;

  it('validates against its published schema', () => {
    const ok = validateReportJson(json);
    expect(validateReportJson.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(schema.$id).toBe(REPORT_SCHEMA_ID);
    expect(json.$schema).toBe(REPORT_SCHEMA_ID);
  });

  it('carries the manifest, every finding with evidence, waivers with status and the gate', () => {
    expect(json.manifest.inputs).toHaveLength(2);
    expect(json.manifest.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.findings).toHaveLength(sampleReport().findings.length);
    expect(json.findings.every((f) => Array.isArray(f.evidence))).toBe(true);
    expect(json.waivers.map((w) => w.status)).toEqual(['active', 'expired', 'unmatched']);
    expect(json.gate.passed).toBe(false);
  });

  it('summarises controls by area and framework and combines results per control', () => {
    expect(json.summary.findings).toEqual({ pass: 4, fail: 4, error: 1, 'not-applicable': 2, waived: 1 });
    expect(json.summary.byArea.infra).toEqual({ pass: 0, fail: 3, error: 0, 'not-applicable': 1, waived: 0 });
    expect(json.summary.byFramework['cis-kubernetes-1.10']).toEqual({ pass: 0, fail: 1, error: 1, 'not-applicable': 0, waived: 0 });
    const dd = json.controls.find((c) => c.id === 'default-deny');
    expect(dd?.result).toBe('fail');
    expect(dd?.layers).toEqual([
      { layer: 'config', result: 'fail', findings: 2 },
      { layer: 'probe', result: 'not-applicable', findings: 1 },
    ]);
    expect(json.controls.find((c) => c.id === 'teardown-ownership')?.result).toBe('not-applicable');
  });

  it('lists reachability mismatches between prediction and observation', () => {
    expect(json.reachability[0]?.allowed).toEqual(['100', '110', '011']);
    expect(json.reachability[0]?.observed).toEqual(['101', '110', '01-']);
    expect(json.reachability[0]?.mismatches).toEqual([{ from: 'payments/api', to: 'web/frontend', expected: false, observed: true }]);
  });

  it('rejects reports that break the contract', () => {
    const broken = structuredClone(json) as unknown as { findings: { result: string }[] };
    if (broken.findings[0]) broken.findings[0].result = 'passed';
    expect(validateReportJson(broken)).toBe(false);
    const waivedWithoutWaiver = structuredClone(json);
    const w = waivedWithoutWaiver.findings.find((f) => f.result === 'waived');
    if (w) delete w.waived;
    expect(validateReportJson(waivedWithoutWaiver)).toBe(false);
  });

  it('keeps hostile text exactly (JSON is data) and stays valid', () => {
    const hostile = JSON.parse(renderJson(redactReport(hostileReport()))) as JsonReport;
    expect(validateReportJson(hostile)).toBe(true);
    expect(hostile.warnings).toContain(HOSTILE_TEXT);
  });

  it('stays compact for a 1,000-pod matrix (rows as truth-table strings)', () => {
    const r = sampleReport();
    const n = 1000;
    const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i + j) % 3 === 0));
    r.reachability = [{ port: 80, protocol: 'TCP', pods: Array.from({ length: n }, (_, i) => `ns/p${i}`), allowed: rows }];
    const text = renderJson(redactReport(r));
    // n*n cells at one character each, plus quotes, commas and indentation per row.
    expect(text.length).toBeLessThan(n * n + n * 20 + 50_000);
    expect(validateReportJson(JSON.parse(text))).toBe(true);
  });

  it('includes findings for control ids missing from the catalogue instead of dropping them', () => {
    const r = sampleReport();
    r.findings.push({ controlId: 'ghost', layer: 'config', result: 'fail', message: 'from an old evaluator', evidence: [] });
    const out = JSON.parse(renderJson(redactReport(r))) as JsonReport;
    expect(out.controls.find((c) => c.id === 'ghost')).toMatchObject({ unknown: true, result: 'fail' });
    expect(validateReportJson(out)).toBe(true);
  });
});

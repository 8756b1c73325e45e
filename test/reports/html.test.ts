import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { renderHtml } from '../../reports/html.ts';
import { MAX_GRID_PODS } from '../../reports/htmlReachability.ts';
import { HTML_SCRIPT } from '../../reports/htmlStyle.ts';
import { html } from '../../reports/htmlText.ts';
import { hostileReport } from './hostile.ts';
import { sampleReport } from './sampleReport.ts';

describe('HTML report', () => {
  const page = renderHtml(redactReport(sampleReport()));

  it('is one self-contained file: inline style and script only, no external references', () => {
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/\ssrc=/i);
    expect(page).not.toMatch(/href="(?!#)/i);
    expect(page.match(/<script\b/g)).toHaveLength(1);
    // The CSP allows exactly our script, by hash.
    const hash = createHash('sha256').update(HTML_SCRIPT).digest('base64');
    expect(page).toContain(`script-src &#39;sha256-${hash}&#39;`);
  });

  it('leads with the gate verdict and the run manifest', () => {
    expect(page).toContain('<header class="verdict failed">');
    expect(page).toContain('Gate failed: prod');
    expect(page).toContain('a'.repeat(64));
    expect(page).toContain('fixtures/examples/non-compliant/k8s/payments.yaml');
  });

  it('shows every control with references, rationale, remediation and readable evidence', () => {
    for (const c of sampleReport().controls) {
      expect(page).toContain(`id="control-${c.id}"`);
      expect(page).toContain(html(c.remediation));
      expect(page).toContain(html(c.rationale));
    }
    expect(page).toContain('<code title="CIS Kubernetes Benchmark 1.10.0">cis-kubernetes-1.10:5.3.2</code>');
    expect(page).toContain('fixtures/examples/non-compliant/k8s/payments.yaml:31:1');
    // Evidence as labelled rows; lists as plain comma lists rather than JSON.
    expect(page).toContain(
      '<tr><th>expected</th><td><span class="exp">Ingress, Egress</span></td></tr><tr><th>actual</th><td><span class="act">Ingress</span></td></tr>',
    );
  });

  it('lists only published frameworks; clusterproof requirement ids go into the control text', () => {
    const summary = page.slice(page.indexOf('<h2>Summary</h2>'), page.indexOf('<h2>Run</h2>'));
    expect(summary).toContain('<td>CIS Kubernetes Benchmark 1.10.0</td>');
    expect(summary).toContain('<td>NSA/CISA Kubernetes Hardening Guidance 1.2</td>');
    expect(summary).not.toMatch(/seed|clusterproof/);
    expect(page).not.toContain('seed:private-api-endpoint');
    expect(page).toContain('<strong>clusterproof requirement:</strong> private-api-endpoint');
  });

  it("puts failing controls first (most severe first) and the evaluator's fix beside its finding", () => {
    const r = sampleReport();
    const failing = r.findings.find((f) => f.result === 'fail');
    if (!failing) throw new Error('no failing finding');
    failing.fix = 'kubectl apply -f deny.yaml <now>';
    const withFix = renderHtml(redactReport(r));
    expect(withFix).toContain(
      '<div class="fix"><strong>Fix for this finding:</strong><pre class="val">kubectl apply -f deny.yaml &lt;now&gt;</pre></div>',
    );
    const failingPart = withFix.slice(withFix.indexOf('id="failing"'), withFix.indexOf('id="other"'));
    const otherPart = withFix.slice(withFix.indexOf('id="other"'));
    expect(failingPart).not.toMatch(/data-result="(pass|not-applicable|waived)"/);
    expect(otherPart).not.toMatch(/data-result="(fail|error)"/);
    expect(withFix.indexOf('id="failing"')).toBeLessThan(withFix.indexOf('<h2>Summary</h2>'));
    expect(withFix.indexOf('id="reachability"')).toBeGreaterThan(withFix.indexOf('<h2>Run</h2>'));
  });

  it('shows waivers with expiry and marks expired ones', () => {
    expect(page).toMatch(/<tr class="expired"><td><code>etcd-backup<\/code>.*2025-01-31.*expired/);
    expect(page).toMatch(/<tr class="unmatched">/);
    // The control card explains why a waiver did not turn its failure into `waived`.
    expect(page).toMatch(
      /id="control-etcd-backup"[\s\S]*?<p class="waiver-note expired">Waiver by bob@example.com \(OPS-7\) until 2025-01-31: <strong>expired<\/strong>/,
    );
  });

  it('draws the reachability matrix with the observed mismatch highlighted', () => {
    expect(page).toMatch(
      /<th class="from">payments\/api<\/th><td class="allow"[^>]*>✓<\/td><td class="block"[^>]*>✗<\/td><td class="allow mismatch" title="payments\/api → web\/frontend: expected blocked, observed allowed">!✓<\/td>/,
    );
    expect(page).toContain('1 mismatch(es)');
  });

  it('summarises large matrices instead of drawing an unreadable grid', () => {
    const r = sampleReport();
    const n = MAX_GRID_PODS + 1;
    r.reachability = [
      {
        port: 443,
        protocol: 'TCP',
        pods: Array.from({ length: n }, (_, i) => `ns/p${i}`),
        allowed: Array.from({ length: n }, () => Array<boolean>(n).fill(true)),
      },
    ];
    const big = renderHtml(redactReport(r));
    expect(big).not.toContain('<table class="matrix">');
    expect(big).toContain(`Port 443/TCP from ns: ${n * n} of ${n * n} pairs allowed`);
  });

  it('escapes hostile text everywhere', () => {
    const hostile = renderHtml(redactReport(hostileReport()));
    expect(hostile.match(/<script\b/g)).toHaveLength(1);
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('<evil');
    // The words survive as text; they must never become attributes of a real tag.
    expect(hostile).not.toMatch(/<[^>]*\son(mouseover|error)=/);
    expect(hostile).not.toContain('\u0000');
    expect(hostile).not.toContain('\u001b');
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});

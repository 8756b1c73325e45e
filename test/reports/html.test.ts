import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { MAX_GRID_PODS, renderHtml } from '../../reports/html.ts';
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
    expect(page).toContain('<code>cis-kubernetes-1.10:5.3.2</code>');
    expect(page).toContain('fixtures/examples/non-compliant/k8s/payments.yaml:31:1');
    expect(page).toMatch(/<span class="exp">expected<\/span><pre class="val">\[&quot;Ingress&quot;,&quot;Egress&quot;\]<\/pre><span class="act">actual<\/span><pre class="val">\[&quot;Ingress&quot;\]<\/pre>/);
  });

  it('shows waivers with expiry and marks expired ones', () => {
    expect(page).toMatch(/<tr class="expired"><td><code>etcd-backup<\/code>.*2025-01-31.*expired/);
    expect(page).toMatch(/<tr class="unmatched">/);
    // The control card explains why a waiver did not turn its failure into `waived`.
    expect(page).toMatch(/id="control-etcd-backup"[\s\S]*?<p class="waiver-note expired">Waiver by bob@example.com \(OPS-7\) until 2025-01-31: <strong>expired<\/strong>/);
  });

  it('draws the reachability matrix with the observed mismatch highlighted', () => {
    expect(page).toMatch(/<th class="from">payments\/api<\/th><td class="allow"[^>]*>✓<\/td><td class="block"[^>]*>✗<\/td><td class="allow mismatch" title="payments\/api → web\/frontend: expected blocked, observed allowed">!✓<\/td>/);
    expect(page).toContain('1 mismatch(es)');
  });

  it('summarises large matrices instead of drawing an unreadable grid', () => {
    const r = sampleReport();
    const n = MAX_GRID_PODS + 1;
    r.reachability = [{ port: 443, protocol: 'TCP', pods: Array.from({ length: n }, (_, i) => `ns/p${i}`), allowed: Array.from({ length: n }, () => Array<boolean>(n).fill(true)) }];
    const big = renderHtml(redactReport(r));
    expect(big).not.toContain('<table class="matrix">');
    expect(big).toContain(`${n * n} of ${n * n} ordered pairs allowed`);
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

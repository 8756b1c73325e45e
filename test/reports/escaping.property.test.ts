// Property tests: whatever text a cluster hands us, JUnit stays XSD-valid, Markdown tables keep their shape,
// workflow commands stay one line, and a planted credential never survives redaction.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { REDACTION_MARKER } from '../../harness/redaction/marker.ts';
import { escapeData } from '../../reports/annotations.ts';
import { renderJson } from '../../reports/json.ts';
import { renderJunit } from '../../reports/junit.ts';
import { mdText } from '../../reports/markdown.ts';
import { sampleReport } from './sampleReport.ts';
import { validateJunitXml } from './validators.ts';

// Full unicode including controls, lone surrogates and markup characters.
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", ']]>', '|', '\n', '\r', '\u0000', '\u001b[31m', '\ud800', '\ufffe'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  ),
});

describe('escaping properties', () => {
  it('JUnit is XSD-valid for arbitrary messages, titles, owners and evidence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 6, maxLength: 6 }), async ([title, message, detail, owner, reason, rule]) => {
        const r = sampleReport();
        for (const c of r.controls) c.title = title ?? '';
        for (const f of r.findings) {
          f.message = message ?? '';
          f.evidence.push({ type: 'rule', rule: rule ?? '', detail: detail ?? '' });
          if (f.waived) f.waived = { ...f.waived, owner: owner ?? '', reason: reason ?? '' };
        }
        const result = await validateJunitXml(renderJunit(redactReport(r)));
        expect(result.errors).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });

  it('a Markdown cell never contains an unescaped pipe, a newline or a tag opener', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const cell = mdText(s);
        expect(cell.replace(/\\\|/g, '')).not.toContain('|');
        expect(cell).not.toMatch(/[\r\n<>]/);
      }),
    );
  });

  it('workflow-command data stays on one line', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(escapeData(s)).not.toMatch(/[\r\n]/);
      }),
    );
  });

  it('a token planted in any string field of a finding never reaches the JSON report', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{20,40}$/).map((t) => `eyJ${t}`);
    fc.assert(
      fc.property(token, fc.constantFrom('message', 'detail', 'what', 'observed'), anyText, (jwt, field, noise) => {
        const r = sampleReport();
        const f = r.findings[0];
        if (!f) throw new Error('no finding');
        const planted = `${noise} ${jwt} ${noise}`;
        if (field === 'message') f.message = planted;
        else if (field === 'detail') f.evidence.push({ type: 'object', ref: { kind: 'Pod', name: 'p' }, detail: planted });
        else if (field === 'what') f.evidence.push({ type: 'missing-input', what: planted });
        else f.evidence.push({ type: 'observation', what: 'env', observed: { nested: [{ value: planted }] } });
        const json = renderJson(redactReport(r));
        expect(json).not.toContain(jwt);
        expect(json).toMatch(REDACTION_MARKER);
      }),
      { numRuns: 200 },
    );
  });
});

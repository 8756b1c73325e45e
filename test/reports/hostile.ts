// Strings an attacker controls (pod names, labels, annotations, waiver reasons) planted everywhere a writer
// prints text, to prove each format escapes them.
import type { RunReport } from '../../harness/model/report.ts';
import { sampleReport } from './sampleReport.ts';

export const HOSTILE = {
  script: '<script>alert("x")</script>',
  cdataEnd: ']]><evil/>',
  pipe: 'a|b||c',
  nul: 'nul\u0000byte',
  ansi: '\u001b[31mred\u001b[0m',
  newline: 'line1\nline2\r\n::error::injected',
  quote: `"' onmouseover="alert(1)`,
  markdown: '</details><img src=x onerror=alert(1)> **bold** [link](http://evil)',
} as const;

export const HOSTILE_TEXT = Object.values(HOSTILE).join(' ');

/** The sample report with hostile text in titles, messages, evidence, refs, waivers, warnings and pod names. */
export function hostileReport(): RunReport {
  const r = sampleReport();
  for (const c of r.controls) {
    c.title = `${c.title} ${HOSTILE_TEXT}`;
    c.rationale = HOSTILE_TEXT;
    c.remediation = HOSTILE_TEXT;
  }
  for (const f of r.findings) {
    f.message = `${f.message} ${HOSTILE_TEXT}`;
    f.evidence.push({ type: 'observation', what: HOSTILE.script, observed: { label: HOSTILE_TEXT }, detail: HOSTILE.cdataEnd });
    if (f.subject) f.subject.name = `${f.subject.name}${HOSTILE.pipe}${HOSTILE.ansi}`;
  }
  for (const w of r.waivers) {
    w.waiver.reason = HOSTILE_TEXT;
    w.waiver.owner = `${w.waiver.owner}${HOSTILE.markdown}`;
  }
  r.warnings.push(HOSTILE_TEXT);
  const m = r.reachability[0];
  if (m) m.pods = m.pods.map((p) => `${p}${HOSTILE.script}`);
  r.manifest.spec.name = `prod${HOSTILE.script}${HOSTILE.pipe}`;
  return r;
}

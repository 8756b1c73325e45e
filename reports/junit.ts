// JUnit XML: what every CI system can show. One <testsuite> per area, one <testcase> per control and layer, so
// a CI test view lists "network.default-deny [config]" and "[probe]" separately. Valid against
// reports/schema/junit.xsd (the Jenkins/Ant JUnit schema plus <properties> inside <testcase>).
import type { Finding, Layer, Result } from '../harness/model/findings.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import { describeFinding, describeWaived } from './evidenceText.ts';
import { oneLine, truncate } from './plainText.ts';
import { AREAS, controlVerdicts, frameworkTag, layerVerdicts, type ControlVerdict } from './verdicts.ts';
import { xmlAttr, xmlText } from './xmlText.ts';

/** Failure messages show in one-line CI views; the full evidence is in the element body. */
const MAX_MESSAGE_CHARS = 500;

interface Attrs {
  [name: string]: string | number | undefined;
}

function open(name: string, attrs: Attrs, selfClose = false): string {
  const rendered = Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
  return `<${name}${rendered}${selfClose ? '/>' : '>'}`;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Milliseconds between two ISO timestamps; 0 when either is unreadable rather than NaN in the XML. */
function durationMs(start: string, end: string): number {
  const d = Date.parse(end) - Date.parse(start);
  return Number.isFinite(d) ? d : 0;
}

function messageOf(findings: readonly Finding[]): string {
  const first = findings[0];
  if (!first) return '';
  const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : '';
  return truncate(oneLine(first.message), MAX_MESSAGE_CHARS) + more;
}

function body(findings: readonly Finding[]): string {
  return findings.map(describeFinding).join('\n');
}

/** The verdict element for one control+layer, or '' for a pass. */
function outcome(verdict: ControlVerdict, result: Result, findings: readonly Finding[]): string {
  const of = (r: Result): Finding[] => findings.filter((f) => f.result === r);
  switch (result) {
    case 'fail':
      return `${open('failure', { message: messageOf(of('fail')), type: `severity:${verdict.control.severity}` })}${xmlText(body(of('fail')))}</failure>`;
    case 'error':
      return `${open('error', { message: messageOf(of('error')), type: 'check-error' })}${xmlText(body(of('error')))}</error>`;
    case 'waived': {
      const waived = of('waived');
      const message = waived
        .map((f) => (f.waived ? describeWaived(f.waived) : 'waived'))
        .filter((m, i, all) => all.indexOf(m) === i)
        .join('; ');
      return `${open('skipped', { message: truncate(message, MAX_MESSAGE_CHARS), type: 'waived' })}${xmlText(body(waived))}</skipped>`;
    }
    case 'not-applicable': {
      const message =
        findings.length === 0
          ? 'not applicable: no finding was recorded for this layer in this run'
          : `not applicable: ${messageOf(findings)}`;
      return `${open('skipped', { message, type: 'not-applicable' })}${xmlText(body(findings))}</skipped>`;
    }
    case 'pass':
      return '';
  }
}

function testcase(verdict: ControlVerdict, layer: Layer, result: Result, findings: readonly Finding[]): string {
  const c = verdict.control;
  const time = findings.reduce((sum, f) => sum + (f.durationMs ?? 0), 0);
  const props = [
    ['control.id', c.id],
    ['control.severity', c.severity],
    ['control.area', c.area],
    ['control.layer', layer],
    ['result', result],
    ...c.references.map((r) => ['framework', frameworkTag(r)]),
  ].map(([name, value]) => `      ${open('property', { name, value }, true)}`);
  const verdictXml = outcome(verdict, result, findings);
  // Passing cases keep their evidence too: a pass is only worth what its evidence is worth.
  const out = result === 'pass' && findings.length > 0 ? `    <system-out>${xmlText(body(findings))}</system-out>\n` : '';
  return [
    `  ${open('testcase', { name: `${c.id} [${layer}] ${oneLine(c.title)}`, classname: `clusterproof.${c.area}.${c.id}`, time: seconds(time) })}`,
    `    <properties>\n${props.join('\n')}\n    </properties>`,
    ...(verdictXml ? [`    ${verdictXml}`] : []),
    ...(out ? [out.trimEnd()] : []),
    '  </testcase>',
  ].join('\n');
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

export function renderJunit(report: RedactedReport): string {
  const verdicts = controlVerdicts(report);
  const suites: string[] = [];
  const total: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const area of AREAS) {
    const cases: string[] = [];
    const t: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
    for (const v of verdicts.filter((x) => x.control.area === area)) {
      for (const lv of layerVerdicts(v)) {
        cases.push(testcase(v, lv.layer, lv.result, lv.findings));
        t.tests += 1;
        t.ms += lv.findings.reduce((sum, f) => sum + (f.durationMs ?? 0), 0);
        if (lv.result === 'fail') t.failures += 1;
        else if (lv.result === 'error') t.errors += 1;
        else if (lv.result === 'waived' || lv.result === 'not-applicable') t.skipped += 1;
      }
    }
    for (const k of ['tests', 'failures', 'errors', 'skipped', 'ms'] as const) total[k] += t[k];
    const attrs = {
      name: `clusterproof.${area}`,
      tests: t.tests,
      failures: t.failures,
      errors: t.errors,
      skipped: t.skipped,
      time: seconds(t.ms),
      timestamp: report.manifest.startedAt,
    };
    suites.push(cases.length ? `${open('testsuite', attrs)}\n${cases.join('\n')}\n</testsuite>` : open('testsuite', attrs, true));
  }
  const m = report.manifest;
  const root = open('testsuites', {
    name: `clusterproof ${m.spec.name}`,
    tests: total.tests,
    failures: total.failures,
    errors: total.errors,
    time: seconds(durationMs(m.startedAt, m.endedAt)),
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${suites.join('\n')}\n</testsuites>\n`;
}

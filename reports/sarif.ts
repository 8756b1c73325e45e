// SARIF 2.1.0 for code scanning: findings tied to a manifest file become results at file:line, so a PR review
// shows the failing NetworkPolicy or Terraform resource inline. Findings without a file location stay in the
// other formats (code-scanning uploads reject results without a location).
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Control, Finding, Severity } from '../harness/model/findings.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import { describeWaived, findingSource, summarizeEvidence } from './evidenceText.ts';
import { cleanText, oneLine } from './plainText.ts';
import { controlVerdicts, frameworkTag } from './verdicts.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning ranks alerts by `security-severity` (CVSS-like 0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

export interface SarifOptions {
  /** Directory result URIs are relative to (the repository root in CI). Default: process.cwd(). */
  cwd?: string;
}

function rule(control: Control): Sarif.ReportingDescriptor {
  return {
    id: control.id,
    name: control.id.replace(/(^|[-_.])(\w)/g, (_m, _sep: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: oneLine(control.title) },
    fullDescription: { text: oneLine(control.rationale) },
    help: { text: cleanText(control.remediation) },
    defaultConfiguration: { level: LEVEL[control.severity] },
    properties: {
      tags: ['clusterproof', control.area, ...control.references.map(frameworkTag)],
      'security-severity': SECURITY_SEVERITY[control.severity],
      severity: control.severity,
    },
  };
}

/** A repository-relative URI when the file is under `cwd`, else an absolute file URI. */
function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  if (rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(isAbsolute(file) ? file : `${cwd}${sep}${file}`).href };
  // Percent-encode each segment (spaces, `#`, `%` in file names) and always use `/`.
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function result(finding: Finding, control: Control, ruleIndex: number, cwd: string): Sarif.Result | undefined {
  const source = findingSource(finding);
  if (!source) return undefined;
  const original = finding.waived?.originalResult ?? finding.result;
  if (original !== 'fail' && original !== 'error') return undefined;
  const evidence = finding.evidence.map((e) => `- ${summarizeEvidence(e)}`);
  const prefix = original === 'error' ? 'Could not check: ' : '';
  const region: Sarif.Region = { startLine: source.line ?? 1, ...(source.column !== undefined ? { startColumn: source.column } : {}) };
  const out: Sarif.Result = {
    ruleId: control.id,
    ruleIndex,
    kind: 'fail',
    // A check that could not run is a warning whatever the severity: it needs attention, not a fix.
    level: original === 'error' ? 'warning' : LEVEL[control.severity],
    message: { text: [`${prefix}${oneLine(finding.message)}`, ...evidence].join('\n') },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(source.file, cwd), region } }],
    properties: { layer: finding.layer, result: finding.result, ...(finding.subject ? { subject: finding.subject } : {}) },
  };
  if (finding.waived) {
    out.suppressions = [{ kind: 'external', status: 'accepted', justification: describeWaived(finding.waived) }];
  }
  return out;
}

export function buildSarif(report: RedactedReport, options: SarifOptions = {}): Sarif.Log {
  const cwd = options.cwd ?? process.cwd();
  const verdicts = controlVerdicts(report);
  const rules = verdicts.map((v) => rule(v.control));
  const results: Sarif.Result[] = [];
  verdicts.forEach((v, index) => {
    for (const f of v.findings) {
      const r = result(f, v.control, index, cwd);
      if (r) results.push(r);
    }
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'clusterproof',
            version: report.manifest.tool.version,
            informationUri: 'https://clusterproof.dev',
            rules,
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.manifest.startedAt,
            endTimeUtc: report.manifest.endedAt,
          },
        ],
        results,
      },
    ],
  };
}

export function renderSarif(report: RedactedReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(report, options), null, 2)}\n`;
}

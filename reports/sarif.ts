// SARIF 2.1.0 for code scanning: every failing (or waived) finding is a result, at its subject's file:line when
// the input had one, else with a logical location naming the object, so the upload carries the whole verdict.
// Findings that could not be checked are tool execution notifications: the run was not fully successful.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Control, Finding, ObjectRef, Severity } from '../harness/model/findings.ts';
import { objectKey } from '../harness/model/state.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import { describeWaived, findingSource, summarizeEvidence } from './evidenceText.ts';
import { cleanText, oneLine } from './plainText.ts';
import { controlVerdicts, frameworkTag } from './verdicts.ts';

const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning ranks alerts by `security-severity` (CVSS-like 0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

interface SarifOptions {
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

/** Every URI is relative to %SRCROOT% (the working directory), also for inputs outside it (`../`). */
export const SRCROOT = '%SRCROOT%';

function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  const rel = relative(cwd, isAbsolute(file) ? file : resolve(cwd, file));
  // Percent-encode each segment (spaces, `#`, `%` in file names) and always use `/`.
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The object itself, for findings whose input has no file:line (or as well as it). */
function logicalLocation(ref: ObjectRef): Sarif.LogicalLocation {
  return { name: ref.name, fullyQualifiedName: ref.id ?? objectKey(ref.kind, ref.namespace, ref.name), kind: ref.kind };
}

/**
 * Code scanning tracks an alert across runs by this: control, layer, subject and the rule the evidence names,
 * never line numbers or measured values, so an alert survives edits above it and a changed count.
 */
function fingerprint(finding: Finding): string {
  const subject = finding.subject
    ? (finding.subject.id ?? objectKey(finding.subject.kind, finding.subject.namespace, finding.subject.name))
    : '';
  const rules = finding.evidence.flatMap((e) => (e.type === 'rule' ? [e.rule] : []));
  return createHash('sha256')
    .update(JSON.stringify([finding.controlId, finding.layer, subject, rules]))
    .digest('hex')
    .slice(0, 32);
}

function result(finding: Finding, control: Control, ruleIndex: number, cwd: string): Sarif.Result | undefined {
  const original = finding.waived?.originalResult ?? finding.result;
  if (original !== 'fail') return undefined;
  const source = findingSource(finding);
  const evidence = finding.evidence.map((e) => `- ${summarizeEvidence(e)}`);
  const location: Sarif.Location = {
    ...(source
      ? {
          physicalLocation: {
            artifactLocation: artifactLocation(source.file, cwd),
            region: { startLine: source.line ?? 1, ...(source.column !== undefined ? { startColumn: source.column } : {}) },
          },
        }
      : {}),
    ...(finding.subject ? { logicalLocations: [logicalLocation(finding.subject)] } : {}),
  };
  const out: Sarif.Result = {
    ruleId: control.id,
    ruleIndex,
    kind: 'fail',
    level: LEVEL[control.severity],
    message: { text: [oneLine(finding.message), ...evidence].join('\n') },
    ...(Object.keys(location).length > 0 ? { locations: [location] } : {}),
    partialFingerprints: { 'clusterproofFinding/v1': fingerprint(finding) },
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
  const notifications: Sarif.Notification[] = [];
  verdicts.forEach((v, index) => {
    for (const f of v.findings) {
      const r = result(f, v.control, index, cwd);
      if (r) results.push(r);
      if ((f.waived?.originalResult ?? f.result) === 'error') notifications.push(notification(f, v.control, index));
    }
  });
  distinguishRepeats(results);
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
        originalUriBaseIds: {
          [SRCROOT]: { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}`, description: { text: 'The working directory of the run.' } },
        },
        invocations: [
          {
            // A check that could not run leaves the verdict incomplete, whatever the other results say.
            executionSuccessful: notifications.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
            startTimeUtc: report.manifest.startedAt,
            endTimeUtc: report.manifest.endedAt,
          },
        ],
        results,
      },
    ],
  };
}

/** A check that could not run: not a result about the cluster, but a gap in this run's verdict. */
function notification(finding: Finding, control: Control, ruleIndex: number): Sarif.Notification {
  const evidence = finding.evidence.map((e) => `- ${summarizeEvidence(e)}`);
  const where = finding.subject ? ` (${objectKey(finding.subject.kind, finding.subject.namespace, finding.subject.name)})` : '';
  return {
    level: 'error',
    message: {
      text: [`Could not check ${control.id}, ${finding.layer} layer${where}: ${oneLine(finding.message)}`, ...evidence].join('\n'),
    },
    associatedRule: { id: control.id, index: ruleIndex },
    properties: { layer: finding.layer, result: finding.result },
  };
}

/** Two findings with the same control, subject and rules (rare) still get distinct, stable fingerprints. */
function distinguishRepeats(results: Sarif.Result[]): void {
  const seen = new Map<string, number>();
  for (const r of results) {
    const fp = r.partialFingerprints?.['clusterproofFinding/v1'];
    if (!fp || !r.partialFingerprints) continue;
    const n = seen.get(fp) ?? 0;
    seen.set(fp, n + 1);
    if (n > 0) r.partialFingerprints['clusterproofFinding/v1'] = `${fp}:${n}`;
  }
}

export function renderSarif(report: RedactedReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(report, options), null, 2)}\n`;
}

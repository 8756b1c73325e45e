// GitHub Actions workflow commands: failing findings become `::error` annotations on the file and line of the
// object, waiver problems become `::warning`. scan and run print these lines when GITHUB_ACTIONS is true.
// Escaping follows the runner's rules (actions/toolkit command.ts): data escapes %, CR, LF; properties also
// escape `:` and `,`. Terminal escapes are stripped first so a hostile pod name cannot recolour the log.
import { isAbsolute, relative, sep } from 'node:path';
import type { Finding } from '../harness/model/findings.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import { findingSource, summarizeEvidence } from './evidenceText.ts';
import { cleanText, oneLine, truncate } from './plainText.ts';
import { controlVerdicts } from './verdicts.ts';

/** GitHub shows at most 10 error annotations per step; more lines only add log noise. Extra ones are summarised. */
const MAX_ERROR_ANNOTATIONS = 50;
const MAX_MESSAGE_CHARS = 4000;

interface AnnotationOptions {
  /** Paths in annotations are relative to the repository root (the job's working directory). Default: process.cwd(). */
  cwd?: string;
}

export function escapeData(value: string): string {
  return cleanText(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning', props: Record<string, string | number | undefined>, message: string): string {
  const rendered = Object.entries(props)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${kind}${rendered ? ` ${rendered}` : ''}::${escapeData(truncate(message, MAX_MESSAGE_CHARS))}`;
}

function repoPath(file: string, cwd: string): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  return rel.split(sep).join('/');
}

function findingMessage(f: Finding): string {
  const evidence = f.evidence.slice(0, 5).map((e) => `- ${summarizeEvidence(e)}`);
  return [oneLine(f.message), ...evidence].join('\n');
}

export function renderAnnotations(report: RedactedReport, options: AnnotationOptions = {}): string[] {
  const cwd = options.cwd ?? process.cwd();
  const lines: string[] = [];
  let errors = 0;
  let dropped = 0;
  for (const v of controlVerdicts(report)) {
    for (const f of v.findings) {
      if (f.result !== 'fail' && f.result !== 'error') continue;
      if (errors >= MAX_ERROR_ANNOTATIONS) {
        dropped += 1;
        continue;
      }
      errors += 1;
      const source = findingSource(f);
      const verb = f.result === 'error' ? 'could not be checked' : 'failed';
      const title = `clusterproof ${v.control.id} [${f.layer}] ${verb} (${v.control.severity})`;
      lines.push(
        command(
          'error',
          {
            file: source ? repoPath(source.file, cwd) : undefined,
            line: source?.line,
            col: source?.line !== undefined ? source.column : undefined,
            title: oneLine(title),
          },
          findingMessage(f),
        ),
      );
    }
  }
  if (dropped > 0) lines.push(command('error', { title: 'clusterproof' }, `${dropped} more failing findings; see the full report.`));
  for (const { waiver, status } of report.waivers) {
    if (status === 'active') continue;
    const scope = waiver.scope ? ` (${waiver.scope})` : '';
    const ticket = waiver.ticket ? `, ${waiver.ticket}` : '';
    const text =
      status === 'expired'
        ? `Waiver for ${waiver.control}${scope} by ${waiver.owner}${ticket} expired on ${waiver.expires}; the control counts again and an expired waiver fails the gate.`
        : `Waiver for ${waiver.control}${scope} by ${waiver.owner}${ticket} matched no finding; remove it or fix its scope.`;
    lines.push(command('warning', { title: `clusterproof waiver ${status}` }, text));
  }
  return lines;
}

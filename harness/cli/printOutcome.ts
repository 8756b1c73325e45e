// The few lines a person reads in a terminal or CI log after a scan/run; details live in the reports.
import { appendFileSync } from 'node:fs';
import pc from 'picocolors';
import { renderAnnotations } from '../../reports/annotations.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { notJudgedControls, notJudgedLine, notRequestedControls } from '../findings/notJudged.ts';
import type { RedactedReport } from '../findings/redact.ts';
import { inputWarningText } from '../../reports/inputWarnings.ts';
import type { RunReport } from '../model/report.ts';

export function printOutcome(report: RunReport, written: string[]): void {
  const { gate } = report;
  const c = gate.counts;
  const verdict = gate.passed ? pc.green('PASS') : pc.red('FAIL');
  const out = process.stdout;
  out.write(
    `gate: ${verdict} (fail-on ${gate.failOn}) — ${c.pass} pass, ${c.fail} fail, ${c.error} error, ${c.waived} waived, ${c['not-applicable']} not-applicable\n`,
  );
  if (gate.failingControls.length > 0) out.write(`failing controls: ${gate.failingControls.join(', ')}\n`);
  const notJudged = notJudgedControls(report.findings);
  if (notJudged.length > 0) out.write(`not judged: ${notJudgedLine(notJudged)}\n`);
  const notRequested = notRequestedControls(report.findings);
  if (notRequested.length > 0) out.write(`not requested by the spec: ${notRequested.join(', ')}\n`);
  // Input warnings are diagnostics about the inputs: stderr, once each, with file:line and the fix.
  for (const w of report.inputWarnings) process.stderr.write(`${pc.yellow('warning')}: ${inputWarningText(w)}\n`);
  for (const warning of report.warnings) out.write(`${pc.yellow('warning')}: ${warning}\n`);
  for (const file of written) out.write(`report: ${file}\n`);
}

/**
 * Everything `scan` and `run` do with a finished report: the terminal summary, GitHub Actions annotations and
 * the step summary when running in Actions, and the exit code (0 gate passed, 1 a required control failed).
 */
export function publishOutcome(report: RedactedReport, written: string[]): void {
  printOutcome(report, written);
  if (process.env.GITHUB_ACTIONS === 'true') {
    for (const line of renderAnnotations(report)) process.stdout.write(`${line}\n`);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(report));
  }
  process.exitCode = report.gate.passed ? 0 : 1;
}

// Reports leave the machine (CI artefacts, PR comments, code-scanning uploads), so the redaction policy
// (harness/redaction) runs on the whole RunReport once, before any writer; writers accept only its branded output,
// so the compiler refuses an unredacted report.
import type { RunReport } from '../model/report.ts';
import { redactDeep } from '../redaction/redactDeep.ts';

declare const redactedBrand: unique symbol;
/** A RunReport that went through `redactReport`. Writers take this type, never a plain RunReport. Read-only: a
 * redacted report is not redacted again, so adding text to it afterwards would bypass redaction. */
export type RedactedReport = RunReport & { readonly [redactedBrand]: true };

/** Reports this module produced, so redacting twice (scan, then writeReports) costs nothing the second time. */
const produced = new WeakSet<RunReport>();

/** Redacts the whole report (manifest, findings, evidence, waivers, warnings, reachability reasons). */
export function redactReport(report: RunReport): RedactedReport {
  if (produced.has(report)) return report as RedactedReport;
  const redacted = redactDeep(report) as RedactedReport;
  produced.add(redacted);
  return redacted;
}

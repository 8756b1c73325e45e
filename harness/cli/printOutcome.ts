// The few lines a person reads in a terminal or CI log after a scan/run; details live in the reports.
import pc from 'picocolors';
import type { RunReport } from '../model/report.ts';

export function printOutcome(report: RunReport, written: string[]): void {
  const { gate } = report;
  const c = gate.counts;
  const verdict = gate.passed ? pc.green('PASS') : pc.red('FAIL');
  const out = process.stdout;
  out.write(`gate: ${verdict} (fail-on ${gate.failOn}) — ${c.pass} pass, ${c.fail} fail, ${c.error} error, ${c.waived} waived, ${c['not-applicable']} not-applicable\n`);
  if (gate.failingControls.length > 0) out.write(`failing controls: ${gate.failingControls.join(', ')}\n`);
  for (const warning of report.warnings) out.write(`${pc.yellow('warning')}: ${warning}\n`);
  for (const file of written) out.write(`report: ${file}\n`);
}

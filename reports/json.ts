// The compliance JSON: the machine-readable record of a run, validated by reports/schema/report.schema.json
// (published as REPORT_SCHEMA_ID). It carries everything the other formats show, so they could be rebuilt from it.
import type { FrameworkRef, Layer, Result, Severity, Area, Finding } from '../harness/model/findings.ts';
import type { RunManifest, RunReport, WaiverStatus } from '../harness/model/report.ts';
import type { ReachabilityMatrix } from '../harness/model/reachability.ts';
import { notJudgedControls, type NotJudged } from '../harness/findings/notJudged.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import type { Inventory } from '../harness/model/inventory.ts';
import type { InputWarning } from '../harness/model/state.ts';
import { reachabilityMismatches, type ReachabilityMismatch } from './reachabilityDiff.ts';
import { AREAS, controlVerdicts, countByArea, countByFramework, emptyCounts, layerVerdicts, type Counts } from './verdicts.ts';

export const REPORT_SCHEMA_ID = 'https://clusterproof.dev/schemas/report-v1.json';
/** Bumped only on breaking changes; additive fields keep version 1. */
const REPORT_VERSION = 1;

interface JsonControl {
  id: string;
  title: string;
  area: Area;
  severity: Severity;
  rationale: string;
  remediation: string;
  references: FrameworkRef[];
  layers: { layer: Layer; result: Result; findings: number }[];
  result: Result;
  /** True when findings named this id but the catalogue does not define it. */
  unknown: boolean;
}

/**
 * A reachability matrix with rows as strings, one character per destination (`1` allowed, `0` blocked, `-` not
 * probed): the truth-table form the upstream e2e tests print, and small enough for 5,000-pod clusters
 * (a boolean array per cell would exceed what one JSON string can hold).
 */
interface JsonReachabilityMatrix {
  port: number;
  protocol: ReachabilityMatrix['protocol'];
  pods: string[];
  allowed: string[];
  observed?: string[];
  mismatches: ReachabilityMismatch[];
}

const ONE = 0x31;
const ZERO = 0x30;
const DASH = 0x2d;

/** One row as a flat string; built from bytes because 5,000 `+=` per row leave deep ropes that are slow to print. */
function row(cells: readonly (boolean | null | undefined)[]): string {
  const bytes = Buffer.allocUnsafe(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    bytes[i] = cell === true ? ONE : cell === false ? ZERO : DASH;
  }
  return bytes.toString('latin1');
}

function jsonMatrix(m: ReachabilityMatrix): JsonReachabilityMatrix {
  return {
    port: m.port,
    protocol: m.protocol,
    pods: m.pods,
    allowed: m.allowed.map(row),
    ...(m.observed ? { observed: m.observed.map(row) } : {}),
    mismatches: reachabilityMismatches(m),
  };
}

export interface JsonReport {
  $schema: typeof REPORT_SCHEMA_ID;
  reportVersion: typeof REPORT_VERSION;
  manifest: RunManifest;
  gate: RunReport['gate'];
  summary: {
    findings: Counts;
    controls: Counts;
    byArea: Record<Area, Counts>;
    byFramework: Record<string, Counts>;
    notJudged: NotJudged[];
  };
  controls: JsonControl[];
  findings: Finding[];
  waivers: {
    control: string;
    scope?: string;
    owner: string;
    reason: string;
    ticket?: string;
    expires: string;
    status: WaiverStatus;
    matched: number;
  }[];
  reachability: JsonReachabilityMatrix[];
  warnings: string[];
  inputWarnings: InputWarning[];
  inventory: Inventory;
}

export function buildJsonReport(report: RedactedReport): JsonReport {
  const verdicts = controlVerdicts(report);
  const findingCounts = emptyCounts();
  for (const f of report.findings) findingCounts[f.result] += 1;
  const controlCounts = emptyCounts();
  for (const v of verdicts) controlCounts[v.result] += 1;
  const byArea = countByArea(verdicts);
  return {
    $schema: REPORT_SCHEMA_ID,
    reportVersion: REPORT_VERSION,
    manifest: report.manifest,
    gate: report.gate,
    summary: {
      findings: findingCounts,
      controls: controlCounts,
      byArea: Object.fromEntries(AREAS.map((a) => [a, byArea.get(a) ?? emptyCounts()])) as Record<Area, Counts>,
      byFramework: Object.fromEntries(countByFramework(verdicts)),
      notJudged: notJudgedControls(report.findings),
    },
    controls: verdicts.map((v) => ({
      id: v.control.id,
      title: v.control.title,
      area: v.control.area,
      severity: v.control.severity,
      rationale: v.control.rationale,
      remediation: v.control.remediation,
      references: v.control.references,
      layers: layerVerdicts(v).map((l) => ({ layer: l.layer, result: l.result, findings: l.findings.length })),
      result: v.result,
      unknown: v.unknownControl,
    })),
    findings: report.findings,
    waivers: report.waivers.map(({ waiver, status, matched }) => ({ ...waiver, status, matched })),
    reachability: report.reachability.map(jsonMatrix),
    warnings: report.warnings,
    inputWarnings: report.inputWarnings,
    inventory: report.inventory,
  };
}

export function renderJson(report: RedactedReport): string {
  // bigint cannot be JSON; evidence values are `unknown`, so one could slip in.
  return `${JSON.stringify(buildJsonReport(report), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

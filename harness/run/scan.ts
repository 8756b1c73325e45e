// `clusterproof scan`: spec → collect (files) → suites in static mode → waivers → gate → reports. `run` (live.ts)
// uses the same two halves, with its teardown layer between them.
// The run either writes every requested report or fails before writing any (no partial report claims success).
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { prepareOutDir, writeReports, type ReportFormat } from '../../reports/write.ts';
import { loadStateFromPaths, type LoadOptions } from '../collect/files/loadFiles.ts';
import { loadControls } from '../controls/load.ts';
import { InputError, RunError } from '../errors.ts';
import { decideGate } from '../findings/gate.ts';
import { locateFindings } from '../findings/locate.ts';
import { inventoryOf } from '../findings/inventory.ts';
import { redactReport, type RedactedReport } from '../findings/redact.ts';
import { applyWaivers, expiredWaiverFindings } from '../findings/waivers.ts';
import { reachabilityForReport } from '../netpol/reportMatrices.ts';
import { LAYERS, type Control, type Finding, type Severity } from '../model/findings.ts';
import type { SuiteRunContext } from '../model/liveCheck.ts';
import type { RunReport } from '../model/report.ts';
import type { ClusterSpec, Profile } from '../model/spec.ts';
import type { ClusterState } from '../model/state.ts';
import { loadSpec } from '../spec/load.ts';
import { clusterFingerprint } from './fingerprint.ts';
import { layersFor } from './profiles.ts';
import { runSuites } from './runSuites.ts';
import { toolVersion } from '../version.ts';

export interface ScanOptions {
  paths: string[];
  /** How the paths are read: --namespace, and how kustomize directories and charts are rendered. */
  load?: LoadOptions;
  specFile?: string;
  profile?: Profile;
  outDir: string;
  formats: ReportFormat[];
  failOn: Severity;
  /** Extra suite folders the user maintains next to the shipped ones. */
  suiteDirs?: string[];
  /** Injected for tests of waiver expiry; defaults to now. */
  now?: Date;
}

export interface ScanOutcome {
  report: RedactedReport;
  written: string[];
}

export const SPEC_FILE_NAME = 'clusterproof.yaml';

export async function scan(options: ScanOptions): Promise<ScanOutcome> {
  const startedAt = new Date();
  await prepareOutDir(options.outDir);
  const specFile = options.specFile ?? findSpecFile(options.paths);
  const { spec, sha256: specSha } = await loadSpec(specFile);
  const state = await loadStateFromPaths(options.paths, options.load);
  const findings = await evaluateControls(options, spec, state, 'static');
  return reportFindings({ ...options, specFile }, spec, specSha, state, findings, startedAt, 'static');
}

/** The profile a run uses: the flag, else the spec's, else pr-gate. */
export function profileOf(options: Pick<ScanOptions, 'profile'>, spec: ClusterSpec): Profile {
  return options.profile ?? spec.spec.profile ?? 'pr-gate';
}

/** Run context a live run adds for its checks (the cluster, its probe image, the run's identity). */
type LiveRunContext = Pick<
  SuiteRunContext,
  'kubeconfig' | 'probeImage' | 'disruptiveAllowed' | 'runId' | 'clusterName' | 'provider' | 'context'
>;

/** The suites' layer of a run, shared by `scan` (files) and `run` (live): every control's findings, in catalogue order. */
export async function evaluateControls(
  options: Pick<ScanOptions, 'profile' | 'suiteDirs'>,
  spec: ClusterSpec,
  state: ClusterState,
  mode: 'static' | 'live',
  live: LiveRunContext = {},
): Promise<Finding[]> {
  const controls = loadControls();
  // Template workloads have no addresses: ipBlock rules are judged against the pod range the spec gives.
  if (!state.podCidrs && spec.spec.cidrs?.pods?.length) state.podCidrs = spec.spec.cidrs.pods.map((p) => p.cidr);
  const work = mkdtempSync(join(tmpdir(), 'clusterproof-scan-'));
  try {
    const statePath = join(work, 'state.json');
    const specPath = join(work, 'spec.json');
    writeFileSync(statePath, JSON.stringify(state));
    writeFileSync(specPath, JSON.stringify(spec));
    const suites = await runSuites(
      { mode, statePath, specPath, layers: layersFor(profileOf(options, spec), mode), ...live },
      options.suiteDirs,
    );
    if (suites.crashes.length > 0) {
      throw new RunError(`the compliance suites crashed:\n  ${suites.crashes.join('\n  ')}`);
    }
    // Suites finish in whatever order vitest schedules them; reports must not depend on that.
    return locateFindings(inCatalogueOrder(suites.findings, controls), state.origins);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The last layers of every run: waivers → gate → reports. */
export async function reportFindings(
  options: ScanOptions & { specFile: string },
  spec: ClusterSpec,
  specSha: string,
  state: ClusterState,
  suiteFindings: Finding[],
  startedAt: Date,
  mode: 'static' | 'live',
): Promise<ScanOutcome> {
  const controls = loadControls();
  const profile = profileOf(options, spec);
  const now = options.now ?? new Date();
  const waived = applyWaivers(suiteFindings, spec.spec.waivers ?? [], now);
  const findings = [...waived.findings, ...expiredWaiverFindings(spec.spec.waivers ?? [], now)];
  const gate = decideGate(findings, controls, options.failOn);
  const report: RunReport = {
    manifest: {
      tool: { name: 'clusterproof', version: toolVersion },
      mode,
      profile,
      spec: { file: options.specFile, name: spec.metadata.name, sha256: specSha },
      inputs: state.source.inputs,
      cluster: {
        fingerprint: clusterFingerprint(state),
        source: state.source.type,
        ...(state.source.server ? { server: state.source.server } : {}),
        ...(state.source.context ? { context: state.source.context } : {}),
      },
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
    },
    controls,
    findings,
    waivers: waived.waivers,
    reachability: reachabilityForReport(state, spec),
    warnings: waived.warnings,
    inputWarnings: state.warnings,
    inventory: inventoryOf(state),
    gate,
  };
  const redacted = redactReport(report);
  const written = await writeReports(redacted, options.outDir, options.formats);
  return { report: redacted, written };
}

/** Findings in catalogue order of their control, then by layer; stable within a control and layer. */
function inCatalogueOrder(findings: Finding[], controls: Control[]): Finding[] {
  const rank = new Map(controls.map((c, i) => [c.id, i]));
  const controlRank = (f: Finding): number => rank.get(f.controlId) ?? controls.length;
  return [...findings].sort(
    (a, b) =>
      controlRank(a) - controlRank(b) || a.controlId.localeCompare(b.controlId) || LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer),
  );
}

function findSpecFile(paths: string[]): string {
  for (const path of paths) {
    const dir = isDirectory(path) ? path : dirname(path);
    const candidate = resolve(dir, SPEC_FILE_NAME);
    if (existsSync(candidate)) return candidate;
  }
  throw new InputError([
    {
      file: paths.join(', '),
      message: `no ${SPEC_FILE_NAME} found in the scanned directories`,
      fix: `pass --spec path/to/spec.yaml, or add ${SPEC_FILE_NAME} (apiVersion: clusterproof.dev/v1alpha1, kind: ClusterSpec) to the scanned directory`,
    },
  ]);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    throw new InputError([{ file: path, message: 'cannot read this path', fix: 'check the path exists and is readable' }], {
      cause: error,
    });
  }
}

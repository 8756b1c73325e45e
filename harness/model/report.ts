// What a run produces before it is rendered: the input to every writer in reports/.
import type { Control, Finding, Result, Severity } from './findings.ts';
import type { Inventory } from './inventory.ts';
import type { ReachabilityMatrix } from './reachability.ts';
import type { Waiver } from './spec.ts';
import type { InputWarning } from './state.ts';

export interface RunManifest {
  tool: { name: 'clusterproof'; version: string };
  mode: 'static' | 'live';
  profile?: string;
  spec: { file?: string; name: string; sha256: string };
  inputs: { path: string; sha256: string }[];
  cluster: { fingerprint: string; source: 'files' | 'live' | 'bundle'; server?: string; context?: string };
  startedAt: string;
  endedAt: string;
  /** The report files this run wrote into its output directory (names, in --format order). */
  reports?: string[];
}

export type WaiverStatus = 'active' | 'expired' | 'unmatched';

export interface RunReport {
  manifest: RunManifest;
  /** The catalogue entries evaluated in this run. */
  controls: Control[];
  findings: Finding[];
  waivers: { waiver: Waiver; status: WaiverStatus; matched: number }[];
  reachability: ReachabilityMatrix[];
  /** Non-fatal problems worth showing (an unmatched waiver, an unknown kind skipped). */
  warnings: string[];
  /** What the input loader noticed but did not refuse (ClusterState.warnings), each with file:line and a fix. */
  inputWarnings: InputWarning[];
  /** What was read and judged. */
  inventory: Inventory;
  gate: { failOn: Severity; passed: boolean; counts: Record<Result, number>; failingControls: string[] };
}

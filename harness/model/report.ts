// What a run produces before it is rendered: the input to every writer in reports/.
import type { Control, Finding, Result, Severity } from './findings.ts';
import type { ReachabilityMatrix } from './reachability.ts';
import type { Waiver } from './spec.ts';

export interface RunManifest {
  tool: { name: 'clusterproof'; version: string };
  mode: 'static' | 'live';
  profile?: string;
  spec: { file?: string; name: string; sha256: string };
  inputs: { path: string; sha256: string }[];
  cluster: { fingerprint: string; source: 'files' | 'live' | 'bundle'; server?: string; context?: string };
  startedAt: string;
  endedAt: string;
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
  gate: { failOn: Severity; passed: boolean; counts: Record<Result, number>; failingControls: string[] };
}

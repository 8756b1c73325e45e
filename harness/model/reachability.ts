// A truth table of who may reach whom, shared by the static NetworkPolicy engine (expected) and the live
// probes (observed): one data type for both, so a failure is a matrix diff a person can read.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PortProtocol {
  port: number;
  protocol: Protocol;
}

export interface ReachabilityVerdict {
  from: string; // "namespace/pod"
  to: string; // "namespace/pod"
  port: number;
  protocol: Protocol;
  allowed: boolean;
  /** Names the policy and rule that allowed it, or says the pod is isolated and nothing allowed it. */
  reason: string;
}

export interface ReachabilityMatrix {
  port: number;
  protocol: Protocol;
  /** Row and column labels, "namespace/pod". */
  pods: string[];
  /** allowed[i][j]: may pods[i] reach pods[j] on port/protocol. */
  allowed: boolean[][];
  /** Filled by live probes: the same table as observed (null = not probed). */
  observed?: (boolean | null)[][];
}

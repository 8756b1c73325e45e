// What a run read, so a reader can tell "passed" from "passed because nothing was there": objects by kind and
// API version, the workloads judged, namespaces, NetworkPolicies, rendered directories and loader warnings.
import type { RenderedSource } from './state.ts';

export interface Inventory {
  /** Kubernetes objects by kind and apiVersion; `typed: false` for kinds no evaluator reads (kept, not judged). */
  kubernetes: { kind: string; apiVersion: string; count: number; typed: boolean }[];
  /** Cloud objects by kind (`vpcs`, `iamRoles`, …), from AWS CLI outputs, terraform plans or the SDK. */
  cloud: { kind: string; count: number }[];
  /** Workloads judged (Pods and pod templates, model/workloads.ts) by kind. */
  workloads: { kind: string; count: number }[];
  /** Every namespace declared or holding an object, sorted. */
  namespaces: string[];
  networkPolicies: number;
  /** Directories rendered by kustomize or helm before reading. */
  rendered: Pick<RenderedSource, 'tool' | 'path' | 'version' | 'objects'>[];
  /** Loader warnings (RunReport.inputWarnings). */
  warnings: number;
}

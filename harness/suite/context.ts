// What `clusterproof scan|run` hands to the vitest suites: paths to the collected state and the spec
// (workers are separate processes, so only serialisable values cross), and the layers this run covers.
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { Finding } from '../model/findings.ts';
import type { SuiteRunContext } from '../model/liveCheck.ts';
import type { ClusterSpec } from '../model/spec.ts';
import type { ClusterState } from '../model/state.ts';

declare module 'vitest' {
  interface ProvidedContext {
    clusterproof: SuiteRunContext | undefined;
  }
  interface TaskMeta {
    clusterproofFindings?: Finding[];
  }
}

export interface SuiteInputs {
  run: SuiteRunContext;
  state: ClusterState;
  spec: ClusterSpec;
}

let cached: { key: string; inputs: SuiteInputs } | undefined;

/** The run's inputs, read once per worker. Throws when a suite runs outside `clusterproof scan|run`. */
export function suiteInputs(): SuiteInputs {
  const run = inject('clusterproof');
  if (!run) {
    throw new Error('clusterproof suites run through `clusterproof scan` or `clusterproof run`, which provide the cluster state');
  }
  const key = `${run.statePath}\0${run.specPath}`;
  if (cached?.key !== key) {
    const state = JSON.parse(readFileSync(run.statePath, 'utf8')) as ClusterState;
    const spec = JSON.parse(readFileSync(run.specPath, 'utf8')) as ClusterSpec;
    cached = { key, inputs: { run, state, spec } };
  }
  return cached.inputs;
}

// The input a live check gets from `clusterproof run`, built for a test that calls one probe layer directly on the
// live tier's cluster: the state collected now, the given spec and control, the probe image, and a run id.
import { collectLive } from '../../../harness/collect/live/collectLive.ts';
import { controlById } from '../../../harness/controls/load.ts';
import type { Control, Finding } from '../../../harness/model/findings.ts';
import type { LiveCheckInput } from '../../../harness/model/liveCheck.ts';
import type { ClusterSpec } from '../../../harness/model/spec.ts';
import { liveInfo, probeImage } from './liveCluster.ts';

export async function probeInput(controlId: string, spec: ClusterSpec, runId: string): Promise<LiveCheckInput> {
  return {
    state: await collectLive({ kubeconfig: liveInfo().kubeconfig }),
    spec,
    control: controlById(controlId) as Control,
    run: {
      mode: 'live',
      statePath: '',
      specPath: '',
      layers: ['probe'],
      kubeconfig: liveInfo().kubeconfig,
      probeImage: probeImage(),
      runId,
    },
    platform: { nodeAccess: async () => ({ ok: false, reason: 'not used by this check' }), ownAddresses: async () => new Set() },
    staticFindings: [],
    signal: new AbortController().signal,
  };
}

export const showFindings = (fs: Finding[]): string => JSON.stringify(fs, null, 2);

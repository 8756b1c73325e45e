// Which layers each profile evaluates. A PR gate must be fast and safe (no cluster needed); game days exist to
// break things. Layers outside the profile are reported as not-applicable with the profile named.
import type { Layer } from '../model/findings.ts';
import type { Profile } from '../model/spec.ts';

export const PROFILE_LAYERS: Record<Profile, Layer[]> = {
  'pr-gate': ['plan', 'config'],
  nightly: ['plan', 'config', 'probe', 'teardown'],
  preprod: ['plan', 'config', 'probe', 'chaos', 'teardown'],
  gameday: ['config', 'probe', 'chaos', 'teardown'],
};

const STATIC_LAYERS: readonly Layer[] = ['plan', 'config'];

export function layersFor(profile: Profile, mode: 'static' | 'live'): Layer[] {
  const layers = PROFILE_LAYERS[profile];
  return mode === 'static' ? layers.filter((l) => STATIC_LAYERS.includes(l)) : layers;
}

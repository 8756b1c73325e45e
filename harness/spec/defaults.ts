// The defaults the schema documents (`default` keywords), applied in one place so evaluators never guess them.
// Pure: returns a new spec and leaves the loaded one untouched.
import type { ClusterSpec } from '../model/spec.ts';

const DEFAULT_PROFILE = 'pr-gate';

export function withDefaults(spec: ClusterSpec): ClusterSpec {
  const body = structuredClone(spec.spec);
  body.profile ??= DEFAULT_PROFILE;
  if (body.provider?.kind) body.provider.kind.nodeImage ??= 'build';
  if (body.networkPolicy?.defaultDeny) {
    body.networkPolicy.defaultDeny.ingress ??= true;
    body.networkPolicy.defaultDeny.egress ??= true;
  }
  if (body.mtls) body.mtls.mesh ??= 'istio';
  if (body.iam) {
    body.iam.imds ??= {};
    body.iam.imds.requireV2 ??= true;
    body.iam.imds.maxHopLimit ??= 1;
  }
  if (body.canary) body.canary.requireAnalysis ??= true;
  return { ...spec, spec: body };
}

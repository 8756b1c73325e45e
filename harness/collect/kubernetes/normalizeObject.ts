// The one normalisation both paths apply, so `collect` from files and from a live cluster give equal states:
// server bookkeeping kubectl hides (`managedFields`) goes, apiVersion/kind are present (list responses omit them on
// items), and credentials are redacted.
import { isRecord } from '../../model/isRecord.ts';
import { redactDeep } from '../../redaction/redactDeep.ts';

export type KubernetesObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata?: Record<string, unknown> & { name?: string; namespace?: string };
};

export function isKubernetesObject(value: unknown): value is KubernetesObject {
  return isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

export function normalizeKubernetesObject(object: KubernetesObject): KubernetesObject {
  const copy = redactDeep(object);
  if (isRecord(copy.metadata)) delete copy.metadata.managedFields;
  return copy;
}

/** The group part of an apiVersion: `networking.k8s.io/v1` → `networking.k8s.io`, `v1` → `` (core). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

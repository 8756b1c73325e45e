// kube2iam: a pod names its role in the `iam.amazonaws.com/role` annotation, and (with --namespace-restrictions)
// kube2iam only serves roles matching a glob in its namespace's `iam.amazonaws.com/allowed-roles` JSON list.
// Any service account in an allowing namespace can therefore obtain the role: the unit is the namespace.
import type { V1Namespace } from '@kubernetes/client-node';
import type { IamRole } from '../../model/state.ts';

export const ALLOWED_ROLES_ANNOTATION = 'iam.amazonaws.com/allowed-roles';
export const ROLE_ANNOTATION = 'iam.amazonaws.com/role';

type AllowedRoles = { ok: true; globs: string[] } | { ok: false; reason: string };

export function allowedRoles(namespace: V1Namespace): AllowedRoles {
  const raw = namespace.metadata?.annotations?.[ALLOWED_ROLES_ANNOTATION];
  if (raw === undefined) return { ok: true, globs: [] };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((g): g is string => typeof g === 'string')) return { ok: true, globs: parsed };
  } catch {
    // fall through to the shape error below
  }
  return { ok: false, reason: `${ALLOWED_ROLES_ANNOTATION} must be a JSON list of role names or globs, e.g. ["app-*"], got ${raw}` };
}

/** kube2iam's glob (ryanuber/go-glob): `*` matches any run of characters, including `/` and `:`. */
export function globMatches(glob: string, value: string): boolean {
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(value);
}

/** The first glob of the namespace that lets its pods use the role (kube2iam compares names and ARNs). */
export function allowingGlob(globs: readonly string[], role: IamRole): string | undefined {
  return globs.find((g) => globMatches(g, role.name) || globMatches(g, role.arn));
}

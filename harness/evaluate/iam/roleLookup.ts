// Resolving the role references found in specs, annotations and CLI flags (name, ARN, ARN with path).
import type { IamRole } from '../../model/state.ts';
import { sameRole } from './assumability.ts';

/** Exact ARN first, then name: two roles with one name in different accounts stay distinguishable by ARN. */
export function findRole(roles: readonly IamRole[], nameOrArn: string): IamRole | undefined {
  return roles.find((r) => r.arn === nameOrArn) ?? roles.find((r) => sameRole(nameOrArn, r));
}

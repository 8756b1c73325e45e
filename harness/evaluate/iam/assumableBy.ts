// `clusterproof iam assumable`: judge every ServiceAccount in the inputs against the one EKS cluster in the
// inputs for one role. Bad input (no or several clusters, unknown role) is an InputError that names the fix.
import { errorMessage, InputError } from '../../errors.ts';
import type { ClusterState, EksCluster, IamRole } from '../../model/state.ts';
import { assumable } from './assumability.ts';
import { findRole } from './roleLookup.ts';

export interface AssumableResult {
  serviceAccount: string;
  assumable: boolean;
  reason: string;
}

export async function assumableBy(
  state: ClusterState,
  roleNameOrArn: string,
): Promise<{ cluster: EksCluster; role: IamRole; results: AssumableResult[] }> {
  const clusters = state.cloud.eksClusters;
  const cluster = clusters[0];
  if (!cluster || clusters.length > 1) {
    throw new InputError([
      {
        file: '(inputs)',
        message:
          clusters.length === 0
            ? 'no EKS cluster in the inputs'
            : `${clusters.length} EKS clusters in the inputs (${clusters.map((c) => `${c.name}${c.source ? ` from ${c.source.file}` : ''}`).join(', ')}); service accounts are judged against exactly one`,
        fix:
          clusters.length === 0
            ? 'add the output of `aws eks describe-cluster --name NAME`'
            : 'pass the describe-cluster output of one cluster only',
      },
    ]);
  }
  const role = findRole(state.cloud.iamRoles, roleNameOrArn);
  if (!role) {
    const known = state.cloud.iamRoles.map((r) => `${r.name} (${r.arn})`);
    throw new InputError([
      {
        file: '--role',
        message: `role ${roleNameOrArn} is not in the inputs; known roles: ${known.length ? known.join(', ') : 'none'}`,
        fix: 'pass a role name or ARN from the inputs, or add the output of `aws iam get-role --role-name NAME`',
      },
    ]);
  }
  const accounts = state.kubernetes.serviceAccounts
    .map((sa) => ({ namespace: sa.metadata?.namespace ?? 'default', serviceAccount: sa.metadata?.name ?? '' }))
    .sort((a, b) => `${a.namespace}/${a.serviceAccount}`.localeCompare(`${b.namespace}/${b.serviceAccount}`));
  const results: AssumableResult[] = [];
  for (const subject of accounts) {
    try {
      const verdict = await assumable(role, cluster, state.cloud.podIdentityAssociations, subject);
      results.push({
        serviceAccount: `${subject.namespace}/${subject.serviceAccount}`,
        assumable: verdict.assumable,
        reason: verdict.reason,
      });
    } catch (error) {
      throw new InputError(
        [
          {
            file: role.source?.file ?? '(inputs)',
            ...(role.source?.line === undefined ? {} : { line: role.source.line }),
            pointer: '/Role/AssumeRolePolicyDocument',
            message: `the trust policy of ${role.name} cannot be evaluated: ${errorMessage(error)}`,
          },
        ],
        { cause: error },
      );
    }
  }
  return { cluster, role, results };
}

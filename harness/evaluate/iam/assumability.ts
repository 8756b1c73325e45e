// Can this Kubernetes service account obtain credentials for this IAM role in this EKS cluster?
// Shared by the iam-pod-isolation control and `clusterproof iam assumable`.
//
// IRSA: any pod can request a projected token for its service account with audience `sts.amazonaws.com`,
// whatever the role annotation says, so the trust policy alone decides (evaluated for the cluster's issuer).
// EKS Pod Identity: the agent assumes the role as `pods.eks.amazonaws.com` (sts:AssumeRole + sts:TagSession)
// only for an existing association, with the session tags EKS sets, so both must hold.
import type { EksCluster, IamRole, PodIdentityAssociation } from '../../model/state.ts';
import { assertPolicyGrammar } from './policyGrammar.ts';
import { subPrefilter } from './subPrefilter.ts';
import { IRSA_ALIAS, accountOf, aliasIssuer, simulateTrust, type TrustDecision } from './trustSimulation.ts';

const IRSA_AUDIENCE = 'sts.amazonaws.com';
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

export interface Subject {
  namespace: string;
  serviceAccount: string;
}

export interface Assumability {
  assumable: boolean;
  reason: string;
  /** Trust policy statements that allowed it (empty when not assumable). */
  statements: string[];
}

export function issuerHostPath(cluster: EksCluster): string | undefined {
  return cluster.oidcIssuer?.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

export function subjectClaim(subject: Subject): string {
  return `system:serviceaccount:${subject.namespace}:${subject.serviceAccount}`;
}

/** IRSA verdict for a token of `subject` from the cluster's issuer, with the given audience. */
export async function irsaAssumable(role: IamRole, cluster: EksCluster, subject: Subject, audience = IRSA_AUDIENCE): Promise<Assumability> {
  const issuer = issuerHostPath(cluster);
  if (!issuer) throw new Error(`EKS cluster ${cluster.name} has no identity.oidc.issuer, so IRSA cannot be evaluated`);
  const who = `a token for ${subjectClaim(subject)} (aud ${audience}) from ${issuer}`;
  checkTrustGrammar(role);
  const couldMatch = prefilterFor(role, issuer);
  if (couldMatch && !couldMatch(subjectClaim(subject))) return verdict('IRSA', role, { allowed: false, allowedBy: [], deniedBy: [] }, who);
  const decision = await simulateTrust(role, aliasIssuer(role.trustPolicy, issuer), {
    action: 'sts:AssumeRoleWithWebIdentity',
    principal: `arn:aws:iam::${accountOf(role.arn)}:oidc-provider/${IRSA_ALIAS}`,
    contextVariables: { [`${IRSA_ALIAS}:sub`]: subjectClaim(subject), [`${IRSA_ALIAS}:aud`]: audience },
  });
  return verdict('IRSA', role, decision, who);
}

const grammatical = new WeakSet<IamRole>();

/** Before any reading of the trust policy (the prefilter too): a policy AWS rejects is an error, never a verdict. */
function checkTrustGrammar(role: IamRole): void {
  if (grammatical.has(role)) return;
  assertPolicyGrammar(role.trustPolicy, 'trust');
  grammatical.add(role);
}

const prefilters = new WeakMap<IamRole, Map<string, ((sub: string) => boolean) | undefined>>();

function prefilterFor(role: IamRole, issuer: string): ((sub: string) => boolean) | undefined {
  let byIssuer = prefilters.get(role);
  if (!byIssuer) prefilters.set(role, (byIssuer = new Map()));
  if (!byIssuer.has(issuer)) byIssuer.set(issuer, subPrefilter(role.trustPolicy, issuer));
  return byIssuer.get(issuer);
}

/** The session tags EKS Pod Identity attaches; pod name/uid are unknown statically, so placeholders stand in. */
function podIdentitySessionTags(cluster: EksCluster, subject: Subject): Record<string, string> {
  return {
    'eks-cluster-arn': cluster.arn ?? '',
    'eks-cluster-name': cluster.name,
    'kubernetes-namespace': subject.namespace,
    'kubernetes-service-account': subject.serviceAccount,
    'kubernetes-pod-name': 'clusterproof-static-pod',
    'kubernetes-pod-uid': '00000000-0000-0000-0000-000000000000',
  };
}

export async function podIdentityAssumable(
  role: IamRole,
  cluster: EksCluster,
  associations: readonly PodIdentityAssociation[],
  subject: Subject,
): Promise<Assumability> {
  checkTrustGrammar(role);
  const association = associations.find(
    (a) =>
      a.clusterName === cluster.name &&
      a.namespace === subject.namespace &&
      a.serviceAccount === subject.serviceAccount &&
      sameRole(a.roleArn, role),
  );
  if (!association) {
    return {
      assumable: false,
      statements: [],
      reason: `Pod Identity: no association of ${subject.namespace}/${subject.serviceAccount} with ${role.name} in cluster ${cluster.name}`,
    };
  }
  const tags = podIdentitySessionTags(cluster, subject);
  const context: Record<string, string | string[]> = { 'aws:TagKeys': Object.keys(tags) };
  for (const [key, value] of Object.entries(tags)) context[`aws:RequestTag/${key}`] = value;
  if (cluster.arn) {
    context['aws:SourceArn'] = cluster.arn;
    context['aws:SourceAccount'] = accountOf(cluster.arn);
  }
  const label = `the ${POD_IDENTITY_PRINCIPAL} session for ${subject.namespace}/${subject.serviceAccount} in ${cluster.name} (association ${association.associationId ?? 'without id'})`;
  const decisions: TrustDecision[] = [];
  for (const action of ['sts:AssumeRole', 'sts:TagSession'] as const) {
    const decision = await simulateTrust(role, role.trustPolicy, { action, principal: POD_IDENTITY_PRINCIPAL, contextVariables: context });
    if (!decision.allowed) return verdict(`Pod Identity (${action})`, role, decision, label);
    decisions.push(decision);
  }
  const allowedBy = [...new Set(decisions.flatMap((d) => d.allowedBy))];
  return verdict('Pod Identity (sts:AssumeRole + sts:TagSession)', role, { allowed: true, allowedBy, deniedBy: [] }, label);
}

function verdict(mechanism: string, role: IamRole, decision: TrustDecision, who: string): Assumability {
  if (decision.allowed) {
    return {
      assumable: true,
      statements: decision.allowedBy,
      reason: `${mechanism}: ${decision.allowedBy.join(', ')} of ${role.name}'s trust policy allows ${who}`,
    };
  }
  if (decision.deniedBy.length > 0) {
    return {
      assumable: false,
      statements: [],
      reason: `${mechanism}: ${decision.deniedBy.join(', ')} of ${role.name}'s trust policy denies ${who}`,
    };
  }
  return { assumable: false, statements: [], reason: `${mechanism}: no statement of ${role.name}'s trust policy allows ${who}` };
}

export function sameRole(nameOrArn: string, role: IamRole): boolean {
  // Role ARNs may carry a path (`role/team/name`); a bare name matches the role's name.
  return nameOrArn === role.arn || nameOrArn === role.name || (nameOrArn.startsWith('arn:') && nameOrArn.endsWith(`/${role.name}`));
}

/** Either mechanism suffices; the reason names both when neither works. */
export async function assumable(
  role: IamRole,
  cluster: EksCluster,
  associations: readonly PodIdentityAssociation[],
  subject: Subject,
): Promise<Assumability> {
  const irsa = issuerHostPath(cluster) ? await irsaAssumable(role, cluster, subject) : undefined;
  if (irsa?.assumable) return irsa;
  const podIdentity = await podIdentityAssumable(role, cluster, associations, subject);
  if (podIdentity.assumable) return podIdentity;
  const irsaReason = irsa?.reason ?? `IRSA: cluster ${cluster.name} has no OIDC issuer`;
  return { assumable: false, statements: [], reason: `${irsaReason}; ${podIdentity.reason}` };
}

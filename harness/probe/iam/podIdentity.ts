// What identity an admitted Pod carries, and what is wrong with it, judged from the Pod object, its ServiceAccount's
// IRSA annotation and the Secrets it mounts. Secret values are only searched for the `aws_access_key_id` marker and
// never returned: the observation holds names.
import type { V1Pod } from '@kubernetes/client-node';
import { IRSA_AUDIENCE } from '../../model/awsIdentity.ts';
import type { IamTenant } from '../../model/spec.ts';

/** `probe awsenv` output (images/probe/awsenv.go). */
export interface AwsEnv {
  roleArn?: string;
  tokenFile?: string;
  token?: { aud: string[]; sub: string; iss: string; exp: number };
  tokenError?: string;
  staticEnv: string[];
  credentialFiles: string[];
}

export interface PodIdentityObserved {
  injectedRole: string | undefined;
  serviceAccountRole: string | undefined;
  tenantRole: string | undefined;
  tokenAudiences: string[];
  staticCredentials: string[];
}

const STATIC_ENV = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

/** The AWS_ROLE_ARN values the pod's containers carry (IRSA injects the same into each). */
export function injectedRoles(pod: V1Pod): string[] {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return [
    ...new Set(containers.flatMap((c) => (c.env ?? []).filter((e) => e.name === 'AWS_ROLE_ARN' && e.value).map((e) => e.value ?? ''))),
  ];
}

/** A tenant's role is a name or an ARN; an injected role is an ARN. */
export function roleMatches(arn: string, role: string): boolean {
  return role.startsWith('arn:') ? arn === role : arn.split('/').at(-1) === role;
}

export async function podIdentityProblems(
  pod: V1Pod,
  ctx: {
    annotation: string | undefined;
    tenants: readonly IamTenant[];
    /** A Secret's decoded data by name (undefined when unreadable). */
    secrets: (name: string) => Promise<Record<string, string> | undefined>;
  },
): Promise<{ problems: string[]; observed: PodIdentityObserved }> {
  const namespace = pod.metadata?.namespace ?? '';
  const account = pod.spec?.serviceAccountName ?? 'default';
  const roles = injectedRoles(pod);
  const injected = roles[0];
  const tenant = ctx.tenants.find((t) => t.namespace === namespace && t.serviceAccount === account);
  const audiences = (pod.spec?.volumes ?? []).flatMap((v) =>
    (v.projected?.sources ?? []).flatMap((s) => (s.serviceAccountToken?.audience ? [s.serviceAccountToken.audience] : [])),
  );
  const staticCredentials = await staticCredentialSources(pod, ctx.secrets);
  const problems: string[] = [];
  if (roles.length > 1) problems.push(`its containers carry different roles (${roles.join(', ')})`);
  if (ctx.annotation && !injected)
    problems.push(`ServiceAccount ${account} names role ${ctx.annotation}, but none was injected (is the IRSA webhook running?)`);
  if (injected && ctx.annotation && injected !== ctx.annotation)
    problems.push(`injected role ${injected} is not its ServiceAccount's ${ctx.annotation}`);
  if (injected && !ctx.annotation) problems.push(`carries role ${injected} although ServiceAccount ${account} names none (set by hand?)`);
  if (tenant && injected && !roleMatches(injected, tenant.role))
    problems.push(`injected role ${injected} is not tenant role ${tenant.role}`);
  if (tenant && !injected) problems.push(`tenant ${namespace}/${account} should hold ${tenant.role} but has no role`);
  const borrowed = ctx.tenants.find((t) => t !== tenant && injected !== undefined && roleMatches(injected, t.role));
  if (borrowed) problems.push(`carries tenant ${borrowed.namespace}/${borrowed.serviceAccount}'s role ${borrowed.role}`);
  if (injected && !audiences.includes(IRSA_AUDIENCE))
    problems.push(`its projected token's audience is ${audiences.join(', ') || 'missing'}, not ${IRSA_AUDIENCE}`);
  if (staticCredentials.length > 0) problems.push(`static AWS credentials in ${staticCredentials.join(', ')}`);
  return {
    problems,
    observed: {
      injectedRole: injected,
      serviceAccountRole: ctx.annotation,
      tenantRole: tenant?.role,
      tokenAudiences: audiences,
      staticCredentials,
    },
  };
}

/** Where static credentials reach the pod: env names, env from Secrets, mounted Secrets holding aws_access_key_id. */
async function staticCredentialSources(
  pod: V1Pod,
  secrets: (name: string) => Promise<Record<string, string> | undefined>,
): Promise<string[]> {
  const found: string[] = [];
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const e of c.env ?? []) if (STATIC_ENV.has(e.name)) found.push(`container ${c.name} env ${e.name}`);
    for (const from of c.envFrom ?? []) {
      const name = from.secretRef?.name;
      if (!name) continue;
      const keys = Object.keys((await secrets(name)) ?? {}).filter((k) => STATIC_ENV.has(`${from.prefix ?? ''}${k}`));
      for (const k of keys) found.push(`container ${c.name} envFrom Secret ${name} key ${k}`);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    const names = [v.secret?.secretName, ...(v.projected?.sources ?? []).map((s) => s.secret?.name)].filter((n): n is string => !!n);
    for (const name of names) {
      const data = (await secrets(name)) ?? {};
      for (const [key, value] of Object.entries(data)) {
        if (/aws_access_key_id/i.test(key) || /aws_access_key_id/i.test(value) || STATIC_ENV.has(key))
          found.push(`volume ${v.name} (Secret ${name} key ${key})`);
      }
    }
  }
  return found;
}

// Control iam-pod-isolation, probe layer: each pod holds the AWS identity meant for it and nothing else.
//  - Inside the pod: for every tenant of spec.iam a pod of the tenant's ServiceAccount runs `probe awsenv` and
//    reports the role IRSA injected, the projected token's audience and subject, and any static credentials.
//  - Every running pod in the tenant namespaces, and every pod anywhere that carries AWS_ROLE_ARN, as admitted by
//    the API server: injected role = its ServiceAccount's annotation = the spec's tenant role (a pod outside the
//    tenant mapping must not carry a tenant's role), token audience sts.amazonaws.com, and no static credentials in
//    its environment or mounted Secrets (Secrets are read for key names and the `aws_access_key_id` marker only).
// Whether STS would accept one tenant's token for another tenant's role is decided by the roles' trust policies,
// which no local API enforces: that half is the config layer's (the static trust-policy evaluator), and the
// evidence says so.
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { errorMessage } from '../../errors.ts';
import { finding, notAskedFor } from '../../findings/finding.ts';
import { clusterApi, requireRunId } from '../../kubernetes/clusterApi.ts';
import { K8S_RUN_LABEL } from '../../kubernetes/runLabels.ts';
import { IRSA_AUDIENCE, IRSA_ROLE_ANNOTATION } from '../../model/awsIdentity.ts';
import type { Evidence, Finding } from '../../model/findings.ts';
import type { LiveCheck, LiveCheckInput } from '../../model/liveCheck.ts';
import type { IamTenant } from '../../model/spec.ts';
import { platformAbsent } from '../platformAbsent.ts';
import { runProbeCommand } from '../probePods.ts';
import { identitySources, sourcesEvidence } from './identitySources.ts';
import { injectedRoles, podIdentityProblems, roleMatches, type AwsEnv } from './podIdentity.ts';

const LAYER = 'probe';
const POD_MS = 120_000;

export const probePodIsolation: LiveCheck = async (input) => {
  const iam = input.spec.spec.iam;
  if (!iam) return [notAskedFor(input.control.id, LAYER, 'pod IAM isolation', 'iam')];
  const sources = await identitySources(input);
  const context = sourcesEvidence(sources);
  if (!sources.metadataService && !sources.irsaWebhook) {
    return platformAbsent(
      input,
      `No AWS identity source on this cluster (no metadata service: nodes have providerID ${sources.providerSchemes.join(', ')}; no IRSA webhook), so there is no pod identity to observe.`,
      [context],
    );
  }
  const trust: Evidence = {
    type: 'observation',
    what: 'cross-tenant AssumeRoleWithWebIdentity',
    observed: `judged by the config layer from the collected roles' trust policies (no local API enforces trust policies); config layer: ${summarise(input.staticFindings)}`,
  };
  const runId = requireRunId(input.run);
  const { core } = clusterApi(input.run);
  const findings: Finding[] = [];
  // Pods as they run now, before this layer's own probe pods exist.
  const pods = (await core.listPodForAllNamespaces({})).items.filter(
    (p) => p.status?.phase === 'Running' && !p.metadata?.labels?.[K8S_RUN_LABEL] && inScope(p, iam.tenants),
  );
  const reads = clusterReads(core); // replicas share their ServiceAccount and Secrets: each is read once
  for (const pod of pods) findings.push(await judgePod(input, reads, pod, iam.tenants, [context, trust]));
  for (const tenant of iam.tenants) findings.push(await observeTenant(input, core, tenant, runId, [context, trust]));
  return findings;
};

function inScope(pod: V1Pod, tenants: readonly IamTenant[]): boolean {
  const ns = pod.metadata?.namespace ?? '';
  return tenants.some((t) => t.namespace === ns) || injectedRoles(pod).length > 0;
}

/** ServiceAccount annotations and decoded Secret data, each read once per layer run. */
function clusterReads(core: CoreV1Api) {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, read());
    return cache.get(key) as Promise<T>;
  };
  return {
    roleAnnotation: (namespace: string, name: string): Promise<string | undefined> =>
      once(`sa/${namespace}/${name}`, () =>
        core.readNamespacedServiceAccount({ name, namespace }).then(
          (sa) => sa.metadata?.annotations?.[IRSA_ROLE_ANNOTATION],
          () => undefined,
        ),
      ),
    secretData: (namespace: string, name: string): Promise<Record<string, string> | undefined> =>
      once(`secret/${namespace}/${name}`, () =>
        core.readNamespacedSecret({ name, namespace }).then(
          (s) => Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])),
          () => undefined,
        ),
      ),
  };
}

async function judgePod(
  input: LiveCheckInput,
  reads: ReturnType<typeof clusterReads>,
  pod: V1Pod,
  tenants: readonly IamTenant[],
  context: Evidence[],
): Promise<Finding> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const account = pod.spec?.serviceAccountName ?? 'default';
  const annotation = await reads.roleAnnotation(namespace, account);
  const secrets = (secretName: string) => reads.secretData(namespace, secretName);
  const { problems, observed } = await podIdentityProblems(pod, { annotation, tenants, secrets });
  const subject = { kind: 'Pod', namespace, name };
  const evidence: Evidence[] = [
    { type: 'observation', what: `pod ${namespace}/${name} (ServiceAccount ${account})`, observed },
    ...context,
  ];
  return finding({
    controlId: input.control.id,
    layer: LAYER,
    result: problems.length > 0 ? 'fail' : 'pass',
    subject,
    message:
      problems.length > 0
        ? `Pod ${namespace}/${name}: ${problems.join('; ')}.`
        : `Pod ${namespace}/${name} holds only the identity meant for ServiceAccount ${account} (${observed.injectedRole ?? 'no AWS role'}), with no static credentials.`,
    evidence,
  });
}

/** A pod of the tenant's ServiceAccount reports what it was given, from inside. */
async function observeTenant(
  input: LiveCheckInput,
  core: CoreV1Api,
  tenant: IamTenant,
  runId: string,
  context: Evidence[],
): Promise<Finding> {
  const subject = { kind: 'ServiceAccount', namespace: tenant.namespace, name: tenant.serviceAccount };
  const base = { controlId: input.control.id, layer: LAYER, subject } as const;
  let env: AwsEnv;
  try {
    const r = await runProbeCommand(
      core,
      {
        namespace: tenant.namespace,
        name: `cp-awsenv-${runId}`.slice(0, 63),
        runId,
        image: input.run.probeImage ?? '',
        serviceAccount: tenant.serviceAccount,
        restricted: true,
      },
      ['awsenv'],
      Date.now() + POD_MS,
    );
    env = JSON.parse(r.log.split('\n').find((l) => l.startsWith('{')) ?? 'null') as AwsEnv;
    if (!env) throw new Error(`probe awsenv printed nothing (pod ${r.phase}, exit ${r.exitCode ?? '?'})`);
  } catch (error) {
    return finding({
      ...base,
      result: 'error',
      message: `No pod of tenant ${tenant.namespace}/${tenant.serviceAccount} could be observed: ${errorMessage(error).split('\n')[0]}.`,
      evidence: context,
    });
  }
  const subjectWanted = `system:serviceaccount:${tenant.namespace}:${tenant.serviceAccount}`;
  const problems = [
    !env.roleArn ? `no role injected (AWS_ROLE_ARN unset; want ${tenant.role})` : undefined,
    env.roleArn && !roleMatches(env.roleArn, tenant.role) ? `injected role ${env.roleArn} is not the tenant's ${tenant.role}` : undefined,
    env.tokenError ? `token file unreadable: ${env.tokenError}` : undefined,
    env.token && !env.token.aud.includes(IRSA_AUDIENCE) ? `token audience ${env.token.aud.join(',')} lacks ${IRSA_AUDIENCE}` : undefined,
    env.token && env.token.sub !== subjectWanted ? `token subject ${env.token.sub} is not ${subjectWanted}` : undefined,
    env.staticEnv.length > 0 ? `static credentials in its environment (${env.staticEnv.join(', ')})` : undefined,
    env.credentialFiles.length > 0 ? `shared credentials files ${env.credentialFiles.join(', ')}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return finding({
    ...base,
    result: problems.length > 0 ? 'fail' : 'pass',
    message:
      problems.length > 0
        ? `A pod of tenant ${tenant.namespace}/${tenant.serviceAccount}: ${problems.join('; ')}.`
        : `A pod of tenant ${tenant.namespace}/${tenant.serviceAccount} holds role ${env.roleArn} with a token for ${IRSA_AUDIENCE} as ${subjectWanted}, and no static credentials.`,
    evidence: [
      { type: 'observation', what: `inside a pod of ${tenant.namespace}/${tenant.serviceAccount} (probe awsenv)`, observed: env },
      ...context,
    ],
  });
}

function summarise(findings: readonly Finding[]): string {
  const config = findings.filter((f) => f.layer === 'config');
  if (config.length === 0) return 'no findings';
  const counts = new Map<string, number>();
  for (const f of config) counts.set(f.result, (counts.get(f.result) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).join(', ');
}

// Control `iam-pod-isolation`: each tenant's IAM role can be obtained by the tenant's service account and by
// nothing else in the cluster. Its helpers are in iam/, shared with iam-node-role-inheritance (hence not named
// after either control).
//
// IRSA and EKS Pod Identity: for every role in scope (tenant roles, and roles whose trust names the cluster's
// OIDC issuer or pods.eks.amazonaws.com) the trust policy is evaluated (iam/assumability.ts) for every service
// account in the inputs, every tenant's, and — for IRSA — probes no object defines: "a new SA in namespace N"
// (for every namespace in the inputs) and "an SA in a namespace nobody created yet". A probe that gets in means a
// wildcard or a missing `:sub` condition: one finding for the role, not one per service account. IRSA trust that still
// allows a token minted for another audience (no `:aud` condition) fails too.
// kube2iam: the namespace's `iam.amazonaws.com/allowed-roles` globs decide (iam/kube2iam.ts). kube2iam serves any
// pod of an allowed namespace, whatever its service account, so the unit checked is the namespace; a pod that uses a
// tenant role under another service account of the tenant's own namespace fails, since nothing can stop it.
// A trust policy the simulator cannot evaluate faithfully is `error` for that role, never a guess.
import type { AsyncEvaluator } from '../model/evaluator.ts';
import type { Evidence, Finding, Layer, ObjectRef } from '../model/findings.ts';
import type { IamSpec, IamTenant } from '../model/spec.ts';
import { objectKey, type ClusterState, type EksCluster, type IamRole } from '../model/state.ts';
import {
  irsaAssumable,
  issuerHostPath,
  podIdentityAssumable,
  POD_IDENTITY_PRINCIPAL,
  sameRole,
  subjectClaim,
  type Assumability,
  type Subject,
} from './iam/assumability.ts';
import { allowedRoles, allowingGlob, ALLOWED_ROLES_ANNOTATION, ROLE_ANNOTATION } from './iam/kube2iam.ts';
import { findRole } from './iam/roleLookup.ts';
import { workloadsIn, workloadsOf } from '../model/workloads.ts';
import { errorMessage } from '../errors.ts';

const PROBE_SA = 'clusterproof-probe-sa';
const PROBE_NAMESPACE = 'clusterproof-probe-ns';
const PROBE_AUDIENCE = 'clusterproof-probe-audience';
/** Service accounts listed as evidence under a proven wildcard. */
const MAX_ILLUSTRATIONS = 20;

interface Candidate extends Subject {
  /** How a person should read the subject in a message. */
  label: string;
  probe: 'namespace' | 'any' | undefined;
}

export const evaluateIamPodIsolation: AsyncEvaluator = async ({ state, spec, control }) => {
  const iam = spec.spec.iam;
  const finding = (
    result: Finding['result'],
    message: string,
    evidence: Evidence[],
    subject?: ObjectRef,
    layer: Layer = 'config',
  ): Finding => ({ controlId: control.id, layer, result, message, evidence, ...(subject ? { subject } : {}) });
  if (!iam) return [finding('not-applicable', 'The spec declares no iam section, so no tenant isolation is required.', [])];

  const findings: Finding[] = [];
  const tenantRoles = new Map<IamRole, IamTenant[]>();
  for (const tenant of iam.tenants) {
    const role = findRole(state.cloud.iamRoles, tenant.role);
    if (!role) {
      findings.push(
        finding(
          'error',
          `Tenant ${tenant.namespace}/${tenant.serviceAccount}: role ${tenant.role} is not in the inputs, so who can assume it is unknown.`,
          [{ type: 'missing-input', what: `IAM role ${tenant.role}`, detail: 'add `aws iam get-role --role-name NAME` output' }],
        ),
      );
      continue;
    }
    tenantRoles.set(role, [...(tenantRoles.get(role) ?? []), tenant]);
  }

  // Roles whose assumers were actually worked out: a pass must rest on at least one.
  const checked: IamRole[] = [];
  if (iam.mode === 'kube2iam') {
    findings.push(...kube2iamFindings(state, tenantRoles, finding));
    checked.push(...tenantRoles.keys());
  } else {
    findings.push(...(await trustFindings(state, spec.spec.provider?.aws?.clusterName, iam, tenantRoles, finding, checked)));
  }

  if (findings.length === 0 && checked.length === 0) {
    return [
      finding('not-applicable', 'The spec names no tenants and no role in the inputs trusts the cluster, so there is nothing to isolate.', [
        { type: 'missing-input', what: 'tenant roles' },
      ]),
    ];
  }
  if (findings.length === 0) {
    const owned = [...tenantRoles.keys()];
    const message =
      iam.mode === 'kube2iam'
        ? `${checked.length} tenant role(s) checked: through kube2iam each is allowed (${ALLOWED_ROLES_ANNOTATION}) only in its tenants' namespaces, and no pod there uses it under another service account (kube2iam isolates namespaces, not service accounts).`
        : `${checked.length} role(s) checked (${owned.length} tenant role(s)): each can be obtained only by its tenants' service accounts, and no trust admits a wildcard of service accounts (${iam.mode}).`;
    findings.push(
      finding(
        'pass',
        message,
        checked.map((role) => ({
          type: 'object',
          ref: roleRef(role),
          detail: `tenants: ${(tenantRoles.get(role) ?? []).map((t) => `${t.namespace}/${t.serviceAccount}`).join(', ') || 'none'}`,
        })),
        undefined,
        checked.every((r) => r.planned) ? 'plan' : 'config',
      ),
    );
  }
  // kube2iam isolates namespaces (a missing tenant namespace is an error above); IRSA and Pod Identity, service accounts.
  if (iam.mode !== 'kube2iam') findings.push(...absentTenants(state, iam, finding));
  return findings;
};

/**
 * Tenants the inputs show no sign of (no ServiceAccount, no workload running as it), when the inputs hold Kubernetes
 * objects at all: their role's trust is still judged above, but nothing in the cluster could be isolated yet.
 */
function absentTenants(state: ClusterState, iam: IamSpec, finding: MakeFinding): Finding[] {
  const k = state.kubernetes;
  const workloads = workloadsOf(state);
  if (k.namespaces.length === 0 && k.serviceAccounts.length === 0 && workloads.length === 0) return [];
  return iam.tenants
    .filter(
      (t) =>
        !k.serviceAccounts.some((sa) => sa.metadata?.name === t.serviceAccount && (sa.metadata?.namespace ?? 'default') === t.namespace) &&
        !workloads.some(
          (w) =>
            w.namespace === t.namespace && (w.pod.spec?.serviceAccountName ?? w.pod.spec?.serviceAccount ?? 'default') === t.serviceAccount,
        ),
    )
    .map((t) =>
      finding(
        'not-applicable',
        `Tenant ${t.namespace}/${t.serviceAccount}: no ServiceAccount ${t.namespace}/${t.serviceAccount} and no workload running as it in the inputs, so no pod of this tenant could be judged (its role's trust is judged on its own).`,
        [
          {
            type: 'missing-input',
            what: `ServiceAccount ${t.namespace}/${t.serviceAccount}`,
            detail: "add the tenant's ServiceAccount or the workloads that run as it to the inputs",
          },
        ],
        { kind: 'ServiceAccount', namespace: t.namespace, name: t.serviceAccount },
      ),
    );
}

type MakeFinding = (result: Finding['result'], message: string, evidence: Evidence[], subject?: ObjectRef, layer?: Layer) => Finding;

async function trustFindings(
  state: ClusterState,
  clusterName: string | undefined,
  iam: IamSpec,
  tenantRoles: Map<IamRole, IamTenant[]>,
  finding: MakeFinding,
  checked: IamRole[],
): Promise<Finding[]> {
  const clusters = state.cloud.eksClusters.filter((c) => clusterName === undefined || c.name === clusterName);
  const cluster = clusters[0];
  if (!cluster || clusters.length > 1) {
    const known = state.cloud.eksClusters.map((c) => c.name).join(', ') || 'none';
    return [
      finding(
        'error',
        `Cannot tell which EKS cluster the ${iam.mode} trust is evaluated for (found: ${known}); add \`aws eks describe-cluster\` output or set spec.provider.aws.clusterName.`,
        [{ type: 'missing-input', what: 'EKS cluster', detail: `clusters in inputs: ${known}` }],
      ),
    ];
  }
  if (iam.mode === 'irsa' && !issuerHostPath(cluster)) {
    return [
      finding('error', `EKS cluster ${cluster.name} has no OIDC issuer in the inputs, so IRSA trust cannot be evaluated.`, [
        { type: 'missing-input', what: 'identity.oidc.issuer', detail: cluster.name },
      ]),
    ];
  }
  const findings: Finding[] = [];
  for (const role of rolesInScope(state, cluster, iam, tenantRoles)) {
    const tenants = tenantRoles.get(role) ?? [];
    const layer: Layer = role.planned ? 'plan' : 'config';
    try {
      findings.push(...(await judgeRole(state, cluster, iam, role, tenants, layer, finding)));
      checked.push(role);
    } catch (error) {
      findings.push(
        finding(
          'error',
          `Trust policy of ${role.name} could not be evaluated: ${errorMessage(error)}.`,
          [{ type: 'object', ref: roleRef(role) }],
          roleRef(role),
          layer,
        ),
      );
    }
  }
  return findings;
}

function rolesInScope(state: ClusterState, cluster: EksCluster, iam: IamSpec, tenantRoles: Map<IamRole, IamTenant[]>): IamRole[] {
  const marker = iam.mode === 'irsa' ? (issuerHostPath(cluster) ?? '') : POD_IDENTITY_PRINCIPAL;
  const trusting = state.cloud.iamRoles.filter((r) => JSON.stringify(r.trustPolicy).toLowerCase().includes(marker.toLowerCase()));
  return [...new Set([...tenantRoles.keys(), ...trusting])];
}

function candidates(state: ClusterState, cluster: EksCluster, iam: IamSpec): Candidate[] {
  const seen = new Map<string, Candidate>();
  const add = (namespace: string, serviceAccount: string, probe?: Candidate['probe']): void => {
    const label =
      probe === 'any'
        ? 'any service account in any namespace'
        : probe === 'namespace'
          ? `any service account in namespace ${namespace}`
          : `${namespace}/${serviceAccount}`;
    if (!seen.has(`${namespace}/${serviceAccount}`))
      seen.set(`${namespace}/${serviceAccount}`, { namespace, serviceAccount, label, probe });
  };
  for (const sa of state.kubernetes.serviceAccounts) add(sa.metadata?.namespace ?? 'default', sa.metadata?.name ?? '');
  for (const t of iam.tenants) add(t.namespace, t.serviceAccount);
  for (const a of state.cloud.podIdentityAssociations) if (a.clusterName === cluster.name) add(a.namespace, a.serviceAccount);
  // Probes only make sense for IRSA: Pod Identity needs an explicit association per service account.
  if (iam.mode === 'irsa') {
    const namespaces = [
      ...iam.tenants.map((t) => t.namespace),
      ...state.kubernetes.namespaces.map((n) => n.metadata?.name ?? ''),
      ...state.kubernetes.serviceAccounts.map((sa) => sa.metadata?.namespace ?? 'default'),
    ].filter((n) => n !== '');
    for (const ns of new Set(namespaces)) add(ns, PROBE_SA, 'namespace');
    add(PROBE_NAMESPACE, PROBE_SA, 'any');
  }
  return [...seen.values()];
}

async function judgeRole(
  state: ClusterState,
  cluster: EksCluster,
  iam: IamSpec,
  role: IamRole,
  tenants: IamTenant[],
  layer: Layer,
  finding: MakeFinding,
): Promise<Finding[]> {
  const check = (s: Subject): Promise<Assumability> =>
    iam.mode === 'irsa' ? irsaAssumable(role, cluster, s) : podIdentityAssumable(role, cluster, state.cloud.podIdentityAssociations, s);
  const isTenant = (s: Subject): boolean => tenants.some((t) => t.namespace === s.namespace && t.serviceAccount === s.serviceAccount);
  const ref = roleRef(role);
  const findings: Finding[] = [];
  const allowed: { candidate: Candidate; result: Assumability }[] = [];
  // Probes first: once a wildcard is proven, other service accounts in its scope only illustrate it, so a few
  // suffice (a trust without a `:sub` pin defeats the shortcut in subPrefilter.ts and costs a simulation each).
  const ordered = candidates(state, cluster, iam).sort((a, b) => Number(b.probe !== undefined) - Number(a.probe !== undefined));
  const illustrated = new Map<string, number>();
  for (const candidate of ordered) {
    const scope = allowed.some((a) => a.candidate.probe === 'any')
      ? '*'
      : allowed.some((a) => a.candidate.probe === 'namespace' && a.candidate.namespace === candidate.namespace)
        ? candidate.namespace
        : undefined;
    if (scope !== undefined && !candidate.probe && !isTenant(candidate)) {
      const shown = illustrated.get(scope) ?? 0;
      if (shown >= MAX_ILLUSTRATIONS) continue;
      illustrated.set(scope, shown + 1);
    }
    const result = await check(candidate);
    if (result.assumable) allowed.push({ candidate, result });
    else if (isTenant(candidate)) {
      findings.push(
        finding(
          'fail',
          `Tenant ${candidate.label} cannot assume its role ${role.name}: ${result.reason}.`,
          [
            { type: 'object', ref },
            { type: 'rule', rule: 'tenant-can-assume', detail: result.reason },
          ],
          ref,
          layer,
        ),
      );
    }
  }
  const anyNamespace = allowed.find((a) => a.candidate.probe === 'any');
  const openNamespaces = new Set(allowed.filter((a) => a.candidate.probe === 'namespace').map((a) => a.candidate.namespace));
  for (const { candidate, result } of allowed) {
    if (isTenant(candidate)) continue;
    // A wildcard is reported once, at its widest: real service accounts it covers are listed as evidence.
    if (anyNamespace && candidate.probe !== 'any') continue;
    if (!candidate.probe && openNamespaces.has(candidate.namespace)) continue;
    if (!candidate.probe && tenants.length === 0) continue; // a non-tenant role bound to one specific SA is not ours to judge
    const covered = allowed.filter(
      (a) =>
        !a.candidate.probe &&
        !isTenant(a.candidate) &&
        (candidate.probe === 'any' || (candidate.probe === 'namespace' && a.candidate.namespace === candidate.namespace)),
    );
    const reason = readable(candidate, result.reason);
    findings.push(
      finding(
        'fail',
        `${capital(candidate.label)} can assume ${role.name}${tenants.length ? `, which belongs to ${tenants.map((t) => `${t.namespace}/${t.serviceAccount}`).join(', ')}` : ''}: ${reason}.`,
        [
          { type: 'object', ref },
          {
            type: 'rule',
            rule: candidate.probe ? 'trust-pins-service-account' : 'only-tenant-can-assume',
            detail: `allowed by ${result.statements.join(', ')}`,
          },
          ...(covered.length
            ? [
                {
                  type: 'observation' as const,
                  what: 'service accounts in the inputs that can assume it',
                  observed: covered.map((c) => c.candidate.label),
                },
              ]
            : []),
        ],
        ref,
        layer,
      ),
    );
  }
  // One allowed subject suffices to show whether the audience is pinned; prefer a real service account.
  const first = allowed.find((a) => !a.candidate.probe) ?? allowed[0];
  if (iam.mode === 'irsa' && first) {
    const otherAudience = await irsaAssumable(role, cluster, first.candidate, PROBE_AUDIENCE);
    if (otherAudience.assumable) {
      findings.push(
        finding(
          'fail',
          `${role.name}'s trust does not require the audience sts.amazonaws.com: a token for ${first.candidate.label} minted for another audience can assume it (${readable(first.candidate, otherAudience.reason)}).`,
          [
            { type: 'object', ref },
            { type: 'rule', rule: 'trust-pins-audience', detail: 'add StringEquals ISSUER:aud = sts.amazonaws.com' },
          ],
          ref,
          layer,
        ),
      );
    }
  }
  return findings;
}

/** A probe's made-up name would read like a real service account; show it as the wildcard it stands for. */
function readable(candidate: Candidate, reason: string): string {
  if (!candidate.probe) return reason;
  return reason.replace(
    subjectClaim(candidate),
    `system:serviceaccount:${candidate.probe === 'any' ? '<any namespace>' : candidate.namespace}:<any name>`,
  );
}

function kube2iamFindings(state: ClusterState, tenantRoles: Map<IamRole, IamTenant[]>, finding: MakeFinding): Finding[] {
  const findings: Finding[] = [];
  const namespaces = state.kubernetes.namespaces;
  if (namespaces.length === 0) {
    return [
      finding(
        'error',
        'kube2iam mode: no Namespace objects in the inputs, so their iam.amazonaws.com/allowed-roles annotations are unknown.',
        [{ type: 'missing-input', what: 'Namespace objects' }],
      ),
    ];
  }
  // Each namespace's annotation is parsed once: a malformed one is one error, however many roles are judged.
  const parsed = namespaces.map((ns) => {
    const name = ns.metadata?.name ?? '';
    return {
      name,
      ref: { kind: 'Namespace', name, source: state.origins[`Namespace/${name}`] } satisfies ObjectRef,
      allowed: allowedRoles(ns),
    };
  });
  for (const [role, tenants] of tenantRoles) {
    const ref = roleRef(role);
    const tenantNamespaces = new Set(tenants.map((t) => t.namespace));
    for (const { name, ref: nsRef, allowed } of parsed) {
      if (!allowed.ok) continue;
      const glob = allowingGlob(allowed.globs, role);
      const evidence: Evidence[] = [
        { type: 'object', ref: nsRef, detail: `${ALLOWED_ROLES_ANNOTATION}: ${JSON.stringify(allowed.globs)}` },
        { type: 'object', ref },
      ];
      if (glob && !tenantNamespaces.has(name)) {
        // Pods that already request the role show the risk is not theoretical.
        const requesting = workloadsIn(state, name)
          .filter((w) => sameRole(w.pod.metadata?.annotations?.[ROLE_ANNOTATION] ?? '', role))
          .map((w) => w.id);
        findings.push(
          finding(
            'fail',
            `Namespace ${name} is allowed to use ${role.name} (tenant ${tenants.map((t) => `${t.namespace}/${t.serviceAccount}`).join(', ')}) through kube2iam (${ALLOWED_ROLES_ANNOTATION} glob "${glob}" matches it), so any pod in ${name} can obtain it.`,
            [
              ...evidence,
              { type: 'rule', rule: 'kube2iam-allowed-roles', detail: `glob ${glob}` },
              ...(requesting.length
                ? [{ type: 'observation' as const, what: `pods annotated ${ROLE_ANNOTATION} with this role`, observed: requesting }]
                : []),
            ],
            nsRef,
          ),
        );
      } else if (glob && tenantNamespaces.has(name)) {
        findings.push(
          ...sameNamespaceBorrowers(
            state,
            name,
            role,
            tenants.filter((t) => t.namespace === name),
            evidence,
            finding,
          ),
        );
      } else if (!glob && tenantNamespaces.has(name)) {
        findings.push(
          finding(
            'fail',
            `Tenant namespace ${name} is not allowed to use its role ${role.name} through kube2iam: no glob in ${ALLOWED_ROLES_ANNOTATION} matches it.`,
            [...evidence, { type: 'rule', rule: 'kube2iam-allowed-roles' }],
            nsRef,
          ),
        );
      }
    }
    for (const t of tenantNamespaces) {
      if (!parsed.some((ns) => ns.name === t)) {
        findings.push(
          finding('error', `Tenant namespace ${t} (role ${role.name}) is not in the inputs.`, [
            { type: 'missing-input', what: `Namespace ${t}` },
          ]),
        );
      }
    }
  }
  for (const { name, ref, allowed } of parsed) {
    if (!allowed.ok) findings.push(finding('error', `Namespace ${name}: ${allowed.reason}.`, [{ type: 'object', ref }], ref));
  }
  return findings;
}

/**
 * Pods of a tenant namespace that request the tenant's role under a service account that is not a tenant: kube2iam
 * serves them (the namespace allows the role), as it cannot tell service accounts apart.
 */
function sameNamespaceBorrowers(
  state: ClusterState,
  namespace: string,
  role: IamRole,
  tenants: IamTenant[],
  evidence: Evidence[],
  finding: MakeFinding,
): Finding[] {
  const owners = tenants.map((t) => `${t.namespace}/${t.serviceAccount}`).join(', ');
  return workloadsIn(state, namespace)
    .filter((w) => sameRole(w.pod.metadata?.annotations?.[ROLE_ANNOTATION] ?? '', role))
    .map((w) => ({ w, pod: w.pod, serviceAccount: w.pod.spec?.serviceAccountName ?? w.pod.spec?.serviceAccount ?? 'default' }))
    .filter(({ serviceAccount }) => !tenants.some((t) => t.serviceAccount === serviceAccount))
    .map(({ w, pod, serviceAccount }) => {
      const source = state.origins[objectKey(w.kind, namespace, w.name)];
      const podRef: ObjectRef = { kind: w.kind, name: w.name, namespace, ...(source ? { source } : {}) };
      return finding(
        'fail',
        `${w.fromTemplate ? w.kind : 'Pod'} ${namespace}/${w.name} (service account ${serviceAccount}) uses role ${role.name}, whose tenant is ${owners}: kube2iam cannot isolate service accounts within a namespace.`,
        [
          ...evidence,
          { type: 'object', ref: podRef, detail: `${ROLE_ANNOTATION}: ${pod.metadata?.annotations?.[ROLE_ANNOTATION] ?? ''}` },
          {
            type: 'rule',
            rule: 'kube2iam-namespace-granularity',
            detail:
              'kube2iam serves a role to every pod of an allowing namespace; give the pod its own role or move the tenant to a namespace of its own',
          },
        ],
        podRef,
      );
    });
}

function roleRef(role: IamRole): ObjectRef {
  return { kind: 'IAMRole', name: role.name, id: role.arn, ...(role.source ? { source: role.source } : {}) };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

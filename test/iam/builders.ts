// Builders for IAM tests. Trust policies come from the AWS CLI outputs in fixtures/iam/assumable (the same
// files the CLI test loads through the real loader); the state around them is built in code.
import { readFileSync } from 'node:fs';
import type { V1Namespace, V1ServiceAccount } from '@kubernetes/client-node';
import type { Control } from '../../harness/model/findings.ts';
import { SPEC_API_VERSION, type ClusterSpec, type IamSpec } from '../../harness/model/spec.ts';
import { emptyState, type ClusterState, type EksCluster, type IamRole, type PolicyDocument } from '../../harness/model/state.ts';

export const fixtureDir = new URL('../../fixtures/iam/assumable/', import.meta.url);
export const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const ACCOUNT = '111122223333';

export const cluster: EksCluster = {
  name: 'prod',
  arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod`,
  oidcIssuer: `https://${ISSUER}`,
  vpcId: 'vpc-1',
  tags: {},
};

/** The role of `fixtures/iam/assumable/get-role-NAME.json`: name, ARN and trust policy as the CLI printed them. */
export function fixtureRole(name: string): IamRole {
  const output = JSON.parse(readFileSync(new URL(`get-role-${name}.json`, fixtureDir), 'utf8')) as {
    Role: { RoleName: string; Arn: string; AssumeRolePolicyDocument: PolicyDocument };
  };
  return {
    name: output.Role.RoleName,
    arn: output.Role.Arn,
    trustPolicy: output.Role.AssumeRolePolicyDocument,
    permissionPolicies: [],
    attachedPolicyArns: [],
    tags: {},
  };
}

export function role(name: string, trustPolicy: PolicyDocument, extra: Partial<IamRole> = {}): IamRole {
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    trustPolicy,
    permissionPolicies: [],
    attachedPolicyArns: [],
    tags: {},
    ...extra,
  };
}

export function serviceAccount(namespace: string, name: string): V1ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace, name } };
}

export function namespace(name: string, annotations?: Record<string, string>): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(annotations ? { annotations } : {}) } };
}

export function stateWith(edit: (state: ClusterState) => void): ClusterState {
  const state = emptyState({ type: 'files', inputs: [], collectedAt: '2026-11-25T00:00:00Z' });
  edit(state);
  return state;
}

export function specWith(iam?: IamSpec): ClusterSpec {
  return { apiVersion: SPEC_API_VERSION, kind: 'ClusterSpec', metadata: { name: 'test' }, spec: iam ? { iam } : {} };
}

export function control(id: string): Control {
  return {
    id,
    title: id,
    area: 'security',
    rationale: 'test',
    severity: 'critical',
    layers: ['plan', 'config'],
    references: [],
    remediation: 'test',
  };
}

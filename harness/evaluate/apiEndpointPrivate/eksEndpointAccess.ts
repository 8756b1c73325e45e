// Judges an EKS cluster's endpoint from its three access fields read TOGETHER. Tools that read one field at
// a time got this wrong (checkov#883, tfsec#910, cloudsploit#823, prowler#2824/#2825): e.g. "private access
// on" does not make an endpoint private while public access is also on.
//
// Absent fields take the EKS API defaults (endpointPublicAccess true, endpointPrivateAccess false,
// publicAccessCidrs ["0.0.0.0/0"]) — the same defaults `aws eks describe-cluster` and terraform's
// aws_eks_cluster use when the field was never set. The defaults can only move a verdict towards fail,
// never towards pass, so a loader that dropped a field cannot produce a false pass.
import type { Evidence } from '../../model/findings.ts';
import type { ApiEndpointSpec } from '../../model/spec.ts';
import type { EksCluster } from '../../model/state.ts';
import { internetCoveredBy, isValidCidr, isWholeInternet, publicSourceAllowed } from './cidrSet.ts';

interface EksEndpointVerdict {
  result: 'pass' | 'fail' | 'error';
  message: string;
  evidence: Evidence[];
}

const RULE = 'eks-endpoint-access: endpointPublicAccess, endpointPrivateAccess and publicAccessCidrs read together';

export function judgeEksEndpoint(cluster: EksCluster, spec: ApiEndpointSpec): EksEndpointVerdict {
  const defaulted: string[] = [];
  const publicAccess = cluster.endpointPublicAccess ?? (defaulted.push('endpointPublicAccess=true'), true);
  const privateAccess = cluster.endpointPrivateAccess ?? (defaulted.push('endpointPrivateAccess=false'), false);
  const cidrs =
    cluster.publicAccessCidrs && cluster.publicAccessCidrs.length > 0
      ? cluster.publicAccessCidrs
      : (defaulted.push('publicAccessCidrs=["0.0.0.0/0"]'), ['0.0.0.0/0']);

  const evidence: Evidence[] = [
    { type: 'rule', rule: RULE },
    {
      type: 'observation',
      what: `EKS cluster ${cluster.name} endpoint access`,
      observed: { endpointPublicAccess: publicAccess, endpointPrivateAccess: privateAccess, publicAccessCidrs: publicAccess ? cidrs : [] },
      ...(defaulted.length > 0 ? { detail: `absent in the input, EKS defaults applied: ${defaulted.join(', ')}` } : {}),
    },
  ];
  const name = `EKS cluster ${cluster.name}`;

  if (!publicAccess && !privateAccess) {
    return {
      result: 'error',
      message: `${name} reports both public and private endpoint access off, which EKS does not allow: the input is inconsistent or incomplete.`,
      evidence,
    };
  }
  if (!publicAccess) {
    return { result: 'pass', message: `${name} endpoint is private: public access off, private access on.`, evidence };
  }

  const invalid = cidrs.filter((c) => !isValidCidr(c));
  if (invalid.length > 0) {
    return { result: 'error', message: `${name} has invalid publicAccessCidrs ${invalid.join(', ')}.`, evidence };
  }
  // Judged as a set: ranges that together span a whole family are the internet, whatever their count.
  const covered = internetCoveredBy(cidrs);
  const open = covered.flatMap((c) => {
    const whole = c.ranges.filter(isWholeInternet);
    return whole.length > 0 ? whole : [`${c.ranges.join(' + ')} (together all of ${c.family})`];
  });
  const nodePath = privateAccess ? '' : ' Private access is off, so nodes also reach the API over the public endpoint.';

  if (spec.exposure === 'private') {
    const how = open.length > 0 ? `open to the whole internet (${open.join(', ')})` : `reachable from public ranges ${cidrs.join(', ')}`;
    evidence.push({ type: 'comparison', what: 'endpoint exposure', expected: 'private (endpointPublicAccess=false)', actual: 'public' });
    return {
      result: 'fail',
      message: `${name} has a public endpoint ${how}, but the spec requires a private endpoint.${nodePath}`,
      evidence,
    };
  }

  // Split ranges are tolerated one by one, so the internet they make together is only allowed when listed.
  const internetAllowed = (spec.allowedPublicCidrs ?? []).some(isWholeInternet);
  const notAllowed = [
    ...cidrs.filter((c) => !publicSourceAllowed(c, spec.allowedPublicCidrs)),
    ...(internetAllowed ? [] : open.filter((o) => !isWholeInternet(o))),
  ];
  evidence.push({
    type: 'comparison',
    what: 'publicAccessCidrs within spec.apiEndpoint.allowedPublicCidrs',
    expected: spec.allowedPublicCidrs ?? 'any range narrower than the whole internet',
    actual: cidrs,
  });
  if (notAllowed.length > 0) {
    return {
      result: 'fail',
      message: `${name} public endpoint accepts ${notAllowed.join(', ')}, which the spec does not allow.${nodePath}`,
      evidence,
    };
  }
  return {
    result: 'pass',
    message: `${name} public endpoint is limited to ${cidrs.join(', ')}, all allowed by the spec.${nodePath}`,
    evidence,
  };
}

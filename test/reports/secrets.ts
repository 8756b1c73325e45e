// Credentials planted into every part of a RunReport a writer prints. Each entry is the distinctive core of a
// secret, plain alphanumerics so it survives every format's escaping and a leak cannot hide behind `\/` or `&amp;`.
import type { RunReport } from '../../harness/model/report.ts';
import { sampleReport } from './sampleReport.ts';

export const PLANTED_SECRETS = {
  secretData: 'c3VwZXJzZWNyZXRwYXNzd29yZA',
  bearer: 'abcdef0123456789BEARERSECRET',
  jwt: 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ',
  jwtPayload: 'eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ',
  kubeToken: 'kubetoken0123456789abcdef',
  kubePassword: 'hunter2kubepw',
  clientKey: 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVF',
  clientCert: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENDQVRl',
  awsSecret: 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYAB',
  awsKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsTempKeyId: 'ASIAY34FZKBOKMUTVV7A',
  awsSession: 'FwoGZXIvYXdzEBaaDSESSIONTOKENxyz',
  privateKeyBody: 'MIIEowIBAAKCAQEAsecretkeymaterial',
  urlPassword: 's3cr3tpassw0rd',
} as const;

/** The sample report with every secret planted in evidence, messages, manifest, waivers, warnings and reachability. */
export function reportWithSecrets(): RunReport {
  const s = PLANTED_SECRETS;
  const r = sampleReport();
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${s.privateKeyBody}\nAAAA\n-----END RSA PRIVATE KEY-----`;
  const [first, second, third] = r.findings;
  if (!first || !second || !third) throw new Error('sample report needs three findings');
  first.message = `${first.message} Authorization: Bearer ${s.bearer}`;
  first.evidence.push(
    {
      type: 'observation',
      what: 'Secret payments/db',
      observed: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db' },
        data: { password: s.secretData },
        stringData: { pw: s.secretData },
      },
    },
    {
      type: 'observation',
      what: 'kubeconfig',
      observed: {
        users: [
          {
            name: 'admin',
            user: { 'client-key-data': s.clientKey, 'client-certificate-data': s.clientCert, token: s.kubeToken, password: s.kubePassword },
          },
        ],
      },
      detail: `users:\n- name: admin\n  user:\n    client-key-data: ${s.clientKey}\n    token: ${s.kubeToken}`,
    },
    { type: 'comparison', what: 'tls key', expected: 'absent', actual: pem },
  );
  second.evidence.push(
    { type: 'rule', rule: 'sa-token', detail: `service account token ${s.jwt}.${s.jwtPayload}.c2lnbmF0dXJlc2ln` },
    {
      type: 'observation',
      what: 'credentials',
      observed: { AccessKeyId: s.awsTempKeyId, SecretAccessKey: s.awsSecret, SessionToken: s.awsSession },
    },
  );
  third.message = `${third.message} found [default] aws_access_key_id = ${s.awsKeyId} aws_secret_access_key = ${s.awsSecret}`;
  third.subject = { kind: 'ConfigMap', name: `creds ${s.awsKeyId}`, source: { file: `k8s/${s.awsKeyId}.yaml`, line: 3 } };
  r.manifest.cluster.server = `https://admin:${s.urlPassword}@api.example.com:6443`;
  r.manifest.cluster.context = `token=${s.kubeToken}`;
  r.manifest.inputs.push({ path: `creds/${s.awsKeyId}.json`, sha256: 'e'.repeat(64) });
  const w = r.waivers[0];
  if (w) w.waiver.reason = `temporary: key ${s.awsKeyId} with secret ${s.awsSecret}; session token: ${s.awsSession}`;
  r.warnings.push(`kubeconfig password: ${s.kubePassword}`, `stray private key ${pem.replace(/-----END[\s\S]*/, '')}`);
  const m = r.reachability[0];
  if (m) m.pods = m.pods.map((p, i) => (i === 0 ? `${p}-${s.jwt}` : p));
  return r;
}

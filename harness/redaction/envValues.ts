// Container env: names are always evidence; a value is kept only where an evaluator needs it and it cannot be a
// credential. Today that is etcd-backup (a KMS key ARN in any variable) and the AWS SDK settings IRSA and EKS Pod
// Identity inject (role ARN, token file paths, region). Every other value, `LOG_LEVEL=info` included, is replaced:
// a value under an ordinary name (`MY_CONFIG`, `DB_URL`) is where credentials hide.
import { redacted } from './marker.ts';

const KEPT_VALUES: ReadonlySet<string> = new Set([
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
]);

/** An ARN names a resource; etcd-backup reads `arn:aws:kms:` values under any name. */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s]+$/;

export function redactEnvValue(name: string, value: string): string {
  return KEPT_VALUES.has(name) || ARN.test(value) ? value : redacted('env value');
}

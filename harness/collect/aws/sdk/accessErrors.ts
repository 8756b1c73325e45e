// AWS SDK errors → one line naming what is missing and the fix. The collector knows which action each call needs
// (`ec2:DescribeVpcs`), so a denied call names the exact action to grant.
import { errorMessage, RunError } from '../../../errors.ts';

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'Forbidden']);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'InvalidAccessKeyId',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const POLICY_HINT = 'the read-only policy is in README.md, "Collecting from an AWS account"';

export function awsError(error: unknown, action: string): RunError {
  const name = error instanceof Error ? error.name : '';
  const message = errorMessage(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new RunError(
      `no AWS credentials found for ${action}: set AWS_PROFILE (or --profile), run \`aws sso login\` / \`aws configure\`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
      { cause: error },
    );
  }
  if (/Region is missing/i.test(message)) {
    return new RunError('no AWS region: pass --region R or set AWS_REGION (or a region in the profile)', { cause: error });
  }
  if (DENIED.has(name)) {
    return new RunError(`AWS denied ${action} (${name}): grant ${action} to the caller; ${POLICY_HINT}`, { cause: error });
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new RunError(
      `AWS rejected the credentials on ${action} (${name}): check AWS_PROFILE / AWS_ACCESS_KEY_ID, or refresh them with \`aws sso login\``,
      { cause: error },
    );
  }
  if (EXPIRED.has(name)) {
    return new RunError(
      `the AWS credentials expired on ${action} (${name}): refresh them (\`aws sso login\`, or new session credentials)`,
      { cause: error },
    );
  }
  // A 403 whose body the SDK could not read (a proxy's page; moto answers REST-JSON services such as EKS in XML).
  if (httpStatus(error) === 403) {
    return new RunError(`AWS denied ${action} (HTTP 403): grant ${action} to the caller; ${POLICY_HINT}`, { cause: error });
  }
  return new RunError(`AWS call ${action} failed: ${name ? `${name}: ` : ''}${message.split('\n')[0]}`, { cause: error });
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

// Names shared by the AWS emulation `up` installs (harness/provision/awsEmulation) and the IAM live layers that
// look for it (harness/probe/iam): the contract between the two, so neither imports the other.

/** EC2's instance metadata service, on EC2 and on emulated nodes alike. */
export const IMDS_ADDRESS = '169.254.169.254';
export const EMULATION_NAMESPACE = 'clusterproof-aws';
/** Marks the emulation's objects (`imds` on the metadata DaemonSet), so a live layer can tell emulation from EC2. */
export const EMULATION_LABEL = 'clusterproof.dev/aws-emulation';
/** The account of every emulated ARN: AWS's documentation account, never a real one. */
export const EMULATED_ACCOUNT = '111122223333';
/** The ServiceAccount annotation IRSA reads (EKS pod identity webhook, --annotation-prefix eks.amazonaws.com). */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** The audience IRSA's projected token must carry for STS AssumeRoleWithWebIdentity. */
export const IRSA_AUDIENCE = 'sts.amazonaws.com';

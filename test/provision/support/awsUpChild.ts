// Child process for the SIGKILL test: `up --provider aws` against moto, then idles until the test kills it with -9,
// so whatever it created is left for `sweep --aws` to find by tag. Input: AWS_UP_REQUEST (a ClusterRequest as JSON).
import { AwsProvisioner } from '../../../harness/provision/aws/awsProvisioner.ts';

const request = JSON.parse(process.env.AWS_UP_REQUEST ?? '{}');
// waitForNodes: false because moto never boots the instances (no kubeadm to wait for).
await new AwsProvisioner().up(request, { waitForNodes: false, imageId: process.env.AWS_UP_IMAGE ?? '' });
process.stdout.write('up returned\n');
setInterval(() => {}, 60_000);

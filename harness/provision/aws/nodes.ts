// aws nodes as ClusterNode handles: exec through SSM Run Command (no SSH, no open port), stop/start through EC2.
import { StartInstancesCommand, StopInstancesCommand, waitUntilInstanceRunning, waitUntilInstanceStopped } from '@aws-sdk/client-ec2';
import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import type { ClusterNode, ExecResult } from '../../model/cluster.ts';
import type { SavedNode } from '../state.ts';
import { type AwsWhere, provisionClients } from './clients.ts';

const FINAL = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut', 'Cancelling']);
const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export function awsNode(saved: SavedNode, where: AwsWhere): ClusterNode {
  const instanceId = saved.instanceId ?? '';
  const withClients = async <T>(fn: (c: ReturnType<typeof provisionClients>) => Promise<T>): Promise<T> => {
    const c = provisionClients(where);
    try {
      return await fn(c);
    } finally {
      c.destroy();
    }
  };
  return {
    name: saved.name,
    role: saved.role,
    zone: saved.zone,
    addresses: saved.addresses,
    exec: (command: string[], opts?: { signal?: AbortSignal }): Promise<ExecResult> =>
      withClients(async ({ ssm }) => {
        const sent = await ssm.send(
          new SendCommandCommand({
            InstanceIds: [instanceId],
            DocumentName: 'AWS-RunShellScript',
            Parameters: { commands: [command.map(shellQuote).join(' ')] },
          }),
        );
        const CommandId = sent.Command?.CommandId ?? '';
        for (;;) {
          opts?.signal?.throwIfAborted();
          try {
            const r = await ssm.send(new GetCommandInvocationCommand({ CommandId, InstanceId: instanceId }));
            if (r.Status && FINAL.has(r.Status))
              return { stdout: r.StandardOutputContent ?? '', stderr: r.StandardErrorContent ?? '', exitCode: r.ResponseCode ?? -1 };
          } catch (error) {
            // The invocation is not visible for a moment after SendCommand.
            if ((error as Error).name !== 'InvocationDoesNotExist') throw error;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      }),
    stop: () =>
      withClients(async ({ ec2 }) => {
        await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
        await waitUntilInstanceStopped({ client: ec2, maxWaitTime: 600 }, { InstanceIds: [instanceId] });
      }),
    start: () =>
      withClients(async ({ ec2 }) => {
        await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
        await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 600 }, { InstanceIds: [instanceId] });
      }),
  };
}

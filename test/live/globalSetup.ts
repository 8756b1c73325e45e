// Live tier: bring one real cluster up with the real CLI (3 control planes + 2 workers over zones a, b, c, AWS-shaped
// nodes: --aws-emulation, Istio: --mesh istio), hand
// its `info` to the tests, then take it down and prove nothing with its run label is left.
// Iterating: CLUSTERPROOF_LIVE_CLUSTER=<name> reuses a cluster made earlier; CLUSTERPROOF_LIVE_KEEP=1 keeps it.
import { execa } from 'execa';
import type { TestProject } from 'vitest/node';
import { packagePath } from '../../harness/paths.ts';
import { newRunId } from '../../harness/provision/naming.ts';
import { loadState } from '../../harness/provision/state.ts';
import type { LiveClusterInfo } from './support/liveCluster.ts';
import { labelled, none } from './support/leftovers.ts';

const cliPath = packagePath('bin', 'clusterproof.js');
const log = (line: string): void => void process.stderr.write(`[live setup] ${line}\n`);

async function cli(args: string[], timeoutMs: number, stream: boolean): Promise<string> {
  const result = await execa(process.execPath, [cliPath, ...args], {
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
    ...(stream ? { stderr: 'inherit' } : {}),
  });
  if (result.exitCode !== 0)
    throw new Error(
      `clusterproof ${args.join(' ')} failed (exit ${result.exitCode ?? result.signal ?? '?'}):\n${result.stdout}\n${result.stderr ?? ''}`,
    );
  return result.stdout;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = process.env.CLUSTERPROOF_LIVE_CLUSTER;
  const name = reuse ?? `cp-live-${newRunId()}`;
  let upSeconds: number | undefined;
  if (reuse) log(`reusing cluster ${reuse} (CLUSTERPROOF_LIVE_CLUSTER)`);
  else {
    const args = [
      'up',
      '--name',
      name,
      '--control-planes',
      '3',
      '--workers',
      '2',
      '--zones',
      'a,b,c',
      '--aws-emulation',
      '--mesh',
      'istio',
    ];
    log(`clusterproof ${args.join(' ')}`);
    const started = performance.now();
    await cli(args, 1_800_000, true);
    upSeconds = (performance.now() - started) / 1000;
    log(`cluster ${name} up in ${upSeconds.toFixed(1)}s`);
  }
  const info = JSON.parse(await cli(['info', '--name', name, '--format', 'json'], 60_000, false)) as LiveClusterInfo;
  project.provide('clusterproofLive', { ...info, ...(upSeconds === undefined ? {} : { upSeconds }) });

  return async () => {
    if (process.env.CLUSTERPROOF_LIVE_KEEP || reuse) {
      log(`keeping cluster ${name}; remove it with: clusterproof down --name ${name}`);
      return;
    }
    // Proof: `down` leaves no container, network or volume with the run label. A failure here fails the run.
    log(`clusterproof down --name ${name}`);
    const started = performance.now();
    await cli(['down', '--name', name], 600_000, true);
    const left = await labelled(info.runId, name);
    log(`down took ${((performance.now() - started) / 1000).toFixed(1)}s; left: ${JSON.stringify(left)}`);
    if (JSON.stringify(left) !== JSON.stringify(none))
      throw new Error(`clusterproof down left objects of run ${info.runId}: ${JSON.stringify(left)}`);
    if (await loadState(name)) throw new Error(`clusterproof down left the saved state of ${name}`);
  };
}

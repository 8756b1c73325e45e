// `clusterproof up`: brings a cluster up and returns when it is usable (nodes Ready, DNS answers, pods reach each
// other across nodes), printing each phase's time and the kubeconfig path. Ctrl-C tears down (or keeps, --keep).
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadSpec } from '../../spec/load.ts';
import type { ClusterSpec } from '../../model/spec.ts';
import type { PhaseEvent } from '../../model/cluster.ts';
import { provisionerFor } from '../../provision/provisioners.ts';
import { clusterRequest, type UpFlags } from '../../provision/request.ts';
import { abortOnSignals } from '../../provision/signals.ts';

interface UpCliOptions extends UpFlags {
  spec?: string;
  keep?: boolean;
  verbose?: boolean;
}

const err = (line: string): void => void process.stderr.write(`${line}\n`);

export function formatPhase(e: PhaseEvent): string {
  const mark = e.detail === 'failed' ? pc.red('✗') : pc.green('✓');
  return `  ${mark} ${e.phase.padEnd(18)} ${e.seconds.toFixed(1).padStart(6)}s${e.detail && e.detail !== 'failed' ? pc.dim(`  ${e.detail}`) : ''}`;
}

export function register(program: Command): void {
  program
    .command('up')
    .description('bring a cluster up (kind with the offline images by default) and wait until it is usable')
    .option('--provider <provider>', "kind | existing | aws (default: the spec's provider.type, else kind)")
    .option('--region <region>', 'aws provider: the region (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'aws provider: a local AWS API such as moto instead of AWS')
    .option('--name <name>', 'cluster name (default: cp-<run id>)')
    .option('--kubeconfig <path>', 'existing provider: kubeconfig of the cluster')
    .option('--context <context>', 'existing provider: kubeconfig context')
    .option('--spec <file>', 'ClusterSpec to take provider settings and pod/service CIDRs from')
    .option('--control-planes <n>', 'control-plane nodes (default 1)')
    .option('--workers <n>', 'worker nodes (default 2)')
    .option('--zones <list>', 'comma-separated zones, assigned round-robin (default a,b,c)')
    .option('--node-image <which>', "build (offline images) | official (kind's published image; needs a registry)")
    .option(
      '--aws-emulation',
      'kind: AWS-shaped nodes (metadata service at 169.254.169.254, IRSA webhook) with the defaults of spec.provider.kind.awsEmulation',
    )
    .option(
      '--mesh <mesh>',
      'kind: istio installs istiod (built offline) with sidecar injection for namespaces labelled istio-injection=enabled; none (default)',
    )
    .option('--keep', 'keep the cluster when up fails or is interrupted')
    .option('--verbose', "stream kind's output")
    .action(async (opts: UpCliOptions) => {
      const spec: ClusterSpec | undefined = opts.spec ? (await loadSpec(opts.spec)).spec : undefined;
      const request = clusterRequest(spec, opts, opts.spec);
      const provisioner = provisionerFor(request.provider);
      const scope = abortOnSignals(err, opts.keep === true);
      err(
        `clusterproof up: ${request.provider} cluster ${pc.bold(request.name)} (run ${request.runId})` +
          (request.provider !== 'existing'
            ? `, ${request.controlPlanes} control-plane + ${request.workers} worker nodes, zones ${request.zones.join(',')}`
            : ''),
      );
      const started = performance.now();
      try {
        const upOpts = {
          signal: scope.signal,
          onPhase: (e: PhaseEvent) => err(formatPhase(e)),
          keep: opts.keep === true,
          onLog: (line: string) => {
            if (opts.verbose) err(pc.dim(`    ${line}`));
          },
        };
        const cluster = await provisioner.up(request, upOpts);
        err(`  ${'total'.padEnd(20)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s`);
        process.stdout.write(
          `cluster ${cluster.name} is ready (run ${cluster.runId})\napi: ${cluster.apiEndpoint}\nkubeconfig: ${cluster.kubeconfigPath}\n` +
            `  export KUBECONFIG=${cluster.kubeconfigPath}\n  remove with: clusterproof down --name ${cluster.name}\n`,
        );
      } finally {
        scope.dispose();
      }
    });
}

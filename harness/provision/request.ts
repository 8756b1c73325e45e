// ClusterRequest = ClusterSpec (provider, CIDRs, zones) overlaid by CLI flags. Flags win because they are the
// more specific, later statement of intent. Bad values become one InputError listing every problem.
import { join } from 'node:path';
import { InputError, type InputProblem } from '../errors.ts';
import type { ClusterSpec, MeshName } from '../model/spec.ts';
import type { ClusterRequest, ProviderName } from '../model/cluster.ts';
import { clusterNameProblem, defaultClusterName, newRunId } from './naming.ts';
import { clusterDir } from './state.ts';

export interface UpFlags {
  provider?: string;
  name?: string;
  kubeconfig?: string;
  context?: string;
  controlPlanes?: string | number;
  workers?: string | number;
  zones?: string;
  nodeImage?: string;
  region?: string;
  endpointUrl?: string;
  /** `up --aws-emulation`: spec.provider.kind.awsEmulation with its defaults. */
  awsEmulation?: boolean;
  /** `up --mesh istio|none`: spec.provider.kind.mesh. */
  mesh?: string;
}

export const DEFAULT_ZONES = ['a', 'b', 'c'];
const PROVIDERS: readonly ProviderName[] = ['kind', 'existing', 'aws'];
const MESHES: readonly MeshName[] = ['none', 'istio'];

export function clusterRequest(
  spec: ClusterSpec | undefined,
  flags: UpFlags,
  specFile = 'clusterproof.yaml',
  runId = newRunId(),
): ClusterRequest {
  const problems: InputProblem[] = [];
  const flag = (name: string, message: string, fix: string): void => {
    problems.push({ file: 'command line', pointer: name, message, fix });
  };
  const provider = spec?.spec.provider;
  const kind = provider?.kind;
  const existing = provider?.existing;

  const providerName = flags.provider ?? provider?.type ?? 'kind';
  if (!PROVIDERS.includes(providerName as ProviderName)) {
    if (flags.provider === undefined) {
      problems.push({
        file: specFile,
        pointer: '/spec/provider/type',
        message: `provider "${providerName}" cannot be brought up by \`clusterproof up\``,
        fix: `use one of: ${PROVIDERS.join(', ')}`,
      });
    } else flag('--provider', `unknown provider "${providerName}"`, `use one of: ${PROVIDERS.join(', ')}`);
  }

  const count = (value: string | number | undefined, fallback: number, name: string, min: number): number => {
    if (value === undefined) return fallback;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n) || n < min || n > 9) {
      flag(name, `expected a whole number from ${min} to 9, got "${value}"`, `e.g. ${name} ${Math.max(min, 1)}`);
      return fallback;
    }
    return n;
  };
  const controlPlanes = count(flags.controlPlanes, kind?.controlPlanes ?? 1, '--control-planes', 1);
  const workers = count(flags.workers, kind?.workers ?? 2, '--workers', 0);
  const zones =
    flags.zones !== undefined
      ? flags.zones
          .split(',')
          .map((z) => z.trim())
          .filter((z) => z !== '')
      : (kind?.zones ?? DEFAULT_ZONES);

  const nodeImage = flags.nodeImage ?? kind?.nodeImage ?? 'build';
  if (nodeImage !== 'build' && nodeImage !== 'official')
    flag(
      '--node-image',
      `unknown node image "${nodeImage}"`,
      "use build (offline images) or official (kind's published image; needs a registry)",
    );

  const name = flags.name ?? (providerName === 'existing' ? (flags.context ?? existing?.context ?? 'existing') : defaultClusterName(runId));
  const nameProblem = clusterNameProblem(name);
  if (nameProblem) flag('--name', nameProblem, 'e.g. --name dev');

  const kubeconfig = flags.kubeconfig ?? existing?.kubeconfig;
  if (providerName === 'existing' && kubeconfig === undefined && process.env.KUBECONFIG === undefined) {
    flag(
      '--kubeconfig',
      'the existing provider needs a kubeconfig',
      'pass --kubeconfig PATH, set spec.provider.existing.kubeconfig, or set KUBECONFIG',
    );
  }

  const region = flags.region ?? process.env.AWS_REGION;
  if (providerName === 'aws' && !region) flag('--region', 'the aws provider needs a region', 'pass --region eu-west-1 (or set AWS_REGION)');
  if (providerName !== 'aws' && (flags.region !== undefined || flags.endpointUrl !== undefined))
    flag(flags.region !== undefined ? '--region' : '--endpoint-url', 'only applies to --provider aws', 'add --provider aws or drop it');

  const emulation = kind?.awsEmulation ?? (flags.awsEmulation ? {} : undefined);
  if (emulation && providerName !== 'kind')
    flag('--aws-emulation', 'AWS emulation is for kind clusters', 'drop it, or use --provider kind');

  const mesh = flags.mesh ?? kind?.mesh ?? 'none';
  if (!MESHES.includes(mesh as MeshName)) flag('--mesh', `unknown mesh "${mesh}"`, `use one of: ${MESHES.join(', ')}`);
  else if (mesh !== 'none' && providerName !== 'kind') {
    if (flags.mesh === undefined) {
      problems.push({
        file: specFile,
        pointer: '/spec/provider/kind/mesh',
        message: `a mesh is installed only on kind clusters, not with provider "${providerName}"`,
        fix: 'drop spec.provider.kind.mesh, or use provider type kind',
      });
    } else flag('--mesh', 'a mesh is installed only on kind clusters', 'drop --mesh, or use --provider kind');
  }

  if (problems.length > 0) throw new InputError(problems);
  const podSubnet = spec?.spec.cidrs?.pods?.[0]?.cidr;
  const serviceSubnet = spec?.spec.cidrs?.services?.[0]?.cidr;
  const context = flags.context ?? existing?.context;
  const resolvedKubeconfig = kubeconfig ?? process.env.KUBECONFIG?.split(':')[0];
  return {
    provider: providerName as ProviderName,
    name,
    runId,
    controlPlanes,
    workers,
    zones,
    nodeImage: nodeImage === 'official' ? 'official' : 'build',
    runDir: clusterDir(name),
    ...(podSubnet === undefined ? {} : { podSubnet }),
    ...(serviceSubnet === undefined ? {} : { serviceSubnet }),
    ...(resolvedKubeconfig === undefined || providerName !== 'existing' ? {} : { kubeconfig: resolvedKubeconfig }),
    ...(context === undefined ? {} : { context }),
    ...(existing?.disposableLabel === undefined ? {} : { disposableLabel: existing.disposableLabel }),
    ...(providerName === 'aws' && region ? { region } : {}),
    ...(providerName === 'aws' && flags.endpointUrl ? { awsEndpoint: flags.endpointUrl } : {}),
    ...(mesh === 'istio' && providerName === 'kind' ? { mesh: 'istio' as const } : {}),
    ...(emulation && providerName === 'kind'
      ? {
          awsEmulation: {
            nodeRole: emulation.nodeRole ?? 'clusterproof-emulated-node-role',
            imdsV1: emulation.imds?.v1 ?? true,
            hopLimit: emulation.imds?.hopLimit ?? 2,
            irsa: emulation.irsa ?? true,
          },
        }
      : {}),
  };
}

/** Where the kind provider writes the kubeconfig of a cluster. */
export function kubeconfigPathFor(request: ClusterRequest): string {
  return join(request.runDir, 'kubeconfig');
}

// How kustomize directories and Helm charts are rendered (`--values`, `--set`, `--release-name`, `--kube-version`;
// the namespace comes from `--namespace`, shared with plain files).
export interface RenderOptions {
  /** Helm `--values FILE`, in order (later files win, as in helm). */
  values?: string[];
  /** Helm `--set key=value`, in order. */
  set?: string[];
  /** Helm release name (default `release-name`, as `helm template` uses). */
  releaseName?: string;
  /** The cluster's Kubernetes version charts are rendered for (default tools.json defaultKubeVersion, the test bed's). */
  kubeVersion?: string;
}

/** A directory the walk hands to a tool instead of reading its files. */
export interface RenderTarget {
  path: string;
  tool: 'kustomize' | 'helm';
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const CHART_FILE = 'Chart.yaml';

/** Which tool renders a directory holding these file names, if any. A kustomization wins over a Chart.yaml. */
export function renderToolFor(names: readonly string[]): RenderTarget['tool'] | undefined {
  if (KUSTOMIZATION_FILES.some((f) => names.includes(f))) return 'kustomize';
  return names.includes(CHART_FILE) ? 'helm' : undefined;
}

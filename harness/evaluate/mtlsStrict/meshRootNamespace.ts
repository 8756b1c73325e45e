// Istio's root namespace: where selector-less PeerAuthentications are mesh-wide. Taken, in order, from an
// explicit setting (--root-namespace, spec.mtls.rootNamespace), from `rootNamespace` in the mesh config (the
// `mesh` key of the `istio` ConfigMap, or `istio-<revision>` for revisioned control planes, in the control-plane
// namespace), else Istio's default `istio-system` (istio.io/istio pkg/config/mesh/mesh.go DefaultMeshConfig).
import { parse } from 'yaml';
import type { ClusterState } from '../../model/state.ts';

const DEFAULT_ROOT_NAMESPACE = 'istio-system';

export interface RootNamespace {
  namespace: string;
  /** Where the value came from, for evidence: `--root-namespace`, `ConfigMap istio-system/istio`, `Istio default`. */
  source: string;
  /** Mesh configs that disagree with the chosen one (several control planes). */
  warnings: string[];
}

function meshRootNamespace(mesh: unknown): string | undefined {
  if (typeof mesh !== 'string') return undefined;
  try {
    const parsed: unknown = parse(mesh);
    const value = typeof parsed === 'object' && parsed !== null ? (parsed as { rootNamespace?: unknown }).rootNamespace : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined; // unreadable mesh config: reported by istiod, not a root-namespace setting
  }
}

export function rootNamespaceOf(state: ClusterState, explicit?: { value: string; source: string }): RootNamespace {
  if (explicit) return { namespace: explicit.value, source: explicit.source, warnings: [] };
  const found = state.kubernetes.configMaps
    .filter((cm) => cm.metadata?.name === 'istio' || cm.metadata?.name?.startsWith('istio-'))
    .map((cm) => ({
      ref: `ConfigMap ${cm.metadata?.namespace ?? 'default'}/${cm.metadata?.name ?? ''}`,
      plain: cm.metadata?.name === 'istio',
      value: meshRootNamespace(cm.data?.['mesh']),
    }))
    .filter((c): c is { ref: string; plain: boolean; value: string } => c.value !== undefined)
    // The default revision's `istio` first, then revisions by name: a stable choice when control planes disagree.
    .sort((a, b) => Number(b.plain) - Number(a.plain) || a.ref.localeCompare(b.ref, 'en'));
  const [first, ...rest] = found;
  if (!first) return { namespace: DEFAULT_ROOT_NAMESPACE, source: 'Istio default', warnings: [] };
  const warnings = rest
    .filter((c) => c.value !== first.value)
    .map((c) => `${c.ref} sets rootNamespace ${c.value}; using ${first.value} from ${first.ref}`);
  return { namespace: first.value, source: `${first.ref} mesh.rootNamespace`, warnings };
}

// Istio's root namespace: where selector-less PeerAuthentications are mesh-wide. Taken, in order, from an
// explicit setting (--root-namespace, spec.mtls.rootNamespace), from `rootNamespace` in the mesh config (the
// `mesh` key of the `istio` ConfigMap, or `istio-<revision>` for revisioned control planes, in the control-plane
// namespace), else Istio's default `istio-system` (istio.io/istio pkg/config/mesh/mesh.go DefaultMeshConfig).
// The same mesh configs give `defaultDestinationRuleExportTo` (destinationRuleSelection.ts).
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

function meshField(mesh: unknown, field: string): unknown {
  if (typeof mesh !== 'string') return undefined;
  try {
    const parsed: unknown = parse(mesh);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined; // unreadable mesh config: reported by istiod, not a setting
  }
}

/** One field of every mesh config in the inputs: the default revision's `istio` first, then revisions by name. */
export function meshConfigValues<T>(
  state: ClusterState,
  field: string,
  accept: (value: unknown) => value is T,
): { ref: string; value: T }[] {
  return (
    state.kubernetes.configMaps
      .filter((cm) => cm.metadata?.name === 'istio' || cm.metadata?.name?.startsWith('istio-'))
      .map((cm) => ({
        ref: `ConfigMap ${cm.metadata?.namespace ?? 'default'}/${cm.metadata?.name ?? ''}`,
        plain: cm.metadata?.name === 'istio',
        value: meshField(cm.data?.['mesh'], field),
      }))
      .filter((c): c is { ref: string; plain: boolean; value: T } => accept(c.value))
      // A stable choice when control planes disagree.
      .sort((a, b) => Number(b.plain) - Number(a.plain) || a.ref.localeCompare(b.ref, 'en'))
      .map(({ ref, value }) => ({ ref, value }))
  );
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';

export function rootNamespaceOf(state: ClusterState, explicit?: { value: string; source: string }): RootNamespace {
  if (explicit) return { namespace: explicit.value, source: explicit.source, warnings: [] };
  const [first, ...rest] = meshConfigValues(state, 'rootNamespace', nonEmptyString);
  if (!first) return { namespace: DEFAULT_ROOT_NAMESPACE, source: 'Istio default', warnings: [] };
  const warnings = rest
    .filter((c) => c.value !== first.value)
    .map((c) => `${c.ref} sets rootNamespace ${c.value}; using ${first.value} from ${first.ref}`);
  return { namespace: first.value, source: `${first.ref} mesh.rootNamespace`, warnings };
}

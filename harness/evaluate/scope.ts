// Namespace scope as the spec writes it: a list of names or globs (`*`, `team-*`) minus an exclude list.
// Shared by every control that is scoped to namespaces, so `*` means the same thing everywhere.

interface NamespaceScope {
  namespaces: string[];
  exclude?: string[];
}

/** `*` matches any run of characters; every other character is literal (namespace names have no regex meaning). */
function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  let regex = globs.get(pattern);
  if (!regex) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
      .join('.*');
    if (globs.size >= 1000) globs.clear(); // patterns come from specs: a handful, but never unbounded
    globs.set(pattern, (regex = new RegExp(`^${source}$`)));
  }
  return regex.test(name);
}

/** Compiled globs: a scope is tested against every namespace of the cluster. (No `g` flag: `test` keeps no state.) */
const globs = new Map<string, RegExp>();

export function inScope(namespace: string, scope: NamespaceScope): boolean {
  const included = scope.namespaces.some((p) => globMatches(p, namespace));
  const excluded = (scope.exclude ?? []).some((p) => globMatches(p, namespace));
  return included && !excluded;
}

interface ScopeResolution {
  /** Known namespaces the scope selects, in the order given. */
  inScope: string[];
  /** Names the spec lists literally (no glob) that are not among the known namespaces and not excluded. */
  missing: string[];
}

/** Resolves a scope against the namespaces present in the collected state. */
export function resolveScope(known: Iterable<string>, scope: NamespaceScope): ScopeResolution {
  const knownList = [...new Set(known)];
  // Literal names as a Set: a scope may list hundreds of namespaces, tested against every known one.
  const includes = new PatternSet(scope.namespaces);
  const excludes = new PatternSet(scope.exclude ?? []);
  const selected = knownList.filter((ns) => includes.matches(ns) && !excludes.matches(ns));
  const knownSet = new Set(knownList);
  const missing = scope.namespaces.filter(
    (p) => !p.includes('*') && !knownSet.has(p) && !(scope.exclude ?? []).some((e) => globMatches(e, p)),
  );
  return { inScope: selected, missing };
}

/** Names and globs, as `globMatches` reads them, with the literal names in a Set. */
class PatternSet {
  private readonly literals = new Set<string>();
  private readonly globs: string[] = [];
  constructor(patterns: readonly string[]) {
    for (const p of patterns) {
      if (p.includes('*')) this.globs.push(p);
      else this.literals.add(p);
    }
  }
  matches(name: string): boolean {
    return this.literals.has(name) || this.globs.some((p) => globMatches(p, name));
  }
}

/** The spec's scope as one readable phrase for messages: `all namespaces except kube-system`. */
export function describeScope(scope: NamespaceScope): string {
  const what = scope.namespaces.includes('*') ? 'all namespaces' : `namespaces ${scope.namespaces.join(', ')}`;
  const exclude = scope.exclude?.length ? ` except ${scope.exclude.join(', ')}` : '';
  return what + exclude;
}

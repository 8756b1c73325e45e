// `probe imds` output (images/probe/imds.go): one JSON line per request to the metadata service, with the status,
// the role names listed and whether credentials came back (never their values). Parsed and summarised here.
export interface ImdsStep {
  version: 'v1' | 'v2';
  method: string;
  path: string;
  /** 0: no HTTP answer (timeout, refused, reset). */
  status: number;
  roles?: string[];
  credentials: boolean;
  error?: string;
}

export function parseImdsWalk(log: string): ImdsStep[] {
  return log
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as ImdsStep);
}

/** One line per request: `v2 PUT /latest/api/token → 200`, `v1 GET …/role → 200 credentials`, `… → no answer (timeout)`. */
export function describeStep(s: ImdsStep): string {
  const answer = s.status === 0 ? `no answer${s.error ? ` (${s.error})` : ''}` : String(s.status);
  const what = s.credentials ? ' credentials' : s.roles?.length ? ` roles ${s.roles.join(',')}` : '';
  return `${s.version} ${s.method} ${s.path} → ${answer}${what}`;
}

/** The requests that handed out credentials (the node role's, since the metadata service knows no other). */
export function credentialSteps(steps: readonly ImdsStep[]): ImdsStep[] {
  return steps.filter((s) => s.credentials);
}

/** Whether the metadata service answered at all (any HTTP status). */
export function answered(steps: readonly ImdsStep[]): boolean {
  return steps.some((s) => s.status !== 0);
}

export function rolesListed(steps: readonly ImdsStep[]): string[] {
  return [...new Set(steps.flatMap((s) => s.roles ?? []))];
}

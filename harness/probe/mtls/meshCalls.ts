// What `meshprobe call` (images/meshprobe) observed, and what it means for mTLS. Refusal is judged by the
// application's greeting, never by the TCP handshake: an Envoy sidecar in STRICT mode accepts a plaintext
// connection and closes it before any application byte, so only a greeting (`answered`) counts as accepted and
// only a peer that ended the connection (`closed`) counts as refused; silence and a closed port are not judged.
import type { MtlsMode } from '../../evaluate/mtlsStrict/composePeerAuthentication.ts';
import type { Evidence } from '../../model/findings.ts';

export type CallOutcome = 'answered' | 'closed' | 'silent' | 'no-listener' | 'error';

export interface MeshCall {
  mode: string;
  target: string;
  ok: boolean;
  outcome: CallOutcome;
  /** The caller as the meshprobe server saw it: a SPIFFE ID, `plaintext` or `tls-anonymous`. */
  identity?: string;
  ms: number;
  error?: string;
}

/** Attempts without TLS, and with TLS but no mesh certificate (none, or one from a CA the mesh does not trust). */
export const PLAINTEXT_MODES = ['plaintext', 'h2-preface', 'http1'] as const;
export const FOREIGN_TLS_MODES = ['tls-nocert', 'tls-foreign'] as const;
export const OUTSIDE_MODES = [...PLAINTEXT_MODES, ...FOREIGN_TLS_MODES];

/** `meshprobe call` output: one JSON line per target and mode; other lines are not results. */
export function parseCalls(stdout: string): MeshCall[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as MeshCall);
}

export type Seen = 'accepted' | 'refused' | 'unknown';

/** Whether the port accepted the attempts of `modes`: any greeting accepts, a peer that ended every greeting-less attempt refuses. */
export function seenFor(calls: readonly MeshCall[], modes: readonly string[]): { seen: Seen; by?: MeshCall } {
  const tried = calls.filter((c) => modes.includes(c.mode));
  const greeted = tried.find((c) => c.outcome === 'answered');
  if (greeted) return { seen: 'accepted', by: greeted };
  const ended = tried.find((c) => c.outcome === 'closed');
  if (ended && tried.every((c) => c.outcome === 'closed' || c.outcome === 'silent')) return { seen: 'refused', by: ended };
  return { seen: 'unknown' };
}

export function describeCall(c: MeshCall): string {
  const how = c.ok ? `answered${c.identity ? ` (server saw ${c.identity})` : ''}` : `${c.outcome}${c.error ? `: ${c.error}` : ''}`;
  return `${c.mode} → ${how} in ${c.ms} ms`;
}

/** The static twin's answer for one workload port (resolveWorkloadMtls). */
export interface TwinPort {
  mode: MtlsMode | 'NONE';
  plaintextAccepted: boolean;
  source: string;
}

export interface PortVerdict {
  result: 'pass' | 'fail' | 'unknown';
  /** Why, in one clause: what was seen against what the twin and the spec say. */
  why: string;
  evidence: Evidence[];
}

/**
 * One workload port: plaintext and foreign-TLS attempts from outside the mesh against the twin's resolved mode.
 * A disagreement fails whatever the spec asks (one of the two is wrong about this cluster); with spec STRICT a port
 * that greets plaintext or TLS without a mesh certificate fails even where the twin predicted it.
 */
export function judgePort(label: string, twin: TwinPort, calls: readonly MeshCall[], required: 'STRICT' | 'PERMISSIVE'): PortVerdict {
  const plaintext = seenFor(calls, PLAINTEXT_MODES);
  const foreign = seenFor(calls, FOREIGN_TLS_MODES);
  const evidence: Evidence[] = [
    {
      type: 'comparison',
      what: `plaintext to ${label} from outside the mesh (static twin: ${twin.mode} from ${twin.source})`,
      expected: twin.plaintextAccepted ? 'accepted' : 'refused',
      actual: plaintext.seen,
    },
    { type: 'observation', what: `attempts on ${label}`, observed: calls.map(describeCall) },
  ];
  if (plaintext.seen === 'unknown') {
    return { result: 'unknown', why: `${label}: no greeting and no refusal from the port (silent or nothing listening)`, evidence };
  }
  const accepted = plaintext.seen === 'accepted';
  if (accepted !== twin.plaintextAccepted) {
    return {
      result: 'fail',
      why: `${label}: plaintext ${plaintext.seen} (${plaintext.by ? describeCall(plaintext.by) : ''}) but the static twin resolves ${twin.mode} from ${twin.source}`,
      evidence,
    };
  }
  if (required === 'STRICT' && accepted) {
    return {
      result: 'fail',
      why: `${label}: plaintext accepted (${plaintext.by ? describeCall(plaintext.by) : ''}), as ${twin.mode} from ${twin.source} allows`,
      evidence,
    };
  }
  if (required === 'STRICT' && foreign.seen === 'accepted') {
    return {
      result: 'fail',
      why: `${label}: TLS without a mesh certificate accepted (${foreign.by ? describeCall(foreign.by) : ''}): not mutual TLS`,
      evidence,
    };
  }
  return { result: 'pass', why: `${label}: plaintext ${plaintext.seen}, as ${twin.mode} from ${twin.source} says`, evidence };
}

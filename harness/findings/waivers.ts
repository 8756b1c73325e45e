// Waivers: owned, time-boxed exceptions from the spec. An active waiver turns a matching fail/error into `waived`
// (keeping the original verdict); an expired one waives nothing and fails the gate itself, so exceptions cannot
// quietly outlive their deadline; one that matches nothing is a warning (it is stale or mistyped).
import type { Finding, ObjectRef, Result } from '../model/findings.ts';
import type { WaiverStatus } from '../model/report.ts';
import type { Waiver } from '../model/spec.ts';

interface WaiverOutcome {
  waiver: Waiver;
  status: WaiverStatus;
  /** Failing findings the waiver covers (for an expired waiver: the ones it would have covered). */
  matched: number;
}

interface WaiverResult {
  findings: Finding[];
  waivers: WaiverOutcome[];
  warnings: string[];
}

const WAIVABLE: ReadonlySet<Result> = new Set<Result>(['fail', 'error']);

/**
 * A waiver is active through the whole of its `expires` day (UTC) and expired from the next day on. `today` is
 * passed in so the function stays pure and tests do not depend on the clock.
 */
export function isExpired(waiver: Waiver, today: Date): boolean {
  return utcDay(today) > waiver.expires;
}

/** Whether a waiver's scope covers a finding's subject: `*` or absent = the whole control; `ns/*`; `ns/name`. */
export function scopeMatches(scope: string | undefined, subject: ObjectRef | undefined): boolean {
  if (scope === undefined || scope === '*') return true;
  if (!subject?.namespace) return false;
  const [namespace, name] = scope.split('/', 2);
  return subject.namespace === namespace && (name === '*' || subject.name === name);
}

export function applyWaivers(findings: readonly Finding[], waivers: readonly Waiver[], today: Date): WaiverResult {
  const outcomes: WaiverOutcome[] = waivers.map((waiver) => ({
    waiver,
    status: isExpired(waiver, today) ? 'expired' : 'active',
    matched: 0,
  }));
  const result = findings.map((finding) => {
    if (!WAIVABLE.has(finding.result)) return finding;
    let waivedBy: number | undefined;
    outcomes.forEach((outcome, index) => {
      if (outcome.waiver.control !== finding.controlId || !scopeMatches(outcome.waiver.scope, finding.subject)) return;
      outcome.matched += 1;
      // The first active waiver in spec order wins; later ones still count the match so they are not reported unused.
      if (outcome.status === 'active' && waivedBy === undefined) waivedBy = index;
    });
    if (waivedBy === undefined) return finding;
    const { waiver } = outcomes[waivedBy] as WaiverOutcome;
    const waived: Finding = {
      ...finding,
      result: 'waived',
      waived: {
        originalResult: finding.result,
        waiverIndex: waivedBy,
        owner: waiver.owner,
        reason: waiver.reason,
        expires: waiver.expires,
        ...(waiver.ticket === undefined ? {} : { ticket: waiver.ticket }),
      },
    };
    return waived;
  });

  const warnings: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'active' && outcome.matched === 0) {
      outcome.status = 'unmatched';
      warnings.push(
        `waiver for ${outcome.waiver.control} (scope ${outcome.waiver.scope ?? '*'}, owner ${outcome.waiver.owner}) matches no failing finding; remove it from the spec if the problem is fixed, or correct its scope`,
      );
    }
  }
  return { findings: result, waivers: outcomes, warnings };
}

/**
 * One `fail` finding per expired waiver, under the waived control, so the gate fails until someone renews or removes
 * it. Expired waivers fail even when they match nothing: the spec still claims an exception that nobody owns any more.
 */
export function expiredWaiverFindings(waivers: readonly (Waiver | WaiverOutcome)[], today: Date, specFile?: string): Finding[] {
  const day = utcDay(today);
  // Accepts the spec's waivers or applyWaivers' outcomes (which also know how many findings each covered).
  return waivers.flatMap((entry, index): Finding[] => {
    const outcome: WaiverOutcome | undefined = 'waiver' in entry ? entry : undefined;
    const waiver = outcome?.waiver ?? (entry as Waiver);
    if (!(outcome ? outcome.status === 'expired' : isExpired(waiver, today))) return [];
    const scope = waiver.scope ?? '*';
    return [
      {
        controlId: waiver.control,
        // Waivers live in the spec, which is checked at the config layer.
        layer: 'config',
        result: 'fail',
        message:
          `Waiver for ${waiver.control} (scope ${scope}) expired on ${waiver.expires}; owner ${waiver.owner}` +
          `${waiver.ticket ? `, ticket ${waiver.ticket}` : ''}. Renew it with a new expiry date or fix the findings and remove it.`,
        subject: { kind: 'Waiver', name: `spec.waivers[${index}]`, ...(specFile === undefined ? {} : { source: { file: specFile } }) },
        evidence: [
          {
            type: 'rule',
            rule: 'waiver-expired',
            detail: `a waiver is valid through its expiry day (UTC)${outcome ? `; it would have covered ${outcome.matched} failing finding(s) this run` : ''}`,
          },
          { type: 'comparison', what: 'waiver expiry date vs. today (UTC)', expected: `>= ${day}`, actual: waiver.expires },
        ],
      },
    ];
  });
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

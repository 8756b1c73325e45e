// Kubernetes CronJob schedules (robfig/cron standard syntax) parsed into field sets, and the longest gap
// between two runs. A library would give us "next run"; the control needs the worst-case interval, which
// falls out directly from the expanded sets, so the small parser is ours.
//
// Supported: 5 fields with `*`, `?`, `N`, `a-b`, `*/N`, `a-b/N`, `N/S`, lists, month and weekday names,
// weekday 7 = Sunday, and the macros @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly.
// A `TZ=`/`CRON_TZ=` prefix is stripped: a time zone shifts runs but does not change the gaps (DST ignored).

interface CronSchedule {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Both day fields restricted: cron runs when EITHER matches (Vixie/robfig semantics). */
  dayOr: boolean;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  nameBase?: number;
}
const FIELDS: FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim().replace(/^(CRON_)?TZ=\S+\s+/, '');
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) throw new Error(`unsupported schedule macro "${trimmed}"`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5)
    throw new Error(`"${expression}" has ${parts.length} fields, expected 5 (minute hour day-of-month month day-of-week)`);
  const [minutes, hours, dom, months, dow] = parts.map((part, i) => parseField(part, FIELDS[i]!));
  const domStar = isUnrestricted(parts[2]!);
  const dowStar = isUnrestricted(parts[4]!);
  const daysOfWeek = new Set([...dow!].map((d) => (d === 7 ? 0 : d)));
  return {
    minutes: [...minutes!].sort((a, b) => a - b),
    hours: [...hours!].sort((a, b) => a - b),
    daysOfMonth: dom!,
    months: months!,
    daysOfWeek,
    dayOr: !domStar && !dowStar,
    domRestricted: !domStar,
    dowRestricted: !dowStar,
  };
}

// robfig/cron treats "*" and "*-slash-1" as "any day"; a step over 1 counts as a restriction.
function isUnrestricted(field: string): boolean {
  return ['*', '?', '*/1', '?/1'].includes(field);
}

function parseField(field: string, def: FieldDef): Set<number> {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [rangePart, stepPart, extra] = item.split('/');
    if (rangePart === undefined || extra !== undefined) throw new Error(`invalid ${def.name} "${item}"`);
    const step = stepPart === undefined ? 1 : Number(stepPart);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in ${def.name} "${item}"`);
    let lo: number;
    let hi: number;
    if (rangePart === '*' || rangePart === '?') {
      [lo, hi] = [def.min, def.max];
    } else if (rangePart.includes('-')) {
      const [a, b] = rangePart.split('-');
      [lo, hi] = [value(a ?? '', def), value(b ?? '', def)];
    } else {
      lo = value(rangePart, def);
      // `N/S` means from N to the end of the range, every S.
      hi = stepPart === undefined ? lo : def.max;
    }
    if (lo > hi) throw new Error(`${def.name} range "${rangePart}" runs backwards`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

function value(token: string, def: FieldDef): number {
  const byName = def.names?.indexOf(token.toLowerCase()) ?? -1;
  const n = byName >= 0 ? byName + (def.nameBase ?? 0) : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(n) || n < def.min || n > def.max) throw new Error(`${def.name} "${token}" is outside ${def.min}-${def.max}`);
  return n;
}

const DAY_MS = 86_400_000;
/** Eight years from a leap year: long enough for the rarest schedule (29 Feb) to repeat. */
const WINDOW_DAYS = 8 * 366;

function dayMatches(s: CronSchedule, date: Date): boolean {
  if (!s.months.has(date.getUTCMonth() + 1)) return false;
  const dom = s.daysOfMonth.has(date.getUTCDate());
  const dow = s.daysOfWeek.has(date.getUTCDay());
  if (s.dayOr) return dom || dow;
  return (!s.domRestricted || dom) && (!s.dowRestricted || dow);
}

/** The longest time between two consecutive runs, in minutes; undefined when it never runs twice. */
export function maxGapMinutes(s: CronSchedule): number | undefined {
  const times = s.hours.flatMap((h) => s.minutes.map((m) => h * 60 + m));
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined) return undefined;
  let intraDay = 0;
  for (let i = 1; i < times.length; i++) intraDay = Math.max(intraDay, times[i]! - times[i - 1]!);

  const start = Date.UTC(2024, 0, 1);
  let previousDay: number | undefined;
  let runs = 0;
  let gap = 0;
  for (let day = 0; day < WINDOW_DAYS; day++) {
    if (!dayMatches(s, new Date(start + day * DAY_MS))) continue;
    runs += times.length;
    gap = Math.max(gap, intraDay);
    if (previousDay !== undefined) gap = Math.max(gap, (day - previousDay) * 1440 - last + first);
    previousDay = day;
  }
  return runs < 2 ? undefined : gap;
}

/** A parsed five-field cron schedule (minute hour day-of-month month day-of-week), evaluated in UTC. */
export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /** Standard cron: when both day fields are restricted, either may match. */
  readonly dayOfMonthAny: boolean;
  readonly dayOfWeekAny: boolean;
}

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Thrown for an invalid cron expression; the message says which field and why. */
export class CronError extends Error {}

function parseField(text: string, name: string, min: number, max: number, names: readonly string[] = [], nameBase = min): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    const n = named >= 0 ? named + nameBase : /^\d+$/.test(token) ? Number(token) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new CronError(`${name} "${token}" is not in ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`${name} step "${stepText}" must be a positive integer`);
    let [from, to] = [min, max];
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-');
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
      if (to < from) throw new CronError(`${name} range "${range}" is reversed`);
    }
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return values;
}

/**
 * Parses a cron expression (five fields, names like `mon`/`jan`, ranges, lists, steps, and the
 * `@daily`-style macros). Day of week 7 is Sunday, as 0.
 *
 * @example
 * const workdays = parseCron('0 9 * * 1-5');
 * cronMatches(workdays, Date.UTC(2026, 11, 3, 9, 0)) // true (a Thursday, 09:00 UTC)
 */
export function parseCron(expression: string): CronSchedule {
  const text = macros[expression.trim()] ?? expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new CronError(`schedule "${expression}" needs 5 fields (minute hour day-of-month month day-of-week) or a macro like @daily`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const daysOfWeek = parseField(dayOfWeek, 'day of week', 0, 7, dayNames, 0);
  if (daysOfWeek.has(7)) daysOfWeek.add(0);
  return {
    minutes: parseField(minute, 'minute', 0, 59),
    hours: parseField(hour, 'hour', 0, 23),
    daysOfMonth: parseField(dayOfMonth, 'day of month', 1, 31),
    months: parseField(month, 'month', 1, 12, monthNames, 1),
    daysOfWeek,
    dayOfMonthAny: dayOfMonth === '*' || dayOfMonth === '?',
    dayOfWeekAny: dayOfWeek === '*' || dayOfWeek === '?',
  };
}

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** The UTC calendar fields of an instant (milliseconds since the epoch), without a Date object. */
export function utcFields(epochMs: number): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  const days = Math.floor(epochMs / dayMs);
  const msOfDay = epochMs - days * dayMs;
  // Civil-from-days (proleptic Gregorian), counting eras of 400 years from 0000-03-01.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor((msOfDay % 3_600_000) / minuteMs),
    weekday: (((days + 4) % 7) + 7) % 7, // 1970-01-01 was a Thursday
  };
}

/** Whether the schedule fires in the minute containing `epochMs` (UTC). */
export function cronMatches(schedule: CronSchedule, epochMs: number): boolean {
  const t = utcFields(epochMs);
  if (!schedule.minutes.has(t.minute) || !schedule.hours.has(t.hour) || !schedule.months.has(t.month)) return false;
  const dom = schedule.daysOfMonth.has(t.day);
  const dow = schedule.daysOfWeek.has(t.weekday);
  if (schedule.dayOfMonthAny || schedule.dayOfWeekAny) return dom && dow;
  return dom || dow;
}

/**
 * The latest minute at or before `epochMs` when the schedule fired, if that was less than
 * `withinMs` ago; undefined otherwise.
 */
export function lastFiring(schedule: CronSchedule, epochMs: number, withinMs: number): number | undefined {
  const start = Math.floor(epochMs / minuteMs) * minuteMs;
  for (let t = start; t > epochMs - withinMs; t -= minuteMs) {
    if (cronMatches(schedule, t)) return t;
  }
  return undefined;
}

import type { PeriodQuery } from '../../../shared/schemas/ledger';

/**
 * Periods of the ledger, as calendar days in the organisation's time zone (YYYY-MM-DD strings, both ends included).
 * Day arithmetic runs on UTC dates of those strings, so it never depends on the server's own zone.
 */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

export const parseDay = (day: string): number => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
export const formatDay = (utc: number): string => new Date(utc).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => formatDay(parseDay(day) + n * DAY_MS);
export const monthOf = (day: string): string => day.slice(0, 7);

function monthStart(year: number, month0: number): string {
  return formatDay(Date.UTC(year, month0, 1));
}
function monthEnd(year: number, month0: number): string {
  return formatDay(Date.UTC(year, month0 + 1, 0));
}

/** The period a query names around `today` (the organisation's today unless the query gives a date). */
export function resolvePeriod(query: PeriodQuery, today: string): Period {
  if (query.period === 'custom') return { from: query.from!, to: query.to! };
  const day = query.date ?? today;
  const y = Number(day.slice(0, 4));
  const m0 = Number(day.slice(5, 7)) - 1;
  switch (query.period) {
    case 'week': {
      // Weeks run Monday to Sunday, as Chinese calendars print them.
      const weekday = (new Date(parseDay(day)).getUTCDay() + 6) % 7;
      const from = addDays(day, -weekday);
      return { from, to: addDays(from, 6) };
    }
    case 'month':
      return { from: monthStart(y, m0), to: monthEnd(y, m0) };
    case 'quarter': {
      const q0 = Math.floor(m0 / 3) * 3;
      return { from: monthStart(y, q0), to: monthEnd(y, q0 + 2) };
    }
    case 'year':
      return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
}

/** The `count` periods of the same kind ending with the one `query` names, oldest first (for a trend). */
export function periodsBack(query: PeriodQuery, today: string, count: number): Period[] {
  const out: Period[] = [];
  let current = resolvePeriod(query, today);
  for (let i = 0; i < count; i++) {
    out.unshift(current);
    const before = addDays(current.from, -1);
    current = query.period === 'custom' ? { from: addDays(current.from, -daysIn(current)), to: before } : resolvePeriod({ ...query, date: before }, today);
  }
  return out;
}

export const daysIn = (p: Period): number => Math.round((parseDay(p.to) - parseDay(p.from)) / DAY_MS) + 1;

/** The aggregate buckets an entry of a day adds to: its day, month, quarter and year. */
export function bucketsOfDay(day: string): string[] {
  const quarter = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  return [`d:${day}`, `m:${day.slice(0, 7)}`, `q:${day.slice(0, 4)}-Q${quarter}`, `y:${day.slice(0, 4)}`];
}

/**
 * The fewest aggregate buckets that cover a period exactly: whole years, quarters and months where the period covers
 * them, single days at the edges, so a year is one read, not 365, and a 12-month trend 12.
 */
export function periodBuckets(p: Period): string[] {
  const out: string[] = [];
  let day = p.from;
  while (day <= p.to) {
    const y = Number(day.slice(0, 4));
    const m0 = Number(day.slice(5, 7)) - 1;
    const q0 = Math.floor(m0 / 3) * 3;
    if (day === `${y}-01-01` && `${y}-12-31` <= p.to) {
      out.push(`y:${y}`);
      day = `${y + 1}-01-01`;
    } else if (m0 === q0 && day === monthStart(y, m0) && monthEnd(y, q0 + 2) <= p.to) {
      out.push(`q:${y}-Q${q0 / 3 + 1}`);
      day = addDays(monthEnd(y, q0 + 2), 1);
    } else if (day === monthStart(y, m0) && monthEnd(y, m0) <= p.to) {
      out.push(`m:${monthOf(day)}`);
      day = addDays(monthEnd(y, m0), 1);
    } else {
      out.push(`d:${day}`);
      day = addDays(day, 1);
    }
  }
  return out;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(at / 1000) * 1000;
}

/** The instant a day begins (00:00) in the time zone. */
export function dayStartAt(day: string, timeZone: string): number {
  const guess = parseDay(day);
  const first = guess - zoneOffset(guess, timeZone);
  // Once more, in case the offset at local midnight differs from the one at UTC midnight (a DST change that day).
  return guess - zoneOffset(first, timeZone);
}

/** The period as instants: [start, end) in the time zone. */
export function periodSpan(p: Period, timeZone: string): { start: number; end: number } {
  return { start: dayStartAt(p.from, timeZone), end: dayStartAt(addDays(p.to, 1), timeZone) };
}

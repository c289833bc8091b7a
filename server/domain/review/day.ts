/** The review's calendar (issue 11): days change at 00:00 in the organisation's time zone, not the server's. */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, f);
  }
  return f;
}

/** The day (YYYY-MM-DD) an instant falls on in the time zone. */
export function dayKey(at: number, timeZone: string): string {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Whether the time zone is one Intl knows (config checks it at start). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const DAY_MS = 86_400_000;

/** The next `count` days from the one `now` falls on (the organisation's zones have no 23-hour days that matter here). */
export function nextDays(now: number, count: number, timeZone: string): string[] {
  const out: string[] = [];
  // Noon-anchored steps stay on distinct calendar days even across a daylight-saving shift.
  for (let i = 0; out.length < count && i < count + 2; i++) {
    const d = dayKey(now + i * DAY_MS, timeZone);
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

/**
 * Billing-period arithmetic of the sandbox Account Server (kept apart from the client's own
 * period code on purpose, so the two can check each other).
 *
 * A unit's billing period runs from its billing day (1..28) in one month, 00:00 UTC,
 * inclusive, to the same day of the next month, exclusive. `pbp` 0 is the period that
 * contains "now", -1 the one before, down to -23.
 *
 * @module
 */

/** A half-open UTC interval `[from, until)`. */
export interface Period {
  /** Inclusive start (00:00 UTC of a day for billing periods). */
  from: Date;
  /** Exclusive end. */
  until: Date;
}

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** The oldest prior billing period the AS serves. */
export const MIN_PBP = -23;

/** 00:00 UTC of the day containing `instant`. */
export function startOfDay(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / DAY_MS) * DAY_MS);
}

/** `instant` moved by whole days (negative moves back). */
export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** The UTC calendar day of `instant` as `YYYY-MM-DD`. */
export function formatDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** 00:00 UTC of `day` in the month `monthOffset` months after (year, month0); days 1..28 only. */
function dayInMonth(year: number, month0: number, day: number, monthOffset: number): Date {
  return new Date(Date.UTC(year, month0 + monthOffset, day));
}

/**
 * The billing period of a unit with `billingDay` that is `pbp` periods before the one
 * containing `now` (pbp 0 = current). Billing days are 1..28, so every month has the day.
 */
export function billingPeriod(
  billingDay: number,
  now: Date,
  options: { pbp?: number } = {},
): Period {
  const pbp = options.pbp ?? 0;
  const year = now.getUTCFullYear();
  const month0 = now.getUTCMonth();
  // Before the billing day of this month we are still in the period that began last month.
  const startOffset = now.getUTCDate() >= billingDay ? 0 : -1;
  return {
    from: dayInMonth(year, month0, billingDay, startOffset + pbp),
    until: dayInMonth(year, month0, billingDay, startOffset + pbp + 1),
  };
}

/**
 * Every billing period (for `billingDay`) that overlaps `[from, until)`, oldest first. Used to
 * generate charges period by period when a caller asks for an arbitrary date range.
 */
export function periodsOverlapping(billingDay: number, range: Period): Period[] {
  const out: Period[] = [];
  if (range.from.getTime() >= range.until.getTime()) return out;
  let period = billingPeriod(billingDay, range.from);
  while (period.from.getTime() < range.until.getTime()) {
    out.push(period);
    period = billingPeriod(billingDay, period.until);
  }
  return out;
}

/** The intersection of two intervals, or null when they do not overlap. */
export function intersect(a: Period, b: Period): Period | null {
  const from = Math.max(a.from.getTime(), b.from.getTime());
  const until = Math.min(a.until.getTime(), b.until.getTime());
  return from < until ? { from: new Date(from), until: new Date(until) } : null;
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** Month number 0..11 from an English month name or its 3-letter abbreviation, else -1. */
function monthIndex(name: string): number {
  const lower = name.toLowerCase();
  return MONTHS.findIndex((m) => m === lower || (lower.length >= 3 && m.startsWith(lower)));
}

/** A valid UTC date from parts, or null when the parts do not name a real day. */
function utcDate(year: number, month0: number, day: number): Date | null {
  const d = new Date(Date.UTC(year, month0, day));
  if (year < 1000 || d.getUTCMonth() !== month0 || d.getUTCDate() !== day) return null;
  return d;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MONTH_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$/;
const MONTH_DAY_YEAR = /^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/;

/**
 * Parses a `from`/`until` query value the way a user of the real server (Python dateutil,
 * UTC assumed) would expect, returning the instant or null when it cannot be read.
 *
 * Accepted (a documented subset of dateutil): `YYYY-MM-DD`; ISO-8601 date-times
 * (`2026-03-01T12:00`, `...:00Z`, `...+01:00`, a space instead of `T`), UTC when no zone is
 * given; and English dates such as `1 December 2021`, `1st Dec 2021` or `December 1, 2021`.
 */
export function parseDateParam(text: string): Date | null {
  const value = text.trim();
  let m = ISO_DATE.exec(value);
  if (m) return utcDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  m = ISO_DATE_TIME.exec(value);
  if (m) {
    const day = utcDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const [hh, mm, ss] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    if (!day || hh > 23 || mm > 59 || ss > 59) return null;
    const zone = (m[7] ?? "Z").toUpperCase();
    const iso = `${value.slice(0, 10)}T${m[4]}:${m[5]}:${String(ss).padStart(2, "0")}` +
      (zone === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone);
    const parsed = new Date(iso);
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  m = DAY_MONTH_YEAR.exec(value);
  if (m) {
    const month0 = monthIndex(m[2]);
    return month0 < 0 ? null : utcDate(Number(m[3]), month0, Number(m[1]));
  }
  m = MONTH_DAY_YEAR.exec(value);
  if (m) {
    const month0 = monthIndex(m[1]);
    return month0 < 0 ? null : utcDate(Number(m[3]), month0, Number(m[2]));
  }
  return null;
}

/**
 * Calendar days as the Account Server writes them: UTC `YYYY-MM-DD` strings. The one place
 * that checks, formats and shifts such days for the client and the reports (the sandbox
 * keeps its own date code on purpose, sandbox/periods.ts, so the two can check each other).
 *
 * @module
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True when `text` is a real calendar day written `YYYY-MM-DD` (no time, no spaces).
 *
 * @example
 * ```ts
 * isIsoDate("2024-02-29"); // true
 * isIsoDate("2025-02-29"); // false: no such day
 * isIsoDate("2025-2-01"); // false
 * ```
 */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return toIsoDate(d) === text;
}

/**
 * The UTC calendar day of `date` as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * toIsoDate(new Date("2026-11-03T23:30:00Z")); // "2026-11-03"
 * ```
 */
export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The day `days` days after `date` (`YYYY-MM-DD`; negative goes back).
 *
 * @example
 * ```ts
 * addDays("2026-02-28", 1); // "2026-03-01"
 * ```
 */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return toIsoDate(d);
}

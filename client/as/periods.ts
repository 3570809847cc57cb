/**
 * Checks of the charge-period arguments `from`, `until` and `pbp` before any request is
 * made: dates are `YYYY-MM-DD` strings or `Date`s at a midnight (see {@link PeriodOptions}
 * for which day a `Date` means), `from` is before `until`, and `pbp` (prior billing period)
 * is an integer from −23 to 0. A bad value is a {@link UsageError}.
 *
 * @module
 */

import { isIsoDate, toIsoDate } from "../dates.ts";
import { UsageError } from "../errors.ts";

/**
 * The period arguments of the charge methods.
 *
 * The Account Server takes calendar days (`YYYY-MM-DD`, its days are UTC days). A string
 * is sent as it is. A `Date` is an instant, not a day, so it is read as the day the caller
 * most likely meant:
 *
 * - a `Date` at **local midnight** (`new Date(2026, 0, 1)`, what date pickers and
 *   `setHours(0, 0, 0, 0)` give) means that **local calendar day**: `2026-01-01` in every
 *   time zone (in Europe/Berlin that instant is 2025-12-31T23:00Z, which the UTC reading
 *   would have turned into `2025-12-31`);
 * - a `Date` at **UTC midnight** (`new Date("2026-01-01")`, `Date.UTC(2026, 0, 1)`, a
 *   parsed server date) means that **UTC day**: `2026-01-01` in every time zone;
 * - both at once happens only where the zone's offset at that instant is 0, and then both
 *   readings give the same day, so the rule never has to choose;
 * - any other time of day (e.g. `new Date()`, or `23:59:59`) is refused with a
 *   {@link UsageError} asking for a `YYYY-MM-DD` string, because "the day of an instant"
 *   depends on a time zone the caller did not state. So is a day whose local midnight does
 *   not exist (a daylight-saving change at midnight, e.g. in America/Santiago): pass the
 *   string.
 *
 * Midnight means exactly 00:00:00.000. The local zone is the process's (`TZ` in Deno).
 */
export interface PeriodOptions {
  /** First day of the period, inclusive: `YYYY-MM-DD`, or a `Date` at a midnight (see above). */
  from?: Date | string;
  /** Day after the period, exclusive: `YYYY-MM-DD`, or a `Date` at a midnight (see above). */
  until?: Date | string;
  /** Prior billing period: 0 is the current one, −1 the one before, down to −23. */
  pbp?: number;
}

/** The query parameters the AS expects, only those that are set. */
export interface PeriodQuery {
  /** `YYYY-MM-DD`. */
  from?: string;
  /** `YYYY-MM-DD`. */
  until?: string;
  /** Integer as text, `-23` … `-1`. */
  pbp?: string;
}

/** The oldest prior billing period the Account Server serves (−23). */
export const MIN_PBP: number = -23;
/** The current billing period (0). */
export const MAX_PBP: number = 0;

/**
 * Returns `value` as a `YYYY-MM-DD` day: a string as it is (checked), a `Date` by the rule
 * of {@link PeriodOptions} (local midnight → its local day, UTC midnight → its UTC day).
 * `name` is used in the message.
 *
 * @throws {UsageError} for an invalid `Date`, a `Date` at neither midnight, a string not
 *   shaped `YYYY-MM-DD`, or a day that does not exist (`2026-02-30`).
 *
 * @example
 * ```ts
 * toIsoDay(new Date(2026, 0, 1)); // "2026-01-01" in any time zone (local midnight)
 * toIsoDay(new Date("2026-01-01")); // "2026-01-01" in any time zone (UTC midnight)
 * toIsoDay(new Date()); // throws UsageError: pass "YYYY-MM-DD"
 * ```
 */
export function toIsoDay(value: Date | string, name = "date"): string {
  if (value instanceof Date) return dateToDay(value, name);
  const text = String(value).trim();
  if (!isIsoDate(text)) {
    throw new UsageError(
      `Invalid ${name} date "${value}": use a real day as YYYY-MM-DD, e.g. 2026-11-01`,
    );
  }
  return text;
}

function dateToDay(value: Date, name: string): string {
  if (Number.isNaN(value.getTime())) {
    throw new UsageError(`Invalid ${name} date "${value}": pass a valid Date or YYYY-MM-DD`);
  }
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const localMidnight = value.getHours() === 0 && value.getMinutes() === 0 &&
    value.getSeconds() === 0 && value.getMilliseconds() === 0;
  if (localMidnight) {
    return `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  if (value.getTime() % 86_400_000 === 0) {
    // UTC midnight (and not local midnight, so the zone's offset is not 0 here).
    return toIsoDate(value);
  }
  throw new UsageError(
    `Cannot tell which day the ${name} date ${value.toISOString()} means: it is at neither ` +
      `local nor UTC midnight; pass the day as a "YYYY-MM-DD" string, e.g. "2026-11-01"`,
  );
}

/**
 * Checks `pbp` and returns it, or `undefined` when absent.
 *
 * @throws {UsageError} unless it is an integer from −23 to 0.
 */
export function checkPbp(pbp: number | undefined): number | undefined {
  if (pbp === undefined || pbp === null) return undefined;
  if (typeof pbp !== "number" || !Number.isInteger(pbp) || pbp < MIN_PBP || pbp > MAX_PBP) {
    throw new UsageError(
      `Invalid pbp "${pbp}": use an integer from ${MIN_PBP} (${-MIN_PBP} periods ago) to ` +
        `${MAX_PBP} (the current period)`,
    );
  }
  return pbp;
}

/**
 * Validates the period arguments and turns them into query parameters.
 *
 * Choices where the AS reference is silent: `pbp: 0` is left out (the Python client does
 * the same; 0 and "absent" both mean the current period); a non-zero `pbp` together with
 * `from`/`until` is refused, because the server does not document which one wins and a
 * report must state its period without doubt.
 *
 * @throws {UsageError} for a bad date, a bad `pbp`, `from` not before `until`, or a
 *   non-zero `pbp` combined with dates.
 */
export function periodQuery(options: PeriodOptions = {}): PeriodQuery {
  const from = options.from === undefined ? undefined : toIsoDay(options.from, "from");
  const until = options.until === undefined ? undefined : toIsoDay(options.until, "until");
  const pbp = checkPbp(options.pbp);
  if (from !== undefined && until !== undefined && from >= until) {
    throw new UsageError(
      `Invalid period from "${from}" until "${until}": from must be before until ` +
        `(until is exclusive, e.g. from 2026-11-01 until 2026-12-01 for November)`,
    );
  }
  if (pbp !== undefined && pbp !== 0 && (from !== undefined || until !== undefined)) {
    throw new UsageError(
      `Invalid period: pbp "${pbp}" cannot be combined with from/until; give either a prior ` +
        `billing period or dates`,
    );
  }
  const query: PeriodQuery = {};
  if (from !== undefined) query.from = from;
  if (until !== undefined) query.until = until;
  if (pbp !== undefined && pbp !== 0) query.pbp = String(pbp);
  return query;
}

/**
 * Checks of the charge-period arguments `from`, `until` and `pbp` before any request is
 * made: dates are `Date`s or `YYYY-MM-DD` strings (UTC), `from` is before `until`, and `pbp`
 * (prior billing period) is an integer from −23 to 0. A bad value is a {@link UsageError}.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** The period arguments of the charge methods. */
export interface PeriodOptions {
  /** First day of the period, inclusive (`Date` or `YYYY-MM-DD`, UTC). */
  from?: Date | string;
  /** Day after the period, exclusive (`Date` or `YYYY-MM-DD`, UTC). */
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

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Returns `value` as a UTC `YYYY-MM-DD` day. `name` is used in the message.
 *
 * @throws {UsageError} for an invalid `Date`, a string not shaped `YYYY-MM-DD`, or a
 *   day that does not exist (`2026-02-30`).
 */
export function toIsoDay(value: Date | string, name = "date"): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new UsageError(`Invalid ${name} date "${value}": pass a valid Date or YYYY-MM-DD`);
    }
    return value.toISOString().slice(0, 10);
  }
  const text = String(value).trim();
  const m = ISO_DAY.exec(text);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !day || day.toISOString().slice(0, 10) !== text) {
    throw new UsageError(
      `Invalid ${name} date "${value}": use a real day as YYYY-MM-DD, e.g. 2026-11-01`,
    );
  }
  return text;
}

/**
 * Checks `pbp` and returns it, or `undefined` when absent.
 *
 * @throws {UsageError} unless it is an integer from −23 to 0.
 */
export function checkPbp(pbp: number | undefined): number | undefined {
  if (pbp === undefined || pbp === null) return undefined;
  if (typeof pbp !== "number" || !Number.isInteger(pbp) || pbp < -23 || pbp > 0) {
    throw new UsageError(
      `Invalid pbp "${pbp}": use an integer from -23 (23 periods ago) to 0 (the current period)`,
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

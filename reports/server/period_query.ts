/**
 * Reads the period of a page or a download from its query string: `?pbp=N` (-23..0),
 * `?month=YYYY-MM` (a calendar month), `?from=YYYY-MM-DD&until=YYYY-MM-DD` (until
 * exclusive), or `?period=` as the pages' picker sends it (`-1` or `2026-11`). Without any,
 * the last closed billing period (`pbp=-1`), like the charges script.
 *
 * The messages are for the person who followed the link (finance), not for API users: they
 * say what is wrong with the period and what to do, without parameter names.
 *
 * @module
 */

import { isIsoDate } from "../../client/dates.ts";
import { MAX_PBP, MIN_PBP } from "../../client/as/periods.ts";
import { UsageError } from "../../client/errors.ts";
import {
  DEFAULT_PBP,
  isOpenPeriod,
  monthLabel,
  monthName,
  monthOf,
  type MonthRange,
  monthRange,
  type PeriodRequest,
} from "../charges/periods.ts";

/** The query parameters that choose a period. */
export interface PeriodQuery {
  /** A prior billing period, `-23`..`0`. */
  pbp?: string;
  /** A calendar month, `YYYY-MM`. */
  month?: string;
  /** First day, `YYYY-MM-DD`, inclusive. */
  from?: string;
  /** Day after the last, `YYYY-MM-DD`, exclusive. */
  until?: string;
  /** What the pages' picker sends: a prior billing period (`-1`) or a month (`2026-11`). */
  period?: string;
}

/** The period a page shows: a prior billing period, or a calendar month. */
export type PageSelection =
  | {
    /** A prior billing period. */
    kind: "pbp";
    /** 0 = current, -1 = last closed. */
    pbp: number;
  }
  | {
    /** A calendar month. */
    kind: "month";
    /** `YYYY-MM`. */
    month: string;
    /** The month's first day, inclusive. */
    from: string;
    /** The next month's first day, exclusive. */
    until: string;
  };

const MONTH = /^(\d{4})-(\d{2})$/;

const PICK = "pick a period from the list on the organisations page";

/**
 * The dates of calendar month `month` (`YYYY-MM`): `{from, until, month}`, until exclusive.
 *
 * @throws {UsageError} when `month` is not a real `YYYY-MM` month (in words for finance).
 */
export function calendarMonth(month: string): MonthRange {
  const m = MONTH.exec(month.trim());
  const mm = m ? Number(m[2]) : 0;
  if (!m || mm < 1 || mm > 12) {
    throw new UsageError(
      `The link asks for the month "${month}", which is not a month: write it as year-month, e.g. 2026-11, or ${PICK}`,
    );
  }
  return monthRange(month.trim());
}

/** The `count` calendar months up to the one containing `now`, newest first. */
export function recentMonths(now: Date, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1))));
  }
  return out;
}

/**
 * A calendar month in words with its dates, e.g. `November 2026 (calendar month, 2026-11-01
 * to 2026-12-01 excl.)`; `so far` is added when the month is not over at `now`.
 */
export function monthInWords(month: string, now?: Date): string {
  const r = calendarMonth(month);
  return monthLabel(r.month, { open: now !== undefined && isOpenPeriod(r.until, now) });
}

/** A prior billing period in words: `current period (so far)`, `last closed period`, `3 periods ago`. */
export function pbpInPlainWords(pbp: number): string {
  if (pbp === 0) return "current period (so far)";
  if (pbp === -1) return "last closed period";
  return `${-pbp} periods ago`;
}

function checkMonthStarted(month: string, now: Date | undefined): void {
  if (now === undefined) return;
  if (month > monthOf(now)) {
    throw new UsageError(
      `The link asks for ${monthName(month)}, which has not started yet: ${PICK}`,
    );
  }
}

function pbpOf(text: string, min: number): number {
  const n = /^-?\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= MAX_PBP)) {
    const reason = n > MAX_PBP
      ? "is in the future"
      : Number.isNaN(n)
      ? "cannot be read"
      : "is older than the server offers";
    throw new UsageError(
      `The link asks for a billing period that ${reason} ("${text}"): the server offers the current period and the ${-min} before it; ${PICK}`,
    );
  }
  return n === 0 ? 0 : n;
}

/**
 * Parses the period query parameters of a download.
 *
 * @throws {UsageError} (400) for a malformed period or date, a month that has not started
 * (when `now` is given), `from` not before `until`, half a range, or two ways of giving the
 * period at once.
 */
export function periodFromQuery(
  query: PeriodQuery,
  options: { minPbp?: number; now?: Date } = {},
): PeriodRequest {
  const min = options.minPbp ?? MIN_PBP;
  const { pbp, from, until, month, period } = query;
  const ways = [pbp, month, period, from ?? until].filter((v) => v !== undefined).length;
  if (ways > 1) {
    throw new UsageError(
      `The link gives the period in two different ways, so it is not clear which to use: ${PICK}`,
    );
  }
  if (period !== undefined && period !== "") {
    return MONTH.test(period)
      ? periodFromQuery({ month: period }, options)
      : periodFromQuery({ pbp: period }, options);
  }
  if (month !== undefined) {
    const r = calendarMonth(month);
    checkMonthStarted(r.month, options.now);
    // `month` rides along (the contract of reports/charges/periods.ts): the report then
    // names the calendar month.
    return { from: r.from, until: r.until, month: r.month };
  }
  if (from !== undefined || until !== undefined) {
    if (!from || !until || !isIsoDate(from) || !isIsoDate(until)) {
      throw new UsageError(
        `The link's dates cannot be read ("${from ?? ""}" to "${
          until ?? ""
        }"): both must be real days written as year-month-day, e.g. 2026-10-01; ${PICK}`,
      );
    }
    if (from >= until) {
      throw new UsageError(
        `The link's period starts on ${from} but ends on ${until} (the end is excluded), so it is empty: ${PICK}`,
      );
    }
    return { from, until };
  }
  if (pbp === undefined || pbp === "") return { pbp: DEFAULT_PBP };
  return { pbp: pbpOf(pbp, min) };
}

/** The period a page shows, from its query (see {@link periodFromQuery}); dates are refused. */
export function pageSelectionFromQuery(
  query: Omit<PeriodQuery, "from" | "until">,
  options: { minPbp: number; now: Date },
): PageSelection {
  const request = periodFromQuery(query, options);
  if ("pbp" in request) return { kind: "pbp", pbp: request.pbp };
  const month = request.month;
  if (month === undefined) {
    throw new UsageError(`Pages show billing periods and calendar months only: ${PICK}`);
  }
  return { kind: "month", month, from: request.from, until: request.until };
}

/** The query string (without `?`) that asks for `selection`: `pbp=-1` or `month=2026-11`. */
export function selectionQuery(selection: PageSelection): string {
  return selection.kind === "pbp" ? `pbp=${selection.pbp}` : `month=${selection.month}`;
}

/**
 * A report's period in plain words with its dates, e.g. `the last closed period,
 * 2026-10-15 to 2026-12-01 excl.`, `November 2026 (calendar month, 2026-11-01 to
 * 2026-12-01 excl.)` or `2026-10-01 to 2026-10-15 excl.`; "so far" when it is open.
 */
export function reportPeriodInWords(
  period: { from: string; until: string; pbp?: number; month?: string; open?: boolean },
): string {
  if (period.month !== undefined) return monthLabel(period.month, { open: period.open });
  const dates = `${period.from} to ${period.until} excl.`;
  if (period.pbp !== undefined) {
    const words = period.pbp <= -2
      ? `the billing period ${pbpInPlainWords(period.pbp)}`
      : `the ${pbpInPlainWords(period.pbp)}`;
    return `${words}, ${dates}`;
  }
  return period.open ? `${dates} (so far)` : dates;
}

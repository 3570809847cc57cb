/**
 * Billing periods: parsing the period flags of the scripts (`--pbp N`, `--pbp A..B`,
 * `--from/--until`) into period requests, billing-period arithmetic for a unit's billing
 * day (reused by the report server and the scheduled job), and periods in words (the
 * report's label and the sentences of the XLSX summary). Calendar days themselves are
 * checked and shifted in client/dates.ts, the pbp range is client/as/periods.ts's.
 *
 * Conventions (AS reference §4): `from` is inclusive and `until` exclusive, both UTC
 * `YYYY-MM-DD`; `pbp` ("prior billing period") is an integer in -23..0 where 0 is the current
 * period and -1 the last closed one. A unit's period runs from its billing day in one month
 * to (exclusive) its billing day in the next.
 *
 * @module
 */

import { addDays, isIsoDate, toIsoDate } from "../../client/dates.ts";
import { MAX_PBP, MIN_PBP } from "../../client/as/periods.ts";
import { UsageError } from "../../client/errors.ts";
import type { ReportPeriod } from "./model.ts";

/**
 * Which charges a report covers: a prior billing period, or an explicit date range. A
 * calendar month is a date range that also names its month, e.g.
 * `{ from: "2026-11-01", until: "2026-12-01", month: "2026-11" }` (see {@link monthRange}).
 */
export type PeriodRequest = { pbp: number } | { from: string; until: string; month?: string };

/** A calendar month as a date range: `[first day, first day of the next month)`. */
export interface MonthRange {
  /** First day of the month, `YYYY-MM-01`, inclusive. */
  from: string;
  /** First day of the next month, exclusive. */
  until: string;
  /** The month, `YYYY-MM`. */
  month: string;
}

/** A half-open date range `[from, until)`, UTC `YYYY-MM-DD`. */
export interface DateRange {
  /** First day, inclusive. */
  from: string;
  /** First day after the range, exclusive. */
  until: string;
}

/** The period exported when none is asked for: the last closed one. */
export const DEFAULT_PBP: number = -1;

/** The shape of a day, `YYYY-MM-DD`, whether or not the day exists. */
const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const PBP_ONE = /^[+-]?\d+$/;
const PBP_RANGE = /^([+-]?\d+)\.\.([+-]?\d+)$/;
const MONTH_SHAPE = /^(\d{4})-(\d{2})$/;
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** The period flags as a script received them (strings, unparsed). */
export interface PeriodFlags {
  /** `N` or `A..B`. */
  pbp?: string;
  /** `YYYY-MM-DD`, inclusive. */
  from?: string;
  /** `YYYY-MM-DD`, exclusive. */
  until?: string;
  /** `YYYY-MM` or `YYYY-MM..YYYY-MM` (calendar months). */
  month?: string;
}

/**
 * Turns the period flags into one request per period to export, oldest first. No flags
 * means `--pbp -1` (the last closed period). `--month` gives one calendar month per
 * request; a month after the one containing `now` is refused (the current month is
 * allowed: its report is "so far").
 *
 * @throws {UsageError} for a pbp outside -23..0, a malformed or impossible date or month,
 * `from` not before `until`, half a date range, a future month, or two kinds of period
 * flags together.
 */
export function parsePeriodFlags(flags: PeriodFlags, now: Date = new Date()): PeriodRequest[] {
  const hasDates = flags.from !== undefined || flags.until !== undefined;
  if (flags.month !== undefined) {
    const other = flags.pbp !== undefined
      ? `--pbp "${flags.pbp}"`
      : hasDates
      ? "--from/--until"
      : "";
    if (other) {
      throw new UsageError(
        `Cannot combine --month "${flags.month}" with ${other}: give either calendar months, a prior billing period or a date range`,
      );
    }
    return parseMonths(flags.month, now).map(monthRange);
  }
  if (flags.pbp !== undefined && hasDates) {
    throw new UsageError(
      `Cannot combine --pbp "${flags.pbp}" with --from/--until: give either a prior billing period or a date range`,
    );
  }
  if (hasDates) {
    if (flags.from === undefined || flags.until === undefined) {
      const missing = flags.from === undefined ? "--from" : "--until";
      throw new UsageError(
        `Missing ${missing}: a date range needs both --from YYYY-MM-DD (inclusive) and --until YYYY-MM-DD (exclusive)`,
      );
    }
    return [parseDateRange(flags.from, flags.until)];
  }
  if (flags.pbp === undefined) return [{ pbp: DEFAULT_PBP }];
  return parsePbp(flags.pbp).map((pbp) => ({ pbp }));
}

/**
 * Parses `N` or `A..B` (either order) into the list of prior billing periods, oldest first.
 *
 * @throws {UsageError} when the text is not an integer or range within -23..0.
 */
export function parsePbp(text: string): number[] {
  const value = text.trim();
  const range = PBP_RANGE.exec(value);
  if (range) {
    const a = checkPbp(Number(range[1]), text);
    const b = checkPbp(Number(range[2]), text);
    const out: number[] = [];
    for (let p = Math.min(a, b); p <= Math.max(a, b); p++) out.push(p);
    return out;
  }
  if (PBP_ONE.test(value)) return [checkPbp(Number(value), text)];
  throw new UsageError(
    `Cannot read --pbp "${text}": give an integer from ${MIN_PBP} to ${MAX_PBP} (e.g. -1) or a range such as -11..-1`,
  );
}

/**
 * Reads a calendar month written `YYYY-MM` (e.g. `2026-11`) and returns it unchanged.
 *
 * @throws {UsageError} when the text is not a real month in that shape.
 */
export function parseMonth(text: string, flag = "--month"): string {
  const value = text.trim();
  const m = MONTH_SHAPE.exec(value);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) {
    throw new UsageError(
      `Cannot read ${flag} "${text}": write a calendar month as YYYY-MM (e.g. 2026-11) or a range such as 2026-01..2026-03`,
    );
  }
  return value;
}

/**
 * Reads `YYYY-MM` or `YYYY-MM..YYYY-MM` (either order) into the months it covers, oldest
 * first. Months after the one containing `now` (UTC) are refused; the current month is
 * allowed.
 *
 * @throws {UsageError} for a malformed month or range, a range of more than 120 months, or
 * a month in the future.
 */
export function parseMonths(text: string, now: Date = new Date()): string[] {
  const parts = text.trim().split("..");
  if (parts.length > 2) parseMonth(text); // throws: neither a month nor a range
  const [a, b] = parts.map((p) => {
    try {
      return parseMonth(p);
    } catch {
      return parseMonth(text); // throws, naming the whole text
    }
  });
  const first = b === undefined || a <= b ? a : b;
  const last = b === undefined ? a : a <= b ? b : a;
  const current = toIsoDate(now).slice(0, 7);
  if (last > current) {
    throw new UsageError(
      `--month "${text}" is in the future: the latest month with charges is ${current} (the current month, so far)`,
    );
  }
  const out: string[] = [];
  for (let m = first; m <= last; m = monthRange(m).until.slice(0, 7)) {
    out.push(m);
    if (out.length > 120) {
      throw new UsageError(
        `--month "${text}" covers more than 120 months: ask for a shorter range`,
      );
    }
  }
  return out;
}

/**
 * The calendar month `YYYY-MM` as a date range.
 *
 * @example
 * ```ts
 * monthRange("2026-11"); // {from: "2026-11-01", until: "2026-12-01", month: "2026-11"}
 * monthRange("2026-12"); // {from: "2026-12-01", until: "2027-01-01", month: "2026-12"}
 * ```
 * @throws {UsageError} when `month` is not `YYYY-MM`.
 */
export function monthRange(month: string): MonthRange {
  const m = parseMonth(month);
  const year = Number(m.slice(0, 4));
  const index = Number(m.slice(5, 7)) - 1;
  return { from: ymd(year, index, 1), until: ymd(year, index + 1, 1), month: m };
}

/**
 * The calendar month containing `date` (UTC), `YYYY-MM`.
 */
export function monthOf(date: Date): string {
  return toIsoDate(date).slice(0, 7);
}

/**
 * The month before `month`, `YYYY-MM` (e.g. the scheduled job's "last calendar month").
 */
export function previousMonth(month: string): string {
  const m = parseMonth(month);
  return ymd(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 2, 1).slice(0, 7);
}

/**
 * True when a period ending (exclusive) on `until` is not over at `now`: its charges may
 * still grow, and it is shown "so far".
 */
export function isOpenPeriod(until: string, now: Date = new Date()): boolean {
  return until > toIsoDate(now);
}

/**
 * A calendar month in words, e.g. `November 2026 (calendar month, 2026-11-01 to 2026-12-01
 * excl.)`; with `open`, `December 2026 so far (calendar month, 2026-12-01 to 2027-01-01
 * excl.)`.
 *
 * @throws {UsageError} when `month` is not `YYYY-MM`.
 */
export function monthLabel(month: string, options: { open?: boolean } = {}): string {
  const r = monthRange(month);
  return `${monthName(month)}${
    options.open ? " so far" : ""
  } (calendar month, ${r.from} to ${r.until} excl.)`;
}

/** The month's name and year, e.g. `November 2026` for `2026-11`. */
export function monthName(month: string): string {
  const m = parseMonth(month);
  return `${MONTH_NAMES[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;
}

function checkPbp(pbp: number, text: string): number {
  if (pbp > MAX_PBP) {
    throw new UsageError(
      `Prior billing period "${text}" is in the future: use 0 for the current period or -1 down to ${MIN_PBP} for closed ones`,
    );
  }
  if (pbp < MIN_PBP) {
    throw new UsageError(
      `Prior billing period "${text}" is older than the Account Server keeps: use a value from ${MIN_PBP} to ${MAX_PBP}`,
    );
  }
  return pbp === 0 ? 0 : pbp; // normalise -0
}

/**
 * Validates `--from`/`--until` and returns them as a range.
 *
 * @throws {UsageError} for a malformed or impossible date, or `from` not before `until`.
 */
export function parseDateRange(from: string, until: string): DateRange {
  checkDate(from, "--from");
  checkDate(until, "--until");
  if (from >= until) {
    throw new UsageError(
      `--from "${from}" is not before --until "${until}": until is exclusive, so for one day use --until ${
        addDays(from, 1)
      }`,
    );
  }
  return { from, until };
}

function checkDate(text: string, flag: string): void {
  if (!isIsoDate(text)) {
    throw new UsageError(
      `Cannot read ${flag} "${text}": write a real date as YYYY-MM-DD (UTC), e.g. 2026-10-01`,
    );
  }
}

function ymd(year: number, monthIndex: number, day: number): string {
  // Date.UTC normalises month overflow (-1 -> December of the year before, 12 -> January).
  return toIsoDate(new Date(Date.UTC(year, monthIndex, day)));
}

function checkBillingDay(billingDay: number): void {
  if (!Number.isInteger(billingDay) || billingDay < 1 || billingDay > 28) {
    throw new UsageError(`Billing day "${billingDay}" is invalid: use an integer from 1 to 28`);
  }
}

/**
 * The billing period of a unit with billing day `billingDay` (1..28) that contains `date`
 * (UTC): from the billing day on or before `date`, to the same day of the next month.
 *
 * @example
 * ```ts
 * billingPeriodFor(3, new Date("2026-11-26T10:00:00Z")); // {from: "2026-11-03", until: "2026-12-03"}
 * billingPeriodFor(3, new Date("2026-11-02T10:00:00Z")); // {from: "2026-10-03", until: "2026-11-03"}
 * ```
 */
export function billingPeriodFor(billingDay: number, date: Date): DateRange {
  return shiftedPeriod(billingDay, date, 0);
}

/**
 * The period `pbp` months before the one containing `now` (0 = current, -1 = last closed).
 *
 * @throws {UsageError} for a billing day outside 1..28 or a positive pbp.
 */
export function periodForPbp(billingDay: number, now: Date, pbp: number): DateRange {
  if (!Number.isInteger(pbp) || pbp > 0) {
    throw new UsageError(`Prior billing period "${pbp}" is invalid: use 0 or a negative integer`);
  }
  return shiftedPeriod(billingDay, now, pbp);
}

function shiftedPeriod(billingDay: number, date: Date, months: number): DateRange {
  checkBillingDay(billingDay);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + (date.getUTCDate() >= billingDay ? 0 : -1) + months;
  return { from: ymd(y, m, billingDay), until: ymd(y, m + 1, billingDay) };
}

/**
 * The `count` closed periods before the one containing `now`, newest first, each with its
 * pbp (-1, -2, ...). The scheduled job derives them from its scheduled time, not from the
 * wall clock, so that a late or retried run still exports the right month.
 */
export function priorPeriods(
  billingDay: number,
  now: Date,
  count: number,
): (DateRange & { pbp: number })[] {
  const out: (DateRange & { pbp: number })[] = [];
  for (let i = 1; i <= count; i++) out.push({ pbp: -i, ...periodForPbp(billingDay, now, -i) });
  return out;
}

/**
 * Reads a date the server sent (`YYYY-MM-DD`, or an ISO date-time) as `YYYY-MM-DD` UTC;
 * returns the text unchanged when it is neither.
 */
export function normaliseServerDate(text: string): string {
  if (DAY_SHAPE.test(text)) return text;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : toIsoDate(d);
}

/**
 * The period in words, e.g. `prior billing period -1: 2026-10-03 (incl.) to 2026-11-03
 * (excl.)` or `2026-10-01 (incl.) to 2026-11-01 (excl.)`. `perUnit` says that units on
 * different billing days have different periods within the range shown.
 */
export function describePeriod(
  request: PeriodRequest,
  range: DateRange,
  options: {
    /** Units on different billing days have different periods within the range. */
    perUnit?: boolean;
    /** The period is not over yet: say "so far". */
    open?: boolean;
  } = {},
): string {
  const soFar = options.open ? " so far" : "";
  if ("month" in request && request.month !== undefined) {
    return monthLabel(request.month, { open: options.open });
  }
  const dates = `${range.from} (incl.) to ${range.until} (excl.)`;
  if (!("pbp" in request)) return options.open ? `${dates}, so far` : dates;
  const name = request.pbp === 0
    ? "current billing period (0)"
    : `prior billing period ${request.pbp}`;
  return `${name}${options.perUnit ? " (each unit on its own billing day)" : ""}${soFar}: ${dates}`;
}

/** `from 2026-10-03 (inclusive) to 2026-11-03 (exclusive)`: the XLSX summary's wording. */
export function periodDatesInWords(period: Pick<ReportPeriod, "from" | "until">): string {
  return `from ${period.from} (inclusive) to ${period.until} (exclusive)`;
}

/**
 * What a prior-billing-period number means, e.g. `-1: the last closed billing period`;
 * `undefined` when the report was not made by pbp.
 */
export function pbpInWords(pbp: number | undefined): string | undefined {
  if (pbp === undefined) return undefined;
  if (pbp === 0) return "0: the current billing period (still open, totals may still change)";
  if (pbp === -1) return "-1: the last closed billing period";
  return `${pbp}: ${-pbp} billing periods before the current one`;
}

/**
 * The note shown under the period when the report was made by pbp: units bill on their
 * own day of the month, so each detail row states its own unit's period, and the summary's
 * dates are the earliest `from` and the latest `until` over those periods.
 */
export function perUnitPeriodNote(period: Pick<ReportPeriod, "pbp">): string | undefined {
  if (period.pbp === undefined) return undefined;
  return "Each unit bills on its own billing day: every detail row states its unit's period " +
    "(period_from, period_until_exclusive); the dates above span all of them";
}

/**
 * A report's period stated in words for the XLSX summary sheet: the dates with their
 * inclusive/exclusive ends spelled out, and what a `pbp` value means. The short label
 * (`period.label`) comes from the collection side; these sentences sit next to it so that a
 * reader never has to guess whether the last date is included.
 *
 * @module
 */

import type { ReportPeriod } from "./model.ts";

/** `from 2026-10-03 (inclusive) to 2026-11-03 (exclusive)`. */
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

/**
 * The entries of an export cycle: what each report due on a day is called (its scope, its
 * period and its store file names, one per format) and how it is named in log lines.
 *
 * @module
 */

import type { DueOrganisationCycle, DueUnitPeriod } from "./due.ts";
import { monthRange } from "../charges/periods.ts";
import { type StoredFormat, type StoredReportInput, storedReportName } from "../store/types.ts";

/** One report of the cycle: a unit period or an organisation billing cycle. */
export interface CycleEntry {
  /** A unit period or an organisation billing cycle. */
  scope: "unit" | "organisation";
  /** The unit's or organisation's id. */
  scopeId: string;
  /** Its name. */
  scopeName: string;
  /** The organisation's id (the unit's organisation for a unit). */
  organisationId: string;
  /** The organisation's name. */
  organisationName: string;
  /** `from` inclusive, `until` exclusive. */
  period: { from: string; until: string };
  /** Organisation files: the cycle month `YYYY-MM`. */
  cycle?: string;
  /**
   * Calendar-month files (`CRON_PERIODS` with `month`): the month `YYYY-MM`, whose charges
   * are those dated from its first day to (excl.) the first day of the next.
   */
  month?: string;
  /** Unit files: the unit's billing day. */
  billingDay?: number;
  /** The store names of its files, one per format. */
  files: string[];
}

function fileNames(
  base: Pick<StoredReportInput, "scope" | "scopeId" | "period">,
  formats: readonly StoredFormat[],
  sandbox: boolean,
): string[] {
  return formats.map((format) => storedReportName({ ...base, format, sandbox }));
}

/** The cycle entry of a unit period. */
export function unitEntry(
  p: DueUnitPeriod,
  formats: readonly StoredFormat[],
  sandbox: boolean,
): CycleEntry {
  const period = { from: p.from, until: p.until };
  return {
    scope: "unit",
    scopeId: p.unit.id,
    scopeName: p.unit.name,
    organisationId: p.unit.organisationId,
    organisationName: p.unit.organisationName,
    period,
    billingDay: p.unit.billingDay,
    files: fileNames({ scope: "unit", scopeId: p.unit.id, period }, formats, sandbox),
  };
}

/** The cycle entry of an organisation billing cycle. */
export function organisationEntry(
  c: DueOrganisationCycle,
  formats: readonly StoredFormat[],
  sandbox: boolean,
): CycleEntry {
  const period = { from: c.from, until: c.until };
  return {
    scope: "organisation",
    scopeId: c.organisationId,
    scopeName: c.organisationName,
    organisationId: c.organisationId,
    organisationName: c.organisationName,
    period,
    cycle: c.cycle,
    files: fileNames(
      { scope: "organisation", scopeId: c.organisationId, period },
      formats,
      sandbox,
    ),
  };
}

/**
 * The cycle entry of an organisation's calendar month `month` (`YYYY-MM`): stored as
 * `charges_organisation_<id>_month_<YYYY-MM>.<ext>`.
 */
export function organisationMonthEntry(
  org: { id: string; name: string },
  month: string,
  formats: readonly StoredFormat[],
  sandbox: boolean,
): CycleEntry {
  const { from, until } = monthRange(month);
  const period = { from, until, month };
  return {
    scope: "organisation",
    scopeId: org.id,
    scopeName: org.name,
    organisationId: org.id,
    organisationName: org.name,
    period: { from, until },
    month,
    files: fileNames({ scope: "organisation", scopeId: org.id, period }, formats, sandbox),
  };
}

/** How an entry is named in log lines. */
export function describeEntry(entry: CycleEntry): string {
  const what = entry.scope === "unit"
    ? `unit "${entry.scopeName}" (${entry.scopeId})`
    : entry.month !== undefined
    ? `organisation "${entry.scopeName}" (${entry.scopeId}) calendar month ${entry.month}`
    : `organisation "${entry.scopeName}" (${entry.scopeId}) cycle ${entry.cycle}`;
  return `${what} ${entry.period.from}..${entry.period.until}`;
}

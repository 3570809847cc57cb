/**
 * Which reports the scheduled job owes on day D: every unit billing period and every
 * organisation billing cycle that closed within the look-back window `(D - lookBackDays, D]`.
 * Pure date arithmetic over the unit list; nothing here talks to the AS or the store.
 *
 * Definitions (reference §4: a unit's period runs from its billing day in one month to,
 * exclusive, its billing day in the next):
 *
 * - The unit period that closed on day D is `[billing day of the month before D's,
 *   billing day of D's month)`: its `until` is D. A period is owed when its `until` lies in
 *   the window, and not when the unit was created on or after its `until` (it did not exist).
 * - The organisation **billing cycle** `YYYY-MM` is the set of its units' periods that START
 *   in that calendar month (each unit on its own billing day). It closes when the last of
 *   them closes, i.e. on the latest `until` (at most the 28th of the next month, since
 *   billing days run 1..28); it is owed when that day lies in the window. Its file covers
 *   `[earliest from, latest until)` and each of its rows states its own unit's period.
 *   The units of a cycle are those listed at the time of the run that existed during their
 *   period. Billing days cannot be changed (reference §3: `UnitPatchBody` has no
 *   `billing_day`), so the cycle's dates are stable; only a unit created or deleted after
 *   the cycle's file was exported could change them, and then a second file with the new
 *   dates is exported (the first stays, as it was correct when written).
 *
 * @module
 */

import { addDays, toIsoDate } from "../../client/dates.ts";
import { UsageError } from "../../client/errors.ts";
import {
  billingPeriodFor,
  type DateRange,
  normaliseServerDate,
  periodForPbp,
} from "../charges/periods.ts";

/** A unit as the job sees it. */
export interface ScheduleUnit {
  /** The unit's id (`unit-<uuid>`). */
  id: string;
  /** The unit's name. */
  name: string;
  /** The unit's billing day, 1..28. */
  billingDay: number;
  /** When the unit was created, as the AS sent it; periods ending on or before it are skipped. */
  created?: string;
  /** Id of the unit's organisation. */
  organisationId: string;
  /** Name of the unit's organisation. */
  organisationName: string;
}

/** A unit period that is owed. */
export interface DueUnitPeriod extends DateRange {
  /** The unit whose period it is. */
  unit: ScheduleUnit;
}

/** An organisation billing cycle that is owed. */
export interface DueOrganisationCycle extends DateRange {
  /** The organisation's id. */
  organisationId: string;
  /** The organisation's name. */
  organisationName: string;
  /** The calendar month in which its unit periods start, `YYYY-MM`. */
  cycle: string;
  /** Each unit's own period of the cycle, in unit order. */
  units: DueUnitPeriod[];
}

/** Everything owed on one day. */
export interface DueReports {
  /** Day D, `YYYY-MM-DD` (UTC date of the scheduled time). */
  day: string;
  /** First day whose closing periods are still owed: `D - lookBackDays + 1`. */
  windowFrom: string;
  /** The unit periods owed. */
  units: DueUnitPeriod[];
  /** The organisation billing cycles owed. */
  organisations: DueOrganisationCycle[];
}

/** The default look-back window, in days: more than a month, so a missed month is caught up. */
export const DEFAULT_LOOK_BACK_DAYS = 40;

function createdDay(unit: ScheduleUnit): string | undefined {
  return unit.created ? normaliseServerDate(unit.created) : undefined;
}

/** True when the unit existed during some of `[from, until)`. */
function existedIn(unit: ScheduleUnit, range: DateRange): boolean {
  const created = createdDay(unit);
  return created === undefined || created < range.until;
}

/**
 * The unit periods and organisation cycles that closed in `(day - lookBackDays, day]`,
 * oldest first, where `day` is the UTC date of `at` (the job's scheduled time).
 *
 * @example
 * ```ts
 * import { duePeriods, type ScheduleUnit } from "@squonk2/billing/reports";
 *
 * const units: ScheduleUnit[] = [
 *   { id: "unit-1", name: "Lab", billingDay: 3, organisationId: "org-1", organisationName: "Acme" },
 * ];
 * const due = duePeriods(units, { at: new Date("2026-11-03T02:15:00Z"), lookBackDays: 1 });
 * due.units.map((p) => [p.from, p.until]); // [["2026-10-03", "2026-11-03"]]
 * due.organisations.map((c) => c.cycle); // ["2026-10"]
 * ```
 */
export function duePeriods(
  units: readonly ScheduleUnit[],
  options: { at: Date; lookBackDays?: number },
): DueReports {
  const lookBack = options.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
  if (!Number.isInteger(lookBack) || lookBack < 1 || lookBack > 700) {
    throw new UsageError(
      `Look-back of "${lookBack}" days is invalid: use a whole number from 1 to 700`,
    );
  }
  const day = toIsoDate(options.at);
  const dayStart = new Date(`${day}T00:00:00Z`);
  const windowFrom = addDays(day, 1 - lookBack);
  const inWindow = (until: string) => until >= windowFrom && until <= day;

  const dueUnits: DueUnitPeriod[] = [];
  for (const unit of units) {
    // Walk back from the last closed period (pbp -1 relative to day D) until out of window.
    for (let pbp = -1;; pbp--) {
      const range = periodForPbp(unit.billingDay, dayStart, pbp);
      if (range.until < windowFrom) break;
      if (inWindow(range.until) && existedIn(unit, range)) dueUnits.push({ unit, ...range });
    }
  }

  const dueOrgs: DueOrganisationCycle[] = [];
  const byOrg = new Map<string, ScheduleUnit[]>();
  for (const u of units) byOrg.set(u.organisationId, [...(byOrg.get(u.organisationId) ?? []), u]);
  // A cycle closing in the window started in the month before the window at the earliest.
  const first = new Date(`${windowFrom}T00:00:00Z`);
  const months: { y: number; m: number }[] = [];
  for (
    let y = first.getUTCFullYear(), m = first.getUTCMonth() - 1;
    Date.UTC(y, m, 1) <= dayStart.getTime();
    m++
  ) {
    const d = new Date(Date.UTC(y, m, 1));
    months.push({ y: d.getUTCFullYear(), m: d.getUTCMonth() });
  }
  for (const [orgId, orgUnits] of byOrg) {
    for (const { y, m } of months) {
      const periods = orgUnits
        .map((unit) => ({
          unit,
          ...billingPeriodFor(unit.billingDay, new Date(Date.UTC(y, m, unit.billingDay))),
        }))
        .filter((p) => existedIn(p.unit, p));
      if (periods.length === 0) continue;
      const until = periods.map((p) => p.until).reduce((a, b) => (b > a ? b : a));
      if (!inWindow(until)) continue;
      dueOrgs.push({
        organisationId: orgId,
        organisationName: orgUnits[0].organisationName,
        cycle: `${y}-${String(m + 1).padStart(2, "0")}`,
        from: periods.map((p) => p.from).reduce((a, b) => (b < a ? b : a)),
        until,
        units: periods,
      });
    }
  }
  const byUntil = (a: DateRange, b: DateRange) => a.until.localeCompare(b.until);
  return {
    day,
    windowFrom,
    units: dueUnits.sort(byUntil),
    organisations: dueOrgs.sort(byUntil),
  };
}

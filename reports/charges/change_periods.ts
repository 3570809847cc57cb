/**
 * Which period a report is compared with, and attaching the comparison to collected
 * reports.
 *
 * The previous period of:
 * - a prior billing period `pbp N` is `pbp N-1` (each unit's own previous billing period);
 *   `pbp -23` has none (the oldest the Account Server keeps);
 * - a calendar month (`{from, until, month}`) is the calendar month before;
 * - any other date range is the range of the same number of days that ends where it
 *   begins (`2026-10-10..2026-10-20` is compared with `2026-09-30..2026-10-10`).
 *
 * {@link withPreviousPeriods} adds the previous periods to the list a script collects (a
 * `--pbp -3..-1` run needs only `-4` more: the others are in the list already), so that one
 * collection resolves the scope and lists its products once for all of them.
 *
 * @module
 */

import { MIN_PBP } from "../../client/as/periods.ts";
import { addDays } from "../../client/dates.ts";
import { type ChangeSide, type ChangeTable, computeChange } from "./change.ts";
import { Coins } from "../../client/coins.ts";
import type { ChargeReport, ChargeRow } from "./model.ts";
import { monthRange, type PeriodRequest, previousMonth } from "./periods.ts";

/** The period a report is compared with, or why there is none. */
export interface PreviousPeriod {
  /** The period to collect and compare with; absent when there is none. */
  request?: PeriodRequest;
  /** How the previous period is chosen, in words. */
  basis: string;
  /** Why there is no previous period (only without `request`), in words. */
  reason?: string;
}

/**
 * The period to compare `request` with (see the module documentation for the rules).
 *
 * @example
 * ```ts
 * import { previousPeriod } from "@squonk2/billing/reports";
 *
 * previousPeriod({ pbp: -1 }).request; // { pbp: -2 }
 * previousPeriod({ pbp: -23 }).request; // undefined
 * previousPeriod({ from: "2026-10-10", until: "2026-10-20" }).request;
 * // { from: "2026-09-30", until: "2026-10-10" }
 * ```
 */
export function previousPeriod(request: PeriodRequest): PreviousPeriod {
  if ("pbp" in request) {
    if (request.pbp - 1 < MIN_PBP) {
      return {
        basis: "the billing period before",
        reason: `prior billing period ${request.pbp} is the oldest the Account Server keeps, ` +
          `so there is nothing to compare it with`,
      };
    }
    const pbp = request.pbp - 1;
    return {
      request: { pbp },
      basis: `the billing period before (prior billing period ${pbp}), unit by unit`,
    };
  }
  if (request.month !== undefined) {
    const previous = monthRange(previousMonth(request.month));
    return {
      request: previous,
      basis: `the calendar month before (${previous.month}, ${previous.from} to ` +
        `${previous.until} excl.)`,
    };
  }
  const days = daysBetween(request.from, request.until);
  const from = addDays(request.from, -days);
  return {
    request: { from, until: request.from },
    basis: `the ${days} day${days === 1 ? "" : "s"} just before (${from} to ${request.from} ` +
      `excl.), as long as this range`,
  };
}

function daysBetween(from: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 864e5);
}

/** A stable key of a period request, to find the same period twice in a list. */
export function periodKey(request: PeriodRequest): string {
  if ("pbp" in request) return `pbp:${request.pbp}`;
  return `range:${request.from}:${request.until}:${request.month ?? ""}`;
}

/**
 * The periods to collect so that each of `periods` can be compared with its previous one:
 * `periods` first, in their order, then each previous period not already among them.
 *
 * @example
 * ```ts
 * import { withPreviousPeriods } from "@squonk2/billing/reports";
 *
 * withPreviousPeriods([{ pbp: -3 }, { pbp: -2 }, { pbp: -1 }]);
 * // [{pbp: -3}, {pbp: -2}, {pbp: -1}, {pbp: -4}]
 * ```
 */
export function withPreviousPeriods(periods: readonly PeriodRequest[]): PeriodRequest[] {
  const out = [...periods];
  const seen = new Set(periods.map(periodKey));
  for (const period of periods) {
    const previous = previousPeriod(period).request;
    if (previous === undefined || seen.has(periodKey(previous))) continue;
    seen.add(periodKey(previous));
    out.push(previous);
  }
  return out;
}

/** Options of {@link attachChanges}. */
export interface AttachChangesOptions {
  /** Flag threshold in percent, a decimal string. @default "25" */
  threshold?: string;
  /**
   * Money per unit and product of a report, when it is priced.
   * @default {@link reportAmounts}
   */
  amounts?: (report: ChargeReport) => ChangeSide["amounts"];
}

/**
 * The money per unit and product of a priced report, summed exactly from its rows'
 * rounded amounts; `undefined` when the report is not priced, has unpriced rows, is priced
 * in more than one currency, or its rows can only be read asynchronously (money is then not
 * compared, and the coins still are).
 */
export function reportAmounts(report: ChargeReport): ChangeSide["amounts"] {
  const pricing = report.pricing;
  if (pricing === undefined || pricing.unpricedRows > 0 || pricing.currencies.length !== 1) {
    return undefined;
  }
  const rows = report.rows;
  if (!(Symbol.iterator in rows)) return undefined;
  const currency = pricing.currencies[0].currency;
  const byUnit = new Map<string, Coins>();
  const byProduct = new Map<string, Coins>();
  for (const row of rows as Iterable<ChargeRow>) {
    if (row.amount === undefined || row.amount === "" || row.currency !== currency) {
      return undefined;
    }
    byUnit.set(row.unitId, (byUnit.get(row.unitId) ?? Coins.zero()).plus(row.amount));
    byProduct.set(row.productId, (byProduct.get(row.productId) ?? Coins.zero()).plus(row.amount));
  }
  const text = (m: Map<string, Coins>) =>
    Object.fromEntries([...m].map(([id, amount]) => [id, amount.toString()]));
  return { currency, byUnit: text(byUnit), byProduct: text(byProduct) };
}

/**
 * Sets `change` on the first `count` reports of `reports`, collected for `periods` (one
 * report per period, in the same order, as {@link withPreviousPeriods} lists them), and
 * returns those `count` reports: the rest were collected only to be compared with.
 */
export function attachChanges(
  reports: readonly ChargeReport[],
  periods: readonly PeriodRequest[],
  count: number,
  options: AttachChangesOptions = {},
): ChargeReport[] {
  const byKey = new Map(periods.map((p, i) => [periodKey(p), reports[i]]));
  return reports.slice(0, count).map((report, i) => {
    const previous = previousPeriod(periods[i]);
    const other = previous.request && byKey.get(periodKey(previous.request));
    const how = previous.request !== undefined && other === undefined
      ? { ...previous, reason: "the previous period was not collected, so nothing is compared" }
      : previous;
    report.change = changeFor(report, other, how, options);
    return report;
  });
}

/**
 * The change table of `report` against `previous`, the report of its previous period
 * (`undefined` when there is none: `how.reason` then says why). `how` is what
 * {@link previousPeriod} said of the period.
 */
export function changeFor(
  report: ChargeReport,
  previous: ChargeReport | undefined,
  how: Pick<PreviousPeriod, "basis" | "reason">,
  options: AttachChangesOptions = {},
): ChangeTable {
  const side = (r: ChargeReport): ChangeSide => {
    const amounts = (options.amounts ?? reportAmounts)(r);
    return { ...r, ...(amounts ? { amounts } : {}) };
  };
  const open = report.period.open === true || report.period.pbp === 0;
  return computeChange(side(report), previous && side(previous), {
    threshold: options.threshold,
    basis: how.basis,
    noPrevious: how.reason,
    caveat: open
      ? "This period is not over yet: its totals so far are compared with a whole period"
      : undefined,
  });
}

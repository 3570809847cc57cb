/**
 * Month-on-month change: this report's totals against the previous period's, per unit and
 * per product, as a {@link ChangeTable} (the XLSX "Change" sheet and the report server's
 * organisation page render it).
 *
 * Rules (all exact; coins are decimal strings, never floats):
 * - difference = this period − previous period.
 * - percentage = difference ÷ |previous| × 100, rounded half-to-even to one decimal for
 *   display (so a negative previous total that grows towards zero is a positive change);
 *   from a previous total of zero to a non-zero one the percentage is `"new"`; both zero
 *   is no change (`"—"`).
 * - a line is flagged when the exact |percentage| is strictly above the threshold
 *   (`--flag-change`, default 25): exactly 25 % is not flagged, 25.0001 % is. A line from
 *   zero to non-zero ("new") is always flagged; one from non-zero to zero ("vanished",
 *   −100 %) is flagged when the threshold is below 100.
 * - a product is *new* when its previous total was zero (no coins) and this one is not,
 *   *vanished* when its previous total was non-zero and this one is zero.
 * - nothing is compared (status `not-compared`, with the reason) when either period's
 *   totals do not reconcile with the Account Server's: a comparison is never shown from
 *   numbers that are not confirmed. Status `no-previous` says there is no previous period
 *   (pbp -23 is the oldest the Account Server keeps).
 *
 * Money (when the reports are priced, see reports/pricing/): each line also carries the
 * amounts of both periods and their difference in the report's currency.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import { UsageError } from "../../client/errors.ts";
import type { Reconciliation, ReportPeriod, ReportTotals } from "./model.ts";
import { reconciliationProblem } from "./reconcile.ts";
import type {
  ChangeKind,
  ChangeLine,
  ChangeMoney,
  ChangePeriod,
  ChangeTable,
} from "./change_types.ts";

export type {
  ChangeKind,
  ChangeLine,
  ChangeMoney,
  ChangePeriod,
  ChangeStatus,
  ChangeTable,
} from "./change_types.ts";

/** The threshold used when none is given: changes above 25 % either way are flagged. */
export const DEFAULT_FLAG_CHANGE = "25";

/** Money totals of a priced report, per unit and per product id. */
export interface ChangeAmounts {
  /** ISO 4217 currency. */
  currency: string;
  /** Amount per unit id, exact decimal. */
  byUnit: Record<string, string>;
  /** Amount per product id, exact decimal. */
  byProduct: Record<string, string>;
}

/** What a comparison needs of a report: its period, totals, reconciliation (and money). */
export interface ChangeSide {
  /** The report's period. */
  period: Pick<ReportPeriod, "label" | "from" | "until">;
  /** The report's exact totals. */
  totals: Pick<ReportTotals, "byOrganisation" | "byUnit" | "byProduct">;
  /** The report's reconciliation with the server's totals. */
  reconciliation: Reconciliation;
  /** Money per unit and product, when the report is priced. */
  amounts?: ChangeAmounts;
}

/** Options of {@link computeChange}. */
export interface ComputeChangeOptions {
  /** Flag threshold in percent, a non-negative decimal string. @default "25" */
  threshold?: string;
  /** How the previous period was chosen, in words (stated in the table). */
  basis?: string;
  /** Why there is no previous side (status `no-previous`), when `previous` is undefined. */
  noPrevious?: string;
  /** A caveat to state with a comparison, e.g. that this period is still open. */
  caveat?: string;
}

/**
 * Parses a `--flag-change` threshold: a non-negative decimal number of percent (`25`,
 * `12.5`, `0`); a trailing `%` is accepted.
 *
 * @throws {UsageError} naming the value and the fix.
 */
export function parseFlagChange(text: string): string {
  const value = text.trim().replace(/\s*%$/, "");
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new UsageError(
      `Cannot read --flag-change "${text}": give a percentage such as 25 or 12.5 (changes ` +
        `above it, either way, are flagged)`,
    );
  }
  return Coins.parse(value).toString();
}

/**
 * Compares `current` with `previous` per unit and per product. With `previous` undefined
 * the table says there is no previous period (`options.noPrevious`); when either side is
 * not reconciled it says it could not be compared, and holds no lines.
 *
 * @example
 * ```ts
 * import { computeChange } from "@squonk2/billing/reports";
 * import type { ChargeReport } from "@squonk2/billing/reports";
 *
 * declare const october: ChargeReport, september: ChargeReport;
 * const change = computeChange(october, september, { threshold: "25" });
 * for (const line of change.products) console.log(line.name, line.percentText, line.flagged);
 * ```
 */
export function computeChange(
  current: ChangeSide,
  previous: ChangeSide | undefined,
  options: ComputeChangeOptions = {},
): ChangeTable {
  const threshold = Coins.parse(options.threshold ?? DEFAULT_FLAG_CHANGE);
  if (threshold.units < 0n) throw new UsageError(`A change threshold cannot be negative`);
  const base = {
    current: sidePeriod(current),
    basis: options.basis ?? "the previous period",
    threshold: threshold.toString(),
    units: [],
    products: [],
    newProducts: [],
    vanishedProducts: [],
    flagged: 0,
  };
  if (previous === undefined) {
    return {
      ...base,
      status: "no-previous",
      note: options.noPrevious ?? "nothing to compare with",
    };
  }
  const problem = notComparable(current, previous);
  if (problem !== undefined) {
    return { ...base, status: "not-compared", previous: sidePeriod(previous), note: problem };
  }
  const currency = sameCurrency(current.amounts, previous.amounts);
  const money = (pick: (a: ChangeAmounts) => Record<string, string>, id: string) =>
    currency === undefined ? undefined : moneyLine(
      currency,
      pick(previous.amounts!)[id] ?? "0",
      pick(current.amounts!)[id] ?? "0",
    );
  const orgName = (id: string) =>
    current.totals.byOrganisation[id]?.name ?? previous.totals.byOrganisation[id]?.name ?? "";
  const unitName = (id: string) =>
    current.totals.byUnit[id]?.name ?? previous.totals.byUnit[id]?.name ?? "";

  const units = mergeIds(current.totals.byUnit, previous.totals.byUnit).map((id) => {
    const c = current.totals.byUnit[id];
    const p = previous.totals.byUnit[id];
    const parentId = c?.organisationId ?? p!.organisationId;
    return changeLine({
      id,
      name: c?.name ?? p!.name,
      parentId,
      parentName: orgName(parentId),
      previous: p?.coins ?? "0",
      current: c?.coins ?? "0",
      threshold,
      money: money((a) => a.byUnit, id),
    });
  }).sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));

  const products = mergeIds(current.totals.byProduct, previous.totals.byProduct).map((id) => {
    const c = current.totals.byProduct[id];
    const p = previous.totals.byProduct[id];
    const parentId = c?.unitId ?? p!.unitId;
    return changeLine({
      id,
      name: c?.name ?? p!.name,
      parentId,
      parentName: unitName(parentId),
      previous: p?.coins ?? "0",
      current: c?.coins ?? "0",
      threshold,
      money: money((a) => a.byProduct, id),
    });
  }).sort((a, b) =>
    compareText(a.parentName, b.parentName) || compareText(a.parentId, b.parentId) ||
    compareText(a.name, b.name) || compareText(a.id, b.id)
  );

  return {
    ...base,
    status: "compared",
    previous: sidePeriod(previous),
    ...(options.caveat ? { note: options.caveat } : {}),
    ...(currency ? { currency } : {}),
    units,
    products,
    newProducts: products.filter((l) => l.kind === "new"),
    vanishedProducts: products.filter((l) => l.kind === "vanished"),
    flagged: [...units, ...products].filter((l) => l.flagged).length,
  };
}

/** Why the two sides cannot be compared, or `undefined` when both are reconciled. */
function notComparable(current: ChangeSide, previous: ChangeSide): string | undefined {
  const here = reconciliationProblem(current.reconciliation);
  if (here !== undefined) {
    return `this period's totals do not reconcile with the Account Server's (${here}), so no ` +
      `change is shown`;
  }
  const there = reconciliationProblem(previous.reconciliation);
  if (there !== undefined) {
    return `the previous period's totals (${previous.period.label}) do not reconcile with the ` +
      `Account Server's (${there}), so no change is shown`;
  }
  return undefined;
}

function sidePeriod(side: ChangeSide): ChangePeriod {
  return { label: side.period.label, from: side.period.from, until: side.period.until };
}

function sameCurrency(
  a: ChangeAmounts | undefined,
  b: ChangeAmounts | undefined,
): string | undefined {
  return a !== undefined && b !== undefined && a.currency === b.currency ? a.currency : undefined;
}

function moneyLine(currency: string, previous: string, current: string): ChangeMoney {
  return {
    currency,
    previous,
    current,
    difference: Coins.parse(current).minus(previous).toString(),
  };
}

function mergeIds(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The comparison of two exact totals: difference, percentage, kind and flag. */
export interface CoinsChange {
  /** `current − previous`, exact decimal. */
  difference: string;
  /** Signed percentage rounded half-to-even to one decimal; absent from zero. */
  percent?: string;
  /** `"+33.3 %"`, `"-100.0 %"`, `"0.0 %"`, `"new"` or `"—"`. */
  percentText: string;
  /** How the amount moved. */
  kind: ChangeKind;
  /** Strictly above `threshold` percent either way (always for "new"). */
  flagged: boolean;
}

/**
 * Compares two exact totals (`previous` → `current`) against a threshold in percent.
 *
 * @example
 * ```ts
 * import { compareCoins } from "@squonk2/billing/reports";
 *
 * compareCoins("12", "16", "25"); // {difference: "4", percent: "33.3", percentText: "+33.3 %", kind: "changed", flagged: true}
 * compareCoins("0", "5", "25").percentText; // "new"
 * ```
 */
export function compareCoins(previous: string, current: string, threshold: string): CoinsChange {
  const p = Coins.parse(previous);
  const c = Coins.parse(current);
  const t = Coins.parse(threshold);
  const diff = c.minus(p);
  const difference = diff.toString();
  if (p.isZero()) {
    return c.isZero()
      ? { difference, percentText: "—", kind: "unchanged", flagged: false }
      : { difference, percentText: "new", kind: "new", flagged: true };
  }
  // Same scale for the difference and the previous total: their ratio is units over units.
  const scale = Math.max(diff.scale, p.scale);
  const num = diff.withScale(scale).units;
  const den = abs(p.withScale(scale).units);
  const percent = roundHalfEven(num * 1000n, den); // tenths of a percent
  const text = tenthsText(percent);
  // |num| / den × 100 > t.units / 10^t.scale  ⇔  |num| × 100 × 10^t.scale > t.units × den
  const flagged = abs(num) * 100n * 10n ** BigInt(t.scale) > t.units * den;
  const kind: ChangeKind = c.isZero() ? "vanished" : num === 0n ? "unchanged" : "changed";
  return {
    difference,
    percent: text,
    percentText: `${percent > 0n ? "+" : ""}${text} %`,
    kind,
    flagged,
  };
}

function changeLine(input: {
  id: string;
  name: string;
  parentId: string;
  parentName: string;
  previous: string;
  current: string;
  threshold: Coins;
  money: ChangeMoney | undefined;
}): ChangeLine {
  const change = compareCoins(input.previous, input.current, input.threshold.toString());
  return {
    id: input.id,
    name: input.name,
    parentId: input.parentId,
    parentName: input.parentName,
    previous: input.previous,
    current: input.current,
    ...change,
    ...(input.money ? { money: input.money } : {}),
  };
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** `num / den` rounded to the nearest integer, ties to even; `den` > 0. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const n = abs(num);
  let q = n / den;
  const twice = (n % den) * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** Tenths as a one-decimal string: `333n` → `"33.3"`, `-5n` → `"-0.5"`. */
function tenthsText(tenths: bigint): string {
  return new Coins(tenths, 1).toString();
}

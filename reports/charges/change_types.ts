/**
 * The types of the month-on-month change table ({@link ChangeTable}), apart from the code
 * that computes it (change.ts) so that the report model can refer to them without a cycle.
 *
 * @module
 */

/** How a line moved from the previous period to this one. */
export type ChangeKind =
  /** Zero before, non-zero now. */
  | "new"
  /** Non-zero before, zero now. */
  | "vanished"
  /** Non-zero in both, different. */
  | "changed"
  /** The same amount in both (zero in both included). */
  | "unchanged";

/** Amounts of money behind a change line, when the reports are priced. */
export interface ChangeMoney {
  /** ISO 4217 currency of the amounts. */
  currency: string;
  /** The previous period's amount, exact decimal. */
  previous: string;
  /** This period's amount, exact decimal. */
  current: string;
  /** `current − previous`, exact decimal. */
  difference: string;
}

/** One unit's or product's totals in both periods. */
export interface ChangeLine {
  /** Unit id or product id. */
  id: string;
  /** Its name (this period's; the previous period's when it has no total now). */
  name: string;
  /** Organisation id for a unit, unit id for a product. */
  parentId: string;
  /** Organisation or unit name; empty when unknown. */
  parentName: string;
  /** The previous period's coins, exact decimal (`"0"` when it had none). */
  previous: string;
  /** This period's coins, exact decimal (`"0"` when it has none). */
  current: string;
  /** `current − previous`, exact decimal. */
  difference: string;
  /**
   * The percentage rounded half-to-even to one decimal, signed (`"33.3"`, `"-100.0"`,
   * `"0.0"`); absent when the previous total is zero (see {@link ChangeLine.percentText}).
   */
  percent?: string;
  /** The percentage for reading: `"+33.3 %"`, `"-100.0 %"`, `"0.0 %"`, `"new"` or `"—"`. */
  percentText: string;
  /** How the line moved. */
  kind: ChangeKind;
  /** True when the change is strictly above the threshold, either way (always for "new"). */
  flagged: boolean;
  /** The amounts in money, when both reports are priced in the same currency. */
  money?: ChangeMoney;
}

/** One side of the comparison, stated in words and dates. */
export interface ChangePeriod {
  /** The period in words, as the report states it. */
  label: string;
  /** First day, `YYYY-MM-DD` inclusive. */
  from: string;
  /** First day after, `YYYY-MM-DD` exclusive. */
  until: string;
}

/** Whether the two periods were compared. */
export type ChangeStatus =
  /** Both periods reconciled: the lines hold the comparison. */
  | "compared"
  /** There is no previous period (this one is the oldest the server keeps). */
  | "no-previous"
  /** There is a previous period but the comparison would not be trustworthy (see `note`). */
  | "not-compared";

/** This period against the previous one, per unit and per product. */
export interface ChangeTable {
  /** Whether the lines hold a comparison; when not, `note` says why and the lines are empty. */
  status: ChangeStatus;
  /** This report's period. */
  current: ChangePeriod;
  /** The previous period, when there is one and it was collected. */
  previous?: ChangePeriod;
  /** How the previous period was chosen, in words. */
  basis: string;
  /** Why nothing was compared (status other than `compared`), or a caveat (open period). */
  note?: string;
  /** The flag threshold in percent, as a decimal string (e.g. `"25"`). */
  threshold: string;
  /** The currency of the money columns, when both reports are priced alike. */
  currency?: string;
  /** One line per unit, ordered by name then id. */
  units: ChangeLine[];
  /** One line per product, ordered by unit name, product name, then id. */
  products: ChangeLine[];
  /** Products with no coins before and some now (also among `products`). */
  newProducts: ChangeLine[];
  /** Products with coins before and none now (also among `products`). */
  vanishedProducts: ChangeLine[];
  /** Number of flagged lines, units and products together. */
  flagged: number;
}

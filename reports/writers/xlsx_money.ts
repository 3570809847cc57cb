/**
 * The money section of the Summary sheet of a priced report (`--rates`): per currency, the
 * rows priced, their coins, the sum of the rounded rows, the rounded exact sum and their
 * difference; then the money per unit, and the rows left unpriced, if any.
 *
 * Each amount is written twice, like coins: a number cell (to sum and chart) and the exact
 * decimal text. Column A holds the labels readers search for: "Money", "Money by unit",
 * "Unpriced".
 *
 * @module
 */

import type { Style } from "exceljs";
import type { ReportPricing } from "../pricing/types.ts";
import { STYLES } from "./xlsx_cells.ts";

type Value = string | number | null;
/** The Summary's row writer: values from column A, with optional styles. */
export type PutRow = (values: Value[], styles?: (Partial<Style> | undefined)[]) => void;

/**
 * Headers of the money-by-currency table: the same columns A to G as the Summary's totals
 * tables (label, id-wide, name-wide, id-wide, count, number, exact text), so that every
 * header fits its column and the sheet still prints one page wide.
 */
export const MONEY_TOTAL_HEADERS = [
  "money",
  "currency",
  "",
  "",
  "rows",
  "amount",
  "amount (exact)",
];

/** Headers of the money-by-unit table (columns A to G, like the totals by unit). */
export const MONEY_UNIT_HEADERS = [
  "unit name",
  "unit id",
  "organisation",
  "currency",
  "",
  "amount",
  "amount (exact)",
];

const num = (text: string): number | null => {
  const n = Number(text);
  return text !== "" && Number.isFinite(n) ? n : null;
};

/** Writes the money section with `put` (see the module documentation). */
export function writeMoneySection(put: PutRow, pricing: ReportPricing): void {
  put([]);
  put([`Money (priced with ${pricing.source})`], [STYLES.title]);
  put([
    "Rounding",
    "each row's amount is coins × price per coin, rounded half-to-even to the currency's " +
    "minor unit; difference = sum of rounded rows − rounded exact sum",
  ], [STYLES.label]);
  put(
    MONEY_TOTAL_HEADERS,
    MONEY_TOTAL_HEADERS.map((_, i) => i >= 4 ? STYLES.rightHeader : STYLES.header),
  );
  for (const c of pricing.currencies) {
    const differs = num(c.difference) !== 0;
    const line = (
      label: string,
      rows: number | null,
      amount: string | null,
      exact: string,
      style = STYLES.amount,
    ) =>
      put([label, c.currency, null, null, rows, amount === null ? null : num(amount), exact], [
        STYLES.label,
        undefined,
        undefined,
        undefined,
        STYLES.integer,
        style,
        STYLES.exact,
      ]);
    line("Coins priced", c.rows, c.coins, c.coins, STYLES.coins);
    line("Sum of rounded rows", c.rows, c.sumOfRoundedRows, c.sumOfRoundedRows);
    line("Rounded exact sum", null, c.roundedExactSum, c.roundedExactSum);
    line("Difference", null, c.difference, c.difference, differs ? STYLES.alert : STYLES.amount);
    line("Exact sum (unrounded)", null, null, c.exactSum);
  }
  if (pricing.unpricedRows > 0) {
    put([
      "Unpriced",
      `${pricing.unpricedRows} rows, ${pricing.unpricedCoins} coins without a rate: ` +
      pricing.unpricedUnits.join(", "),
    ], [STYLES.label, STYLES.alert]);
  }
  put([]);
  put(["Money by unit"], [STYLES.title]);
  put(
    MONEY_UNIT_HEADERS,
    MONEY_UNIT_HEADERS.map((_, i) => i >= 4 ? STYLES.rightHeader : STYLES.header),
  );
  for (const u of pricing.byUnit) {
    put(
      [u.unitName, u.unitId, u.organisationName, u.currency, null, num(u.amount), u.amount],
      [undefined, undefined, undefined, undefined, undefined, STYLES.amount, STYLES.exact],
    );
  }
}

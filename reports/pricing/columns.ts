/**
 * The money columns of a priced report's CSV and XLSX detail: `price_per_coin`, `amount`,
 * `currency`, after the charge columns. Unpriced reports have none of them.
 *
 * @module
 */

import type { ChargeRow } from "../charges/model.ts";

/**
 * The money columns in the shape of `CHARGE_COLUMNS` (row field and header), for writers
 * that type their cells by field (the XLSX Detail sheet): append them when
 * `report.pricing` is set.
 */
export const MONEY_COLUMNS: readonly {
  /** The row field of the column. */
  key: keyof ChargeRow;
  /** The column's header. */
  header: string;
}[] = [
  { key: "pricePerCoin", header: "price_per_coin" },
  { key: "amount", header: "amount" },
  { key: "currency", header: "currency" },
];

/** Headers of the money columns, in order. */
export const MONEY_HEADERS: readonly string[] = MONEY_COLUMNS.map((c) => c.header);

/**
 * A row's money fields, in {@link MONEY_HEADERS} order: exact decimal strings and an ISO
 * 4217 code, all empty for a row left unpriced (`--allow-unpriced`).
 */
export function moneyFields(row: ChargeRow): string[] {
  return [row.pricePerCoin ?? "", row.amount ?? "", row.currency ?? ""];
}

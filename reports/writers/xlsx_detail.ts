/**
 * The Detail sheets of the charges workbook: the `CHARGE_COLUMNS` table plus a final
 * `coins_exact` column, a bold frozen header with an autofilter, and typed cells:
 *
 * - `billing_day`, `charge_id`: integer numbers;
 * - `period_from`, `period_until_exclusive`, `timestamp_utc`, `closed_utc`: date cells in UTC
 *   (`yyyy-mm-dd` for dates, `yyyy-mm-dd hh:mm:ss` for timestamps); a value that is not a
 *   recognisable date stays as text rather than being lost;
 * - `final`: a boolean cell;
 * - `coins`: a number cell with the `#,##0.00##` format, so it sums and filters (a value that
 *   is not a plain decimal, e.g. Python's `NaN`, stays text). A double
 *   cannot hold every decimal (Python `Decimal` may send 28 digits; Excel keeps 15), so
 *   `coins_exact` repeats the value as text exactly as the server sent it: the number is for
 *   arithmetic, the text is the record;
 * - everything else: inline-string text (never a formula).
 *
 * @module
 */

import type { Cell, Worksheet } from "exceljs";
import { CHARGE_COLUMNS, type ChargeRow } from "../charges/model.ts";
import { NUMERIC_LITERAL, parseUtcTimestamp, STYLES, textValue } from "./xlsx_cells.ts";

/** Header of the extra column holding coins as exact decimal text. */
export const COINS_EXACT_HEADER = "coins_exact";

/** Detail headers: `CHARGE_COLUMNS` then {@link COINS_EXACT_HEADER}. */
export const DETAIL_HEADERS: readonly string[] = [
  ...CHARGE_COLUMNS.map((c) => c.header),
  COINS_EXACT_HEADER,
];

const DATE_KEYS = new Set<keyof ChargeRow>(["periodFrom", "periodUntil", "timestamp", "closed"]);
const INTEGER_KEYS = new Set<keyof ChargeRow>(["billingDay", "chargeId"]);
const WIDTHS: Partial<Record<keyof ChargeRow, number>> = {
  organisationId: 18,
  organisationName: 28,
  unitId: 18,
  unitName: 28,
  billingDay: 11,
  periodFrom: 12,
  periodUntil: 12,
  productId: 18,
  productName: 28,
  productType: 24,
  productFlavour: 14,
  chargeType: 13,
  chargeId: 11,
  timestamp: 20,
  username: 18,
  merchant: 18,
  jobCollection: 20,
  jobJob: 20,
  jobVersion: 12,
  closed: 20,
  final: 8,
  coins: 14,
};

/** The spreadsheet column letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let out = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) {
    out = String.fromCharCode(65 + ((c - 1) % 26)) + out;
  }
  return out;
}

/** Options of {@link detailSheetOptions}. */
export interface DetailSheetLayout {
  /** Number of data rows this sheet will hold (for the autofilter range). */
  rows: number;
}

/** Worksheet options of a Detail sheet: frozen header row, autofilter over the table. */
export function detailSheetOptions(layout: DetailSheetLayout) {
  const last = columnLetter(DETAIL_HEADERS.length);
  return {
    views: [{
      state: "frozen" as const,
      xSplit: 0,
      ySplit: 1,
      topLeftCell: "A2",
      activeCell: "A2",
    }],
    autoFilter: `A1:${last}${1 + Math.max(layout.rows, 0)}`,
  };
}

/** Sets column widths and writes the bold header row of a Detail sheet. */
export function writeDetailHeader(sheet: Worksheet): void {
  CHARGE_COLUMNS.forEach(({ key }, i) => sheet.getColumn(i + 1).width = WIDTHS[key] ?? 16);
  sheet.getColumn(DETAIL_HEADERS.length).width = 16;
  const row = sheet.addRow(DETAIL_HEADERS.map((h) => textValue(h)));
  row.eachCell((cell) => cell.style = STYLES.header);
  row.commit();
}

/** Appends one charge row to a Detail sheet and commits it (it leaves memory). */
export function writeDetailRow(sheet: Worksheet, charge: ChargeRow): void {
  const row = sheet.addRow([]);
  CHARGE_COLUMNS.forEach(({ key }, i) => setCell(row.getCell(i + 1), key, charge[key]));
  setText(row.getCell(DETAIL_HEADERS.length), charge.coins);
  row.commit();
}

function setCell(cell: Cell, key: keyof ChargeRow, value: ChargeRow[keyof ChargeRow]): void {
  if (typeof value === "boolean") {
    cell.value = value;
    cell.style = STYLES.boolean;
  } else if (typeof value === "number") {
    cell.value = Number.isFinite(value) ? value : null;
    cell.style = STYLES.integer;
  } else if (value === undefined || value === null || value === "") {
    return;
  } else if (key === "coins") {
    const amount = Number(value);
    if (NUMERIC_LITERAL.test(value) && Number.isFinite(amount)) {
      cell.value = amount;
      cell.style = STYLES.coins;
    } else {
      setText(cell, value);
    }
  } else if (DATE_KEYS.has(key)) {
    const instant = parseUtcTimestamp(value);
    if (instant) {
      cell.value = instant.date;
      cell.style = instant.hasTime ? STYLES.dateTime : STYLES.date;
    } else {
      setText(cell, value);
    }
  } else if (INTEGER_KEYS.has(key) && /^-?\d+$/.test(value)) {
    cell.value = Number(value);
    cell.style = STYLES.integer;
  } else {
    setText(cell, value);
  }
}

function setText(cell: Cell, text: string): void {
  cell.value = textValue(text);
  cell.style = STYLES.text;
}

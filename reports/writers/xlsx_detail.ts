/**
 * The Detail sheets of the charges workbook: the `CHARGE_COLUMNS` table (and, for a priced
 * report, the money columns `price_per_coin`, `amount`, `currency`) plus a final
 * `coins_exact` column, a bold frozen header with an autofilter, and typed cells:
 *
 * - `billing_day`, `charge_id`: integer numbers;
 * - `period_from`, `period_until_exclusive`, `timestamp_utc`, `closed_utc`: date cells in UTC
 *   (`yyyy-mm-dd` for dates, `yyyy-mm-dd hh:mm:ss` for timestamps); a value that is not a
 *   recognisable date stays as text rather than being lost;
 * - `final`: a boolean cell, shown TRUE/FALSE (Excel and LibreOffice alike);
 * - `coins`: a number cell with the `#,##0.00##` format, so it sums and filters (a value that
 *   is not a plain decimal, e.g. Python's `NaN`, stays text). A double
 *   cannot hold every decimal (Python `Decimal` may send 28 digits; Excel keeps 15), so
 *   `coins_exact` repeats the value as text exactly as the server sent it: the number is for
 *   arithmetic, the text is the record;
 * - `price_per_coin`, `amount` (priced reports): numbers like `coins`, with their own formats
 *   (`#,##0.00######`, `#,##0.00`); `currency` is text;
 * - everything else: inline-string text (never a formula).
 *
 * One function types the cells ({@link detailCells}); two functions write them: the
 * streaming writer renders each row's XML straight into exceljs's sheet stream
 * ({@link detailRowRenderer}, see below), and {@link writeDetailRow} fills exceljs `Row`
 * objects (exceljs's in-memory workbook, the benchmark's baseline).
 *
 * Why render the rows' XML here: exceljs builds, for every row, a `Row`, a `Cell` and a value
 * object per cell, a style object per cell, then a row model and an XML stream to serialise
 * it. At a million rows of 23 cells that is about a hundred million short-lived objects: most
 * of the writer's time and, through the garbage collector's headroom, most of its memory. The
 * rendered XML is byte for byte the kind exceljs writes (inline strings, style ids from
 * exceljs's own styles table), and everything else in the file (zip, styles, workbook,
 * header row, column widths, autofilter, page setup) is still exceljs's.
 *
 * @module
 */

import type { Style, ValueType, Workbook, Worksheet } from "exceljs";
import { CHARGE_COLUMNS, type ChargeReport, type ChargeRow } from "../charges/model.ts";
import { MONEY_COLUMNS } from "../pricing/columns.ts";
import {
  columnLetter,
  excelSerial,
  excelText,
  NUMERIC_LITERAL,
  parseUtcTimestamp,
  STYLES,
  textValue,
  xmlText,
} from "./xlsx_cells.ts";
import { PRINT_HEADER_FOOTER, printAreaRange, printPageSetup } from "./xlsx_print.ts";
import { type EncodedColumn, RowEncoder } from "./xlsx_row_bytes.ts";

export { columnLetter } from "./xlsx_cells.ts";

/** Header of the extra column holding coins as exact decimal text. */
export const COINS_EXACT_HEADER = "coins_exact";

/** One column of the Detail table. */
export interface DetailColumn {
  /** The row field of the column. */
  key: keyof ChargeRow;
  /** The column's header. */
  header: string;
}

/**
 * The columns of a report's Detail sheets, before `coins_exact`: `CHARGE_COLUMNS`, then, for a
 * priced report (`report.pricing` set), the money columns `price_per_coin`, `amount`,
 * `currency`. Unpriced reports are unchanged.
 */
export function detailColumns(report: Pick<ChargeReport, "pricing">): readonly DetailColumn[] {
  return report.pricing === undefined ? CHARGE_COLUMNS : [...CHARGE_COLUMNS, ...MONEY_COLUMNS];
}

/** Detail headers of an unpriced report: `CHARGE_COLUMNS` then {@link COINS_EXACT_HEADER}. */
export const DETAIL_HEADERS: readonly string[] = [
  ...CHARGE_COLUMNS.map((c) => c.header),
  COINS_EXACT_HEADER,
];

const DATE_KEYS = new Set<string>(["periodFrom", "periodUntil", "timestamp", "closed"]);
const INTEGER_KEYS = new Set<string>(["billingDay", "chargeId"]);
/** Decimal columns written as numbers (when they are plain decimals), with their style. */
const DECIMAL_KEYS: Record<string, NumberStyle> = {
  coins: "coins",
  amount: "amount",
  pricePerCoin: "price",
};
/** Ids are 40 to 44 characters (`product-` and a UUID): wide enough to read them whole. */
const ID_WIDTH = 46;
const WIDTHS: Record<string, number> = {
  organisationId: ID_WIDTH,
  organisationName: 30,
  unitId: ID_WIDTH,
  unitName: 30,
  billingDay: 11,
  periodFrom: 12,
  periodUntil: 22,
  productId: ID_WIDTH,
  productName: 30,
  productType: 42,
  productFlavour: 15,
  chargeType: 13,
  chargeId: 11,
  timestamp: 20,
  username: 18,
  merchant: 24,
  jobCollection: 22,
  jobJob: 24,
  jobVersion: 12,
  closed: 20,
  final: 8,
  coins: 14,
  pricePerCoin: 15,
  amount: 14,
  currency: 9,
};
const COINS_EXACT_WIDTH = 16;

/** Options of {@link detailSheetOptions}. */
export interface DetailSheetLayout {
  /** Number of data rows this sheet will hold (for the autofilter range). */
  rows: number;
  /** The columns before `coins_exact` ({@link detailColumns}). @default CHARGE_COLUMNS */
  columns?: readonly DetailColumn[];
}

/**
 * Worksheet options of a Detail sheet: frozen header row, autofilter over the table, and the
 * print setup (landscape, one page wide, the header row on every page).
 */
export function detailSheetOptions(layout: DetailSheetLayout) {
  const width = (layout.columns ?? CHARGE_COLUMNS).length + 1;
  const last = columnLetter(width);
  return {
    views: [{
      state: "frozen" as const,
      xSplit: 0,
      ySplit: 1,
      topLeftCell: "A2",
      activeCell: "A2",
    }],
    autoFilter: `A1:${last}${1 + Math.max(layout.rows, 0)}`,
    pageSetup: {
      ...printPageSetup(1),
      printArea: printAreaRange(width, 1 + Math.max(layout.rows, 0)),
    },
    headerFooter: PRINT_HEADER_FOOTER,
  };
}

/** Sets column widths and writes the bold header row of a Detail sheet with `columns`. */
export function writeDetailHeader(
  sheet: Worksheet,
  columns: readonly DetailColumn[] = CHARGE_COLUMNS,
): void {
  columns.forEach(({ key }, i) => sheet.getColumn(i + 1).width = WIDTHS[key] ?? 16);
  sheet.getColumn(columns.length + 1).width = COINS_EXACT_WIDTH;
  const headers = [...columns.map((c) => c.header), COINS_EXACT_HEADER];
  const row = sheet.addRow(headers.map((h) => textValue(h)));
  row.eachCell((cell) => cell.style = STYLES.header);
  row.commit();
}

/** Styles of number cells. */
type NumberStyle = "integer" | "coins" | "amount" | "price";

/** A typed Detail cell; `undefined` for an empty one. */
export type DetailCell =
  | { kind: "text"; text: string }
  | { kind: "number"; style: NumberStyle; number: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "date"; style: "date" | "dateTime"; date: Date }
  | undefined;

/** The typed cells of one charge row: one per column of `columns`, then `coins_exact`. */
export function detailCells(
  charge: ChargeRow,
  columns: readonly DetailColumn[] = CHARGE_COLUMNS,
): DetailCell[] {
  const cells: DetailCell[] = columns.map(({ key }) => detailCell(key, charge[key]));
  cells.push(charge.coins === "" ? undefined : { kind: "text", text: charge.coins });
  return cells;
}

/** How the value of column `key` is written. */
export function detailCell(key: keyof ChargeRow, value: ChargeRow[keyof ChargeRow]): DetailCell {
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (typeof value === "number") {
    return Number.isFinite(value) ? { kind: "number", style: "integer", number: value } : undefined;
  }
  if (value === undefined || value === null || value === "") return undefined;
  const decimal = DECIMAL_KEYS[key];
  if (decimal) {
    const amount = Number(value);
    return NUMERIC_LITERAL.test(value) && Number.isFinite(amount)
      ? { kind: "number", style: decimal, number: amount }
      : { kind: "text", text: value };
  }
  if (DATE_KEYS.has(key)) {
    const instant = parseUtcTimestamp(value);
    return instant
      ? { kind: "date", style: instant.hasTime ? "dateTime" : "date", date: instant.date }
      : { kind: "text", text: value };
  }
  if (INTEGER_KEYS.has(key) && /^-?\d+$/.test(value)) {
    return { kind: "number", style: "integer", number: Number(value) };
  }
  return { kind: "text", text: value };
}

/** Appends one charge row to an exceljs sheet as `Row` and `Cell` objects and commits it. */
export function writeDetailRow(
  sheet: Worksheet,
  charge: ChargeRow,
  columns: readonly DetailColumn[] = CHARGE_COLUMNS,
): void {
  const row = sheet.addRow([]);
  detailCells(charge, columns).forEach((cell, i) => {
    if (cell === undefined) return;
    const target = row.getCell(i + 1);
    switch (cell.kind) {
      case "text":
        target.value = textValue(cell.text);
        target.style = STYLES.text;
        break;
      case "number":
        target.value = cell.number;
        target.style = STYLES[cell.style];
        break;
      case "boolean":
        target.value = cell.value;
        target.style = STYLES.boolean;
        break;
      case "date":
        target.value = cell.date;
        target.style = STYLES[cell.style];
        break;
    }
  });
  row.commit();
}

/** The part of exceljs's streaming workbook the renderer uses (untyped in exceljs). */
interface StyleTable {
  styles: { addStyleModel(style: Partial<Style>, type: ValueType): number };
}

/** exceljs's `ValueType` numbers (a `const enum` in its typings, so not importable). */
const VALUE_TYPE = { Number: 2, String: 3, Date: 4, Boolean: 9 } as const;

/**
 * A {@link RowEncoder} of charge rows for a Detail sheet of `workbook` (an exceljs streaming
 * workbook: its styles table gives the cells' style ids, registered once here) with `columns`
 * then `coins_exact`.
 */
export function detailRowEncoder(
  workbook: Workbook,
  columns: readonly DetailColumn[] = CHARGE_COLUMNS,
): RowEncoder {
  const table = (workbook as unknown as StyleTable).styles;
  const id = (style: Partial<Style>, type: number) => {
    const n = table.addStyleModel(style, type as ValueType);
    return n ? ` s="${n}"` : "";
  };
  const s = {
    text: id(STYLES.text, VALUE_TYPE.String),
    boolean: id(STYLES.boolean, VALUE_TYPE.Boolean),
    integer: id(STYLES.integer, VALUE_TYPE.Number),
    coins: id(STYLES.coins, VALUE_TYPE.Number),
    amount: id(STYLES.amount, VALUE_TYPE.Number),
    price: id(STYLES.price, VALUE_TYPE.Number),
    date: id(STYLES.date, VALUE_TYPE.Date),
    dateTime: id(STYLES.dateTime, VALUE_TYPE.Date),
  };
  /** What follows `<c r="A2"` for a cell: its style, type, value and `</c>`; "" when empty. */
  const tail = (cell: DetailCell): string => {
    if (cell === undefined) return "";
    switch (cell.kind) {
      case "text": {
        const text = excelText(cell.text);
        const space = LEADING_TRAILING_SPACE.test(text) ? ` xml:space="preserve"` : "";
        return `${s.text} t="inlineStr"><is><r><t${space}>${xmlText(text)}</t></r></is></c>`;
      }
      case "number":
        return `${s[cell.style]}><v>${cell.number}</v></c>`;
      case "boolean":
        return `${s.boolean} t="b"><v>${cell.value ? 1 : 0}</v></c>`;
      case "date":
        return `${s[cell.style]}><v>${excelSerial(cell.date)}</v></c>`;
    }
  };
  const encoded: EncodedColumn[] = columns.map(({ key }, i) => ({
    key,
    letter: columnLetter(i + 1),
  }));
  encoded.push({ key: undefined, letter: columnLetter(encoded.length + 1) });
  return new RowEncoder(
    encoded,
    (key, value) => tail(detailCell(key, value)),
    (coins) => tail({ kind: "text", text: coins }),
  );
}

/** Text whose spaces an XML reader would drop unless told to keep them (as exceljs tests). */
const LEADING_TRAILING_SPACE = /^\s|\n|\s$/;

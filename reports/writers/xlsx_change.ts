/**
 * The "Change" sheet of the charges workbook (after Summary, before Detail), written when
 * the report carries a change table (`report.change`, see reports/charges/change.ts): this
 * period against the previous one, per unit and per product, then the new and the
 * vanished products.
 *
 * Layout: label rows at the top (column A label, B value); then the tables, found by the
 * text in column A ("By unit", "By product", "New products", "Vanished products"), each
 * with a header row and one row per line, all four with the same columns (see
 * {@link changeColumns}): A name, B id, C parent name (organisation or unit), D parent id,
 * E previous coins, F this period's coins, G difference, H change (a percent cell, or the
 * text "new" / "—"), I flag ("FLAG" on a flagged line); when priced, J–L the money
 * (the currency in the headers, e.g. "previous EUR"). Names come first, as a reader looks
 * for them; each column is as wide as its longest text (ids read whole); number headers are
 * two lines ("previous" over "coins"), right-aligned over their numbers, so the columns stay
 * narrow and the sheet prints at a readable size one page wide.
 *
 * Exact amounts: a number cell holds about 15 significant digits and is shown with at most
 * 4 decimals (coins) or 2 (money). When every amount of the sheet fits that, the number
 * cells are the amounts exactly and no text copy is written; otherwise the sheet ends with
 * "(exact)" text columns (coins, then money) holding every amount as the exact decimal, so
 * the printed columns on the left still carry the story.
 *
 * Flagged lines are filled in orange and their flag cell is bold red. When nothing was
 * compared, a red "Status" row says why and no table follows: a comparison is never shown
 * from unconfirmed numbers.
 *
 * Printing: landscape, one page wide, the title lines repeated on every page, the print
 * area set to the written cells (see xlsx_print.ts).
 *
 * @module
 */

import type { AddWorksheetOptions, Cell, Style, Workbook, Worksheet } from "exceljs";
import { Coins } from "../../client/coins.ts";
import type { ChangeLine, ChangeMoney, ChangeTable } from "../charges/change_types.ts";
import type { ChargeReport } from "../charges/model.ts";
import { STYLES, textValue } from "./xlsx_cells.ts";
import { PRINT_HEADER_FOOTER, printPageSetup, setPrintArea } from "./xlsx_print.ts";
import { SANDBOX_MARKER, summaryTitle } from "./xlsx_summary.ts";

/** The name of the sheet. */
export const CHANGE_SHEET = "Change";
/** Number format of the change column: signed, one decimal. */
export const PERCENT_FORMAT = "+0.0%;-0.0%;0.0%";
/** The text in the flag column of a flagged line. */
export const FLAG_TEXT = "FLAG";
/** Decimals a coins cell shows (its format is `#,##0.00##`). */
const COINS_DECIMALS = 4;
/** Width of column A at least: the labels at the top ("Previous period chosen as"). */
const LABEL_WIDTH = 27;
/** Width of the id columns at least: a whole id (40 to 44 characters). */
const ID_WIDTH = 42;
/** Decimals a money cell shows (its format is `#,##0.00`). */
const MONEY_DECIMALS = 2;

const FILL = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE0B2" } } as const;
const BASE_FONT = { name: "Calibri", family: 2, size: 11 };
const RED = { argb: "FFC00000" };
const RIGHT = { horizontal: "right" } as const;
const CENTRE = { horizontal: "center" } as const;

/** One style object per kind of cell (exceljs caches a style id per object). */
const CELL = {
  text: {} as Partial<Style>,
  coins: STYLES.coins,
  percent: { numFmt: PERCENT_FORMAT } as Partial<Style>,
  /** "new" / "—" in the change column: right-aligned like the percentages around it. */
  percentText: { alignment: RIGHT } as Partial<Style>,
  amount: STYLES.amount,
  exact: STYLES.exact,
  flag: { alignment: CENTRE } as Partial<Style>,
  flaggedText: { fill: FILL } as Partial<Style>,
  flaggedCoins: { ...STYLES.coins, fill: FILL } as Partial<Style>,
  flaggedPercent: { numFmt: PERCENT_FORMAT, fill: FILL } as Partial<Style>,
  flaggedPercentText: { alignment: RIGHT, fill: FILL } as Partial<Style>,
  flaggedAmount: { ...STYLES.amount, fill: FILL } as Partial<Style>,
  flaggedExact: { alignment: RIGHT, fill: FILL } as Partial<Style>,
  flaggedFlag: {
    font: { ...BASE_FONT, bold: true, color: RED },
    fill: FILL,
    alignment: CENTRE,
  } as Partial<Style>,
} as const;

const BOLD = { ...BASE_FONT, bold: true };
/** Header cells: bold, wrapped (number headers are two lines), aligned over their cells. */
const HEADER_STYLE: Record<ChangeColumnKind, Partial<Style>> = {
  text: { font: BOLD, alignment: { wrapText: true, vertical: "bottom" } },
  number: { font: BOLD, alignment: { wrapText: true, vertical: "bottom", horizontal: "right" } },
  flag: { font: BOLD, alignment: { wrapText: true, vertical: "bottom", horizontal: "center" } },
};
/** Height in points of a header row: two lines of 11-point text. */
const HEADER_HEIGHT = 30;

type Value = string | number | null;
type CellOut = [Value, Partial<Style> | undefined];

/** How a column's cells read, for its header's alignment and its width. */
export type ChangeColumnKind = "text" | "number" | "flag";

/** One column of the change tables. */
export interface ChangeColumn {
  /** The header text; number headers are two lines ("previous\ncoins"), wrapped in the cell. */
  header: string;
  /** Text (header left), number (header right, over the numbers) or the flag (centred). */
  kind: ChangeColumnKind;
  /** The narrowest the column may get (ids: a whole id even when no line shows one). */
  minWidth: number;
  /** The widest a column may get (longer text is cut at the column's edge). */
  maxWidth: number;
  /** The cell of `line` in this column, flagged lines filled. */
  cell: (line: ChangeLine) => CellOut;
  /** The text `line` shows in this column (what its width must fit). */
  shown: (line: ChangeLine) => string;
}

/** What decides the columns of a sheet: the parent's word, the currency, exact copies. */
export interface ChangeColumnOptions {
  /** What the parent is: "organisation" (unit lines) or "unit" (product lines). */
  parent: string;
  /** The currency of the money columns; none when the table is not priced. */
  currency?: string;
  /** Whether the coins need "(exact)" text columns (see {@link needsExactCoins}). */
  exactCoins: boolean;
  /** Whether the money needs "(exact)" text columns (see {@link needsExactMoney}). */
  exactMoney: boolean;
}

/**
 * The columns of a change table, left to right: name, id, parent, parent id, previous,
 * this period, difference, change, flag; then, when priced, the money; then the exact text
 * copies when some amount would not show exactly in a number cell.
 */
export function changeColumns(options: ChangeColumnOptions): ChangeColumn[] {
  const pick = (line: ChangeLine, plain: Partial<Style>, flagged: Partial<Style>) =>
    line.flagged ? flagged : plain;
  const text = (
    header: string,
    [minWidth, maxWidth]: [number, number],
    get: (l: ChangeLine) => string,
  ) => ({
    header,
    kind: "text" as const,
    minWidth,
    maxWidth,
    cell: (l: ChangeLine): CellOut => [get(l), pick(l, CELL.text, CELL.flaggedText)],
    shown: get,
  });
  const coins = (header: string, get: (l: ChangeLine) => string) => ({
    header,
    kind: "number" as const,
    minWidth: 0,
    maxWidth: 24,
    cell: (l: ChangeLine): CellOut => [num(get(l)), pick(l, CELL.coins, CELL.flaggedCoins)],
    shown: (l: ChangeLine) => formatted(get(l), 2, COINS_DECIMALS),
  });
  const exact = (header: string, get: (l: ChangeLine) => string | undefined) => ({
    header,
    kind: "number" as const,
    minWidth: 0,
    maxWidth: 40,
    cell: (l: ChangeLine): CellOut => [get(l) ?? null, pick(l, CELL.exact, CELL.flaggedExact)],
    shown: (l: ChangeLine) => get(l) ?? "",
  });
  const columns: ChangeColumn[] = [
    text("name", [LABEL_WIDTH, 40], (l) => l.name),
    text("id", [ID_WIDTH, 50], (l) => l.id),
    text(options.parent, [12, 36], (l) => l.parentName),
    text(`${options.parent} id`, [ID_WIDTH, 50], (l) => l.parentId),
    coins("previous\ncoins", (l) => l.previous),
    coins("this period\ncoins", (l) => l.current),
    coins("difference\ncoins", (l) => l.difference),
    {
      header: "change",
      kind: "number",
      minWidth: 0,
      maxWidth: 12,
      cell: changeCell,
      shown: (l) => l.percentText.replace(" ", ""),
    },
    {
      header: "flag",
      kind: "flag",
      minWidth: 0,
      maxWidth: 6,
      cell: (l) => l.flagged ? [FLAG_TEXT, CELL.flaggedFlag] : ["", CELL.flag],
      shown: (l) => l.flagged ? FLAG_TEXT : "",
    },
  ];
  const currency = options.currency;
  if (currency !== undefined) {
    const money = (header: string, get: (m: ChangeMoney) => string) => ({
      header: `${header}\n${currency}`,
      kind: "number" as const,
      minWidth: 0,
      maxWidth: 24,
      cell: (l: ChangeLine): CellOut => [
        l.money ? num(get(l.money)) : null,
        pick(l, CELL.amount, CELL.flaggedAmount),
      ],
      shown: (l: ChangeLine) => l.money ? formatted(get(l.money), 2, MONEY_DECIMALS) : "",
    });
    columns.push(
      money("previous", (m) => m.previous),
      money("this period", (m) => m.current),
      money("difference", (m) => m.difference),
    );
  }
  if (options.exactCoins) {
    columns.push(
      exact("previous coins\n(exact)", (l) => l.previous),
      exact("this period coins\n(exact)", (l) => l.current),
      exact("difference coins\n(exact)", (l) => l.difference),
    );
  }
  if (currency !== undefined && options.exactMoney) {
    columns.push(
      exact(`previous ${currency}\n(exact)`, (l) => l.money?.previous),
      exact(`this period ${currency}\n(exact)`, (l) => l.money?.current),
      exact(`difference ${currency}\n(exact)`, (l) => l.money?.difference),
    );
  }
  return columns;
}

/**
 * Width (in characters) of each column so that every header and every line shown fits:
 * the widest text plus a margin (bold headers run wider), capped at the column's maximum.
 */
export function fitWidths(
  columns: readonly ChangeColumn[],
  lines: readonly ChangeLine[],
): number[] {
  return columns.map((column) => {
    const header = Math.max(...column.header.split("\n").map((part) => part.length));
    let widest = Math.max(column.minWidth, header + 2);
    for (const line of lines) widest = Math.max(widest, column.shown(line).length + 2);
    return Math.min(widest, column.maxWidth);
  });
}

/**
 * `text` (a decimal) as a number format `#,##0.00##`-like shows it: thousands separators,
 * `min` to `max` decimals (rounded half-up in text, which only matters for its length).
 */
export function formatted(text: string, min: number, max: number): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return text;
  const [, sign, whole, fraction = ""] = m;
  let decimals = fraction.replace(/0+$/, "");
  if (decimals.length > max) decimals = decimals.slice(0, max);
  decimals = decimals.padEnd(min, "0");
  const digits = (whole.replace(/^0+(?=\d)/, "") || "0").replace(/\B(?=(\d{3})+$)/g, ",");
  return `${sign === "-" ? "-" : ""}${digits}${decimals ? "." + decimals : ""}`;
}

function changeCell(line: ChangeLine): CellOut {
  if (line.percent === undefined) {
    return [line.percentText, line.flagged ? CELL.flaggedPercentText : CELL.percentText];
  }
  return [percentFraction(line.percent), line.flagged ? CELL.flaggedPercent : CELL.percent];
}

/**
 * True when a number cell shown with at most `decimals` decimals holds and shows the
 * decimal `text` exactly: no more than `decimals` decimals once trailing zeros are dropped,
 * and no more than 15 significant digits (every such decimal survives a double).
 */
export function showsExactly(text: string, decimals: number): boolean {
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return false;
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) return false;
  const significant = (m[1] + fraction).replace(/^0+/, "").replace(/0+$/, "");
  return significant.length <= 15;
}

/** True when some coins amount of `change` would not show exactly in a number cell. */
export function needsExactCoins(change: ChangeTable): boolean {
  return [...change.units, ...change.products].some((l) =>
    [l.previous, l.current, l.difference].some((v) => !showsExactly(v, COINS_DECIMALS))
  );
}

/** True when some money amount of `change` would not show exactly in a number cell. */
export function needsExactMoney(change: ChangeTable): boolean {
  return [...change.units, ...change.products].some((l) =>
    l.money !== undefined &&
    [l.money.previous, l.money.current, l.money.difference].some((v) =>
      !showsExactly(v, MONEY_DECIMALS)
    )
  );
}

/**
 * The worksheet options of the Change sheet: the workbook's print setup (landscape, one page
 * wide, footer), the title lines repeated on every page.
 */
export function changeSheetOptions(titleRows: number): Partial<AddWorksheetOptions> {
  return { pageSetup: printPageSetup(titleRows), headerFooter: PRINT_HEADER_FOOTER };
}

/**
 * Adds the Change sheet for `report.change` to `workbook`, fills it and commits it; does
 * nothing when the report has no change table.
 */
export function writeChangeSheet(workbook: Workbook, report: ChargeReport): void {
  const change = report.change;
  if (change === undefined) return;
  const sheet = workbook.addWorksheet(CHANGE_SHEET, changeSheetOptions(report.sandbox ? 2 : 1));
  const compared = change.status === "compared";
  const options = {
    currency: change.currency,
    exactCoins: compared && needsExactCoins(change),
    exactMoney: compared && needsExactMoney(change),
  };
  const units = changeColumns({ ...options, parent: "organisation" });
  const products = changeColumns({ ...options, parent: "unit" });
  // One width per column for every table: the widest of both kinds of line.
  const unitWidths = fitWidths(units, change.units);
  fitWidths(products, change.products).forEach((width, i) =>
    sheet.getColumn(i + 1).width = Math.max(width, unitWidths[i])
  );
  // The print area covers every row and column written, and at least the tables' columns
  // (the long label texts run into them).
  let lastRow = 0;
  let lastColumn = products.length;
  const put: Put = (values, styles = [], height) => {
    lastRow = writeRow(sheet, values, styles, height);
    lastColumn = Math.max(lastColumn, values.length);
  };
  const done = () => {
    setPrintArea(sheet, lastColumn, lastRow);
    sheet.commit();
  };

  put([`${summaryTitle(report)}: change since the previous period`], [STYLES.title]);
  if (report.sandbox) put([SANDBOX_MARKER], [STYLES.warning]);
  put([]);
  const label = (name: string, value: string, style?: Partial<Style>) =>
    put([name, value], [STYLES.label, style]);
  label("This period", change.current.label);
  label("Previous period", change.previous?.label ?? "none");
  label("Previous period chosen as", change.basis);
  label(
    "Flag threshold",
    `Changes above ${change.threshold} % either way are flagged (exactly ${change.threshold} % ` +
      `is not); a line from zero to non-zero ("new") is always flagged`,
  );
  label("Status", statusText(change), compared ? undefined : STYLES.alert);
  if (compared && change.note) label("Note", change.note);
  if (!compared) return done();
  label("Change", "difference ÷ |previous| × 100, rounded to one decimal");
  label("Amounts", amountsText(options.exactCoins || options.exactMoney, change.currency));
  table(put, "By unit", change.units, units);
  table(put, "By product", change.products, products);
  table(put, "New products", change.newProducts, products);
  table(put, "Vanished products", change.vanishedProducts, products);
  done();
}

function amountsText(exact: boolean, currency: string | undefined): string {
  const cells = currency === undefined
    ? "Coins cells show up to 4 decimals"
    : `Coins cells show up to 4 decimals, ${currency} cells 2`;
  return exact
    ? `${cells}; the "(exact)" columns at the right hold every amount exactly`
    : `${cells}; every amount here is shown exactly`;
}

/** The Status row's text. */
export function statusText(change: ChangeTable): string {
  if (change.status === "no-previous") return `NO PREVIOUS PERIOD: ${change.note ?? ""}`.trim();
  if (change.status === "not-compared") {
    return `COULD NOT BE COMPARED: ${change.note ?? ""}`.trim();
  }
  const lines = change.units.length + change.products.length;
  return `Compared: ${change.flagged} of ${lines} lines flagged, ${change.newProducts.length} ` +
    `new and ${change.vanishedProducts.length} vanished products`;
}

type Put = (values: Value[], styles?: (Partial<Style> | undefined)[], height?: number) => void;

function table(
  put: Put,
  title: string,
  lines: readonly ChangeLine[],
  columns: readonly ChangeColumn[],
): void {
  put([]);
  put([title], [STYLES.title]);
  put(
    columns.map((c) => c.header),
    columns.map((c) => HEADER_STYLE[c.kind]),
    HEADER_HEIGHT,
  );
  if (lines.length === 0) put(["None"], [STYLES.label]);
  for (const line of lines) {
    const cells = columns.map((c) => c.cell(line));
    put(cells.map(([value]) => value), cells.map(([, style]) => style));
  }
}

/** `"33.3"` (percent) → 0.333, shifting the decimal point in text so no float error creeps in. */
function percentFraction(percent: string): number {
  const p = Coins.parse(percent);
  return new Coins(p.units, p.scale + 2).toNumber();
}

function num(text: string): number | null {
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Writes and commits one row (of `height` points, when given); returns its number. */
function writeRow(
  sheet: Worksheet,
  values: Value[],
  styles: (Partial<Style> | undefined)[],
  height?: number,
): number {
  const row = sheet.addRow([]);
  if (height !== undefined) row.height = height;
  values.forEach((value, i) => setValue(row.getCell(i + 1), value, styles[i]));
  row.commit();
  return row.number;
}

function setValue(cell: Cell, value: Value, style: Partial<Style> | undefined): void {
  cell.value = typeof value === "string" ? textValue(value) : value;
  if (style) cell.style = style;
}

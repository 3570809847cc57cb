/**
 * Cell values and styles for the XLSX writer: text that is always a string cell (never a
 * formula), UTC timestamps as date cells, coins as numbers with a decimal format.
 *
 * Text: exceljs writes a plain JS string without shared strings as `t="str"` (the type
 * of a formula's cached result). To get an ordinary inline string (`t="inlineStr"`), text
 * goes in as a one-run rich text. A string cell is never evaluated, so `=SUM(A1)` stays
 * text and needs no `'` prefix (unlike CSV). Characters XML cannot hold (control characters
 * other than tab and line feed), carriage returns (XML readers turn them into line feeds)
 * and literal `_xHHHH_` sequences are written as Excel's `_xHHHH_` escapes, so they survive
 * instead of being dropped, changed or decoded; text
 * beyond Excel's 32,767 characters per cell is cut and marked.
 *
 * Styles are shared, frozen objects: exceljs caches a style id per style object, so one
 * object per kind of cell keeps the styles table small and the writer fast.
 *
 * @module
 */

import type { CellRichTextValue, Style } from "exceljs";

/**
 * A plain numeric literal (`-1.25`, `0.0001`, `1E-7`): what a spreadsheet reads as a number,
 * never as a formula. Coins matching it become number cells (XLSX) or stay unescaped (CSV).
 */
export const NUMERIC_LITERAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Excel's limit of characters in one cell. */
export const MAX_CELL_CHARS = 32_767;
const TRUNCATED = " …[truncated]";

/** Number format of coins: thousands separators, 2 to 4 decimals. */
export const COINS_FORMAT = "#,##0.00##";
/** Number format of date-only cells. */
export const DATE_FORMAT = "yyyy-mm-dd";
/** Number format of date-time cells (UTC). */
export const DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss";
/** Number format of money amounts: thousands separators, 2 decimals. */
export const AMOUNT_FORMAT = "#,##0.00";
/** Number format of prices per coin: thousands separators, 2 to 8 decimals. */
export const PRICE_FORMAT = "#,##0.00######";
/**
 * Number format of boolean cells. Excel shows a boolean cell as TRUE/FALSE whatever its
 * format; LibreOffice shows it as 1/0 unless the format says otherwise (this is the format
 * LibreOffice itself writes for its BOOLEAN format).
 */
export const BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"';

/** The workbook's default font, named in full so every reader renders bold text alike. */
const BASE_FONT = { name: "Calibri", family: 2, size: 11 };
const RED = { argb: "FFC00000" };

/** One style object per kind of cell (see the module documentation). */
export const STYLES = {
  text: {} as Partial<Style>,
  integer: { numFmt: "0" } as Partial<Style>,
  boolean: { numFmt: BOOLEAN_FORMAT } as Partial<Style>,
  coins: { numFmt: COINS_FORMAT } as Partial<Style>,
  amount: { numFmt: AMOUNT_FORMAT } as Partial<Style>,
  price: { numFmt: PRICE_FORMAT } as Partial<Style>,
  date: { numFmt: DATE_FORMAT } as Partial<Style>,
  dateTime: { numFmt: DATE_TIME_FORMAT } as Partial<Style>,
  header: { font: { ...BASE_FONT, bold: true } } as Partial<Style>,
  label: { font: { ...BASE_FONT, bold: true } } as Partial<Style>,
  title: { font: { ...BASE_FONT, bold: true, size: 14 } } as Partial<Style>,
  warning: { font: { ...BASE_FONT, bold: true, size: 14, color: RED } } as Partial<Style>,
  alert: { font: { ...BASE_FONT, bold: true, color: RED } } as Partial<Style>,
  boldCoins: { numFmt: COINS_FORMAT, font: { ...BASE_FONT, bold: true } } as Partial<Style>,
  boldInteger: { numFmt: "0", font: { ...BASE_FONT, bold: true } } as Partial<Style>,
  /** A number or date as the value of a label row: left-aligned, like the text values. */
  leftInteger: { numFmt: "0", alignment: { horizontal: "left" } } as Partial<Style>,
  leftDateTime: { numFmt: DATE_TIME_FORMAT, alignment: { horizontal: "left" } } as Partial<Style>,
  /** Exact decimals as text, right-aligned under their headers like the numbers beside them. */
  exact: { alignment: { horizontal: "right" } } as Partial<Style>,
  boldExact: { font: { ...BASE_FONT, bold: true }, alignment: { horizontal: "right" } } as Partial<
    Style
  >,
  rightHeader: {
    font: { ...BASE_FONT, bold: true },
    alignment: { horizontal: "right" },
  } as Partial<
    Style
  >,
} as const;

/**
 * Characters an XML 1.0 document cannot contain (all controls but tab and LF), plus CR,
 * which XML readers turn into LF: as `_x000D_` it survives, as Excel itself writes it.
 */
// deno-lint-ignore no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B-\u001F\u007F\uFFFE\uFFFF]/g;

/** Whether {@link excelText} has anything to escape (not global: `test` keeps no state). */
// deno-lint-ignore no-control-regex
const NEEDS_ESCAPE = /_x[0-9A-Fa-f]{4}_|[\u0000-\u0008\u000B-\u001F\u007F\uFFFE\uFFFF]/;

/**
 * `text` as an inline-string cell value, or `null` for an empty string (an empty cell).
 */
export function textValue(text: string): CellRichTextValue | null {
  if (text === "") return null;
  return { richText: [{ text: excelText(text) }] };
}

/** `text` with XML-unsafe characters and `_xHHHH_` look-alikes escaped, cut to the cell limit. */
export function excelText(text: string): string {
  if (text.length <= MAX_CELL_CHARS && !NEEDS_ESCAPE.test(text)) return text;
  let out = text.replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1");
  out = out.replace(
    NOT_XML,
    (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
  );
  if (out.length > MAX_CELL_CHARS) {
    out = out.slice(0, MAX_CELL_CHARS - TRUNCATED.length) + TRUNCATED;
  }
  return out;
}

/** A parsed server timestamp: the instant, and whether it carried a time of day. */
export interface UtcInstant {
  date: Date;
  hasTime: boolean;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses an AS date (`2026-10-03`) or timestamp (`2026-10-03T12:34:56.789Z`, with an
 * offset, with microseconds, or without a zone) into a UTC instant; `undefined` when the
 * text is not one, so the caller can keep it as text. A timestamp without a zone is taken
 * as UTC, as the AS reference says the server works in UTC (§5.3).
 */
export function parseUtcTimestamp(text: string): UtcInstant | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = +y, month = +mo, day = +d;
  const hour = h === undefined ? 0 : +h, minute = mi === undefined ? 0 : +mi;
  const second = s === undefined ? 0 : +s;
  // Reject impossible dates (2026-02-30) and times (25:00) instead of letting them roll over,
  // and years before 100 (which Date.UTC would read as 19xx).
  if (
    year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
    hour > 23 || minute > 59 || second > 59
  ) {
    return undefined;
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offset = (+digits.slice(0, 2) * 60 + +(digits.slice(2) || 0)) * sign;
    time -= offset * 60_000;
  }
  return { date: new Date(time), hasTime: h !== undefined };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** The spreadsheet column letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let out = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) {
    out = String.fromCharCode(65 + ((c - 1) % 26)) + out;
  }
  return out;
}

const XML_SPECIAL = /[&<>]/g;
const HAS_XML_SPECIAL = /[&<>]/;
const XML_ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * `text` (already passed through {@link excelText}) escaped for an XML text node: `&`, `<`
 * and `>` become entities; everything else stays as is.
 */
export function xmlText(text: string): string {
  return HAS_XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL, (c) => XML_ENTITY[c]) : text;
}

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;
/** Excel's serial number of 1970-01-01 (1900 date system). */
const UNIX_EPOCH_SERIAL = 25_569;

/**
 * The Excel serial number (days since 1899-12-30, fraction = time of day) of a UTC instant,
 * computed as exceljs does, so that a cell reads back as the same `Date`.
 */
export function excelSerial(date: Date): number {
  return UNIX_EPOCH_SERIAL + date.getTime() / DAY_MS;
}

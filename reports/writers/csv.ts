/**
 * Charges → CSV, streamed: RFC 4180 with CRLF record delimiters, one header row
 * (`CHARGE_COLUMNS` headers), fields quoted only when they hold a comma, a quote or a line
 * break, UTF-8 with an optional BOM for Excel.
 *
 * Formula injection (OWASP "CSV injection"): a text field that starts with `=`, `+`, `-`,
 * `@`, tab or carriage return, or with the full-width `＝ ＋ － ＠` that Apple Numbers
 * normalises, gets a leading `'` so that no spreadsheet evaluates it. This is the rule of
 * csv-stringify 6.9's `escape_formulas` (which covers the full-width forms too), applied
 * here per column instead of through that option: the option spares a leading `-` only in
 * JS `number` fields, and coins are decimal strings, so it would turn a refund `-1.25` into
 * the text `'-1.25` that SUM ignores. So:
 *
 * - numeric columns (`billing_day`, `charge_id`, `coins`) are written as numbers, never
 *   prefixed: a plain numeric literal such as `-1.25` or `1E-7` is a number to a spreadsheet,
 *   not a formula. A `coins` value that is not a plain numeric literal (never sent by the AS)
 *   is treated as text and escaped like any other;
 * - every other column is text and escaped. A consumer that needs the raw text back strips a
 *   leading `'` that is followed by one of the characters above.
 *
 * Coins are written exactly as the server sent them (no rounding, no float); booleans as
 * `true`/`false`.
 *
 * Every row ends with a `data_source` column: `SANDBOX` when the report was made from the
 * sandbox's simulated data (`report.sandbox`), `ACCOUNT_SERVER` otherwise. It follows the
 * charge columns (before `reconciliation_warning`, when present), so renaming a file or
 * copying some of its rows elsewhere cannot hide that the numbers are not real.
 *
 * A report whose totals are not reconciled with the server's (written only when the user
 * allowed it) gets one more, last column, `reconciliation_warning`, holding on every row
 * `UNRECONCILED: ` and what disagrees (or that nothing could be compared). A CSV has no room
 * for a note line that every parser would skip; a column survives parsing, filtering,
 * sorting and copying any subset of rows, and a pipeline expecting the usual columns stops
 * at it instead of loading the numbers silently. The file name says it too
 * (`_unreconciled`, see file_name.ts).
 *
 * @module
 */

import { stringify } from "csv-stringify";
import { CHARGE_COLUMNS, type ChargeReport, type ChargeRow } from "../charges/model.ts";
import { reconciliationProblem } from "../charges/reconcile.ts";
import { pipeToSink, rowCountError, whenWritable } from "./stream_sink.ts";
import { NUMERIC_LITERAL } from "./xlsx_cells.ts";
import { MONEY_HEADERS, moneyFields } from "../pricing/columns.ts";

/** Options of {@link writeChargesCsv}. */
export interface CsvWriteOptions {
  /**
   * Start the file with a UTF-8 byte order mark, so that Excel on Windows reads accents and
   * non-Latin names correctly. Other tools may show it as a stray character.
   * @default false
   */
  bom?: boolean;
}

/** First characters that make a spreadsheet treat a cell as a formula. */
const FORMULA_START = new Set([
  "=",
  "+",
  "-",
  "@",
  "\t",
  "\r",
  "\uFF1D",
  "\uFF0B",
  "\uFF0D",
  "\uFF20",
]);
const NUMERIC_KEYS = new Set<keyof ChargeRow>(["billingDay", "chargeId", "coins"]);

/** Header of the column that says where the data came from (see the module doc). */
export const DATA_SOURCE_HEADER = "data_source";

/** The `data_source` value of every row of `report`: `SANDBOX` or `ACCOUNT_SERVER`. */
export function csvDataSource(report: Pick<ChargeReport, "sandbox">): string {
  return report.sandbox ? "SANDBOX" : "ACCOUNT_SERVER";
}

/** Header of the last column of the CSV of an unreconciled report (see the module doc). */
export const RECONCILIATION_WARNING_HEADER = "reconciliation_warning";

/**
 * The text of the `reconciliation_warning` column of `report`, or `undefined` when its
 * totals are reconciled (the column is then absent).
 */
export function csvReconciliationWarning(
  report: Pick<ChargeReport, "reconciliation">,
): string | undefined {
  const problem = reconciliationProblem(report.reconciliation);
  return problem === undefined ? undefined : `UNRECONCILED: ${problem}`;
}

/**
 * Writes the report's rows as CSV into `sink`, respecting its backpressure, and closes it.
 * On failure (a row source that throws, a sink that fails, a row count that disagrees with
 * `report.rowCount`) the sink is aborted with the error, which is rethrown.
 *
 * @returns the number of data rows and the number of bytes written (BOM included).
 *
 * @example Write a report to a file that appears only when complete
 * ```ts
 * import {
 *   chargesFileName,
 *   type ChargeReport,
 *   writeChargesCsv,
 *   writeFileAtomically,
 * } from "@squonk2/billing/reports";
 *
 * declare const report: ChargeReport; // e.g. from collectCharges
 * await writeFileAtomically(chargesFileName(report, "csv"), async (sink) => {
 *   await writeChargesCsv(report, sink, { bom: true });
 * });
 * ```
 */
export async function writeChargesCsv(
  report: ChargeReport,
  sink: WritableStream<Uint8Array>,
  options: CsvWriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const stringifier = stringify({
    record_delimiter: "\r\n",
    // csv-stringify turns this off whenever record_delimiter is set, which would leave a
    // lone "\n" or "\r" inside a field unquoted and split the record for every reader.
    quote_record_delimiter: true,
    bom: options.bom === true,
  });
  // Errors reach the caller through the pipe; this listener only prevents an unhandled event.
  stringifier.on("error", () => {});
  const pipe = pipeToSink(stringifier, sink);
  let rows = 0;
  const warning = csvReconciliationWarning(report);
  const extra = [csvDataSource(report)];
  if (warning !== undefined) extra.push(escapeFormula(warning));
  // A priced report (--rates) has price_per_coin, amount and currency after the charges.
  const money = report.pricing !== undefined;
  const header = [
    ...CHARGE_COLUMNS.map((c) => c.header),
    ...(money ? MONEY_HEADERS : []),
    DATA_SOURCE_HEADER,
  ];
  if (warning !== undefined) header.push(RECONCILIATION_WARNING_HEADER);
  try {
    if (!stringifier.write(header)) await whenWritable(stringifier, pipe);
    for await (const row of report.rows) {
      rows++;
      const record = csvRecord(row);
      if (money) record.push(...moneyFields(row).map(moneyField));
      record.push(...extra);
      if (!stringifier.write(record)) await whenWritable(stringifier, pipe);
    }
    if (rows !== report.rowCount) throw rowCountError(report.rowCount, rows);
    stringifier.end();
  } catch (error) {
    pipe.fail(error);
    await pipe.done.catch(() => {});
    throw error;
  }
  const bytes = await pipe.done;
  return { rows, bytes };
}

/** One row as CSV fields, in `CHARGE_COLUMNS` order, with text fields formula-escaped. */
export function csvRecord(row: ChargeRow): string[] {
  return CHARGE_COLUMNS.map(({ key }) => csvField(key, row[key]));
}

/** One field: numbers and numeric literals as they are, booleans as `true`/`false`, text escaped. */
function csvField(key: keyof ChargeRow, value: ChargeRow[keyof ChargeRow]): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = value ?? "";
  if (NUMERIC_KEYS.has(key) && NUMERIC_LITERAL.test(text)) return text;
  return escapeFormula(text);
}

/** A money field: decimals as numbers (a negative amount stays a number), text escaped. */
function moneyField(text: string): string {
  return NUMERIC_LITERAL.test(text) ? text : escapeFormula(text);
}

/** `text` with a leading `'` when it would start a formula in a spreadsheet. */
export function escapeFormula(text: string): string {
  return text.length > 0 && FORMULA_START.has(text[0]) ? `'${text}` : text;
}

/**
 * Charges → FOCUS 1.2 CSV (FinOps Open Cost and Usage Specification), streamed: one header
 * row of FOCUS Column IDs, one row per charge item, RFC 4180 with CRLF record delimiters,
 * UTF-8. See focus_columns.ts for the mapping and the formats.
 *
 * A report whose totals are not reconciled (written only when allowed) gets one more
 * custom column, `x_ReconciliationWarning`, on every row, as the plain CSV does; it takes
 * its place among the custom columns in Column ID order (FOCUS ColumnHandling).
 *
 * @module
 */

import { stringify } from "csv-stringify";
import { UsageError } from "../../client/errors.ts";
import type { ChargeReport } from "../charges/model.ts";
import { reconciliationProblem } from "../charges/reconcile.ts";
import { FOCUS_COLUMNS, type FocusContext, focusRecord } from "./focus_columns.ts";
import { pipeToSink, rowCountError, whenWritable } from "./stream_sink.ts";

/** Options of {@link writeChargesFocus}. */
export interface FocusWriteOptions {
  /** ProviderName of every row. @default "Squonk2" */
  providerName?: string;
  /** PublisherName of every row. @default "Squonk2" */
  publisherName?: string;
  /** InvoiceIssuerName of every row. @default "Squonk2" */
  invoiceIssuerName?: string;
}

/** Header of the warning column of an unreconciled report's FOCUS file. */
export const FOCUS_WARNING_HEADER = "x_ReconciliationWarning";

/**
 * Writes the report's rows as a FOCUS 1.2 CSV into `sink`, respecting its backpressure,
 * and closes it; on failure the sink is aborted and the error rethrown.
 *
 * @returns the number of data rows and of bytes written.
 */
export async function writeChargesFocus(
  report: ChargeReport,
  sink: WritableStream<Uint8Array>,
  options: FocusWriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
  let ctx: FocusContext;
  try {
    ctx = {
      providerName: mandatoryName(options, "providerName"),
      publisherName: mandatoryName(options, "publisherName"),
      invoiceIssuerName: mandatoryName(options, "invoiceIssuerName"),
      dataSource: report.sandbox ? "SANDBOX" : "ACCOUNT_SERVER",
    };
  } catch (error) {
    await sink.abort(error).catch(() => {});
    throw error;
  }
  const stringifier = stringify({ record_delimiter: "\r\n", quote_record_delimiter: true });
  stringifier.on("error", () => {});
  const pipe = pipeToSink(stringifier, sink);
  const problem = reconciliationProblem(report.reconciliation);
  const header = FOCUS_COLUMNS.map((c) => c.id);
  // Where the warning goes: before the first custom column whose ID sorts after it.
  const after = header.findIndex((id) => id.startsWith("x_") && id > FOCUS_WARNING_HEADER);
  const at = after < 0 ? header.length : after;
  const warning = problem === undefined ? undefined : `UNRECONCILED: ${problem}`;
  if (warning !== undefined) header.splice(at, 0, FOCUS_WARNING_HEADER);
  let rows = 0;
  try {
    if (!stringifier.write(header)) await whenWritable(stringifier, pipe);
    for await (const row of report.rows) {
      rows++;
      const record = focusRecord(row, ctx);
      if (warning !== undefined) record.splice(at, 0, warning);
      if (!stringifier.write(record)) await whenWritable(stringifier, pipe);
    }
    if (rows !== report.rowCount) throw rowCountError(report.rowCount, rows);
    stringifier.end();
  } catch (error) {
    pipe.fail(error);
    await pipe.done.catch(() => {});
    throw error;
  }
  return { rows, bytes: await pipe.done };
}

/**
 * A name option of every row (`Squonk2` when not given). FOCUS 1.2 forbids nulls in
 * ProviderName, PublisherName and InvoiceIssuerName, and an empty CSV field is a null.
 */
function mandatoryName(
  options: FocusWriteOptions,
  key: "providerName" | "publisherName" | "invoiceIssuerName",
): string {
  const value = options[key] ?? "Squonk2";
  if (value.trim() === "") {
    throw new UsageError(
      `The FOCUS option ${key} is empty: FOCUS 1.2 requires a value in every row; ` +
        `leave it out for "Squonk2" or give a name`,
    );
  }
  return value;
}

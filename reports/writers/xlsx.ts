/**
 * Charges → XLSX, streamed with exceljs's `WorkbookWriter` (no shared strings, styles on):
 * a Summary sheet first (see xlsx_summary.ts), then the rows on "Detail", continuing on
 * "Detail (2)", "Detail (3)", ... past `maxRowsPerSheet` (see xlsx_detail.ts for the cells).
 *
 * exceljs writes the workbook (zip, styles, Summary, header rows, page setup); the Detail rows
 * are encoded to XML bytes here (xlsx_row_bytes.ts) and handed to exceljs's sheet stream every
 * {@link YIELD_EVERY} rows, which skips exceljs's per-cell objects (see xlsx_detail.ts).
 *
 * Memory stays flat: a full sheet is committed before the next one starts, and every
 * {@link YIELD_EVERY} rows the writer waits for the output to drain and for the zip
 * compressor to catch up ({@link MAX_ZIP_BACKLOG_BYTES}), and yields to the event loop.
 *
 * @module
 */

import type ExcelJS from "exceljs";
// Only exceljs's streaming writer: its main module also loads the in-memory workbook, the
// readers and the CSV support, about 15 MB of resident memory this writer never uses.
import WorkbookWriterModule from "npm:exceljs@4.4.0/lib/stream/xlsx/workbook-writer.js";
import { Buffer } from "node:buffer";
import { PassThrough } from "node:stream";
import { UsageError } from "../../client/errors.ts";
import type { ChargeReport } from "../charges/model.ts";
import { pipeToSink, rowCountError, type SinkPipe, whenWritable } from "./stream_sink.ts";
import {
  type DetailColumn,
  detailColumns,
  detailRowEncoder,
  detailSheetOptions,
  writeDetailHeader,
} from "./xlsx_detail.ts";
import { writeSummarySheet } from "./xlsx_summary.ts";
import { writeChangeSheet } from "./xlsx_change.ts";

/** exceljs's streaming `WorkbookWriter` class, typed as exceljs's typings declare it. */
const WorkbookWriter = WorkbookWriterModule as unknown as typeof ExcelJS.stream.xlsx.WorkbookWriter;

/** Excel's row limit per sheet (1,048,576) minus the header row. */
export const MAX_DETAIL_ROWS = 1_048_575;
/** Rows written between two waits for the output and the event loop. */
export const YIELD_EVERY = 500;

/** Options of {@link writeChargesXlsx}. */
export interface XlsxWriteOptions {
  /**
   * Data rows per Detail sheet before the rows continue on the next one.
   * @default 1_048_575 (Excel's 1,048,576 rows minus the header)
   */
  maxRowsPerSheet?: number;
}

/**
 * Writes the report as an XLSX workbook into `sink` and closes it. On failure (a row source
 * that throws, a sink that fails, a row count that disagrees with `report.rowCount`) the sink
 * is aborted with the error, which is rethrown.
 *
 * @returns the number of data rows, bytes written and sheets (Summary included).
 *
 * @example Stream a workbook as an HTTP response body
 * ```ts
 * import { type ChargeReport, contentType, writeChargesXlsx } from "@squonk2/billing/reports";
 *
 * declare const report: ChargeReport; // e.g. from collectCharges
 * Deno.serve(() => {
 *   const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
 *   // On failure the body errors too: the client sees a broken download, never a short one.
 *   writeChargesXlsx(report, writable).catch((error) => console.error(error));
 *   return new Response(readable, { headers: { "Content-Type": contentType("xlsx") } });
 * });
 * ```
 * @throws {UsageError} when `maxRowsPerSheet` is not an integer in 1..1,048,575 (the sink is
 * then aborted too).
 */
export async function writeChargesXlsx(
  report: ChargeReport,
  sink: WritableStream<Uint8Array>,
  options: XlsxWriteOptions = {},
): Promise<{ rows: number; bytes: number; sheets: number }> {
  let perSheet: number;
  try {
    perSheet = checkRowsPerSheet(options.maxRowsPerSheet);
  } catch (error) {
    await sink.abort(error).catch(() => {});
    throw error;
  }
  const pass = new PassThrough();
  const pipe = pipeToSink(pass, sink);
  const generated = new Date(report.generatedAt);
  const workbook = new WorkbookWriter({
    stream: pass,
    useStyles: true,
    useSharedStrings: false,
  });
  // Document properties say what made the file and when the data was collected.
  workbook.creator = "squonk2-billing";
  workbook.lastModifiedBy = "squonk2-billing";
  if (!Number.isNaN(generated.getTime())) workbook.created = workbook.modified = generated;
  // The archiver behind the writer (untyped in exceljs): failures reach the caller through
  // the pipe, so its error listener only prevents an unhandled event.
  const zip = (workbook as unknown as { zip: ZipHandle }).zip;
  zip.on("error", () => {});
  const names = detailSheetNames(report.rowCount, perSheet);
  const columns = detailColumns(report);
  const encoder = detailRowEncoder(workbook, columns);
  let rows = 0;
  try {
    writeSummarySheet(workbook, report, names);
    writeChangeSheet(workbook, report); // only when report.change is set
    let sheet: ExcelJS.Worksheet | undefined;
    // Encoded rows wait in the encoder and go into the sheet's stream as one chunk per batch
    // (exceljs copies the chunk at once, so the encoder reuses its buffer).
    const flush = () => {
      if (encoder.byteLength > 0) {
        const bytes = encoder.take();
        sheetStream(sheet!).write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
    };
    for await (const row of report.rows) {
      if (rows % perSheet === 0) {
        flush();
        sheet?.commit();
        sheet = addDetailSheet(workbook, columns, report.rowCount, rows, perSheet);
      }
      // Row 1 is the header.
      encoder.add(2 + (rows % perSheet), row);
      rows++;
      if (rows % YIELD_EVERY === 0) {
        flush();
        await breathe(pass, pipe);
        await zipCatchUp(sheet!, pipe);
      }
    }
    flush();
    if (rows !== report.rowCount) throw rowCountError(report.rowCount, rows);
    if (!sheet) addDetailSheet(workbook, columns, 0, 0, perSheet);
    await Promise.race([workbook.commit(), pipe.done]);
  } catch (error) {
    pipe.fail(error);
    zip.abort();
    await pipe.done.catch(() => {});
    throw error;
  }
  const bytes = await pipe.done;
  return { rows, bytes, sheets: 1 + (report.change ? 1 : 0) + names.length };
}

/**
 * The stream of a sheet's XML inside exceljs's `WorksheetWriter` (untyped): rendered rows are
 * written there, after the header row that exceljs wrote (which also opened `<sheetData>`).
 */
function sheetStream(sheet: ExcelJS.Worksheet): { write(xml: Buffer): unknown } {
  return (sheet as unknown as { stream: { write(xml: Buffer): unknown } }).stream;
}

/** Sheet XML the zip compressor may have waiting before the writer stops for it. */
export const MAX_ZIP_BACKLOG_BYTES = 512 * 1024;

/**
 * Waits until the zip compressor has taken most of the sheet's XML. exceljs hands a sheet's
 * XML to the archiver through a stream that ignores backpressure (its `StreamBuf` writes
 * 64 KB chunks into the archiver's input whether or not the compressor keeps up), so without
 * this wait a fast row source piles megabytes of XML up in front of the compressor.
 */
async function zipCatchUp(sheet: ExcelJS.Worksheet, pipe: SinkPipe): Promise<void> {
  const input = (sheetStream(sheet) as unknown as { pipes?: BufferedStream[] }).pipes?.[0];
  const waiting = () => (input?._writableState?.length ?? 0) + (input?._readableState?.length ?? 0);
  while (waiting() > MAX_ZIP_BACKLOG_BYTES) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const failure = pipe.error();
    if (failure !== undefined) throw failure;
  }
}

/** The state exceljs's archiver input stream (readable-stream) keeps of its buffered bytes. */
interface BufferedStream {
  _writableState?: { length: number };
  _readableState?: { length: number };
}

/** The part of exceljs's archiver the writer uses. */
interface ZipHandle {
  on(event: "error", listener: (error: unknown) => void): unknown;
  abort(): unknown;
}

/** Names of the Detail sheets for `rowCount` rows: "Detail", "Detail (2)", ... */
export function detailSheetNames(rowCount: number, perSheet: number): string[] {
  const count = Math.max(1, Math.ceil(rowCount / perSheet));
  return Array.from({ length: count }, (_, i) => detailSheetName(i));
}

function detailSheetName(index: number): string {
  return index === 0 ? "Detail" : `Detail (${index + 1})`;
}

function addDetailSheet(
  workbook: ExcelJS.Workbook,
  columns: readonly DetailColumn[],
  rowCount: number,
  done: number,
  perSheet: number,
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(
    detailSheetName(Math.floor(done / perSheet)),
    detailSheetOptions({ rows: Math.min(perSheet, rowCount - done), columns }),
  );
  writeDetailHeader(sheet, columns);
  return sheet;
}

/** Waits until the output can take more, then lets the compressor and the sink run. */
async function breathe(pass: PassThrough, pipe: SinkPipe): Promise<void> {
  await whenWritable(pass, pipe);
  await new Promise((resolve) => setTimeout(resolve, 0));
  const failure = pipe.error();
  if (failure !== undefined) throw failure;
}

function checkRowsPerSheet(value: number | undefined): number {
  if (value === undefined) return MAX_DETAIL_ROWS;
  if (!Number.isInteger(value) || value < 1 || value > MAX_DETAIL_ROWS) {
    throw new UsageError(
      `Cannot split the detail at "${value}" rows per sheet: give an integer from 1 to ${MAX_DETAIL_ROWS}`,
    );
  }
  return value;
}

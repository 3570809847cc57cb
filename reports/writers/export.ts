/**
 * From a collected report to bytes: rendering a report as CSV, XLSX or FOCUS CSV into any sink (a
 * file, an HTTP response, a report store, memory), and writing one or several reports to
 * files, each complete or absent. The charges script, the report server and the scheduled
 * job all render through {@link renderReport}.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { UsageError } from "../../client/errors.ts";
import {
  commitStaged,
  discardStaged,
  removeStaleTemporaries,
  type StagedFile,
  stageFile,
} from "./atomic_file.ts";
import { chargesFileName } from "./file_name.ts";
import type { ChargeReport } from "../charges/model.ts";
import type { FocusWriteOptions } from "./focus.ts";

/**
 * The file formats of a charges export: `xlsx`, `csv` (this toolkit's columns) and `focus`
 * (a CSV in FOCUS 1.2, the FinOps Open Cost and Usage Specification, named `..._focus.csv`).
 */
export type ReportFormat = "csv" | "xlsx" | "focus";

/** Every format, in the order files are written. */
export const REPORT_FORMATS: readonly ReportFormat[] = ["xlsx", "csv", "focus"];

/** Where the charges script writes when given no `--out`/`--out-dir`. */
export const DEFAULT_OUT_DIR = "./reports-out";

/** Options of {@link renderReport}. */
export interface RenderOptions {
  /** Start CSV files with a UTF-8 byte order mark (for Excel on Windows). @default false */
  bom?: boolean;
  /** Provider, publisher and invoice issuer names of FOCUS files (default "Squonk2"). */
  focus?: FocusWriteOptions;
}

/**
 * Parses a `--format` value such as `xlsx,csv` into distinct formats, in the order given.
 *
 * @throws {UsageError} for an empty list or an unknown format.
 */
export function parseFormats(text: string): ReportFormat[] {
  const out: ReportFormat[] = [];
  for (const part of text.split(",").map((p) => p.trim().toLowerCase())) {
    if (part !== "csv" && part !== "xlsx" && part !== "focus") {
      throw new UsageError(
        `Unknown format "${part}" in --format "${text}": use xlsx, csv, focus or a list ` +
          `such as xlsx,csv,focus`,
      );
    }
    if (!out.includes(part)) out.push(part);
  }
  return out;
}

/** The file extension of a format: `focus` files are CSV. */
export function formatExtension(format: ReportFormat): "csv" | "xlsx" {
  return format === "xlsx" ? "xlsx" : "csv";
}

/**
 * The file name of `report` as `format`: {@link chargesFileName}, with `_focus` before the
 * extension of a FOCUS file (`charges_..._2026-11-03_sandbox_focus.csv`).
 */
export function reportFileName(
  report: Parameters<typeof chargesFileName>[0],
  format: ReportFormat,
): string {
  const name = chargesFileName(report, formatExtension(format));
  return format === "focus" ? name.replace(/\.csv$/, "_focus.csv") : name;
}

/** The MIME type of a format, for HTTP responses and stores. */
export function contentType(format: ReportFormat): string {
  return format === "xlsx"
    ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    : "text/csv; charset=utf-8";
}

/**
 * Renders `report` as `format` into `sink` and closes it (a failure aborts it). The
 * report's rows are iterated once per call.
 */
export async function renderReport(
  report: ChargeReport,
  format: ReportFormat,
  sink: WritableStream<Uint8Array>,
  options: RenderOptions = {},
): Promise<void> {
  // The writers (csv-stringify, exceljs) load on first use, so that scripts that stop at a
  // bad argument, and servers at cold start, do not pay for them.
  if (format === "csv") {
    const { writeChargesCsv } = await import("./csv.ts");
    await writeChargesCsv(report, sink, { bom: options.bom === true });
  } else if (format === "focus") {
    const { writeChargesFocus } = await import("./focus.ts");
    await writeChargesFocus(report, sink, options.focus);
  } else {
    const { writeChargesXlsx } = await import("./xlsx.ts");
    await writeChargesXlsx(report, sink);
  }
}

/**
 * Renders `report` as `format` into memory, e.g. to seal or store the bytes before any
 * file exists.
 */
export async function renderToBytes(
  report: ChargeReport,
  format: ReportFormat,
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await renderReport(
    report,
    format,
    new WritableStream({ write: (c) => void chunks.push(c) }),
    options,
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** One file written by {@link exportToFiles}. */
export interface WrittenFile {
  /** Where the file is (or, from the store, `<spec>#<name>` for a KV store). */
  path: string;
  /** Its format. */
  format: ReportFormat;
  /** Its size in bytes. */
  bytes: number;
}

/** Options of {@link exportToFiles} and {@link exportReportsToFiles}. */
export interface ExportOptions extends RenderOptions {
  /** Formats to write, one file each. */
  formats: readonly ReportFormat[];
  /** Directory of the files, created when missing. @default "./reports-out" */
  outDir?: string;
  /** Exact path of the one file to write (only when exactly one file results). */
  outFile?: string;
  /**
   * Turns a file's rendered bytes into the bytes to write (e.g. sealing them); may change
   * the file name. Without it, files are streamed straight to disk.
   */
  encode?: (
    bytes: Uint8Array,
    file: { format: ReportFormat; name: string },
  ) => Promise<{ bytes: Uint8Array; name?: string }>;
}

/**
 * Writes `report` once per format, to `outFile` or to `outDir` under
 * {@link chargesFileName}, all or nothing: see {@link exportReportsToFiles}.
 *
 * @throws {UsageError} when `outFile` is given with several formats.
 */
export function exportToFiles(
  report: ChargeReport,
  options: ExportOptions,
): Promise<WrittenFile[]> {
  return exportReportsToFiles([report], options);
}

/**
 * Writes several reports (e.g. one per period), all or nothing: the one place where
 * charges files are written.
 *
 * Every file is first written complete under a temporary name next to its target
 * (`.<name>.tmp-<pid>-<random>`); only when all are complete are they renamed into place.
 * On any failure only the temporary files are removed, so a previous good file of the same
 * name is never lost (a directory standing where a file should go fails the export before
 * any rename). Temporary files a killed run left in the directory are removed first (see
 * `removeStaleTemporaries`).
 *
 * The files are written whatever the report's reconciliation; a report that is not
 * reconciled says so inside (the CSV's `reconciliation_warning` column, the XLSX Summary)
 * and in its name (`_unreconciled`). Refusing such a report is the caller's decision (the
 * charges script does, unless `--allow-mismatch`).
 *
 * @throws {UsageError} when `outFile` is given and more than one file would result, or
 * when two files would get the same name.
 * @throws {BillingError} when a file cannot be written or moved into place.
 */
export async function exportReportsToFiles(
  reports: readonly ChargeReport[],
  options: ExportOptions,
): Promise<WrittenFile[]> {
  const plan = planFiles(reports, options);
  if (plan.length === 0) return [];
  const dir = options.outFile ? dirname(options.outFile) : options.outDir ?? DEFAULT_OUT_DIR;
  await Deno.mkdir(dir, { recursive: true });
  await removeStaleTemporaries(dir);
  const staged: { file: StagedFile; format: ReportFormat }[] = [];
  try {
    for (const file of plan) {
      staged.push({
        file: await stageOne(file.report, file.format, file.path, options),
        format: file.format,
      });
    }
  } catch (error) {
    await discardStaged(staged.map((s) => s.file));
    throw error;
  }
  const sizes = await Promise.all(staged.map((s) => Deno.stat(s.file.tmp).then((i) => i.size)))
    .catch(async (error) => {
      await discardStaged(staged.map((s) => s.file));
      throw error;
    });
  await commitStaged(staged.map((s) => s.file));
  return staged.map((s, i) => ({ path: s.file.path, format: s.format, bytes: sizes[i] }));
}

function planFiles(reports: readonly ChargeReport[], options: ExportOptions) {
  if (options.formats.length === 0) {
    throw new UsageError(`No format given: use --format xlsx, csv, focus or xlsx,csv`);
  }
  const count = reports.length * options.formats.length;
  if (options.outFile && count > 1) {
    throw new UsageError(
      `--out "${options.outFile}" names one file but this export makes ${count}: use --out-dir DIR instead, or ask for one format and one period`,
    );
  }
  const plan = reports.flatMap((report) =>
    options.formats.map((format) => ({
      report,
      format,
      path: options.outFile ??
        join(options.outDir ?? DEFAULT_OUT_DIR, reportFileName(report, format)),
    }))
  );
  const seen = new Set<string>();
  for (const p of plan) {
    if (seen.has(p.path)) {
      throw new UsageError(
        `Two files of this export would both be "${p.path}": export the periods separately`,
      );
    }
    seen.add(p.path);
  }
  return plan;
}

async function stageOne(
  report: ChargeReport,
  format: ReportFormat,
  path: string,
  options: ExportOptions,
): Promise<StagedFile> {
  if (!options.encode) {
    return await stageFile(path, (sink) => renderReport(report, format, sink, options));
  }
  const rendered = await renderToBytes(report, format, options);
  const encoded = await options.encode(rendered, { format, name: basename(path) });
  const target = encoded.name ? join(dirname(path), encoded.name) : path;
  return await stageFile(target, async (sink) => {
    const writer = sink.getWriter();
    await writer.write(encoded.bytes);
    await writer.close();
  });
}

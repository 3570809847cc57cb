/**
 * Child process of the writer benchmark: writes `--rows N` synthetic charge rows as
 * `--format csv|xlsx|xlsx-document` to a temporary file, deletes it, and prints one JSON
 * line ({@link WriterChildFigures}) with the time taken, the bytes written and the peak
 * resident memory of this process.
 *
 * - `csv`, `xlsx`: the project's streaming writers (reports/writers/csv.ts, xlsx.ts);
 * - `xlsx-document`: the baseline, exceljs's in-memory workbook (`new ExcelJS.Workbook()`
 *   and `xlsx.writeBuffer()`), filled through the same sheet functions so the cells and
 *   styles are identical.
 *
 * Peak memory is the kernel's high-water mark (`VmHWM` in /proc/self/status, exact even
 * through synchronous stretches that no timer can interrupt) and, where /proc is missing,
 * the highest `Deno.memoryUsage().rss` sampled every 20 ms. The synthetic report's exact
 * totals are computed in a first pass over all the rows before writing starts; that pass is
 * the benchmark's, not the writer's, so its garbage is collected and the heap it grew shrunk
 * (when the child runs with `--v8-flags=--expose-gc`, as the benchmark starts it; V8's
 * "last resort" collection) and the high-water mark is reset
 * (`5` into /proc/self/clear_refs) just before the clock starts: the peak is the writer's
 * (runtime and libraries included, see `startRssBytes`).
 *
 * Usage: `deno run -A scripts/bench/writer_child.ts --format xlsx --rows 100000`
 *
 * @module
 */

import { UsageError } from "../../client/errors.ts";
import { parseFlags, runCli } from "../cli.ts";
import { syntheticReport } from "../../tests/fixtures/synthetic_rows.ts";
import type { ChargeReport } from "../../reports/charges/model.ts";

/** The formats the child writes. */
export type WriterFormat = "csv" | "xlsx" | "xlsx-document";

/** The JSON line the child prints. */
export interface WriterChildFigures {
  /** What was written. */
  format: WriterFormat;
  /** Data rows written. */
  rows: number;
  /** Wall time of writing the file, rows generated on the fly included. */
  ms: number;
  /** File size. */
  bytes: number;
  /** Peak resident set size of the whole process. */
  peakRssBytes: number;
  /** Resident set size before writing (runtime, libraries, nothing written yet). */
  startRssBytes: number;
  /** Where the peak came from: "VmHWM" or "sampled". */
  peakSource: "VmHWM" | "sampled";
  /** True when the high-water mark was reset before writing (Linux /proc/self/clear_refs). */
  hwmReset: boolean;
}

const SAMPLE_MS = 20;

/** Writes the file and returns the figures. */
export async function runWriterChild(format: WriterFormat, rows: number): Promise<
  WriterChildFigures
> {
  const report = syntheticReport(rows, { seed: 7 });
  const dir = await Deno.makeTempDir({ prefix: "squonk2-bench-" });
  const path = `${dir}/charges.${format === "csv" ? "csv" : "xlsx"}`;
  // Load the writer before the clock starts (module loading is not writing).
  const write = await writerFor(format);
  collectGarbage();
  const reset = resetHighWaterMark();
  let sampled = Deno.memoryUsage().rss;
  const startRssBytes = sampled;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, Deno.memoryUsage().rss);
  }, SAMPLE_MS);
  try {
    const started = performance.now();
    const file = await Deno.open(path, { write: true, createNew: true });
    await write(report, file.writable);
    const ms = performance.now() - started;
    sampled = Math.max(sampled, Deno.memoryUsage().rss);
    const bytes = (await Deno.stat(path)).size;
    const hwm = highWaterMark();
    return {
      format,
      rows,
      ms,
      bytes,
      peakRssBytes: Math.max(hwm ?? 0, sampled),
      startRssBytes,
      peakSource: hwm !== undefined && hwm >= sampled ? "VmHWM" : "sampled",
      hwmReset: reset,
    };
  } finally {
    clearInterval(timer);
    await Deno.remove(dir, { recursive: true });
  }
}

type Write = (report: ChargeReport, sink: WritableStream<Uint8Array>) => Promise<unknown>;

async function writerFor(format: WriterFormat): Promise<Write> {
  if (format === "csv") {
    const { writeChargesCsv } = await import("../../reports/writers/csv.ts");
    return (report, sink) => writeChargesCsv(report, sink, { bom: true });
  }
  if (format === "xlsx") {
    const { writeChargesXlsx } = await import("../../reports/writers/xlsx.ts");
    return writeChargesXlsx;
  }
  const { writeDocumentXlsx } = await import("./document_xlsx.ts");
  return writeDocumentXlsx;
}

/**
 * A full, memory-reducing garbage collection when the child runs with `--expose-gc` (V8's
 * "last resort" collection also shrinks the heap the synthetic totals pass grew; a plain
 * `gc()` leaves it at its size), else nothing.
 */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: (options?: Record<string, string>) => void }).gc;
  if (!gc) return;
  try {
    gc({ type: "major", execution: "sync", flavor: "last-resort" });
  } catch {
    gc();
  }
}

/** Resets this process's `VmHWM` to its current RSS; false where that is not possible. */
function resetHighWaterMark(): boolean {
  try {
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** `VmHWM` of this process in bytes, or undefined without /proc. */
function highWaterMark(): number | undefined {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const HELP = `Usage: deno run -A scripts/bench/writer_child.ts --format FORMAT --rows N

Writes N synthetic charge rows to a temporary file (deleted afterwards) and prints one JSON
line: format, rows, ms, bytes, peakRssBytes, startRssBytes, peakSource, hwmReset.

  --format FORMAT   csv, xlsx (the streaming writers) or xlsx-document (exceljs in memory)
  --rows N          number of rows (a whole number)
  -h, --help        show this help

Exit status: 0 on success, 1 on failure, 2 on bad usage.`;

/** Parses the child's flags; "help" for `--help`. */
export function parseChildArgs(args: string[]): { format: WriterFormat; rows: number } | "help" {
  const { values } = parseFlags(args, {
    options: {
      format: { type: "string" },
      rows: { type: "string" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const format = values.format as WriterFormat;
  if (!["csv", "xlsx", "xlsx-document"].includes(format)) {
    throw new UsageError(`Unknown --format "${values.format}": use csv, xlsx or xlsx-document`);
  }
  const rows = Number(values.rows);
  if (values.rows === undefined || !/^\d+$/.test(values.rows) || !Number.isSafeInteger(rows)) {
    throw new UsageError(`Invalid --rows "${values.rows}": give a whole number, e.g. 100000`);
  }
  return { format, rows };
}

async function main(args: string[]): Promise<number> {
  const parsed = parseChildArgs(args);
  if (parsed === "help") {
    console.log(HELP);
    return 0;
  }
  console.log(JSON.stringify(await runWriterChild(parsed.format, parsed.rows)));
  return 0;
}

if (import.meta.main) {
  await runCli(main, { name: "writer_child" });
}

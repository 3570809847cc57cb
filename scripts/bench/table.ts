/**
 * Renders benchmark results as Markdown tables (what `deno task bench` prints and what the
 * README records).
 *
 * @module
 */

import type { ExportFigures } from "./export.ts";
import type { FanoutFigures } from "./fanout.ts";
import type { MachineInfo } from "./machine.ts";
import type { ServerTargetFigures } from "./server.ts";
import type { StoreReadFigures } from "./store_read.ts";
import { mib } from "./stats.ts";
import type { TargetCheck } from "./targets.ts";
import type { WriterFigures } from "./writers.ts";

/** Everything one `deno task bench` run measured. */
export interface BenchResults {
  /** Which plan ran. */
  plan: "full" | "quick";
  /** Where it ran. */
  machine: MachineInfo;
  /** Fan-out figures, one per size. */
  fanout: FanoutFigures[];
  /** Whole-export figures (memory of a year's export), when run. */
  exports?: ExportFigures[];
  /** Writer figures, one per format and row count. */
  writers: WriterFigures[];
  /** Server figures, one per target. */
  server: ServerTargetFigures[];
  /** Reading a stored report back from Deno KV, when run. */
  store?: StoreReadFigures;
  /** The targets against the figures. */
  targets: TargetCheck[];
  /** Wall time of the whole run. */
  totalMs: number;
}

/** A Markdown table of `rows` under `headers`. */
export function markdownTable(headers: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** All tables of a run, with the machine line first. */
export function renderResults(results: BenchResults): string {
  const m = results.machine;
  const parts = [
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, ` +
    `${m.os}, Deno ${m.deno} (V8 ${m.v8}); load average ${m.loadAverage.toFixed(2)} at start, ` +
    `${m.startedAt}; ${results.plan} plan, ${(results.totalMs / 1000).toFixed(0)} s in all.`,
  ];
  if (results.fanout.length > 0) {
    parts.push(fanoutTable(results.fanout), validationTable(results.fanout));
  }
  if (results.exports !== undefined && results.exports.length > 0) {
    parts.push(exportTable(results.exports));
  }
  if (results.writers.length > 0) parts.push(writersTable(results.writers));
  if (results.server.length > 0) parts.push(serverTable(results.server));
  if (results.store) parts.push(storeTable(results.store));
  if (results.targets.length > 0) parts.push(targetsTable(results.targets));
  return parts.join("\n\n") + "\n";
}

/** The fan-out table. */
export function fanoutTable(rows: readonly FanoutFigures[]): string {
  return "Fan-out: all-organisations export of one period, sandbox latency per AS request\n\n" +
    markdownTable(
      [
        "products",
        "rows",
        "latency",
        "concurrency 1",
        "concurrency N",
        "speed-up",
        "requests / minimum",
        "ideal bound",
        "efficiency",
        "list / fan-out / finish",
        "client CPU",
      ],
      rows.flatMap((f) => [
        [
          String(f.products),
          String(f.rows),
          `${f.latencyMs} ms`,
          ms(f.serialMs),
          `${ms(f.concurrentMs)} (N=${f.concurrency}, default)`,
          `${f.speedup.toFixed(2)}x`,
          `${f.requests} / ${f.minimumRequests}` +
          (f.serverRequests === f.requests ? "" : ` (server saw ${f.serverRequests})`),
          ms(f.idealMs),
          f.efficiency.toFixed(2),
          `${ms(f.phases.resolveMs)} / ${ms(f.phases.fanoutMs)} / ${ms(f.phases.finishMs)}`,
          f.clientCpuMs === undefined ? "-" : ms(f.clientCpuMs),
        ],
        ...f.compared.map((c) => [
          String(f.products),
          String(f.rows),
          `${f.latencyMs} ms`,
          "same",
          `${ms(c.ms)} (N=${c.concurrency})`,
          `${c.speedup.toFixed(2)}x`,
          "same",
          ms(c.idealMs),
          c.efficiency.toFixed(2),
          "-",
          "-",
        ]),
      ]),
    );
}

/**
 * What checking answers against their schemas costs, as a share of the export it belongs
 * to (CPU time on the export's own thread, so an upper bound of what it adds).
 */
export function validationTable(rows: readonly FanoutFigures[]): string {
  return "Validation: the answers of one all-organisations export checked against their " +
    "schemas\n\n" +
    markdownTable(
      ["products", "answers", "JSON", "validation", "export (N)", "share of the export"],
      rows.map((f) => [
        String(f.products),
        String(f.validation.answers),
        `${mib(f.validation.bytes).toFixed(1)} MB`,
        ms(f.validation.ms),
        ms(f.concurrentMs),
        `${(100 * f.validation.ms / f.concurrentMs).toFixed(1)} %`,
      ]),
    );
}

/** The store read-back table. */
export function storeTable(f: StoreReadFigures): string {
  return "Store: a stored report read back from Deno KV (in memory), chunks in getMany batches\n\n" +
    markdownTable(
      ["report", "chunks", "KV reads", "read time", "throughput"],
      [[
        `${mib(f.bytes).toFixed(1)} MB`,
        String(f.chunks),
        String(f.reads),
        ms(f.ms),
        `${(mib(f.bytes) / (f.ms / 1000)).toFixed(0)} MB/s`,
      ]],
    );
}

/** The export table: whole charges exports and the memory they took. */
export function exportTable(rows: readonly ExportFigures[]): string {
  return "Export: the charges script, all organisations, several periods, in a child " +
    "process (rows spooled to a temporary file)\n\n" +
    markdownTable(
      [
        "products",
        "--pbp",
        "formats",
        "V8 flags",
        "rows",
        "files",
        "time",
        "peak RSS",
        "RSS before",
      ],
      rows.map((e) => [
        String(e.products),
        e.pbp,
        e.formats,
        e.v8Flags === "" ? "-" : e.v8Flags,
        e.rows.toLocaleString("en-US"),
        `${e.files} (${mib(e.bytes).toFixed(1)} MB)`,
        ms(e.ms),
        `${mib(e.peakRssBytes).toFixed(0)} MB`,
        `${mib(e.startRssBytes).toFixed(0)} MB`,
      ]),
    );
}

/** The writers table. */
export function writersTable(rows: readonly WriterFigures[]): string {
  const label = (w: WriterFigures) =>
    w.format === "xlsx-document"
      ? "XLSX baseline: exceljs in-memory Workbook"
      : w.format === "xlsx"
      ? "XLSX streaming (writeChargesXlsx)"
      : "CSV streaming (writeChargesCsv)";
  return "Writers: synthetic charge rows to a file, one child process per run\n\n" +
    markdownTable(
      ["writer", "rows", "time", "rows/s", "file", "peak RSS", "RSS before"],
      rows.map((w) => [
        label(w),
        w.rows.toLocaleString("en-US"),
        ms(w.ms),
        Math.round(w.rowsPerSecond).toLocaleString("en-US"),
        `${mib(w.bytes).toFixed(1)} MB`,
        `${mib(w.peakRssBytes).toFixed(0)} MB`,
        `${mib(w.startRssBytes).toFixed(0)} MB`,
      ]),
    );
}

/** The server table. */
export function serverTable(rows: readonly ServerTargetFigures[]): string {
  return "Server: concurrent GETs over loopback, bounded in count and time\n\n" +
    markdownTable(
      ["target", "clients", "ok", "failed", "req/s", "p50", "p99", "body"],
      rows.map((s) => [
        s.target,
        String(s.connections),
        String(s.ok),
        String(s.failed) + (s.firstFailure ? ` (${s.firstFailure})` : ""),
        s.requestsPerSecond.toFixed(1),
        ms(s.p50Ms),
        ms(s.p99Ms),
        s.meanBodyBytes >= 1024
          ? `${(s.meanBodyBytes / 1024).toFixed(0)} KB`
          : `${s.meanBodyBytes} B`,
      ]),
    );
}

/** The targets table. */
export function targetsTable(rows: readonly TargetCheck[]): string {
  return "Targets (reported, not asserted)\n\n" +
    markdownTable(
      ["figure", "target", "measured", "met"],
      rows.map((t) => [
        t.name,
        t.target,
        t.measured,
        t.met === undefined ? "-" : t.met ? "yes" : "NO",
      ]),
    );
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/**
 * `deno task bench`: the benchmarks of issue 9 (fan-out against the sandbox, the CSV and
 * XLSX writers, the report server), printed as Markdown tables on stdout (or JSON with
 * `--json`). Benchmarks print figures; they assert nothing about time. See
 * docs/benchmarks.md for the recorded figures.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { createProgress, parseFlags, runCli } from "./cli.ts";
import { benchExport, type ExportFigures } from "./bench/export.ts";
import { benchFanout, type FanoutFigures } from "./bench/fanout.ts";
import { benchStoreRead, type StoreReadFigures } from "./bench/store_read.ts";
import { machineInfo } from "./bench/machine.ts";
import { type BenchPlan, FULL_PLAN, QUICK_PLAN } from "./bench/plan.ts";
import { benchServer, checkServerTargets, type ServerTargetFigures } from "./bench/server.ts";
import { type BenchResults, renderResults } from "./bench/table.ts";
import { checkTargets } from "./bench/targets.ts";
import { benchWriter, type WriterFigures } from "./bench/writers.ts";

const HELP = `Usage: deno task bench [--quick] [--only LIST] [--json]

Runs the benchmarks and prints their figures as Markdown tables (nothing is asserted):
  fanout   an all-organisations export of one period against the sandbox (in a child
           process) with 20 ms latency per AS request, at ~50 and ~500 products:
           concurrency 1 vs the default, speed-up, requests vs the minimum, efficiency
           against the ideal bound (requests x latency / concurrency)
  writers  100k and 1M synthetic rows to CSV and XLSX in child processes: rows/s, file
           size, peak RSS; exceljs's in-memory Workbook as the XLSX baseline (capped)
  server   concurrent downloads of a ~10k-row XLSX and of the index page, next to a
           minimal Hono handler: requests/s, p50, p99
  export   a whole charges export (scripts/charges.ts in a child process) of all
           organisations over a year (--pbp -12..-1, ~500 products, ~208k rows) as
           CSV and XLSX: rows, files, time, peak RSS of the exporting process
  store    a 20 MB report read back from the Deno KV report store (in memory):
           KV reads and read time

The full run takes a few minutes and up to 2 GB of memory (the in-memory XLSX baseline
at 100k rows); run nothing else meanwhile.

Options:
  --quick       a small version of each benchmark (under a minute)
  --only LIST   comma-separated subset of fanout,export,writers,server,store (default: all)
  --json        print the results as one JSON object instead of tables
  --debug       print stack traces of errors
  -h, --help    show this help

Exit status: 0 when every benchmark ran, 1 when one failed, 2 on bad usage.`;

const PARTS = ["fanout", "export", "writers", "server", "store"] as const;
/** A benchmark `--only` can name. */
export type BenchPart = (typeof PARTS)[number];
type Part = BenchPart;

/** The parsed command line. */
export interface BenchFlags {
  /** The full plan, or the quick one with `--quick`. */
  plan: BenchPlan;
  /** The benchmarks to run. */
  parts: Set<BenchPart>;
  /** Print JSON instead of tables. */
  json: boolean;
}

/** Parses the command line; "help" for `--help`. */
export function parseBenchArgs(args: string[]): BenchFlags | "help" {
  const { values } = parseFlags(args, {
    options: {
      quick: { type: "boolean" },
      only: { type: "string" },
      json: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const parts = new Set<Part>();
  for (const word of (values.only ?? PARTS.join(",")).split(",").map((w) => w.trim())) {
    if (!(PARTS as readonly string[]).includes(word)) {
      throw new UsageError(
        `Unknown benchmark "${word}" in --only "${values.only}": use fanout, export, writers, server or store`,
      );
    }
    parts.add(word as Part);
  }
  return { plan: values.quick ? QUICK_PLAN : FULL_PLAN, parts, json: values.json === true };
}

/** Runs the benchmarks of `plan` named in `parts`. */
export async function runBenchmarks(plan: BenchPlan, parts: ReadonlySet<Part>): Promise<
  BenchResults
> {
  const started = performance.now();
  const machine = machineInfo();
  const steps = (parts.has("fanout") ? plan.fanout.length : 0) +
    (parts.has("export") ? plan.export.length : 0) +
    (parts.has("writers") ? plan.writers.length : 0) + (parts.has("server") ? 1 : 0) +
    (parts.has("store") ? 1 : 0);
  const progress = createProgress("bench", steps);
  const fanout: FanoutFigures[] = [];
  const exports: ExportFigures[] = [];
  const writers: WriterFigures[] = [];
  let server: ServerTargetFigures[] = [];
  let store: StoreReadFigures | undefined;
  try {
    if (parts.has("fanout")) {
      for (const c of plan.fanout) {
        fanout.push(
          await benchFanout(c.sizes, {
            latencyMs: plan.latencyMs,
            runs: c.runs,
            compare: c.compare,
          }),
        );
        progress.tick();
      }
    }
    if (parts.has("export")) {
      for (const e of plan.export) {
        exports.push(await benchExport(e.sizes, { pbp: e.pbp, v8Flags: e.v8Flags }));
        progress.tick();
      }
    }
    if (parts.has("writers")) {
      for (const w of plan.writers) {
        writers.push(await benchWriter(w.format, w.rows));
        progress.tick();
      }
    }
    if (parts.has("server")) {
      server = await benchServer(plan.server.rows, plan.server);
      progress.tick();
    }
    if (parts.has("store")) {
      store = await benchStoreRead(plan.storeReadBytes);
      progress.tick();
    }
  } finally {
    progress.done();
  }
  return {
    plan: plan.name,
    machine,
    fanout,
    exports,
    writers,
    server,
    store,
    targets: [...checkTargets(fanout, writers, exports), ...checkServerTargets(server)],
    totalMs: performance.now() - started,
  };
}

/** The CLI: parses `args`, runs, prints; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const flags = parseBenchArgs(args);
  if (flags === "help") {
    console.log(HELP);
    return 0;
  }
  const results = await runBenchmarks(flags.plan, flags.parts);
  console.log(flags.json ? JSON.stringify(results) : renderResults(results));
  return 0;
}

if (import.meta.main) {
  await runCli(main, { name: "bench" });
}

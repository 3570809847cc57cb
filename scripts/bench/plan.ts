/**
 * What `deno task bench` runs: the full plan (several minutes) and the `--quick` plan (a
 * small version of each benchmark, under a minute).
 *
 * @module
 */

import type { FanoutSizes } from "./fanout.ts";
import type { ServerBenchOptions } from "./server.ts";
import type { WriterFormat } from "./writer_child.ts";

/** One fan-out configuration. */
export interface FanoutCase {
  /** Sandbox sizes (decide the number of products). */
  sizes: FanoutSizes;
  /** Timed runs at the default concurrency (median reported). */
  runs: number;
  /** Other concurrencies timed once each, for comparison. */
  compare?: number[];
}

/** One writer configuration. */
export interface WriterCase {
  /** What to write. */
  format: WriterFormat;
  /** Data rows. */
  rows: number;
}

/** One export configuration: a whole charges export, measured for its memory. */
export interface ExportCase {
  /** Sandbox sizes (decide the number of products). */
  sizes: FanoutSizes;
  /** The periods, as given to the charges script's `--pbp`, e.g. "-12..-1" (a year). */
  pbp: string;
  /** V8 flags of the exporting process, e.g. "--max-semi-space-size=1". */
  v8Flags?: string;
}

/** A benchmark plan. */
export interface BenchPlan {
  /** "full" or "quick" (`--quick`). */
  name: "full" | "quick";
  /** Latency injected per AS request in the fan-out benchmark. */
  latencyMs: number;
  /** Fan-out cases, smallest first. */
  fanout: FanoutCase[];
  /** Whole exports (all organisations, CSV and XLSX), each in its own child process. */
  export: ExportCase[];
  /** Writer runs, each in its own child process. */
  writers: WriterCase[];
  /** The server benchmark: rows of the XLSX download, and load bounds. */
  server: ServerBenchOptions & { rows: number };
  /** Size of the report the store benchmark reads back from Deno KV, in bytes. */
  storeReadBytes: number;
}

/**
 * Largest in-memory (document mode) workbook the full plan builds: 100k rows, next to the
 * streaming writer's 100k. exceljs keeps every cell object of a document in memory (about
 * 20 KB per row of our 23 styled columns: ~2 GB peak at 100k rows, measured), so 1M rows
 * would need ~20 GB, the whole machine: the baseline stops here, and the table says so.
 */
export const DOCUMENT_BASELINE_CAP = 100_000;

/** Products ≈ organisations × units × products per unit + 3 personal units. */
const ABOUT_50: FanoutSizes = { organisations: 4, unitsPerOrganisation: 3, productsPerUnit: 4 };
const ABOUT_500: FanoutSizes = { organisations: 10, unitsPerOrganisation: 5, productsPerUnit: 10 };

/** The full plan: fan-out at ~50 and ~500 products, 100k and 1M rows, 10k-row downloads. */
export const FULL_PLAN: BenchPlan = {
  name: "full",
  latencyMs: 20,
  // 8 was the default before the benchmark showed it capped the speed-up below 8x.
  fanout: [{ sizes: ABOUT_50, runs: 3 }, { sizes: ABOUT_500, runs: 3, compare: [8] }],
  // Issue 16: a year of all organisations (~208k rows) must stay under 200 MB.
  // The same with V8's young generation capped at 1 MB per semi-space: what the memory
  // left is made of (garbage of the requests in flight, collected later by default).
  export: [
    { sizes: ABOUT_500, pbp: "-12..-1" },
    { sizes: ABOUT_500, pbp: "-12..-1", v8Flags: "--max-semi-space-size=1" },
  ],
  writers: [
    { format: "csv", rows: 100_000 },
    { format: "csv", rows: 1_000_000 },
    { format: "xlsx", rows: 100_000 },
    { format: "xlsx", rows: 1_000_000 },
    { format: "xlsx-document", rows: DOCUMENT_BASELINE_CAP },
  ],
  server: { rows: 10_000, connections: 8, maxRequests: 100, maxMs: 20_000 },
  storeReadBytes: 20_000_000,
};

/** The quick plan: one small case of each, under a minute. */
export const QUICK_PLAN: BenchPlan = {
  name: "quick",
  latencyMs: 20,
  fanout: [{ sizes: ABOUT_50, runs: 1 }],
  export: [{ sizes: ABOUT_50, pbp: "-2..-1" }],
  writers: [
    { format: "csv", rows: 10_000 },
    { format: "xlsx", rows: 10_000 },
    { format: "xlsx-document", rows: 2_000 },
  ],
  server: { rows: 1_000, connections: 4, maxRequests: 20, maxMs: 3_000 },
  storeReadBytes: 2_000_000,
};

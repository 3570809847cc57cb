/**
 * Child process of the export benchmark: runs the charges script (`scripts/charges.ts`,
 * the same `main` as `deno task charges`) with the arguments given, against the AS the
 * environment names, then prints one JSON line ({@link ExportChildFigures}) with its exit
 * status, wall time and the peak resident memory of this process (the kernel's `VmHWM`,
 * or the highest `Deno.memoryUsage().rss` sampled every 20 ms where /proc is missing).
 *
 * Usage: `deno run -A scripts/bench/export_child.ts all --pbp -12..-1 --format xlsx,csv --json --out-dir DIR`
 *
 * @module
 */

import { main as charges } from "../charges.ts";

/** The JSON line the child prints last. */
export interface ExportChildFigures {
  /** Exit status of the charges script. */
  exit: number;
  /** Wall time of the whole export (collection and files). */
  ms: number;
  /** Peak resident set size of the process. */
  peakRssBytes: number;
  /** Resident set size before the export (runtime and modules loaded). */
  startRssBytes: number;
  /** Where the peak came from: "VmHWM" or "sampled". */
  peakSource: "VmHWM" | "sampled";
}

const SAMPLE_MS = 20;

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

/** Runs the charges script with `args` and measures it. */
export async function runExportChild(args: string[]): Promise<ExportChildFigures> {
  let sampled = Deno.memoryUsage().rss;
  const startRssBytes = sampled;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, Deno.memoryUsage().rss);
  }, SAMPLE_MS);
  try {
    const started = performance.now();
    const exit = await charges(args);
    const ms = performance.now() - started;
    sampled = Math.max(sampled, Deno.memoryUsage().rss);
    const hwm = highWaterMark();
    return {
      exit,
      ms,
      peakRssBytes: Math.max(hwm ?? 0, sampled),
      startRssBytes,
      peakSource: hwm !== undefined && hwm >= sampled ? "VmHWM" : "sampled",
    };
  } finally {
    clearInterval(timer);
  }
}

if (import.meta.main) {
  const figures = await runExportChild(Deno.args);
  console.log(`\n${JSON.stringify(figures)}`);
  Deno.exit(figures.exit);
}

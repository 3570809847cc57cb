/**
 * Writer benchmark: synthetic charge rows to CSV and XLSX, each run in a fresh child
 * process (scripts/bench/writer_child.ts) so that its peak memory is its own. Figures:
 * rows per second, file size and peak resident memory.
 *
 * @module
 */

import { BillingError } from "../../client/errors.ts";
import { perSecond } from "./stats.ts";
import type { TargetCheck } from "./targets.ts";
import type { WriterChildFigures, WriterFormat } from "./writer_child.ts";

export type { WriterFormat } from "./writer_child.ts";

/** What {@link benchWriter} measured. */
export interface WriterFigures extends WriterChildFigures {
  /** `rows` ÷ seconds of `ms`. */
  rowsPerSecond: number;
}

const CHILD = new URL("./writer_child.ts", import.meta.url);

/**
 * Writes `rows` synthetic rows as `format` in a child process and returns its figures.
 *
 * @throws {BillingError} when the child fails (e.g. out of memory), with its last error line.
 */
export async function benchWriter(format: WriterFormat, rows: number): Promise<WriterFigures> {
  const output = await new Deno.Command(Deno.execPath(), {
    // --expose-gc: the child collects the synthetic rows' garbage before it starts measuring.
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      CHILD.pathname,
      `--format=${format}`,
      `--rows=${rows}`,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout).trim();
  if (!output.success || stdout === "") {
    const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-3);
    throw new BillingError(
      `Writing ${rows} rows as ${format} failed in the child process (exit ${output.code}): ${
        stderr.join(" | ")
      }`,
    );
  }
  const figures = JSON.parse(stdout.split("\n").at(-1)!) as WriterChildFigures;
  return { ...figures, rowsPerSecond: perSecond(figures.rows, figures.ms) };
}

/** Issue 16's targets for the streaming XLSX writer, at 100k and 1M rows. */
export const XLSX_TARGETS = {
  /** Peak resident memory of the writing process, MiB (below). */
  peakRssMiB: 150,
  /** Rows written per second (at least). */
  rowsPerSecond: 30_000,
} as const;

/**
 * The XLSX writer's figures against {@link XLSX_TARGETS}: peak RSS and rows/s at each of
 * 100k and 1M rows ("not run" for a size the plan did not measure).
 */
export function xlsxTargetChecks(writers: readonly WriterFigures[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const [rows, size] of [[100_000, "100k"], [1_000_000, "1M"]] as const) {
    const run = writers.find((w) => w.format === "xlsx" && w.rows === rows);
    const peak = run && run.peakRssBytes / 1024 / 1024;
    checks.push({
      name: `XLSX ${size} rows peak RSS`,
      target: `< ${XLSX_TARGETS.peakRssMiB} MB`,
      ...(peak === undefined
        ? { measured: "not run" }
        : { measured: `${peak.toFixed(0)} MB`, met: peak < XLSX_TARGETS.peakRssMiB }),
    });
    checks.push({
      name: `XLSX ${size} rows written per second`,
      target: `>= ${XLSX_TARGETS.rowsPerSecond.toLocaleString("en-US")}`,
      ...(run === undefined ? { measured: "not run" } : {
        measured: Math.round(run.rowsPerSecond).toLocaleString("en-US"),
        met: run.rowsPerSecond >= XLSX_TARGETS.rowsPerSecond,
      }),
    });
  }
  return checks;
}

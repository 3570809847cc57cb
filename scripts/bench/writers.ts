/**
 * Writer benchmark: synthetic charge rows to CSV and XLSX, each run in a fresh child
 * process (scripts/bench/writer_child.ts) so that its peak memory is its own. Figures:
 * rows per second, file size and peak resident memory.
 *
 * @module
 */

import { BillingError } from "../../client/errors.ts";
import { perSecond } from "./stats.ts";
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
    args: ["run", "-A", CHILD.pathname, `--format=${format}`, `--rows=${rows}`],
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

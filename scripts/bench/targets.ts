/**
 * The benchmark targets (issues 9 and 12), checked against measured figures. They are reported, never
 * asserted: a missed target is a finding to explain, not a failed run.
 *
 * @module
 */

import type { ExportFigures } from "./export.ts";
import type { FanoutFigures } from "./fanout.ts";
import { mib } from "./stats.ts";
import { type WriterFigures, xlsxTargetChecks } from "./writers.ts";

/** One target and how the run did against it. */
export interface TargetCheck {
  /** What is measured, e.g. "fan-out speed-up (503 products)". */
  name: string;
  /** The target, e.g. ">= 8x". */
  target: string;
  /** The measured value, e.g. "6.1x"; "not run" when the plan did not measure it. */
  measured: string;
  /** True when met, false when missed, undefined when not measured. */
  met?: boolean;
}

/** Rows of the export whose memory targets apply. */
const TARGET_ROWS = 1_000_000;
/** The fan-out targets are for the larger size, about 500 products. */
const TARGET_PRODUCTS = 450;

/** The export memory target is for a year (12 periods) of about 500 products. */
const TARGET_EXPORT_ROWS = 150_000;

/**
 * Checks the fan-out (~500 products) and writer (1M rows) targets and, when `exports` is
 * given (the bench always gives it, empty when not run), issue 16's export memory target.
 */
export function checkTargets(
  fanout: readonly FanoutFigures[],
  writers: readonly WriterFigures[],
  exports?: readonly ExportFigures[],
): TargetCheck[] {
  const largest = fanout.filter((f) => f.products >= TARGET_PRODUCTS)
    .sort((a, b) => b.products - a.products)[0];
  const checks: TargetCheck[] = [];
  const at = largest ? ` (${largest.products} products)` : "";
  checks.push(check(`fan-out speed-up${at}`, ">= 8x", largest?.speedup, 8, "x", true));
  checks.push(check(`fan-out efficiency${at}`, ">= 0.8", largest?.efficiency, 0.8, "", true));
  // Issue 12: checking every answer against its schema should cost a few percent at most.
  const share = largest && 100 * largest.validation.ms / largest.concurrentMs;
  checks.push(check(`schema validation share${at}`, "< 5 %", share, 5, " %", false));
  const peak = (format: string) =>
    writers.find((w) => w.format === format && w.rows === TARGET_ROWS)?.peakRssBytes;
  const csv = peak("csv");
  // Issue 16: the streaming XLSX writer's memory and speed at 100k and 1M rows.
  checks.push(...xlsxTargetChecks(writers));
  checks.push(check("CSV 1M rows peak RSS", "< 200 MB", csv && mib(csv), 200, " MB", false));
  if (exports !== undefined) {
    // Issue 16: a year-long all-organisations export of ~500 products, CSV and XLSX.
    const year = exports.filter((e) =>
      e.products >= TARGET_PRODUCTS && e.rows >= TARGET_EXPORT_ROWS && e.v8Flags === ""
    )
      .sort((a, b) =>
        b.rows - a.rows
      )[0];
    const what = year
      ? ` (${year.products} products, ${year.rows.toLocaleString("en-US")} rows, ${year.formats})`
      : "";
    checks.push(
      check(
        `year export peak RSS${what}`,
        "< 200 MB",
        year && mib(year.peakRssBytes),
        200,
        " MB",
        false,
      ),
    );
  }
  return checks;
}

function check(
  name: string,
  target: string,
  value: number | undefined,
  bound: number,
  unit: string,
  atLeast: boolean,
): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) return { name, target, measured: "not run" };
  const digits = unit === "x" || unit === "" ? 2 : unit === " %" ? 1 : 0;
  return {
    name,
    target,
    measured: `${value.toFixed(digits)}${unit}`,
    met: atLeast ? value >= bound : value < bound,
  };
}

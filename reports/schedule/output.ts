/**
 * What `deno task cron --once` prints: a plain-text table of one export cycle, or its JSON.
 *
 * @module
 */

import { describeEntry } from "./entries.ts";
import type { ExportCycleResult, FailureKind } from "./cycle.ts";
import type { CycleEntry } from "./entries.ts";

/** A failure's class in a few words, for the table. */
const KIND_WORDS: Record<FailureKind, string> = {
  "unreconciled": "totals differ from the Account Server's",
  "malformed-answer": "malformed Account Server answer",
  "account-server": "Account Server failed",
  "store": "report store failed",
  "other": "error",
};

function cell(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + "…" : text.padEnd(width);
}

function who(entry: CycleEntry): string {
  return entry.scope === "unit"
    ? `${entry.scopeName} (day ${entry.billingDay})`
    : entry.month !== undefined
    ? `${entry.scopeName} (calendar month ${entry.month})`
    : `${entry.scopeName} (cycle ${entry.cycle})`;
}

/**
 * The cycle as a table: one row per exported or failed report (reports already in the store
 * are only counted), then a summary line, then each report that was not stored with the
 * reason in full.
 */
export function formatCycleTable(
  result: ExportCycleResult,
  options: { store: string; sandbox: boolean },
): string {
  const lines = [
    `Scheduled run for ${result.day} (scheduled time ${result.at}); periods closed ${result.windowFrom} to ${result.day}; store ${options.store}${
      options.sandbox ? " (SANDBOX DATA)" : ""
    }`,
  ];
  const rows: string[][] = [];
  for (const e of result.exported) {
    for (const s of e.stored) {
      rows.push([
        "exported",
        e.scope,
        who(e),
        `${e.period.from}..${e.period.until}`,
        String(s.rowCount),
        s.totalCoins,
        s.name,
      ]);
    }
  }
  for (const e of result.failed) {
    rows.push([
      "FAILED",
      e.scope,
      who(e),
      `${e.period.from}..${e.period.until}`,
      "",
      "",
      `not stored: ${KIND_WORDS[e.kind]}`,
    ]);
  }
  if (rows.length > 0) {
    const header = ["status", "scope", "name", "period (until excl.)", "rows", "coins", "file"];
    const widths = [8, 12, 34, 22, 6, 12];
    const line = (r: string[]) =>
      r.map((c, i) => (i < widths.length ? cell(c, widths[i]) : c)).join("  ").trimEnd();
    lines.push(line(header), ...rows.map(line));
  }
  lines.push(
    `Exported ${result.exported.length}, already stored ${result.skipped.length}, failed ${result.failed.length}`,
  );
  if (result.failed.length > 0) {
    lines.push(`Not stored (the next run tries again):`);
    for (const e of result.failed) lines.push(`  ${describeEntry(e)}: ${e.error}`);
  }
  for (const w of result.warnings) lines.push(`Warning: ${w}`);
  return lines.join("\n");
}

/** The cycle as one JSON document, for `--json`. */
export function cycleJson(
  result: ExportCycleResult,
  options: { store: string; sandbox: boolean },
): string {
  return JSON.stringify({ ...result, store: options.store, sandbox: options.sandbox }, null, 2);
}

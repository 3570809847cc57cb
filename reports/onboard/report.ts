/**
 * Output of bulk onboarding: the results CSV (one line per input row, formula-escaped,
 * written atomically), the dry-run plan in words, and the JSON summaries printed by
 * `--json`.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import { StoreError } from "../../client/errors.ts";
import { describeTargets, type OnboardResults, type RowOutcome } from "./apply.ts";
import type { OnboardPlan, PlannedRow } from "./plan.ts";

/** Headers of the results CSV, in column order. */
export const RESULT_COLUMNS: readonly string[] = [
  "line",
  "username",
  "organisation",
  "unit",
  "target",
  "action",
  "outcome",
  "message",
];

/** Where the results go by default: `<input>.results.csv` next to the input. */
export function defaultResultsPath(inputPath: string): string {
  return `${inputPath}.results.csv`;
}

/**
 * Renders results as CSV text (RFC 4180, CRLF). Cells that a spreadsheet would run as a
 * formula (`= + - @`, tab, CR) are prefixed with `'` (OWASP CSV injection).
 */
export function resultsToCsv(results: OnboardResults): string {
  const records = results.results.map((r) => [
    r.line,
    r.username,
    r.organisation,
    r.unit,
    r.target,
    r.action,
    r.outcome,
    r.message,
  ]);
  return stringify(records, {
    header: true,
    columns: [...RESULT_COLUMNS],
    escape_formulas: true,
    record_delimiter: "\r\n",
  });
}

/**
 * Writes the results CSV to `path` through a temporary file in the same directory and a
 * rename, so a failure never leaves a half-written results file.
 *
 * @throws {StoreError} when the file cannot be written.
 */
export async function writeResultsCsv(path: string, results: OnboardResults): Promise<void> {
  const temp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeTextFile(temp, resultsToCsv(results));
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      `Cannot write the results file "${path}" (${why}); choose a writable place with --report`,
      { cause: error },
    );
  }
}

/** What a planned row will do: `to add`, `to remove` or `unchanged`. */
export type PlanState = "to add" | "to remove" | "unchanged";

/** The state of a planned row: a change if any of its own steps needs a request. */
export function planState(row: PlannedRow, action: OnboardPlan["action"]): PlanState {
  const changes = row.steps.some((s) => s.state === "change" && s.ownerLine === undefined);
  if (!changes) return "unchanged";
  return action === "add" ? "to add" : "to remove";
}

/** The JSON form of a dry-run plan (what `--dry-run --json` prints). */
export function planSummary(plan: OnboardPlan): Record<string, unknown> {
  const rows = plan.rows.map((r) => ({
    line: r.row.line,
    username: r.row.username,
    target: describeTargets(r.steps.map((s) => s.target)),
    plan: planState(r, plan.action),
    steps: r.steps.map((s) => ({
      kind: s.target.kind,
      id: s.target.id,
      name: s.target.name,
      state: s.ownerLine === undefined ? s.state : "unchanged",
      note: s.ownerLine === undefined ? s.note : `done by line ${s.ownerLine}`,
    })),
  }));
  const counts: Record<PlanState | "invalid", number> = {
    "to add": 0,
    "to remove": 0,
    unchanged: 0,
    invalid: plan.invalid.length,
  };
  for (const r of rows) counts[r.plan]++;
  const invalid = plan.invalid.map((i) => ({ line: i.line, message: i.message }));
  return { file: plan.file, action: plan.action, dryRun: true, counts, rows, invalid };
}

/** The dry-run plan in words, one line per row, invalid rows last. */
export function formatPlan(plan: OnboardPlan): string {
  const summary = planSummary(plan) as {
    counts: Record<string, number>;
    rows: { line: number; username: string; target: string; plan: string }[];
  };
  const c = summary.counts;
  const change = plan.action === "add" ? `${c["to add"]} to add` : `${c["to remove"]} to remove`;
  const lines = [
    `Plan for "${plan.file}" (dry run, nothing changed): ${change}, ${c.unchanged} unchanged, ${c.invalid} invalid`,
  ];
  for (const r of summary.rows) {
    lines.push(`  line ${r.line}: ${r.plan.padEnd(9)} ${r.username} -> ${r.target}`);
  }
  for (const i of plan.invalid) lines.push(`  line ${i.line}: invalid   ${i.message}`);
  return lines.join("\n");
}

/** The JSON summary of a run (what `--json` prints): counts, the results file, failures. */
export function resultsSummary(
  results: OnboardResults,
  options: { report?: string } = {},
): Record<string, unknown> {
  const pick = (outcome: RowOutcome) =>
    results.results
      .filter((r) => r.outcome === outcome)
      .map((r) => ({ line: r.line, username: r.username, target: r.target, message: r.message }));
  return {
    file: results.file,
    action: results.action,
    dryRun: false,
    report: options.report,
    counts: results.counts,
    ok: results.counts.failed === 0,
    failed: pick("failed"),
    skipped: pick("skipped"),
  };
}

/** The results of a run in one line of words, e.g. for stderr. */
export function formatSummary(results: OnboardResults): string {
  const c = results.counts;
  const done = results.action === "add" ? `${c.added} added` : `${c.removed} removed`;
  return `"${results.file}": ${done}, ${c.unchanged} unchanged, ${c.failed} failed, ${c.skipped} skipped`;
}

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

/**
 * Where the results go by default: `<input>.results-<UTC time>.csv` next to the input, e.g.
 * `users.csv.results-2026-12-02T053712Z.csv`, so that every run keeps its own record (the
 * names sort by time). {@link writeResultsCsv} with `ifExists: "number"` adds `-2`, `-3`...
 * when two runs start in the same second.
 */
export function defaultResultsPath(inputPath: string, at: Date = new Date()): string {
  const stamp = at.toISOString().slice(0, 19).replace(/:/g, "");
  return `${inputPath}.results-${stamp}Z.csv`;
}

/** What {@link writeResultsCsv} does when the file is there already. */
export type IfResultsExist = "refuse" | "replace" | "number";

/** Options of {@link writeResultsCsv}. */
export interface WriteResultsOptions {
  /**
   * `refuse` (default): throw, leaving the file as it is; `replace`: replace it atomically;
   * `number`: write `<name>-2.csv` (or the next free number) instead.
   */
  ifExists?: IfResultsExist;
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
 * Writes the results CSV to `path` through a temporary file in the same directory, so a
 * failure never leaves a half-written results file; an existing file is never replaced
 * unless `ifExists` is `replace` (the new name is linked to the finished temporary file,
 * which fails when the name is taken, so two runs cannot overwrite each other either).
 * Resolves to the path written (different from `path` with `ifExists: "number"`).
 *
 * @throws {StoreError} when the file exists (and `ifExists` is `refuse`) or cannot be written.
 */
export async function writeResultsCsv(
  path: string,
  results: OnboardResults,
  options: WriteResultsOptions = {},
): Promise<string> {
  const ifExists = options.ifExists ?? "refuse";
  const temp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeTextFile(temp, resultsToCsv(results));
    if (ifExists === "replace") {
      await Deno.rename(temp, path);
      return path;
    }
    for (let n = 1;; n++) {
      const target = n === 1 ? path : numbered(path, n);
      try {
        await Deno.link(temp, target);
        return target;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        if (ifExists === "refuse") {
          throw new StoreError(
            `The results file "${path}" exists already and is kept; choose another name with --report, or pass --force to replace it`,
          );
        }
      }
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      `Cannot write the results file "${path}" (${why}); choose a writable place with --report`,
      { cause: error },
    );
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
}

/** `x.csv` -> `x-2.csv` (the number before the extension, or at the end without one). */
function numbered(path: string, n: number): string {
  const m = /^(.*?)(\.[^./\\]*)?$/.exec(path)!;
  return `${m[1]}-${n}${m[2] ?? ""}`;
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
  // `ok` is what the exit status says (planExitCode): false while any row is invalid.
  const ok = plan.invalid.length === 0;
  return { file: plan.file, action: plan.action, dryRun: true, ok, counts, rows, invalid };
}

/**
 * The exit status of a dry run: 2 when any row is invalid (with or without
 * `--skip-invalid`: the real run would exit 2 too), else 0.
 */
export function planExitCode(plan: OnboardPlan): 0 | 2 {
  return plan.invalid.length > 0 ? 2 : 0;
}

/**
 * The exit status of a run: 2 when rows were skipped as invalid (`--skip-invalid` applied the
 * others, but the file still needs fixing, and automation must not read a partly skipped file
 * as success), else 1 when any row failed, else 0. `ok` in {@link resultsSummary} is true
 * exactly when this is 0.
 */
export function resultsExitCode(results: OnboardResults): 0 | 1 | 2 {
  if (results.counts.skipped > 0) return 2;
  return results.counts.failed > 0 ? 1 : 0;
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

/**
 * The JSON summary of a run (what `--json` prints): counts, the results file, failures and
 * skipped rows; `ok` is true exactly when the exit status is 0 ({@link resultsExitCode}).
 */
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
    ok: resultsExitCode(results) === 0,
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

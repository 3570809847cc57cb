/**
 * Bulk onboarding and offboarding: a CSV of users and their organisation or unit is parsed,
 * planned against what the Account Server knows, applied with bounded concurrency, and
 * reported row by row.
 *
 * @example Add the users of a CSV file, then write one result line per input row
 * ```ts
 * import { AsApi, tokenSourceFromEnv } from "@squonk2/billing/client";
 * import {
 *   applyOnboardPlan,
 *   buildOnboardPlan,
 *   defaultResultsPath,
 *   formatPlan,
 *   formatSummary,
 *   parseOnboardCsv,
 *   writeResultsCsv,
 * } from "@squonk2/billing/reports";
 *
 * const client = { api: new AsApi(), tokens: tokenSourceFromEnv() };
 * const parsed = parseOnboardCsv(await Deno.readFile("users.csv"), { file: "users.csv" });
 * const plan = await buildOnboardPlan(client, parsed, { action: "add" });
 * console.log(formatPlan(plan)); // nothing has changed on the server yet
 * const results = await applyOnboardPlan(client, plan, { concurrency: 4 });
 * // A new file for every run (users.csv.results-<UTC time>.csv); an existing one is kept.
 * const written = await writeResultsCsv(defaultResultsPath("users.csv"), results, {
 *   ifExists: "number",
 * });
 * console.error(`results in ${written}`);
 * console.error(formatSummary(results));
 * ```
 *
 * @module
 */

export {
  type Delimiter,
  isValidUsername,
  ONBOARD_COLUMNS,
  type OnboardRow,
  parseDelimiter,
  type ParsedOnboardCsv,
  parseOnboardCsv,
  type ParseOnboardOptions,
  type RowIssue,
} from "./csv.ts";
export {
  buildOnboardPlan,
  type BuildPlanOptions,
  type OnboardPlan,
  type PlannedRow,
  type PlannedStep,
} from "./plan.ts";
export type {
  MemberArgs,
  MembershipTarget,
  OnboardAction,
  OnboardApi,
  OnboardClient,
} from "./types.ts";
export {
  applyOnboardPlan,
  type ApplyOptions,
  type OnboardResults,
  type RowOutcome,
  type RowResult,
  type StepResult,
} from "./apply.ts";
export {
  defaultResultsPath,
  formatPlan,
  formatSummary,
  type IfResultsExist,
  planExitCode,
  planSummary,
  RESULT_COLUMNS,
  resultsExitCode,
  resultsSummary,
  resultsToCsv,
  writeResultsCsv,
  type WriteResultsOptions,
} from "./report.ts";

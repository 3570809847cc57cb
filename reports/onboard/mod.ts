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
 * await writeResultsCsv("users.csv.results.csv", results);
 * console.error(formatSummary(results));
 * ```
 *
 * @module
 */

export {
  isValidUsername,
  ONBOARD_COLUMNS,
  type OnboardRow,
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
  planSummary,
  RESULT_COLUMNS,
  resultsSummary,
  resultsToCsv,
  writeResultsCsv,
} from "./report.ts";

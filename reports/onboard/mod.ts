/**
 * Bulk onboarding and offboarding: a CSV of users and their organisation or unit is parsed,
 * planned against what the Account Server knows, applied with bounded concurrency, and
 * reported row by row.
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
export type { MembershipTarget, OnboardAction, OnboardApi, OnboardClient } from "./types.ts";
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
  planSummary,
  RESULT_COLUMNS,
  resultsSummary,
  resultsToCsv,
  writeResultsCsv,
} from "./report.ts";

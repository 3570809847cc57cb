/**
 * squonk2-billing: a Deno-first toolkit for the Squonk2 Account Server.
 *
 * The public surface, re-exported from the modules that define it.
 *
 * @module
 */

export * from "./client/mod.ts";
export {
  isValidUsername,
  ONBOARD_COLUMNS,
  type OnboardRow,
  type ParsedOnboardCsv,
  parseOnboardCsv,
  type ParseOnboardOptions,
  type RowIssue,
} from "./reports/onboard/csv.ts";
export {
  buildOnboardPlan,
  type BuildPlanOptions,
  type OnboardPlan,
  type PlannedRow,
  type PlannedStep,
} from "./reports/onboard/plan.ts";
export type {
  MembershipTarget,
  OnboardAction,
  OnboardApi,
  OnboardClient,
} from "./reports/onboard/types.ts";
export {
  applyOnboardPlan,
  type ApplyOptions,
  type OnboardResults,
  type RowOutcome,
  type RowResult,
  type StepResult,
} from "./reports/onboard/apply.ts";
export {
  defaultResultsPath,
  formatPlan,
  planSummary,
  RESULT_COLUMNS,
  resultsSummary,
  resultsToCsv,
  writeResultsCsv,
} from "./reports/onboard/report.ts";
export {
  DEFAULT_SEAL_EXPIRES_HOURS,
  isSealed,
  type NamedFile,
  parseSealed,
  plainName,
  prepareSeals,
  SEALED_EXTENSION,
  sealedName,
  type Sealer,
  sealFile,
  sealFiles,
  type SealOptions,
  signInSender,
  unsealBytes,
  type XqOpener,
  type XqSealer,
} from "./reports/seal/seal.ts";
export {
  type ChargesApi,
  collectChargeReports,
  collectCharges,
  type CollectContext,
  type CollectManyResult,
  type CollectOptions,
  type CollectResult,
  type PeriodRequest,
  type ScopeRequest,
} from "./reports/charges/collect.ts";
export {
  looksLikeId,
  parseScope,
  type ResolvedScope,
  resolveScope,
  type ScopeSource,
} from "./reports/charges/scope.ts";
export {
  billingPeriodFor,
  type DateRange,
  DEFAULT_PBP,
  describePeriod,
  parseDateRange,
  parsePbp,
  parsePeriodFlags,
  type PeriodFlags,
  periodForPbp,
  priorPeriods,
} from "./reports/charges/periods.ts";
export { CHARGE_TYPES, computeTotals } from "./reports/charges/totals.ts";
export { describeMismatches, reconcile, type ServerTotals } from "./reports/charges/reconcile.ts";
export { createLimiter, DEFAULT_CONCURRENCY, type Limiter, mapPool } from "./reports/_pool.ts";
export {
  DEFAULT_OUT_DIR,
  type ExportOptions,
  exportReportsToFiles,
  exportToFiles,
  parseFormats,
  type RenderOptions,
  renderReport,
  renderToBytes,
  REPORT_FORMATS,
  type ReportFormat,
  type WrittenFile,
} from "./reports/writers/export.ts";
export * from "./reports/store/open.ts";
export { storedInputOf, storedNameOf, storeReport, storeReports } from "./reports/store/report.ts";
export {
  AUTH_REALM,
  type AuthOptions,
  createJwksVerifier,
  createReportServer,
  type JwksVerifier,
  parseAuthTokens,
  type Principal,
  type ReportServerOptions,
  type ServerApi,
} from "./reports/server/app.ts";
export {
  type CronSchedule,
  type CycleEntry,
  DEFAULT_CRON_SCHEDULE,
  DEFAULT_CYCLE_FORMATS,
  DEFAULT_LOOK_BACK_DAYS,
  describeEntry,
  type DueOrganisationCycle,
  duePeriods,
  type DueReports,
  type DueUnitPeriod,
  type ExportCycleOptions,
  type ExportCycleResult,
  lastDueTime,
  mergeUnitReports,
  type OrganisationCycleInfo,
  parseCronSchedule,
  runExportCycle,
  type ScheduleUnit,
} from "./reports/schedule/cycle.ts";
export {
  createScheduledRun,
  CRON_BACKOFF_SCHEDULE,
  CRON_JOB_NAME,
  type CronConfig,
  cronConfigFromEnv,
  ScheduledRunError,
  type ScheduledRunOptions,
  summariseCycle,
} from "./reports/schedule/job.ts";

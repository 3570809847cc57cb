/**
 * squonk2-billing: a Deno-first toolkit for the Squonk2 Account Server.
 *
 * The public surface, re-exported from the modules that define it.
 *
 * @module
 */

export * from "./client/errors.ts";
export * from "./client/redact.ts";
export * from "./client/coins.ts";
export type * from "./client/types.ts";
export * from "./client/transport.ts";
export * from "./client/retry.ts";
export {
  isValidUsername,
  ONBOARD_COLUMNS,
  type OnboardRow,
  type ParsedOnboardCsv,
  parseOnboardCsv,
  type ParseOnboardOptions,
  type RowIssue,
} from "./reports/onboard_csv.ts";
export {
  buildOnboardPlan,
  type BuildPlanOptions,
  type MembershipTarget,
  type OnboardAction,
  type OnboardApi,
  type OnboardClient,
  type OnboardPlan,
  type PlannedRow,
  type PlannedStep,
} from "./reports/onboard_plan.ts";
export {
  applyOnboardPlan,
  type ApplyOptions,
  type OnboardResults,
  type RowOutcome,
  type RowResult,
  type StepResult,
} from "./reports/onboard_apply.ts";
export {
  defaultResultsPath,
  formatPlan,
  planSummary,
  RESULT_COLUMNS,
  resultsSummary,
  resultsToCsv,
  writeResultsCsv,
} from "./reports/onboard_report.ts";
export * from "./client/as_api.ts";
export * from "./client/config.ts";
export * from "./client/periods.ts";
export * from "./client/keycloak.ts";
export * from "./client/xq_api.ts";
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
} from "./reports/seal.ts";
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
} from "./reports/collect.ts";
export {
  looksLikeId,
  parseScope,
  type ResolvedScope,
  resolveScope,
  type ScopeSource,
} from "./reports/scope.ts";
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
} from "./reports/periods.ts";
export { CHARGE_TYPES, computeTotals } from "./reports/totals.ts";
export { describeMismatches, reconcile, type ServerTotals } from "./reports/reconcile.ts";
export { createLimiter, DEFAULT_CONCURRENCY, type Limiter, mapPool } from "./reports/pool.ts";
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
} from "./reports/export.ts";
export * from "./reports/store.ts";
export { storedInputOf, storedNameOf, storeReport, storeReports } from "./reports/store_report.ts";
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
} from "./reports/server.ts";
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
} from "./reports/schedule.ts";
export {
  createScheduledRun,
  CRON_BACKOFF_SCHEDULE,
  CRON_JOB_NAME,
  type CronConfig,
  cronConfigFromEnv,
  ScheduledRunError,
  type ScheduledRunOptions,
  summariseCycle,
} from "./reports/schedule_job.ts";

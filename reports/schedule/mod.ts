/**
 * Scheduled exports: which reports are due, one export cycle that stores the missing ones,
 * and the cron job that runs the cycle.
 *
 * @module
 */

export {
  type CyclePeriodKind,
  DEFAULT_CYCLE_FORMATS,
  dueMonths,
  type ExportCycleOptions,
  type ExportCycleResult,
  type FailedEntry,
  type FailureKind,
  runExportCycle,
} from "./cycle.ts";
export {
  DEFAULT_LOOK_BACK_DAYS,
  type DueOrganisationCycle,
  duePeriods,
  type DueReports,
  type DueUnitPeriod,
  type ScheduleUnit,
} from "./due.ts";
export {
  type CronSchedule,
  DEFAULT_CRON_SCHEDULE,
  lastDueTime,
  parseCronSchedule,
} from "./cron.ts";
export { type CycleEntry, describeEntry, organisationMonthEntry } from "./entries.ts";
export {
  createShutdown,
  type CronRunGate,
  cronRunGate,
  type Shutdown,
  type ShutdownOptions,
} from "./guard.ts";
export {
  createScheduledRun,
  CRON_BACKOFF_SCHEDULE,
  CRON_JOB_NAME,
  type CronConfig,
  cronConfigFromEnv,
  ScheduledRunError,
  type ScheduledRunOptions,
  summariseCycle,
} from "./job.ts";

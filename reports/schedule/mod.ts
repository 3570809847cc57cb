/**
 * Scheduled exports: which reports are due, one export cycle that stores the missing ones,
 * and the cron job that runs the cycle.
 *
 * @module
 */

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
} from "./cycle.ts";
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

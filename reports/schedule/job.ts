/**
 * The scheduled job as `Deno.cron` runs it: its configuration from the environment, its
 * retry schedule, and the handler that turns "the cron fired (or was retried) now" into one
 * {@link runExportCycle} for the run's SCHEDULED time.
 *
 * Scheduled time: `Deno.cron` does not pass it, so the handler truncates its start time to
 * the schedule's last due minute ({@link lastDueTime}). A retry from `backoffSchedule` (at
 * most 5 × 1 h later) or a late start therefore works for the same day D as the original
 * run, as long as the next run is not yet due, which holds for the daily default.
 *
 * @module
 */

import type { EnvLookup } from "../../client/env.ts";
import { BillingError, ConfigError } from "../../client/errors.ts";
import { redact } from "../../client/redact.ts";
import type { CollectContext } from "../charges/collect_types.ts";
import {
  type CyclePeriodKind,
  DEFAULT_CYCLE_FORMATS,
  type ExportCycleResult,
  runExportCycle,
} from "./cycle.ts";
import { describeEntry } from "./entries.ts";
import {
  type CronSchedule,
  DEFAULT_CRON_SCHEDULE,
  lastDueTime,
  parseCronSchedule,
} from "./cron.ts";
import { DEFAULT_LOOK_BACK_DAYS } from "./due.ts";
import type { ReportStore, StoredFormat } from "../store/types.ts";
import type { RatesSettings } from "../pricing/env.ts";
import { flagChangeFromEnv } from "../charges/change_env.ts";

/** The `Deno.cron` name of the job. */
export const CRON_JOB_NAME = "squonk2-billing-export";

/**
 * Pauses before the retries of a failed run, in milliseconds: 1, 5, 15, 30 and 60 minutes
 * (`Deno.cron` allows at most 5 entries of at most 1 hour). Nearly two hours in all: long
 * enough to ride out an AS restart, short enough to stay on the same day D.
 */
export const CRON_BACKOFF_SCHEDULE: readonly number[] = [
  60_000,
  300_000,
  900_000,
  1_800_000,
  3_600_000,
];

/** The job's settings. */
export interface CronConfig {
  /** When the job runs (`CRON_SCHEDULE`). */
  schedule: CronSchedule;
  /** Days looked back for closed periods not yet stored (`CRON_LOOK_BACK_DAYS`). */
  lookBackDays: number;
  /** Formats stored per report (`CRON_FORMATS`). */
  formats: StoredFormat[];
  /** Report store spec (`kv`, `kv:PATH` or a directory). */
  store: string;
  /**
   * Which periods are stored (`CRON_PERIODS`): `billing` (billing periods and cycles),
   * `month` (each organisation's last calendar month) or both. @default ["billing"]
   */
  periods?: CyclePeriodKind[];
  /**
   * The XLSX Change sheet's flag threshold in percent (`REPORTS_FLAG_CHANGE`).
   * @default "25"
   */
  flagChange?: string;
}

/**
 * Reads the job's settings: `CRON_SCHEDULE` (default "15 2 * * *", UTC),
 * `CRON_LOOK_BACK_DAYS` (default 40), `CRON_FORMATS` (`xlsx`, `csv`, `focus` or a list such
 * as `xlsx,csv,focus`; default xlsx), `CRON_PERIODS` (`billing`, `month` or `billing,month`; default billing),
 * `REPORTS_FLAG_CHANGE` (the XLSX Change sheet's flag threshold, default 25) and
 * `REPORTS_STORE` (default `defaultStore`).
 *
 * @throws {ConfigError} naming the variable that cannot be read.
 */
export function cronConfigFromEnv(env: EnvLookup, options: { defaultStore: string }): CronConfig {
  let schedule: CronSchedule;
  try {
    schedule = parseCronSchedule(env("CRON_SCHEDULE")?.trim() || DEFAULT_CRON_SCHEDULE);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`CRON_SCHEDULE is invalid: ${error.message}`);
  }
  const lookText = env("CRON_LOOK_BACK_DAYS")?.trim() || String(DEFAULT_LOOK_BACK_DAYS);
  const lookBackDays = /^\d{1,3}$/.test(lookText) ? Number(lookText) : NaN;
  if (!(lookBackDays >= 1 && lookBackDays <= 700)) {
    throw new ConfigError(
      `CRON_LOOK_BACK_DAYS "${lookText}" is invalid: use a whole number of days from 1 to 700 (default ${DEFAULT_LOOK_BACK_DAYS})`,
    );
  }
  const formatText = env("CRON_FORMATS")?.trim() || DEFAULT_CYCLE_FORMATS.join(",");
  const formats: StoredFormat[] = [];
  for (const part of formatText.split(",").map((p) => p.trim().toLowerCase())) {
    if (part !== "csv" && part !== "xlsx" && part !== "focus") {
      throw new ConfigError(
        `CRON_FORMATS "${formatText}" is invalid: use xlsx, csv, focus or a list such as xlsx,csv,focus`,
      );
    }
    if (!formats.includes(part)) formats.push(part);
  }
  const store = env("REPORTS_STORE")?.trim() || options.defaultStore;
  const periodText = env("CRON_PERIODS")?.trim() || "billing";
  const periods: CyclePeriodKind[] = [];
  for (const part of periodText.split(",").map((p) => p.trim().toLowerCase())) {
    if (part !== "billing" && part !== "month") {
      throw new ConfigError(
        `CRON_PERIODS "${periodText}" is invalid: use billing (billing periods, the default), month (calendar months) or billing,month`,
      );
    }
    if (!periods.includes(part)) periods.push(part);
  }
  // REPORTS_FLAG_CHANGE: shared with the report server (a bad value names the variable).
  const flagChange = flagChangeFromEnv(env);
  return { schedule, lookBackDays, formats, store, periods, flagChange };
}

/** Options of {@link createScheduledRun}. */
export interface ScheduledRunOptions {
  /** The schedule (to find a run's scheduled time), the look-back and the formats. */
  config: Pick<CronConfig, "schedule" | "lookBackDays" | "formats" | "periods" | "flagChange">;
  /** Connects to the AS for one run; `close` (when given) is called after it. */
  connect: () => Promise<CollectContext & { close?: () => Promise<void> }>;
  /** The report store (opened once, shared with the report server). */
  store: ReportStore;
  /** Where the job's lines go (already redacted). @default console.error */
  log?: (line: string) => void;
  /** Secrets to scrub from every line. */
  secrets?: readonly (string | undefined)[];
  /** The clock; only truncated to the schedule, never used as the period. @default Date.now */
  now?: () => Date;
  /**
   * Checked before each run: throws (e.g. a `StoreError`) when the store must not be
   * written, such as a KV database that is not durable; the run is then refused, loudly.
   */
  verifyStore?: () => Promise<void>;
  /** Aborted at shutdown: the run finishes the report it is on and stops. */
  stopSignal?: AbortSignal;
  /** Aborted when the shutdown grace period is over: the report in progress is abandoned. */
  signal?: AbortSignal;
  /** Prices per coin and whether unpriced rows are allowed (`REPORTS_RATES`, see reports/pricing/env.ts). */
  pricing?: RatesSettings;
}

/** The error a failed run throws, so that `Deno.cron` retries it: one line, no stack. */
export class ScheduledRunError extends BillingError {
  /** The error's name, `"ScheduledRunError"`. */
  override name = "ScheduledRunError";
}

/** One line summing up a run. */
export function summariseCycle(result: ExportCycleResult): string {
  return `run for ${result.day} (scheduled ${result.at}): exported ${result.exported.length}, already stored ${result.skipped.length}, failed ${result.failed.length}`;
}

/**
 * The `Deno.cron` handler: derives the scheduled time from the start time, runs one
 * export cycle, logs one summary line (and one line per failed report), and throws a
 * {@link ScheduledRunError} when anything failed so that `backoffSchedule` retries the run;
 * the retry exports only what is still missing.
 *
 * @example The daily export job on Deno Deploy (run with `--unstable-cron --unstable-kv`)
 * ```ts
 * import { AsApi, tokenSourceFromEnv } from "@squonk2/billing/client";
 * import {
 *   createScheduledRun,
 *   CRON_BACKOFF_SCHEDULE,
 *   CRON_JOB_NAME,
 *   cronConfigFromEnv,
 *   openReportStore,
 * } from "@squonk2/billing/reports";
 *
 * const config = cronConfigFromEnv((name) => Deno.env.get(name), { defaultStore: "kv" });
 * const store = await openReportStore(config.store);
 * const url = "https://example.com/account-server-api";
 * const run = createScheduledRun({
 *   config,
 *   store,
 *   connect: () =>
 *     Promise.resolve({
 *       api: new AsApi({ url }),
 *       tokens: tokenSourceFromEnv(),
 *       sourceUrl: url,
 *       sandbox: false,
 *     }),
 * });
 * Deno.cron(
 *   CRON_JOB_NAME,
 *   config.schedule.text,
 *   { backoffSchedule: [...CRON_BACKOFF_SCHEDULE] },
 *   async () => void await run(),
 * );
 * ```
 */
export function createScheduledRun(
  options: ScheduledRunOptions,
): () => Promise<ExportCycleResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const secrets = options.secrets ?? [];
  const clock = options.now ?? (() => new Date());
  return async function scheduledRun(): Promise<ExportCycleResult> {
    const at = lastDueTime(options.config.schedule, clock());
    if (options.stopSignal?.aborted) {
      throw oneLine(`cron: Run for ${at.toISOString()} not started: the process is stopping`);
    }
    if (options.verifyStore) {
      try {
        await options.verifyStore();
      } catch (error) {
        const why = redact(error instanceof Error ? error.message : String(error), secrets);
        const line = `cron: REFUSED run for ${at.toISOString()}: ${why}`;
        log(line);
        throw oneLine(line);
      }
    }
    let result: ExportCycleResult;
    try {
      const ctx = await options.connect();
      try {
        result = await runExportCycle(ctx, {
          at,
          store: options.store,
          lookBackDays: options.config.lookBackDays,
          formats: options.config.formats,
          periods: options.config.periods,
          flagChange: options.config.flagChange,
          rates: options.pricing?.rates,
          allowUnpriced: options.pricing?.allowUnpriced,
          log,
          secrets,
          stopSignal: options.stopSignal,
          signal: options.signal,
        });
      } finally {
        await ctx.close?.();
      }
    } catch (error) {
      if (options.signal?.aborted) {
        const line =
          `cron: Run for ${at.toISOString()} abandoned at shutdown: the report in progress was not stored (its partial data was removed); the retry or the next run exports it`;
        log(line);
        throw oneLine(line);
      }
      const why = redact(error instanceof Error ? error.message : String(error), secrets);
      const line = `cron: Run for ${at.toISOString()} failed before exporting anything: ${why}`;
      log(line);
      throw oneLine(line);
    }
    log(`cron: ${summariseCycle(result)}`);
    if (result.stopped) {
      throw oneLine(
        `cron: Run for ${result.day} stopped at shutdown after the report in progress: what is not stored yet is exported by the retry or the next run`,
      );
    }
    if (result.failed.length > 0) {
      throw oneLine(
        `cron: ${result.failed.length} report(s) not stored (${
          result.failed.map((f) => `${describeEntry(f)}: ${f.kind}`).join("; ")
        }): they are exported by the retry or the next run`,
        secrets,
      );
    }
    return result;
  };
}

function oneLine(message: string, secrets: readonly (string | undefined)[] = []): Error {
  const error = new ScheduledRunError(redact(message, secrets));
  // Deno prints a failed cron handler's error; keep it to the one redacted line.
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

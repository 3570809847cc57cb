/**
 * The scheduled job's run cycle: given the time a run was SCHEDULED for (never the wall
 * clock), work out which unit periods and organisation billing cycles closed within the
 * look-back window (see `due.ts` for the definitions), and export each one the
 * report store does not hold yet.
 *
 * Idempotent by design, with no "last run" record: the store's deterministic names
 * (`storedReportName`) say what was already exported, so a re-run exports nothing twice and
 * a run after missed days exports everything that closed meanwhile (up to `lookBackDays`).
 * A report that failed (any error: the AS unreachable, a malformed answer, a store failure)
 * or whose totals do not reconcile with the Account Server's own is NEVER stored: it leaves
 * no entry (nothing is put, and a store commits metadata last), is logged as ONE redacted
 * line, is listed in `failed` with the reason, and is exported by the next run. "Already
 * stored" means: a complete entry of that name exists and its metadata does not say it was
 * unreconciled (`reconciled: false`, which `charges --store --allow-mismatch` may write); a
 * run replaces such an entry once the totals agree.
 *
 * @example
 * ```ts
 * import { type CollectContext, openReportStore, runExportCycle } from "@squonk2/billing/reports";
 *
 * declare const ctx: CollectContext; // the AS client, its tokens, the source URL
 * const store = await openReportStore("reports-out");
 * try {
 *   const result = await runExportCycle(ctx, { at: new Date("2026-11-03T02:15:00Z"), store });
 *   for (const f of result.failed) console.error(`${f.kind}: ${f.error}`);
 *   if (result.failed.length > 0) throw new Error("Some reports were not stored: run again");
 * } finally {
 *   store.close();
 * }
 * ```
 *
 * @module
 */

import {
  ApiError,
  AuthError,
  ProtocolError,
  ReconciliationError,
  StoreError,
  UsageError,
} from "../../client/errors.ts";
import { redact } from "../../client/redact.ts";
import { collectChargeReports } from "../charges/collect.ts";
import { changeFor, type PreviousPeriod, previousPeriod } from "../charges/change_periods.ts";
import { createApiCaller } from "../charges/calls.ts";
import type { CollectContext } from "../charges/collect_types.ts";
import type { ChargeReport } from "../charges/model.ts";
import { describeMismatches, reconciliationProblem } from "../charges/reconcile.ts";
import {
  type DueOrganisationCycle,
  duePeriods,
  type DueUnitPeriod,
  type ScheduleUnit,
} from "./due.ts";
import { mergeUnitReports } from "./org.ts";
import { storedNameOf, storeReport } from "../store/report.ts";
import {
  type CycleEntry,
  describeEntry,
  organisationEntry,
  organisationMonthEntry,
  unitEntry,
} from "./entries.ts";
import {
  monthRange,
  normaliseServerDate,
  periodForPbp,
  type PeriodRequest,
  previousMonth,
} from "../charges/periods.ts";
import { type ReportStore, type StoredFormat, type StoredReport } from "../store/types.ts";
import { priceReport } from "../pricing/price.ts";
import type { RateTable } from "../pricing/rates.ts";

/** Formats the job stores when none are configured: XLSX, what finance opens. */
export const DEFAULT_CYCLE_FORMATS: readonly StoredFormat[] = ["xlsx"];

/** Options of {@link runExportCycle}. */
export interface ExportCycleOptions {
  /** The scheduled time of this run; its UTC date is day D. Never the wall clock. */
  at: Date;
  /** Where reports go and where "already exported" is looked up. */
  store: ReportStore;
  /** Days looked back for closed periods not yet in the store. @default 40 */
  lookBackDays?: number;
  /** Formats stored per report (one store entry each). @default ["xlsx"] */
  formats?: readonly StoredFormat[];
  /** Where failure and warning lines go (already redacted). @default console.error */
  log?: (line: string) => void;
  /** Secrets to scrub from logged lines and result messages. */
  secrets?: readonly (string | undefined)[];
  /** Most AS requests in flight per collection. @default DEFAULT_CONCURRENCY (16) */
  concurrency?: number;
  /**
   * Stops the cycle between and within collections, and abandons a report being stored
   * (its partial data is removed by the store): a hard stop.
   */
  signal?: AbortSignal;
  /**
   * A soft stop: once aborted, the cycle finishes the report it is on and returns, with
   * `stopped: true`, without starting another.
   */
  stopSignal?: AbortSignal;
  /** Called with the number of due reports handled so far and in all (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Which periods are stored: `billing` (each unit's billing period and each organisation's
   * billing cycle) and/or `month` (each organisation's calendar month, once the month is
   * over: stored as `..._month_YYYY-MM`). @default ["billing"]
   */
  periods?: readonly CyclePeriodKind[];
  /**
   * Prices per coin (`REPORTS_RATES`): every stored report is priced in money. A unit
   * without a rate fails its report (named in the log), unless `allowUnpriced`.
   */
  rates?: RateTable;
  /** With `rates`: leave rows of units without a rate unpriced. @default false */
  allowUnpriced?: boolean;
  /**
   * The XLSX Change sheet's flag threshold in percent, a decimal string
   * (`REPORTS_FLAG_CHANGE`). Every stored XLSX file compares its period with the one
   * before (a unit's previous billing period, an organisation's previous billing cycle or
   * calendar month), collected alongside. @default "25"
   */
  flagChange?: string;
}

/**
 * The kinds of period the job stores: `billing` (billing periods and cycles, the default)
 * and `month` (calendar months of each organisation).
 */
export type CyclePeriodKind = "billing" | "month";

/**
 * The calendar months owed on day `day` (`YYYY-MM-DD`) with a window starting on
 * `windowFrom`: each month whose end (the first day of the next month) lies in
 * `[windowFrom, day]`, oldest first.
 */
export function dueMonths(day: string, windowFrom: string): string[] {
  const out: string[] = [];
  for (
    let next = day.slice(0, 7);
    monthRange(next).from >= windowFrom;
    next = previousMonth(next)
  ) {
    if (monthRange(next).from <= day) out.unshift(previousMonth(next));
  }
  return out;
}

/** The result of one cycle. */
export interface ExportCycleResult {
  /** The scheduled time, ISO 8601. */
  at: string;
  /** Day D, `YYYY-MM-DD`. */
  day: string;
  /** First day of the look-back window. */
  windowFrom: string;
  /** Reports stored by this run (only the files that were missing). */
  exported: (CycleEntry & { stored: StoredReport[] })[];
  /** Reports already complete in the store: nothing done. */
  skipped: CycleEntry[];
  /** Reports that failed or did not reconcile: nothing of theirs was stored. */
  failed: FailedEntry[];
  /** Lines worth reading that did not stop any report (e.g. a failed store clean-up). */
  warnings: string[];
  /** True when `stopSignal` ended the cycle before every due report was handled. */
  stopped?: boolean;
}

/**
 * Why a report was not stored:
 * - `"unreconciled"`: its totals differ from the Account Server's own totals;
 * - `"malformed-answer"`: the Account Server answered with a body that does not fit its
 *   documented shape (a `ProtocolError`);
 * - `"account-server"`: the Account Server failed or could not be reached;
 * - `"store"`: the report store could not take it;
 * - `"other"`: anything else (a bug: see the message).
 */
export type FailureKind =
  | "unreconciled"
  | "malformed-answer"
  | "account-server"
  | "store"
  | "other";

/** A report of the cycle that was not stored, and why (one line, redacted). */
export interface FailedEntry extends CycleEntry {
  /** What went wrong, for a reader: one line, secrets removed. */
  error: string;
  /** The class of failure. */
  kind: FailureKind;
}

interface Job {
  entry: CycleEntry;
  build: () => Promise<Built>;
}

/** A collected report, with the period before it when it is to be compared (XLSX). */
interface Built {
  report: ChargeReport;
  /** Present when a Change sheet is wanted: how the previous period was chosen. */
  how?: Pick<PreviousPeriod, "basis" | "reason">;
  /** The previous period's report, when there is one. */
  previous?: ChargeReport;
}

/**
 * Runs one export cycle for the run scheduled at `options.at`: lists the units, works out
 * what closed in the window, and stores every missing report. Failures of single reports,
 * including reports whose totals do not reconcile with the AS's, are collected in `failed`
 * (and logged), not thrown, and nothing of theirs is stored.
 *
 * @throws {ApiError} when the unit list cannot be read (nothing is exported then).
 * @throws {UsageError} for an invalid `lookBackDays` or an empty `formats`.
 */
export async function runExportCycle(
  ctx: CollectContext,
  options: ExportCycleOptions,
): Promise<ExportCycleResult> {
  const formats = [...new Set(options.formats ?? DEFAULT_CYCLE_FORMATS)];
  if (formats.length === 0) {
    throw new UsageError(`No format given for the scheduled export: use xlsx, csv or both`);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const secrets = options.secrets ?? [];
  const calls = createApiCaller(ctx.tokens, { signal: options.signal });
  const groups = await calls.call("List units", (t) => ctx.api.getUnits(t));
  const units: ScheduleUnit[] = groups.units.flatMap((g) =>
    g.units.map((u) => ({
      id: u.id,
      name: u.name,
      billingDay: u.billing_day,
      created: u.created,
      organisationId: g.organisation.id,
      organisationName: g.organisation.name,
    }))
  );
  // Any answer from a sandbox (also one reached through SQUONK2_ASAPI_URL) makes every
  // report of this run sandbox data, and its store names end in _sandbox.
  ctx = { ...ctx, sandbox: ctx.sandbox || ctx.api.answeredBySandbox?.() === true };
  const kinds = new Set(options.periods ?? ["billing"]);
  const due = duePeriods(units, { at: options.at, lookBackDays: options.lookBackDays });
  if (!kinds.has("billing")) {
    due.units = [];
    due.organisations = [];
  }
  const months = kinds.has("month") ? dueMonths(due.day, due.windowFrom) : [];
  const result: ExportCycleResult = {
    at: options.at.toISOString(),
    day: due.day,
    windowFrom: due.windowFrom,
    exported: [],
    skipped: [],
    failed: [],
    warnings: [],
  };

  // Temporaries a killed run left in the store go first (only stale ones: see
  // STALE_TEMPORARY_MS); a clean-up that fails is worth a warning, not a failed run.
  try {
    await options.store.cleanUp?.();
  } catch (error) {
    const line = redact(
      `Temporary data left by an earlier run could not be removed: ${
        error instanceof Error ? error.message : String(error)
      }`,
      secrets,
    );
    result.warnings.push(line);
    log(`cron: ${line}`);
  }

  // Per organisation: its unit files, then its cycle files, which reuse the unit reports
  // collected in this run; the cache is dropped after each organisation to bound memory.
  const orgIds = [...new Set(units.map((u) => u.organisationId))];
  // XLSX files carry the Change sheet: each report's previous period is collected with it.
  const compare = formats.includes("xlsx");
  // Calendar months: each organisation with a unit that existed before the month ended.
  const monthJobs = (orgId: string): Job[] =>
    months.flatMap((month) => {
      const range = monthRange(month);
      const orgUnits = units.filter((u) => u.organisationId === orgId);
      const existed = orgUnits.some((u) =>
        u.created === undefined || normaliseServerDate(u.created) < range.until
      );
      if (!existed) return [];
      const org = { id: orgId, name: orgUnits[0].organisationName };
      return [{
        entry: organisationMonthEntry(org, month, formats, ctx.sandbox),
        build: () =>
          collectWithPrevious(
            ctx,
            { kind: "organisation", ref: orgId },
            range,
            compare ? previousPeriod(range) : undefined,
            options,
          ),
      }];
    });
  const allMonthJobs = new Map(orgIds.map((id) => [id, monthJobs(id)]));
  const total = due.units.length + due.organisations.length +
    [...allMonthJobs.values()].reduce((n, jobs) => n + jobs.length, 0);
  let done = 0;
  options.onProgress?.(done, total);
  for (const orgId of orgIds) {
    const cache = new Map<string, Promise<Built>>();
    const collectUnit = (p: DueUnitPeriod): Promise<Built> => {
      const key = `${p.unit.id}|${p.from}|${p.until}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = collectUnitPeriod(ctx, p, options, compare);
        cache.set(key, pending);
      }
      return pending;
    };
    const jobs: Job[] = [
      ...due.units.filter((p) => p.unit.organisationId === orgId).map((p) => ({
        entry: unitEntry(p, formats, ctx.sandbox),
        build: () => collectUnit(p),
      })),
      ...due.organisations.filter((c) => c.organisationId === orgId).map((c) => ({
        entry: organisationEntry(c, formats, ctx.sandbox),
        build: () => buildOrganisationReport(ctx, c, collectUnit, compare),
      })),
      ...allMonthJobs.get(orgId)!,
    ];
    for (const job of jobs) {
      options.signal?.throwIfAborted();
      if (options.stopSignal?.aborted) {
        result.stopped = true;
        return result;
      }
      await runJob(job, formats, { ...options, log, secrets, sandbox: ctx.sandbox }, result);
      options.onProgress?.(++done, total);
    }
  }
  return result;
}

/**
 * Collects `period` of `scope` and, when `how` names one, its previous period in the same
 * collection (the scope and its products are resolved once for both).
 */
async function collectWithPrevious(
  ctx: CollectContext,
  scope: { kind: "unit" | "organisation"; ref: string },
  period: PeriodRequest,
  how: PreviousPeriod | undefined,
  options: ExportCycleOptions,
): Promise<Built> {
  const periods = how?.request ? [period, how.request] : [period];
  const { reports } = await collectChargeReports(
    ctx,
    { scope, periods },
    { concurrency: options.concurrency, signal: options.signal },
  );
  return { report: reports[0], previous: reports[1], how };
}

/** The label of a unit's billing period. */
function unitPeriodLabel(unit: ScheduleUnit, from: string, until: string): string {
  return `billing period of the unit (billing day ${unit.billingDay}): ${from} (incl.) to ${until} (excl.)`;
}

/**
 * The billing period of `p`'s unit before `p` (`undefined` when the unit was created on or
 * after `p.from`), and how it was chosen.
 */
function previousUnitPeriod(p: DueUnitPeriod): PreviousPeriod {
  const range = periodForPbp(p.unit.billingDay, new Date(`${p.from}T00:00:00Z`), -1);
  const created = p.unit.created ? normaliseServerDate(p.unit.created) : undefined;
  if (created !== undefined && created >= range.until) {
    return {
      basis: "the unit's billing period before",
      reason: `the unit was created on ${created}, after its previous billing period ` +
        `(${range.from} to ${range.until} excl.), so there is nothing to compare it with`,
    };
  }
  return {
    request: range,
    basis: `the unit's billing period before (${range.from} to ${range.until} excl.)`,
  };
}

async function collectUnitPeriod(
  ctx: CollectContext,
  p: DueUnitPeriod,
  options: ExportCycleOptions,
  compare: boolean,
): Promise<Built> {
  // Explicit from/until, never pbp: pbp is relative to the AS's own clock, and a late or
  // retried run must still export exactly the period that closed on day D.
  const built = await collectWithPrevious(
    ctx,
    { kind: "unit", ref: p.unit.id },
    { from: p.from, until: p.until },
    compare ? previousUnitPeriod(p) : undefined,
    options,
  );
  const relabel = (report: ChargeReport): ChargeReport => ({
    ...report,
    period: {
      ...report.period,
      label: unitPeriodLabel(p.unit, report.period.from, report.period.until),
    },
  });
  return {
    ...built,
    report: relabel(built.report),
    previous: built.previous && relabel(built.previous),
  };
}

async function buildOrganisationReport(
  ctx: CollectContext,
  cycle: DueOrganisationCycle,
  collectUnit: (p: DueUnitPeriod) => Promise<Built>,
  compare: boolean,
): Promise<Built> {
  const parts: Built[] = [];
  for (const p of cycle.units) parts.push(await collectUnit(p));
  const report = mergeUnitReports(cycle, parts.map((b) => b.report), {
    sourceUrl: ctx.sourceUrl,
    sandbox: ctx.sandbox,
  });
  if (!compare) return { report };
  // The previous cycle: each unit's billing period before (those that existed then),
  // collected with the unit's own report.
  const before = parts.flatMap((b) => b.previous ? [b.previous] : []);
  const month = previousMonth(cycle.cycle);
  if (before.length === 0) {
    return {
      report,
      how: {
        basis: "the organisation's billing cycle before",
        reason: `none of the organisation's units existed in billing cycle ${month}, so ` +
          `there is nothing to compare it with`,
      },
    };
  }
  const from = before.map((r) => r.period.from).reduce((a, b) => (b < a ? b : a));
  const until = before.map((r) => r.period.until).reduce((a, b) => (b > a ? b : a));
  const previous = mergeUnitReports(
    { ...cycle, cycle: month, from, until },
    before,
    { sourceUrl: ctx.sourceUrl, sandbox: ctx.sandbox },
  );
  return {
    report,
    previous,
    how: { basis: `the organisation's billing cycle before (${month}, ${from} to ${until} excl.)` },
  };
}

async function runJob(
  job: Job,
  formats: readonly StoredFormat[],
  options: ExportCycleOptions & {
    log: (line: string) => void;
    secrets: readonly (string | undefined)[];
    sandbox: boolean;
  },
  result: ExportCycleResult,
): Promise<void> {
  const { entry } = job;
  try {
    const missing: StoredFormat[] = [];
    for (let i = 0; i < formats.length; i++) {
      if (!(await isStored(options.store, entry.files[i]))) missing.push(formats[i]);
    }
    if (missing.length === 0) {
      result.skipped.push(entry);
      return;
    }
    const built = await job.build();
    const collected = built.report;
    // The gate: a report whose totals differ from the AS's own is not stored at all, so
    // that the next run collects it again instead of finding it "already stored".
    if (!collected.reconciliation.ok) {
      const problem = reconciliationProblem(collected.reconciliation) ??
        describeMismatches(collected.reconciliation);
      throw new ReconciliationError(`not reconciled with the Account Server: ${problem}`);
    }
    // REPORTS_RATES: priced in money (a unit without a rate fails the report, named).
    let report = options.rates
      ? await priceReport(collected, options.rates, { allowUnpriced: options.allowUnpriced })
      : collected;
    if (built.how) {
      // The XLSX Change sheet. The previous period is only compared with: priced leniently
      // (its money is then left out of the sheet), and one that does not reconcile does not
      // stop this report: the sheet says the periods could not be compared.
      const previous = built.previous && options.rates
        ? await priceReport(built.previous, options.rates, { allowUnpriced: true })
        : built.previous;
      const change = changeFor(report, previous, built.how, { threshold: options.flagChange });
      if (change.status === "not-compared") {
        // Worth reading: the stored XLSX keeps saying so (a stored file is not redone).
        const line = redact(
          `${describeEntry(entry)}: stored, but its Change sheet could not compare: ${change.note}`,
          options.secrets,
        );
        result.warnings.push(line);
        options.log(`cron: ${line}`);
      }
      report = { ...report, change };
    }
    for (const format of missing) {
      // A report that would be stored under another name than the one looked up would be
      // "missing" for ever (and stored again by every run): refuse it.
      const name = storedNameOf(report, format);
      const expected = entry.files[formats.indexOf(format)];
      if (name !== expected) {
        throw new StoreError(
          `the collected report would be stored as "${name}" instead of "${expected}"; nothing was stored`,
        );
      }
    }
    const stored: StoredReport[] = [];
    for (const format of missing) {
      // Rendered straight into the store; a failure on either side leaves no entry.
      stored.push(await storeReport(options.store, report, { format, signal: options.signal }));
    }
    result.exported.push({ ...entry, stored });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const why = error instanceof Error ? error.message : String(error);
    const message = redact(why, options.secrets).replace(/\s*\n\s*/g, " ");
    result.failed.push({ ...entry, error: message, kind: failureKind(error) });
    options.log(
      redact(
        `cron: Failed to export ${
          describeEntry(entry)
        } (not stored; the next run tries again): ${message}`,
        options.secrets,
      ),
    );
  }
}

/**
 * True when `name` counts as stored: a complete entry exists and its metadata does not say
 * its totals were unreconciled.
 */
async function isStored(store: ReportStore, name: string): Promise<boolean> {
  const found = await store.get(name);
  if (!found) return false;
  await found.body.cancel().catch(() => {});
  return found.meta.reconciled !== false;
}

function failureKind(error: unknown): FailureKind {
  if (error instanceof ReconciliationError) return "unreconciled";
  if (error instanceof ProtocolError) return "malformed-answer";
  if (error instanceof ApiError || error instanceof AuthError) return "account-server";
  if (error instanceof StoreError) return "store";
  return "other";
}

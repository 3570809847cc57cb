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
import { collectCharges } from "../charges/collect.ts";
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
import { type CycleEntry, describeEntry, organisationEntry, unitEntry } from "./entries.ts";
import { type ReportStore, type StoredFormat, type StoredReport } from "../store/types.ts";

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
  build: () => Promise<ChargeReport>;
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
  const due = duePeriods(units, { at: options.at, lookBackDays: options.lookBackDays });
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
  const total = due.units.length + due.organisations.length;
  let done = 0;
  options.onProgress?.(done, total);
  for (const orgId of orgIds) {
    const cache = new Map<string, Promise<ChargeReport>>();
    const collectUnit = (p: DueUnitPeriod): Promise<ChargeReport> => {
      const key = `${p.unit.id}|${p.from}|${p.until}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = collectUnitPeriod(ctx, p, options);
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
        build: () => buildOrganisationReport(ctx, c, collectUnit),
      })),
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

async function collectUnitPeriod(
  ctx: CollectContext,
  p: DueUnitPeriod,
  options: ExportCycleOptions,
): Promise<ChargeReport> {
  // Explicit from/until, never pbp: pbp is relative to the AS's own clock, and a late or
  // retried run must still export exactly the period that closed on day D.
  const { report } = await collectCharges(
    ctx,
    { scope: { kind: "unit", ref: p.unit.id }, period: { from: p.from, until: p.until } },
    { concurrency: options.concurrency, signal: options.signal },
  );
  return {
    ...report,
    period: {
      ...report.period,
      label:
        `billing period of the unit (billing day ${p.unit.billingDay}): ${p.from} (incl.) to ${p.until} (excl.)`,
    },
  };
}

async function buildOrganisationReport(
  ctx: CollectContext,
  cycle: DueOrganisationCycle,
  collectUnit: (p: DueUnitPeriod) => Promise<ChargeReport>,
): Promise<ChargeReport> {
  const parts: ChargeReport[] = [];
  for (const p of cycle.units) parts.push(await collectUnit(p));
  return mergeUnitReports(cycle, parts, { sourceUrl: ctx.sourceUrl, sandbox: ctx.sandbox });
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
    const report = await job.build();
    // The gate: a report whose totals differ from the AS's own is not stored at all, so
    // that the next run collects it again instead of finding it "already stored".
    if (!report.reconciliation.ok) {
      const problem = reconciliationProblem(report.reconciliation) ??
        describeMismatches(report.reconciliation);
      throw new ReconciliationError(`not reconciled with the Account Server: ${problem}`);
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

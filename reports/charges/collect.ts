/**
 * Charge collection: for a scope and one or more periods, resolve the scope and list its
 * products (one request), fetch each product's charges per period with bounded
 * concurrency, flatten them into rows, total them exactly and reconcile the totals with the
 * server's own. Nothing is fetched twice: the scope and its product list are shared by
 * every period.
 *
 * @module
 */

import { ProtocolError } from "../../client/errors.ts";
import type { ChargeReport, ChargeRow } from "./model.ts";
import type { AnyProduct } from "../../client/types.ts";
import { createApiCaller } from "./calls.ts";
import { compareProducts, productName, rowsFromProductCharges } from "./rows.ts";
import { type ServerFindings, serverTotalTasks } from "./server_totals.ts";
import type {
  CollectContext,
  CollectOptions,
  PeriodQuery,
  PeriodRequest,
  ScopeRequest,
} from "./collect_types.ts";
import { createLimiter, DEFAULT_CONCURRENCY } from "../_pool.ts";
import {
  type DateRange,
  describePeriod,
  isOpenPeriod,
  normaliseServerDate,
  periodForPbp,
} from "./periods.ts";
import { reconcileTally } from "./reconcile.ts";
import { type ResolvedScope, resolveScope } from "./scope.ts";
import { totalsFromTally } from "./totals.ts";
import { ChargeTally } from "./tally.ts";
import { createRowSpool, type RowSpool, type RowSpoolOptions, type SpoolSegment } from "./spool.ts";

export type {
  ChargesApi,
  CollectContext,
  CollectOptions,
  PeriodRequest,
  ScopeRequest,
} from "./collect_types.ts";

/** The result of collecting one period. */
export interface CollectResult extends AsyncDisposable {
  /** The report, with its totals and reconciliation. */
  report: ChargeReport;
  /** AS requests made (a retried request counts once). */
  requests: number;
  /** Things a reader should know, e.g. that `all` was reconciled per organisation. */
  notes: string[];
  /**
   * Releases the rows: with `spool`, closes and removes their temporary file (the rows
   * cannot be read afterwards); without, does nothing. Safe to call twice.
   */
  close(): Promise<void>;
}

/** The result of collecting several periods of one scope. */
export interface CollectManyResult extends AsyncDisposable {
  /** One report per period, in the order asked. */
  reports: ChargeReport[];
  /** AS requests made in all. */
  requests: number;
  /** Notes, each prefixed by its period when there are several. */
  notes: string[];
  /** As {@link CollectResult.close}, for every report's rows. */
  close(): Promise<void>;
}

/**
 * Collects the charges of `request.scope` in `request.period` into a report with exact
 * totals and its reconciliation with the server's totals. A mismatch (or a report nothing
 * could be compared for) is recorded in `report.reconciliation`, not thrown: callers gate
 * on `reconciliation.ok` (the charges script refuses to write such a report unless
 * `--allow-mismatch`; the scheduled job does not store it; the report server answers 502).
 *
 * Every answer is used as the client validated it: a malformed one fails the whole
 * collection with the client's `ProtocolError`, never a default.
 *
 * @throws {UsageError} for an unknown or ambiguous scope name or id.
 * @throws {ApiError} when a request fails after the client's retries.
 * @throws {ProtocolError} when an answer does not fit its schema.
 *
 * @example Last closed period of an organisation, gated on reconciliation, as XLSX
 * ```ts
 * import { AsApi, tokenSourceFromEnv } from "@squonk2/billing/client";
 * import {
 *   collectCharges,
 *   exportToFiles,
 *   reconciliationProblem,
 * } from "@squonk2/billing/reports";
 *
 * const url = "https://example.com/account-server-api";
 * const api = new AsApi({ url });
 * const ctx = { api, tokens: tokenSourceFromEnv(), sourceUrl: url, sandbox: false };
 * const { report, requests } = await collectCharges(ctx, {
 *   scope: { kind: "organisation", ref: "Chemistry" },
 *   period: { pbp: -1 },
 * });
 * const problem = reconciliationProblem(report.reconciliation);
 * if (problem !== undefined) throw new Error(`Not reconciled: ${problem}`);
 * const files = await exportToFiles(report, { formats: ["xlsx"], outDir: "./reports-out" });
 * console.log(`${requests} requests, wrote ${files.map((f) => f.path).join(", ")}`);
 * ```
 */
export async function collectCharges(
  ctx: CollectContext,
  request: { scope: ScopeRequest; period: PeriodRequest },
  options: CollectOptions = {},
): Promise<CollectResult> {
  const many = await collectChargeReports(
    ctx,
    { scope: request.scope, periods: [request.period] },
    options,
  );
  return {
    report: many.reports[0],
    requests: many.requests,
    notes: many.notes,
    close: many.close,
    [Symbol.asyncDispose]: many.close,
  };
}

/**
 * Collects several periods of one scope, resolving the scope and listing its products only
 * once (the charges script's `--pbp -11..-1` makes one report per period). Fails, and
 * gates, as {@link collectCharges} does.
 *
 * @example The last twelve closed periods of a unit, one report each
 * ```ts
 * import { AsApi, tokenSourceFromEnv } from "@squonk2/billing/client";
 * import { collectChargeReports, parsePbp } from "@squonk2/billing/reports";
 *
 * const url = "https://example.com/account-server-api";
 * const api = new AsApi({ url });
 * const ctx = { api, tokens: tokenSourceFromEnv(), sourceUrl: url, sandbox: false };
 * const { reports } = await collectChargeReports(ctx, {
 *   scope: { kind: "unit", ref: "Chemistry Lab" },
 *   periods: parsePbp("-12..-1").map((pbp) => ({ pbp })),
 * });
 * for (const r of reports) console.log(r.period.label, r.totals.grand.coins);
 * ```
 */
export async function collectChargeReports(
  ctx: CollectContext,
  request: { scope: ScopeRequest; periods: readonly PeriodRequest[] },
  options: CollectOptions = {},
): Promise<CollectManyResult> {
  const now = options.now ?? (() => new Date());
  const limiter = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY, {
    stopOnError: true,
  });
  const calls = createApiCaller(ctx.tokens, { signal: options.signal, limiter });
  const source = { calls, api: ctx.api };
  const scope = await resolveScope(source, request.scope);
  const products = [...scope.products].sort(compareProducts);

  let total = 0;
  let done = 0;
  // Every request goes through the limiter, so nested work (the per-organisation fallback
  // of `all`) stays within the budget too. The first failure cancels what is still queued.
  const run = async (tasks: (() => Promise<void>)[]) => {
    total += tasks.length;
    options.onProgress?.(done, total);
    const settled = await Promise.allSettled(tasks.map(async (task) => {
      try {
        await task();
      } catch (error) {
        limiter.cancel(error);
        throw error;
      }
      options.onProgress?.(++done, total);
    }));
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  };

  // Each product's answer is turned into rows and added to the running totals as it
  // arrives (and, with `spool`, its rows go to the temporary file at once), so that only
  // a roll-up of a few hundred groups is left after the last answer.
  const spool = options.spool ? await createRowSpool(spoolOptions(options.spool)) : undefined;
  try {
    const perPeriod = request.periods.map((period) => {
      const query = { ...toQuery(period), signal: options.signal };
      const answers = new Array<ProductAnswer>(products.length);
      const tally = new ChargeTally();
      const server = serverTotalTasks(source, { scope, query, more: run });
      const productTasks = products.map((p, i) => async () => {
        const charges = await calls.call(
          `Get charges of product ${p.product.id} (${periodText(period)})`,
          (t) => ctx.api.getProductCharges(t, { productId: p.product.id, ...query }),
        );
        const rows = rowsFromProductCharges(p, charges);
        tally.add(rows, i);
        answers[i] = {
          coins: charges.coins,
          from: charges.from,
          until: charges.until,
          rows: spool ? await spool.append(rows) : rows,
        };
      });
      return { period, answers, tally, server, tasks: [...productTasks, ...server.tasks] };
    });
    await run(perPeriod.flatMap((p) => p.tasks));

    const generatedAt = now().toISOString();
    const reports = perPeriod.map((p) =>
      buildReport(ctx, scope, products, p, {
        generatedAt,
        now: now(),
        spool,
      })
    );
    const notes = perPeriod.flatMap((p) =>
      p.server.findings.notes.map((n) =>
        request.periods.length > 1 ? `${periodText(p.period)}: ${n}` : n
      )
    );
    const close = async () => {
      await spool?.close();
    };
    return { reports, requests: calls.count(), notes, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await spool?.close();
    throw error;
  }
}

/** What is kept of one product's answer: its own total, its dates and its rows. */
interface ProductAnswer {
  coins: string;
  from: string;
  until: string;
  /** The rows in memory, or where they are in the spool. */
  rows: ChargeRow[] | SpoolSegment;
}

function spoolOptions(spool: true | RowSpoolOptions): RowSpoolOptions {
  return spool === true ? {} : { dir: spool.dir };
}

function toQuery(period: PeriodRequest): PeriodQuery {
  return "pbp" in period ? { pbp: period.pbp } : { from: period.from, until: period.until };
}

function periodText(period: PeriodRequest): string {
  return "pbp" in period ? `pbp ${period.pbp}` : `${period.from} to ${period.until}`;
}

function buildReport(
  ctx: CollectContext,
  scope: ResolvedScope,
  products: readonly AnyProduct[],
  collected: {
    period: PeriodRequest;
    answers: readonly ProductAnswer[];
    tally: ChargeTally;
    server: { findings: ServerFindings };
  },
  clock: { generatedAt: string; now: Date; spool?: RowSpool },
): ChargeReport {
  const { period, answers, tally } = collected;
  const findings = collected.server.findings;
  const server = findings.totals;
  server.products ??= new Map();
  products.forEach((p, i) => {
    const known = server.products!.get(p.product.id);
    server.products!.set(p.product.id, {
      ...known,
      name: productName(p),
      coins: answers[i].coins,
    });
  });
  const ranges: DateRange[] = [
    ...answers.map((c) => ({
      from: normaliseServerDate(c.from),
      until: normaliseServerDate(c.until),
    })),
    ...findings.ranges,
  ];
  checkAnsweredPeriod(period, ranges);
  let rows: ChargeReport["rows"];
  let rowCount = 0;
  if (clock.spool) {
    const segments = answers.map((a) => a.rows as SpoolSegment);
    rowCount = segments.reduce((n, s) => n + s.rows, 0);
    rows = clock.spool.rows(segments);
  } else {
    const all = answers.flatMap((a) => a.rows as ChargeRow[]);
    rowCount = all.length;
    rows = all;
  }
  return {
    scope: scope.kind,
    scopeId: scope.id,
    scopeName: scope.name,
    period: reportPeriod(period, ranges, scope, clock.now),
    generatedAt: clock.generatedAt,
    sourceUrl: ctx.sourceUrl,
    sandbox: ctx.sandbox || ctx.api.answeredBySandbox?.() === true,
    rows,
    rowCount,
    totals: totalsFromTally(tally, { products }),
    reconciliation: reconcileTally(tally, server),
  };
}

/**
 * For a date range asked for, every answer must be for that range: a server (or a proxy)
 * that drops `from`/`until` answers the current period instead, whose rows and summaries
 * still agree with each other, so reconciliation cannot notice, and the report would state
 * a period its rows do not cover. (For `pbp` the server decides the dates, and the report
 * states the dates it answered with.)
 *
 * @throws {ProtocolError} naming the period asked for and the one answered.
 */
function checkAnsweredPeriod(period: PeriodRequest, ranges: readonly DateRange[]): void {
  if ("pbp" in period) return;
  const other = ranges.find((r) => r.from !== period.from || r.until !== period.until);
  if (!other) return;
  const problem = `answered for ${other.from} to ${other.until} (excl.) when asked for ` +
    `${period.from} to ${period.until} (excl.)`;
  throw new ProtocolError(
    `The Account Server ${problem}: the report would state a period its charges do not ` +
      `cover, so nothing was made. Check that the server (and any proxy in front of it) ` +
      `passes the from/until query parameters on`,
    { status: 200, schema: "ProductChargesGetResponse", path: "from", problem },
  );
}

function reportPeriod(
  period: PeriodRequest,
  ranges: readonly DateRange[],
  scope: ResolvedScope,
  now: Date,
): ChargeReport["period"] {
  let range: DateRange;
  if (!("pbp" in period)) {
    range = { from: period.from, until: period.until };
  } else if (ranges.length > 0) {
    range = {
      from: ranges.map((r) => r.from).reduce((a, b) => (b < a ? b : a)),
      until: ranges.map((r) => r.until).reduce((a, b) => (b > a ? b : a)),
    };
  } else {
    // Nothing in scope told us its dates (no products, no unit summary): state the period
    // of the scope's unit, or, without one, of a unit billed on the 1st of the month.
    range = periodForPbp(scope.unit?.billingDay ?? 1, now, period.pbp);
  }
  const perUnit = new Set(ranges.map((r) => r.from)).size > 1;
  const open = isOpenPeriod(range.until, now);
  return {
    ...("pbp" in period ? { pbp: period.pbp } : {}),
    ...("month" in period && period.month !== undefined ? { month: period.month } : {}),
    from: range.from,
    until: range.until,
    label: describePeriod(period, range, { perUnit, open }),
    open,
  };
}

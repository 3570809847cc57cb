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
import type { ChargeReport } from "./model.ts";
import type { AnyProduct, ProductChargesGetResponse } from "../../client/types.ts";
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
import { type DateRange, describePeriod, normaliseServerDate, periodForPbp } from "./periods.ts";
import { reconcile } from "./reconcile.ts";
import { type ResolvedScope, resolveScope } from "./scope.ts";
import { computeTotals } from "./totals.ts";

export type {
  ChargesApi,
  CollectContext,
  CollectOptions,
  PeriodRequest,
  ScopeRequest,
} from "./collect_types.ts";

/** The result of collecting one period. */
export interface CollectResult {
  /** The report, with its totals and reconciliation. */
  report: ChargeReport;
  /** AS requests made (a retried request counts once). */
  requests: number;
  /** Things a reader should know, e.g. that `all` was reconciled per organisation. */
  notes: string[];
}

/** The result of collecting several periods of one scope. */
export interface CollectManyResult {
  /** One report per period, in the order asked. */
  reports: ChargeReport[];
  /** AS requests made in all. */
  requests: number;
  /** Notes, each prefixed by its period when there are several. */
  notes: string[];
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
  return { report: many.reports[0], requests: many.requests, notes: many.notes };
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

  const perPeriod = request.periods.map((period) => {
    const query = { ...toQuery(period), signal: options.signal };
    const charges = new Array<ProductChargesGetResponse>(products.length);
    const server = serverTotalTasks(source, { scope, query, more: run });
    const productTasks = products.map((p, i) => async () => {
      charges[i] = await calls.call(
        `Get charges of product ${p.product.id} (${periodText(period)})`,
        (t) => ctx.api.getProductCharges(t, { productId: p.product.id, ...query }),
      );
    });
    return { period, charges, server, tasks: [...productTasks, ...server.tasks] };
  });
  await run(perPeriod.flatMap((p) => p.tasks));

  const generatedAt = now().toISOString();
  const reports = perPeriod.map((p) =>
    buildReport(ctx, scope, products, p.period, p.charges, p.server.findings, {
      generatedAt,
      now: now(),
    })
  );
  const notes = perPeriod.flatMap((p) =>
    p.server.findings.notes.map((n) =>
      request.periods.length > 1 ? `${periodText(p.period)}: ${n}` : n
    )
  );
  return { reports, requests: calls.count(), notes };
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
  period: PeriodRequest,
  charges: readonly ProductChargesGetResponse[],
  findings: ServerFindings,
  clock: { generatedAt: string; now: Date },
): ChargeReport {
  const rows = products.flatMap((p, i) => rowsFromProductCharges(p, charges[i]));
  const server = findings.totals;
  server.products ??= new Map();
  products.forEach((p, i) => {
    const known = server.products!.get(p.product.id);
    server.products!.set(p.product.id, {
      ...known,
      name: productName(p),
      coins: charges[i].coins,
    });
  });
  const ranges: DateRange[] = [
    ...charges.map((c) => ({
      from: normaliseServerDate(c.from),
      until: normaliseServerDate(c.until),
    })),
    ...findings.ranges,
  ];
  checkAnsweredPeriod(period, ranges);
  return {
    scope: scope.kind,
    scopeId: scope.id,
    scopeName: scope.name,
    period: reportPeriod(period, ranges, scope, clock.now),
    generatedAt: clock.generatedAt,
    sourceUrl: ctx.sourceUrl,
    sandbox: ctx.sandbox,
    rows,
    rowCount: rows.length,
    totals: computeTotals(rows, { products }),
    reconciliation: reconcile(rows, server),
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
  return {
    ...("pbp" in period ? { pbp: period.pbp } : {}),
    from: range.from,
    until: range.until,
    label: describePeriod(period, range, { perUnit }),
  };
}

/**
 * `GET /reports/charges/{organisation|unit|product}/{id}.{xlsx|csv|focus.csv}` with `?pbp=N`
 * or `?from=...&until=...`: the charges are collected on demand, then rendered straight into
 * the response body stream (nothing buffers the whole file). `{id}.focus.csv` is the FOCUS
 * 1.2 CSV. With rates (`REPORTS_RATES`) every download is priced in money; a unit without
 * a rate is answered 500 naming it (unless unpriced rows are allowed).
 *
 * Collection and reconciliation complete before any header is sent: the rows are in memory
 * when the status is chosen, and only the rendering streams. A report whose totals do not
 * reconcile with the Account Server's is answered 502 with a page naming the difference
 * (reports/server/unreconciled.ts); a malformed Account Server answer ends as 502 through
 * the app's error handler. Only a good file gets `200`, `Content-Disposition` and the
 * `X-Report-*` headers.
 *
 * An XLSX download carries the "Change" sheet (reports/writers/xlsx_change.ts): the period
 * before is collected in the same collection and compared with it, flagging changes above
 * `REPORTS_FLAG_CHANGE` percent (default 25). A previous period that does not reconcile
 * does not fail the download: the sheet says the periods could not be compared (and such a
 * file is not cached).
 *
 * A closed period is rendered once: its file is kept in the render cache while it streams
 * out, and later requests are answered from there with `ETag`, `Content-Length`,
 * `Cache-Control: private, no-cache` and `304` on `If-None-Match` (see
 * reports/server/download_cache.ts for what is cached, under which key, and for whom).
 *
 * @module
 */

import type { Hono } from "hono";
import { UsageError } from "../../client/errors.ts";
import { redact } from "../../client/redact.ts";
import { collectChargeReports } from "../charges/collect.ts";
import { changeFor, previousPeriod } from "../charges/change_periods.ts";
import { contentType, renderReport, reportFileName, type ReportFormat } from "../writers/export.ts";
import { priceReport } from "../pricing/price.ts";
import { describeMismatches } from "../charges/reconcile.ts";
import { looksLikeId } from "../charges/scope.ts";
import { storedInputOf } from "../store/report.ts";
import { contentDisposition } from "./content_disposition.ts";
import type { ServerContext } from "./context.ts";
import { cachedDownload, downloadCacheKey, mayCache } from "./download_cache.ts";
import { httpError } from "./errors.ts";
import { periodFromQuery } from "./period_query.ts";
import { unreconciledResponse } from "./unreconciled.ts";

const PREFIX = { organisation: "org", unit: "unit", product: "product" } as const;
type Kind = keyof typeof PREFIX;

/** Adds the charges download route. */
export function addDownloadRoutes(app: Hono, ctx: ServerContext): void {
  app.get("/reports/charges/:kind/:file", async (c) => {
    const kind = c.req.param("kind");
    const file = /^([^.]+)\.(xlsx|csv|focus\.csv)$/.exec(c.req.param("file"));
    if (!(kind in PREFIX) || !file) {
      throw httpError(
        404,
        "There is no report at this address: pick a download from the list of organisations",
      );
    }
    const id = file[1];
    const ext: ReportFormat = file[2] === "focus.csv" ? "focus" : file[2] as "xlsx" | "csv";
    if (!looksLikeId(PREFIX[kind as Kind], id)) {
      throw httpError(
        404,
        `This ${kind} is not one the report server can see: pick one from the list of organisations`,
      );
    }
    const period = periodFromQuery({
      pbp: c.req.query("pbp"),
      month: c.req.query("month"),
      from: c.req.query("from"),
      until: c.req.query("until"),
    }, { now: ctx.now() });
    // A closed period is rendered once and answered from the render cache afterwards
    // (reports/server/download_cache.ts); `cacheKey` is null for an open period.
    const cacheKey = await downloadCacheKey(ctx, { kind: kind as Kind, id, format: ext, period });
    if (cacheKey) {
      const cached = await cachedDownload(ctx, c, cacheKey, {
        kind: kind as Kind,
        id,
        format: ext,
      });
      if (cached) return cached;
    }
    // An XLSX file carries the Change sheet: the previous period is collected alongside, in
    // the same collection (the scope and its products are resolved once for both). HEAD
    // renders nothing, so it needs only the period asked for.
    const previous = ext === "xlsx" && c.req.raw.method !== "HEAD"
      ? previousPeriod(period)
      : undefined;
    const periods = previous?.request ? [period, previous.request] : [period];
    let collected;
    try {
      collected = await collectChargeReports(
        ctx,
        { scope: { kind: kind as Kind, ref: id }, periods },
        { concurrency: ctx.concurrency, now: ctx.now },
      );
    } catch (error) {
      // The period was validated above, so a usage error here means the id is unknown to
      // (or not visible for) the server's AS account.
      if (error instanceof UsageError) {
        throw httpError(
          404,
          `This ${kind} is not one the report server can see: pick one from the list of organisations`,
        );
      }
      throw error;
    }
    let [report, before] = collected.reports;
    if (!report.reconciliation.ok) {
      ctx.log(
        redact(
          `serve: ${kind} ${id} not served, totals do not reconcile: ${
            describeMismatches(report.reconciliation) || "nothing could be compared"
          }`,
          ctx.secrets,
        ),
      );
      return unreconciledResponse(c, report, ctx);
    }
    if (!Array.isArray(report.rows)) {
      // Streamed rows could fail after the headers went out: never for a download.
      throw new TypeError(`Collected rows of ${kind} ${id} are not in memory`);
    }
    if (ctx.rates) {
      try {
        report = await priceReport(report, ctx.rates, { allowUnpriced: ctx.allowUnpriced });
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        ctx.log(redact(`serve: ${kind} ${id} not served: ${error.message}`, ctx.secrets));
        // The reader cannot fix this; say what is missing and who can (the message's own
        // advice names the charges script's flag, which means nothing here).
        const missing = error.message.split(/\. (?:Add a line|Give the unit)/)[0];
        throw httpError(
          500,
          `This report cannot be priced in money: ${missing}. Ask the administrator of this ` +
            `server to add a rate for it to the rates file (REPORTS_RATES), or to leave such ` +
            `rows unpriced (REPORTS_ALLOW_UNPRICED=yes)`,
        );
      }
      // Collected only to compare with: priced leniently, as the charges script does (the
      // Change sheet then leaves its money out when a row has no rate).
      if (before) before = await priceReport(before, ctx.rates, { allowUnpriced: true });
    }
    if (previous) {
      // A previous period that does not reconcile does not stop the download: the sheet
      // says it could not be compared (reports/charges/change.ts).
      const change = changeFor(report, before, previous, { threshold: ctx.flagChange });
      if (change.status === "not-compared") {
        ctx.log(
          redact(`serve: ${kind} ${id}: Change sheet not compared: ${change.note}`, ctx.secrets),
        );
      }
      report = { ...report, change };
    }
    const headers = {
      "Content-Type": contentType(ext),
      "Content-Disposition": contentDisposition(reportFileName(report, ext)),
      "Cache-Control": "private, no-store",
      "X-Report-Rows": String(report.rowCount),
      "X-Report-Total-Coins": report.totals.grand.coins,
      "X-Report-Sandbox": report.sandbox ? "true" : "false",
    };
    // HEAD gets the headers only: nothing would read a rendered body.
    if (c.req.raw.method === "HEAD") return new Response(null, { status: 200, headers });
    let cancelled = false;
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    // Rendering runs while the body streams out; a client that goes away cancels the body,
    // which errors the sink and stops the writer. A closed period's file is also kept in
    // the render cache: the body is split in two, and the cache's half is read to the end
    // even when the client goes away.
    let body: ReadableStream<Uint8Array> = readable;
    // A Change sheet that could not compare (the previous period did not reconcile) is not
    // kept either: once the Account Server agrees, the next download compares.
    if (
      cacheKey && ctx.caches.reports && mayCache(ctx, cacheKey, report) &&
      report.change?.status !== "not-compared"
    ) {
      const [toClient, toCache] = readable.tee();
      body = toClient;
      void ctx.caches.reports.save(
        cacheKey.hash,
        {
          fileName: reportFileName(report, ext),
          contentType: headers["Content-Type"],
          format: ext,
          rows: report.rowCount,
          totalCoins: report.totals.grand.coins,
          sandbox: report.sandbox,
        },
        storedInputOf(report, ext),
        toCache,
      );
    }
    renderReport(report, ext, writable, { bom: ctx.bom }).catch((error) => {
      if (!cancelled) {
        ctx.log(
          redact(
            `serve: rendering ${kind} ${id} as ${ext} failed: ${
              error instanceof Error ? error.message : error
            }`,
            ctx.secrets,
          ),
        );
      }
    });
    return new Response(body, { status: 200, headers });
  });
}

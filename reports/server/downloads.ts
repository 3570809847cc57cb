/**
 * `GET /reports/charges/{organisation|unit|product}/{id}.{xlsx|csv}` with `?pbp=N` or
 * `?from=...&until=...`: the charges are collected on demand, then rendered straight into
 * the response body stream (nothing buffers the whole file).
 *
 * Collection and reconciliation complete before any header is sent: the rows are in memory
 * when the status is chosen, and only the rendering streams. A report whose totals do not
 * reconcile with the Account Server's is answered 502 with a page naming the difference
 * (reports/server/unreconciled.ts); a malformed Account Server answer ends as 502 through
 * the app's error handler. Only a good file gets `200`, `Content-Disposition` and the
 * `X-Report-*` headers.
 *
 * @module
 */

import type { Hono } from "hono";
import { UsageError } from "../../client/errors.ts";
import { redact } from "../../client/redact.ts";
import { collectCharges } from "../charges/collect.ts";
import { contentType, renderReport } from "../writers/export.ts";
import { chargesFileName } from "../writers/file_name.ts";
import { describeMismatches } from "../charges/reconcile.ts";
import { looksLikeId } from "../charges/scope.ts";
import { contentDisposition } from "./content_disposition.ts";
import type { ServerContext } from "./context.ts";
import { httpError } from "./errors.ts";
import { periodFromQuery } from "./period_query.ts";
import { unreconciledResponse } from "./unreconciled.ts";

const PREFIX = { organisation: "org", unit: "unit", product: "product" } as const;
type Kind = keyof typeof PREFIX;

/** Adds the charges download route. */
export function addDownloadRoutes(app: Hono, ctx: ServerContext): void {
  app.get("/reports/charges/:kind/:file", async (c) => {
    const kind = c.req.param("kind");
    const file = /^(.+)\.(xlsx|csv)$/.exec(c.req.param("file"));
    if (!(kind in PREFIX) || !file) {
      throw httpError(
        404,
        "No such report: use /reports/charges/{organisation|unit|product}/{id}.{xlsx|csv}",
      );
    }
    const id = file[1];
    const ext = file[2] as "xlsx" | "csv";
    if (!looksLikeId(PREFIX[kind as Kind], id)) {
      throw httpError(404, `Unknown ${kind} id: use an id from the index page`);
    }
    const period = periodFromQuery({
      pbp: c.req.query("pbp"),
      from: c.req.query("from"),
      until: c.req.query("until"),
    });
    let collected;
    try {
      collected = await collectCharges(
        ctx,
        { scope: { kind: kind as Kind, ref: id }, period },
        { concurrency: ctx.concurrency, now: ctx.now },
      );
    } catch (error) {
      // The period was validated above, so a usage error here means the id is unknown to
      // (or not visible for) the server's AS account.
      if (error instanceof UsageError) {
        throw httpError(404, `Unknown ${kind} id: use an id from the index page`);
      }
      throw error;
    }
    const report = collected.report;
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
    const headers = {
      "Content-Type": contentType(ext),
      "Content-Disposition": contentDisposition(chargesFileName(report, ext)),
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
    // which errors the sink and stops the writer.
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
    return new Response(readable, { status: 200, headers });
  });
}

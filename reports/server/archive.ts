/**
 * The archive: reports stored by `deno task charges --store` and by the scheduled job,
 * listed with download links. A download name must be one the store itself lists; anything
 * else (path tricks, encoded slashes, absolute paths, NUL) is 404.
 *
 * @module
 */

import type { Hono } from "hono";
import { contentTypeOf, type StoredReport } from "../store/types.ts";
import { contentDisposition } from "./content_disposition.ts";
import type { ServerContext } from "./context.ts";
import { errorResponse, httpError } from "./errors.ts";
import { html, layout } from "./html.ts";

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The archive page's HTML. */
export function renderArchivePage(
  reports: readonly StoredReport[] | null,
  options: { sandbox: boolean; sourceUrl: string },
): string {
  let content;
  if (reports === null) {
    content =
      html`<p class="empty">No report store is configured: start the server with --store DIR (or kv).</p>`;
  } else if (reports.length === 0) {
    content = html`
      <p
        class="empty">No stored reports yet. <code>deno task charges ... --store DIR</code> and the scheduled job put them here.</p>
    `;
  } else {
    const rows = reports.map((r) =>
      html`
        <tr>
          <td><a href="${`/archive/${encodeURIComponent(r.name)}`}" download>${r
            .name}</a>${r.sandbox
            ? html`
              <span class="tag warn">sandbox</span>
            `
            : ""}${r.reconciled === false
            ? html`
              <span class="tag warn"
                title="Its totals differ from the Account Server's; the file states the difference">totals differ from the Account Server</span>
            `
            : ""}</td>
          <td>${r.scope} ${r.scopeName}<br><code>${r.scopeId}</code></td>
          <td>${r.period.from} to ${r.period.until}${r.period.pbp !== undefined
            ? html`<br><span class="hint">pbp ${r.period.pbp}</span>`
            : ""}</td>
          <td class="num">${r.totalCoins}</td>
          <td class="num">${r.rowCount}</td>
          <td class="num">${size(r.size)}</td>
          <td>${r.created.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC")}</td>
        </tr>
      `
    );
    content = html`
      <table>
        <thead>
          <tr>
            <th>Report</th>
            <th>Scope</th>
            <th>Period (end excl.)</th>
            <th class="num">Coins</th>
            <th class="num">Rows</th>
            <th class="num">Size</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>${rows}</tbody>
      </table>
    `;
  }
  const body = html`<h1>Archive</h1>
<p class="lead">Reports generated earlier and kept in the report store.</p>
<section class="card">${content}</section>`;
  return layout(body, { title: "Archive", nav: "archive", ...options });
}

/** Adds `GET /archive` (page, or JSON with `Accept: application/json`) and `GET /archive/:name`. */
export function addArchiveRoutes(app: Hono, ctx: ServerContext): void {
  app.get("/archive", async (c) => {
    const reports = ctx.store ? await ctx.store.list() : null;
    const accept = c.req.header("accept") ?? "";
    if (accept.includes("application/json") && !accept.includes("text/html")) {
      return c.json({ reports: reports ?? [], store: ctx.store ? "configured" : "none" });
    }
    return c.html(renderArchivePage(reports, { sandbox: ctx.sandbox, sourceUrl: ctx.sourceUrl }));
  });

  app.get("/archive/:name", async (c) => {
    const name = c.req.param("name");
    if (!ctx.store) throw httpError(404, "No report store is configured");
    // Only names the store itself lists are served: nothing a request makes up can reach
    // the file system or another KV key.
    const listed = (await ctx.store.list()).find((r) => r.name === name);
    const found = listed ? await ctx.store.get(listed.name) : null;
    if (!found) {
      return errorResponse(c, {
        status: 404,
        message: "No stored report has that name: pick one from the archive",
      });
    }
    return new Response(found.body, {
      status: 200,
      headers: {
        "Content-Type": contentTypeOf(found.meta.format),
        "Content-Disposition": contentDisposition(found.meta.name),
        "Content-Length": String(found.meta.size),
        "Cache-Control": "private, no-store",
      },
    });
  });
}

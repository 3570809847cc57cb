/**
 * The archive: reports kept in the report store (by `deno task charges --store`, the
 * scheduled job and the server itself), plus the charges files that `deno task demo` and
 * `deno task charges` wrote into the store's directory without store metadata
 * (archive_files.ts). Reports are listed under human titles (what they cover, by name, and
 * the period in words and dates), grouped by organisation and then by period, newest period
 * first, with their size and total coins; the XLSX and CSV of one report share a row.
 *
 * One report shows one set of dates everywhere: the period as stored (first day included,
 * end excluded), and downloads are named like every other export (reports/writers/
 * file_name.ts), whose end date is the same excluded end.
 *
 * A download name must be one the store (or the store's directory) itself lists; anything
 * else (path tricks, encoded slashes, absolute paths, NUL) is 404.
 *
 * @module
 */

import type { Hono } from "hono";
import { join } from "node:path";
import { isOpenPeriod, monthLabel, monthRange } from "../charges/periods.ts";
import type { ScopeKind } from "../charges/model.ts";
import { chargesFileName } from "../writers/file_name.ts";
import { contentTypeOf, type StoredFormat, type StoredReport } from "../store/types.ts";
import { listLooseReports, type LooseReport, storeDirectory } from "./archive_files.ts";
import { contentDisposition } from "./content_disposition.ts";
import { type ServerContext, showsSandbox } from "./context.ts";
import { errorResponse, httpError } from "./errors.ts";
import { type Html, html, layout } from "./html.ts";

/** One report of the archive in any of its formats, as the page shows it. */
export interface ArchiveEntry {
  /** What it covers. */
  scope: ScopeKind;
  /** The organisation's, unit's or product's name. */
  scopeName: string;
  /** Id of the organisation, unit or product, when known. */
  scopeId?: string;
  /** The organisation the report belongs to, for grouping. */
  organisationName?: string;
  /** From inclusive, until exclusive; month and pbp when the report was made so. */
  period: { from: string; until: string; month?: string; pbp?: number };
  /** Exact total, when known. */
  totalCoins?: string;
  /** Detail rows, when known. */
  rowCount?: number;
  /** Sandbox data. */
  sandbox: boolean;
  /** False when the report's totals differ from the Account Server's. */
  reconciled: boolean;
  /** When it was made (ISO 8601 UTC). */
  created: string;
  /** Its files, one per format. */
  files: { format: StoredFormat; name: string; size: number }[];
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const EXACT_MONTH = /^(\d{4}-\d{2})-01$/;

/** The calendar month a period is exactly, if it is one. */
function monthOfPeriod(period: ArchiveEntry["period"]): string | undefined {
  if (period.month !== undefined) return period.month;
  if (period.pbp !== undefined) return undefined;
  const m = EXACT_MONTH.exec(period.from);
  if (!m) return undefined;
  try {
    return monthRange(m[1]).until === period.until ? m[1] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A stored report's period in words, with one set of dates: `November 2026 (calendar
 * month, 2026-11-01 to 2026-12-01 excl.)`, `Billing period, 2026-10-15 to 2026-12-01 excl.`
 * or `2026-10-01 to 2026-10-15 excl.`; a period that was not over when the report was made
 * adds `so far, as of <day>`.
 */
export function archivedPeriodInWords(
  period: ArchiveEntry["period"],
  created: string,
): string {
  const day = created.slice(0, 10);
  const open = /^\d{4}-\d{2}-\d{2}$/.test(day) && isOpenPeriod(period.until, new Date(day));
  const soFar = open ? ` (so far, as of ${day})` : "";
  const month = monthOfPeriod(period);
  if (month !== undefined) return `${monthLabel(month)}${soFar}`;
  const dates = `${period.from} to ${period.until} excl.`;
  return period.pbp !== undefined ? `Billing period, ${dates}${soFar}` : `${dates}${soFar}`;
}

/** A report's title: `Whole organisation`, `Unit “Chemistry”`, `Product “Tier”`, ... */
export function archiveTitle(entry: Pick<ArchiveEntry, "scope" | "scopeName">): string {
  switch (entry.scope) {
    case "organisation":
      return "Whole organisation";
    case "unit":
      return `Unit “${entry.scopeName}”`;
    case "product":
      return `Product “${entry.scopeName}”`;
    default:
      return "All organisations";
  }
}

function organisationOf(entry: ArchiveEntry): string {
  if (entry.organisationName) return entry.organisationName;
  if (entry.scope === "organisation") return entry.scopeName;
  if (entry.scope === "all") return "All organisations";
  return "Organisation not recorded";
}

function fromStored(r: StoredReport): ArchiveEntry {
  return {
    scope: r.scope,
    scopeName: r.scopeName || r.scopeId,
    scopeId: r.scopeId,
    organisationName: r.organisationName,
    period: {
      from: r.period.from,
      until: r.period.until,
      ...(r.period.month !== undefined ? { month: r.period.month } : {}),
      ...(r.period.pbp !== undefined ? { pbp: r.period.pbp } : {}),
    },
    totalCoins: r.totalCoins,
    rowCount: r.rowCount,
    sandbox: r.sandbox,
    reconciled: r.reconciled !== false,
    created: r.created,
    files: [{ format: r.format, name: r.name, size: r.size }],
  };
}

function fromLoose(r: LooseReport): ArchiveEntry {
  return {
    scope: r.scope,
    scopeName: r.scopeName,
    organisationName: r.organisationName,
    period: r.period,
    totalCoins: r.totalCoins,
    rowCount: r.rowCount,
    sandbox: r.sandbox,
    reconciled: r.reconciled,
    created: r.created,
    files: [{ format: r.format, name: r.name, size: r.size }],
  };
}

/**
 * Merges the formats of one report (same scope, period, markers and total) into one entry;
 * the later `created` wins.
 */
export function mergeFormats(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  const out = new Map<string, ArchiveEntry>();
  for (const e of entries) {
    const key = JSON.stringify([
      e.scope,
      e.scopeId ?? "",
      e.scopeName,
      e.period.from,
      e.period.until,
      e.sandbox,
      e.reconciled,
      e.totalCoins ?? "",
    ]);
    const seen = out.get(key);
    if (seen && !seen.files.some((f) => f.format === e.files[0].format)) {
      seen.files.push(...e.files);
      if (e.created > seen.created) seen.created = e.created;
    } else {
      // A second file of the same format (e.g. a stored copy beside a plain export) keeps
      // its own row.
      out.set(seen ? `${key}#${e.files[0].name}` : key, { ...e, files: [...e.files] });
    }
  }
  const order: Record<string, number> = { xlsx: 0, csv: 1, focus: 2 };
  for (const e of out.values()) {
    e.files.sort((a, b) => (order[a.format] ?? 9) - (order[b.format] ?? 9));
  }
  return [...out.values()];
}

const SCOPE_ORDER: Record<string, number> = { all: 0, organisation: 1, unit: 2, product: 3 };

/**
 * The entries grouped by organisation (by name), then by period (newest first), each
 * period's reports whole organisation first, then units, then products, by name.
 */
export function groupArchive(
  entries: readonly ArchiveEntry[],
): { organisation: string; periods: { key: string; entries: ArchiveEntry[] }[] }[] {
  const orgs = new Map<string, Map<string, ArchiveEntry[]>>();
  for (const e of mergeFormats(entries)) {
    const org = organisationOf(e);
    const periods = orgs.get(org) ?? new Map<string, ArchiveEntry[]>();
    const key = `${e.period.from}|${e.period.until}`;
    periods.set(key, [...(periods.get(key) ?? []), e]);
    orgs.set(org, periods);
  }
  return [...orgs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([organisation, periods]) => ({
      organisation,
      periods: [...periods.entries()]
        .sort(([a], [b]) => b.localeCompare(a))
        .map(([key, list]) => ({
          key,
          entries: list.sort((a, b) =>
            (SCOPE_ORDER[a.scope] ?? 9) - (SCOPE_ORDER[b.scope] ?? 9) ||
            a.scopeName.localeCompare(b.scopeName) || b.created.localeCompare(a.created)
          ),
        })),
    }));
}

function entryRow(e: ArchiveEntry): Html {
  const tags = html`${
    e.sandbox
      ? html`
        <span class="tag warn">sandbox</span>
      `
      : ""
  }${
    e.reconciled ? "" : html`
      <span class="tag warn"
        title="Its totals differ from the Account Server's; the file states the difference">totals differ from the Account Server</span>
    `
  }`;
  const files = e.files.map((f) =>
    html`
      <span
        class="file"><a href="${`/archive/${
          encodeURIComponent(f.name)
        }`}" download>${f.format === "focus"
          ? "FOCUS CSV"
          : f.format.toUpperCase()}</a> <span class="hint">${size(f.size)}</span></span>
    `
  );
  return html`
    <tr>
      <td data-label="Report"><strong>${archiveTitle(e)}</strong>${tags}${e.scopeId
        ? html`<br><code>${e.scopeId}</code>`
        : ""}</td>
      <td data-label="Coins" class="num">${e.totalCoins ?? "—"}</td>
      <td data-label="Rows" class="num">${e.rowCount ?? "—"}</td>
      <td data-label="Files" class="files">${files}</td>
      <td data-label="Made">${e.created.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC")}</td>
    </tr>
  `;
}

/** The archive page's HTML. */
export function renderArchivePage(
  reports: readonly StoredReport[] | null,
  options: { sandbox: boolean; sourceUrl: string; loose?: readonly LooseReport[] },
): string {
  const loose = options.loose ?? [];
  let content;
  if (reports === null) {
    content = html`
      <section class="card">
        <p
          class="empty">No report store is configured: the administrators can start the server with a store (a folder, or Deno KV) to keep reports here.</p>
      </section>
    `;
  } else if (reports.length === 0 && loose.length === 0) {
    content = html`
      <section class="card">
        <p
          class="empty">No stored reports yet. Reports appear here when the scheduled job runs, when someone runs <code>deno task charges ... --store</code> or <code>deno task demo</code> into this store's folder, and when a closed period is downloaded from this server.</p>
      </section>
    `;
  } else {
    const groups = groupArchive([...reports.map(fromStored), ...loose.map(fromLoose)]);
    content = groups.map((g) =>
      html`<section class="card archive-group"><h2>${g.organisation}</h2>${
        g.periods.map((p) =>
          html`
            <h3>${archivedPeriodInWords(p.entries[0].period, p.entries[0].created)}</h3>
            <table class="stack">
              <thead>
                <tr>
                  <th>Report</th>
                  <th class="num">Coins</th>
                  <th class="num">Rows</th>
                  <th>Files</th>
                  <th>Made</th>
                </tr>
              </thead>
              <tbody>${p.entries.map(entryRow)}</tbody>
            </table>
          `
        )
      }</section>`
    );
  }
  const body = html`
    <h1>Archive</h1>
    <p
      class="lead">Reports made earlier, by organisation and period, newest period first. Dates: first day included, end excluded (UTC).</p>
    ${content}
  `;
  return layout(body, {
    title: "Archive",
    nav: "archive",
    sandbox: options.sandbox,
    sourceUrl: options.sourceUrl,
  });
}

/** The download name of a stored report: the export name rule, with its excluded end. */
function downloadName(meta: StoredReport): string {
  if (meta.downloadName) return meta.downloadName;
  if (meta.format !== "csv" && meta.format !== "xlsx") return meta.name;
  const format = meta.format;
  try {
    const month = monthOfPeriod(meta.period);
    return chargesFileName({
      scope: meta.scope,
      scopeName: meta.scopeName,
      scopeId: meta.scopeId,
      period: { ...meta.period, label: meta.period.label ?? "", ...(month ? { month } : {}) },
      sandbox: meta.sandbox,
      reconciliation: { ok: meta.reconciled !== false },
    }, format);
  } catch {
    return meta.name;
  }
}

/** Adds `GET /archive` (page, or JSON with `Accept: application/json`) and `GET /archive/:name`. */
export function addArchiveRoutes(app: Hono, ctx: ServerContext): void {
  const looseOf = async (reports: readonly StoredReport[], readTotals = true) => {
    const dir = storeDirectory(ctx.store);
    return dir
      ? await listLooseReports(dir, new Set(reports.map((r) => r.name)), { readTotals })
      : [];
  };

  app.get("/archive", async (c) => {
    const reports = ctx.store ? await ctx.store.list() : null;
    const loose = reports ? await looseOf(reports) : [];
    const accept = c.req.header("accept") ?? "";
    if (accept.includes("application/json") && !accept.includes("text/html")) {
      return c.json({
        reports: reports ?? [],
        files: loose,
        store: ctx.store ? "configured" : "none",
      });
    }
    c.header("Cache-Control", "private, no-store");
    return c.html(
      renderArchivePage(reports, { sandbox: showsSandbox(ctx), sourceUrl: ctx.sourceUrl, loose }),
    );
  });

  app.get("/archive/:name", async (c) => {
    const name = c.req.param("name");
    if (!ctx.store) throw httpError(404, "No report store is configured, so there is no archive");
    // Only names the store itself (or its directory) lists are served: nothing a request
    // makes up can reach the file system or another KV key.
    const reports = await ctx.store.list();
    const listed = reports.find((r) => r.name === name);
    const found = listed ? await ctx.store.get(listed.name) : null;
    if (found) {
      return new Response(found.body, {
        status: 200,
        headers: {
          "Content-Type": contentTypeOf(found.meta.format),
          "Content-Disposition": contentDisposition(downloadName(found.meta)),
          "Content-Length": String(found.meta.size),
          "Cache-Control": "private, no-store",
        },
      });
    }
    const dir = storeDirectory(ctx.store);
    // Names and sizes only: serving one file need not read every CSV's totals.
    const loose = listed ? undefined : (await looseOf(reports, false)).find((r) => r.name === name);
    if (dir && loose) {
      try {
        const file = await Deno.open(join(dir, loose.name), { read: true });
        return new Response(file.readable, {
          status: 200,
          headers: {
            "Content-Type": contentTypeOf(loose.format),
            "Content-Disposition": contentDisposition(loose.name),
            "Content-Length": String(loose.size),
            "Cache-Control": "private, no-store",
          },
        });
      } catch {
        // Removed meanwhile: answered like any unknown name.
      }
    }
    return errorResponse(c, {
      status: 404,
      message: "This report is not in the archive (any more): pick one from the archive page",
    }, { sandbox: showsSandbox(ctx) });
  });
}

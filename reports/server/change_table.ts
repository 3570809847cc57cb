/**
 * The "Change since the previous period" card of an organisation's page: the same table as
 * the XLSX Change sheet (reports/charges/change.ts), for the period chosen in the picker.
 *
 * Both periods are collected with the ordinary collection (one call: the organisation and
 * its products are resolved once) and must each reconcile with the Account Server's totals;
 * otherwise the card says the periods could not be compared and shows no numbers. A failure
 * to collect (the Account Server down, a malformed answer) is logged and stated in the card,
 * without failing the rest of the page.
 *
 * Tables use the stylesheet's `stack` class and a `data-label` on every cell, so that on a
 * narrow screen each line becomes a stacked block (no sideways scrolling).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { toIsoDate } from "../../client/dates.ts";
import { redact } from "../../client/redact.ts";
import type { ChangeLine, ChangeTable } from "../charges/change_types.ts";
import { changeFor, previousPeriod } from "../charges/change_periods.ts";
import { collectChargeReports } from "../charges/collect.ts";
import type { PeriodRequest } from "../charges/periods.ts";
import type { CatalogOrganisation } from "./catalog.ts";
import type { ServerContext } from "./context.ts";
import { closedPeriodKey, RENDER_CACHE_VERSION } from "./download_cache.ts";
import { priceReport } from "../pricing/price.ts";
import { type Html, html } from "./html.ts";
import type { PageSelection } from "./period_query.ts";

/** The period request of a page selection (a prior billing period or a calendar month). */
export function selectionRequest(selection: PageSelection): PeriodRequest {
  return selection.kind === "pbp"
    ? { pbp: selection.pbp }
    : { from: selection.from, until: selection.until, month: selection.month };
}

/**
 * Collects `org`'s charges for `selection` and the period before it, and compares them
 * (flagging changes above the server's `flagChange`; priced, leniently, with the server's
 * rates). The table of two closed periods that were compared (both reconciled) is kept in
 * the server's change cache, keyed like the render cache (reports/server/download_cache.ts):
 * the AS account, the organisation, the closed period (a pbp with the day), the sandbox
 * flag and the rendering options (threshold, rates). An open period, or a table that could
 * not compare, is collected afresh on every view.
 *
 * @throws whatever the collection throws (see `collectChargeReports`).
 */
export async function loadOrganisationChange(
  ctx: ServerContext,
  org: Pick<CatalogOrganisation, "id">,
  selection: PageSelection,
): Promise<ChangeTable> {
  const period = selectionRequest(selection);
  const load = () => collectOrganisationChange(ctx, org, period);
  const cache = ctx.caches.changes;
  if (!cache) return await load();
  const now = ctx.now();
  const closed = closedPeriodKey(period, now);
  if (closed === null) return await load();
  const day = toIsoDate(now);
  const key = createHash("sha256").update(
    JSON.stringify([
      RENDER_CACHE_VERSION,
      "change card",
      ctx.caches.identityOf(await ctx.tokens.getToken()),
      org.id,
      closed,
      ctx.sandbox,
      ctx.caches.variant,
    ]),
    "utf8",
  ).digest("hex");
  return await cache.get(
    key,
    load,
    // Compared means both periods reconciled; kept only on the day of its key (pbp).
    (change) =>
      change.status === "compared" && change.note === undefined && toIsoDate(ctx.now()) === day,
  );
}

async function collectOrganisationChange(
  ctx: ServerContext,
  org: Pick<CatalogOrganisation, "id">,
  period: PeriodRequest,
): Promise<ChangeTable> {
  const previous = previousPeriod(period);
  const periods = previous.request ? [period, previous.request] : [period];
  const { reports } = await collectChargeReports(
    ctx,
    { scope: { kind: "organisation", ref: org.id }, periods },
    { concurrency: ctx.concurrency, now: ctx.now },
  );
  const rates = ctx.rates;
  const priced = rates
    ? await Promise.all(reports.map((r) => priceReport(r, rates, { allowUnpriced: true })))
    : reports;
  return changeFor(priced[0], priced[1], previous, { threshold: ctx.flagChange });
}

/**
 * Loads and renders the change card of `org`; a failure becomes a card that says so (and
 * is logged, redacted), so that the rest of the page still shows.
 */
export async function organisationChangeCard(
  ctx: ServerContext,
  org: Pick<CatalogOrganisation, "id" | "name">,
  selection: PageSelection,
): Promise<Html> {
  try {
    return changeCard(await loadOrganisationChange(ctx, org, selection));
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    ctx.log(redact(`serve: change of organisation ${org.id} not shown: ${detail}`, ctx.secrets));
    return html`
      <section class="card error" id="change">
        <header>
          <h2>Change since the previous period</h2>
        </header>
        <p>The change could not be shown: the charges of this period and the one before could not be collected from the Account Server. Reload the page to try again; the downloads below are not affected.</p>
      </section>
    `;
  }
}

/** The change card for a computed table. */
export function changeCard(change: ChangeTable): Html {
  const header = html`
    <header>
      <h2>Change since the previous period</h2>
      <p
        class="hint">${change.current
          .label} against ${change.previous?.label ??
          "no previous period"}. Flagged: a change above ${change
          .threshold} % either way (exactly ${change
          .threshold} % is not), and every product that is new.</p>
    </header>
  `;
  if (change.status !== "compared") {
    const what = change.status === "no-previous" ? "No previous period" : "Not compared";
    return html`
      <section class="card" id="change">${header}
        <p class="note"><strong>${what}:</strong> ${change.note ?? ""}</p>
      </section>
    `;
  }
  const money = change.currency !== undefined;
  return html`
    <section class="card" id="change">${header}
      ${change.note ? html`<p class="note">${change.note}</p>` : ""}
      <p>${change.flagged} of ${change.units.length +
        change.products.length} lines flagged · ${change.newProducts
        .length} new and ${change.vanishedProducts.length} vanished products.</p>
      <h3>By unit</h3>
      ${linesTable(change.units, { what: "Unit", money, currency: change.currency })}
      <h3>By product</h3>
      ${linesTable(change.products, {
        what: "Product",
        parent: "Unit",
        money,
        currency: change.currency,
      })}
      <h3>New products</h3>
      ${productList(change.newProducts, "current")}
      <h3>Vanished products</h3>
      ${productList(change.vanishedProducts, "previous")}
    </section>
  `;
}

function linesTable(
  lines: readonly ChangeLine[],
  o: { what: string; parent?: string; money: boolean; currency?: string },
): Html {
  if (lines.length === 0) return html`<p class="empty">None.</p>`;
  const cur = o.currency ?? "";
  const rows = lines.map((l) =>
    html`
      <tr>
        <td data-label="${o.what}">${l.name || l.id}<br><code>${l.id}</code></td>
        ${o.parent ? html`<td data-label="${o.parent}">${l.parentName || l.parentId}</td>` : ""}
        <td class="num" data-label="Previous">${l.previous}</td>
        <td class="num" data-label="This period">${l.current}</td>
        <td class="num" data-label="Difference">${l.difference}</td>
        <td class="num" data-label="Change">${l.percentText.replace(" %", "\u00a0%")}</td>
        ${o.money
          ? html`<td class="num" data-label="${`Difference (${cur})`}">${
            l.money?.difference ??
              ""
          }</td>`
          : ""}
        ${flagCell(l)}
      </tr>
    `
  );
  return html`
    <table class="stack change">
      <thead>
        <tr>
          <th>${o.what}</th>
          ${o.parent ? html`<th>${o.parent}</th>` : ""}
          <th class="num">Previous</th>
          <th class="num">This period</th>
          <th class="num">Difference</th>
          <th class="num">Change</th>
          ${o.money ? html`<th class="num">${`Difference (${cur})`}</th>` : ""}
          <th>Flag</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
  `;
}

/** The flag cell: "flagged" and "new"/"vanished" tags; labelled only when it shows one. */
function flagCell(l: ChangeLine): Html {
  const moved = l.kind === "new" || l.kind === "vanished";
  if (!l.flagged && !moved) return html`<td></td>`;
  return html`<td data-label="Flag">${
    l.flagged ? html`<span class="tag warn">flagged</span>` : ""
  }${
    moved
      ? html`
        <span class="tag">${l.kind}</span>
      `
      : ""
  }</td>`;
}

function productList(lines: readonly ChangeLine[], side: "previous" | "current"): Html {
  if (lines.length === 0) return html`<p class="empty">None.</p>`;
  const items = lines.map((l) =>
    html`<li>${l.name || l.id} <code>${l.id}</code> (${l.parentName || l.parentId}): ${
      l[
        side
      ]
    } coins ${side === "current" ? "this period" : "in the previous period"}</li>`
  );
  return html`<ul class="change-list">${items}</ul>`;
}

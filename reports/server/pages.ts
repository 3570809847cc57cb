/**
 * The HTML pages of the report server: the index (organisations, units and products with
 * download links and a period picker) and an organisation's page (the same plus its chart).
 * Pure renderers: data in, HTML string out.
 *
 * Pages speak to finance: periods are named in words ("last closed period", "2 periods
 * ago", "current period (so far)", "November 2026 (calendar month, ...)"), never by the
 * API's numbers. Tables carry a label per cell, so that on a phone they become stacked rows
 * (see the stylesheet in html.ts).
 *
 * @module
 */

import { MIN_PBP } from "../../client/as/periods.ts";
import {
  type DateRange,
  isOpenPeriod,
  monthName,
  monthRange,
  periodForPbp,
} from "../charges/periods.ts";
import type { CatalogOrganisation, CatalogProduct, CatalogUnit } from "./catalog.ts";
import { type Html, html, layout, raw } from "./html.ts";
import {
  monthInWords,
  type PageSelection,
  pbpInPlainWords,
  recentMonths,
  selectionQuery,
} from "./period_query.ts";

/** How many billing periods the picker and the chart cover. */
export const PERIODS_SHOWN = 12;

/** How many calendar months the picker offers (the current one, so far, and those before). */
export const MONTHS_SHOWN = 13;

/** What every page needs besides its data. */
export interface PageOptions {
  /** The selected period: a prior billing period (0..-11) or a calendar month. */
  period: PageSelection;
  /** The clock, for period dates. */
  now: Date;
  /** Shows the SANDBOX DATA banner. */
  sandbox: boolean;
  /** Where the data comes from, shown in the footer. */
  sourceUrl: string;
}

/** The download URL of a charges report for the selected period. */
export function downloadUrl(
  kind: "organisation" | "unit" | "product",
  id: string,
  options: { ext: "xlsx" | "csv" | "focus.csv"; period: PageSelection },
): string {
  return `/reports/charges/${kind}/${encodeURIComponent(id)}.${options.ext}?${
    selectionQuery(options.period)
  }`;
}

function downloads(
  kind: "organisation" | "unit" | "product",
  id: string,
  period: PageSelection,
  label: string,
): Html {
  const url = (ext: "xlsx" | "csv" | "focus.csv") => downloadUrl(kind, id, { ext, period });
  return html`
    <span
      class="dl"><a href="${url(
        "xlsx",
      )}" download aria-label="${`XLSX of ${label}`}">XLSX</a><a href="${url(
        "csv",
      )}" download aria-label="${`CSV of ${label}`}">CSV</a><a href="${url(
        "focus.csv",
      )}" download aria-label="${`FOCUS 1.2 CSV (FinOps) of ${label}`}">FOCUS</a></span>
  `;
}

/** The billing day most units use (1 when there are none): the picker's dates use it. */
export function commonBillingDay(units: readonly CatalogUnit[]): number {
  const counts = new Map<number, number>();
  for (const u of units) counts.set(u.billingDay, (counts.get(u.billingDay) ?? 0) + 1);
  let best = 1;
  let most = 0;
  for (const [day, n] of counts) {
    if (n > most || (n === most && day < best)) [best, most] = [day, n];
  }
  return best;
}

/** `Last closed period` (capitalised), for headings and options. */
function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The dates of `selection` for a unit that bills on `billingDay`. */
function unitRange(selection: PageSelection, billingDay: number, now: Date): DateRange {
  return selection.kind === "month"
    ? { from: selection.from, until: selection.until }
    : periodForPbp(billingDay, now, selection.pbp);
}

/**
 * The dates a whole-organisation (or whole-index) report of `selection` covers: for a
 * billing period, from the earliest unit's start to the latest unit's end.
 */
export function selectionRange(
  selection: PageSelection,
  units: readonly CatalogUnit[],
  now: Date,
): DateRange {
  if (selection.kind === "month" || units.length === 0) {
    return unitRange(selection, commonBillingDay(units), now);
  }
  const ranges = units.map((u) => unitRange(selection, u.billingDay, now));
  return {
    from: ranges.map((r) => r.from).sort()[0],
    until: ranges.map((r) => r.until).sort().at(-1)!,
  };
}

/**
 * The selected period in words with its dates, e.g. `Last closed period, 2026-10-15 to
 * 2026-12-01 excl.` or `November 2026 (calendar month, 2026-11-01 to 2026-12-01 excl.)`.
 */
export function selectionInWords(
  selection: PageSelection,
  units: readonly CatalogUnit[],
  now: Date,
): string {
  if (selection.kind === "month") return monthInWords(selection.month, now);
  const r = selectionRange(selection, units, now);
  return `${capitalised(pbpInPlainWords(selection.pbp))}, ${r.from} to ${r.until} excl.`;
}

/** Why an organisation's billing period can be longer than a month: one sentence. */
export const MIXED_DAYS_SENTENCE =
  "An organisation's billing period can span more than a month because its units bill on different days: each unit's period runs from its own billing day to the same day of the next month, and the organisation's report covers all of them.";

/**
 * The period picker: a plain GET form with one `<select>` holding the last 12 billing
 * periods and the last 13 calendar months (the current ones marked "so far"). It sends
 * `?period=-1` or `?period=2026-11`. A billing period's dates are those its
 * whole-organisation report covers: from the earliest of `units`' periods to the latest.
 */
export function periodPicker(
  options: {
    period: PageSelection;
    now: Date;
    units: readonly CatalogUnit[];
    action: string;
  },
): Html {
  const sel = options.period;
  const selected = (yes: boolean) => (yes ? raw(" selected") : raw(""));
  const periods = [];
  for (let p = 0; p > -PERIODS_SHOWN; p--) {
    const r = selectionRange({ kind: "pbp", pbp: p }, options.units, options.now);
    periods.push(
      html`
        <option value="${p}" ${selected(sel.kind === "pbp" && sel.pbp === p)}>${capitalised(
          pbpInPlainWords(p),
        )} · ${r.from} to ${r.until} excl.</option>
      `,
    );
  }
  const months = recentMonths(options.now, MONTHS_SHOWN).map((m) => {
    const r = monthRange(m);
    const soFar = isOpenPeriod(r.until, options.now) ? " so far" : "";
    return html`
      <option value="${m}"
        ${selected(sel.kind === "month" && sel.month === m)}>${monthName(m)}${soFar} · ${r
          .from} to ${r.until} excl.</option>
    `;
  });
  const days = [...new Set(options.units.map((u) => u.billingDay))].sort((a, b) => a - b);
  const rule = days.length > 1
    ? `Units bill on days ${
      days.join(", ")
    } of the month: a billing period's dates in the list run from the earliest unit's start to the latest unit's end, and the unit tables show each unit's own dates. Calendar months run from the 1st to the 1st. End dates are excluded; dates are UTC.`
    : `Billing periods run from billing day ${
      days[0] ?? 1
    } of one month to the same day of the next month; calendar months from the 1st to the 1st. End dates are excluded; dates are UTC.`;
  return html`
    <form class="picker" method="get" action="${options.action}">
      <label for="period">Period</label>
      <select id="period"
        name="period"><optgroup label="Billing periods">${periods}</optgroup><optgroup label="Calendar months">${months}</optgroup></select>
      <button type="submit">Show</button>
      <p class="hint">${rule}</p>
    </form>
  `;
}

function unitsTable(units: readonly CatalogUnit[], o: PageOptions): Html {
  if (units.length === 0) return html`<p class="empty">No units.</p>`;
  const rows = units.map((u) => {
    const r = unitRange(o.period, u.billingDay, o.now);
    return html`
      <tr>
        <td data-label="Unit">${u.name}<br><code>${u.id}</code></td>
        <td data-label="Billing day" class="num">${u.billingDay}</td>
        <td data-label="Period">${r.from} to ${r.until} <span class="hint">excl.</span></td>
        <td data-label="Download">${downloads("unit", u.id, o.period, u.name)}</td>
      </tr>
    `;
  });
  return html`
    <table class="stack">
      <thead>
        <tr>
          <th>Unit</th>
          <th class="num">Billing day</th>
          <th>Period</th>
          <th>Download</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
  `;
}

function productType(p: CatalogProduct): string {
  return p.type.replace(/^DATA_MANAGER_|_SUBSCRIPTION$/g, "").replace(/_/g, " ").toLowerCase();
}

function productsTable(products: readonly CatalogProduct[], o: PageOptions): Html {
  if (products.length === 0) return html`<p class="empty">No products.</p>`;
  const rows = products.map((p) =>
    html`
      <tr>
        <td data-label="Product">${p.name || p.id}<br><code>${p.id}</code></td>
        <td data-label="Type"><span class="tag">${productType(p)}</span>${p.flavour
          ? html`
            <span class="tag">${p.flavour.toLowerCase()}</span>
          `
          : ""}</td>
        <td data-label="Unit">${p.unitName}</td>
        <td data-label="Download">${downloads("product", p.id, o.period, p.name || p.id)}</td>
      </tr>
    `
  );
  return html`
    <table class="stack">
      <thead>
        <tr>
          <th>Product</th>
          <th>Type</th>
          <th>Unit</th>
          <th>Download</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
  `;
}

/** One organisation's card: its downloads, units and products. */
export function organisationCard(
  org: CatalogOrganisation,
  o: PageOptions,
  options: { link?: boolean } = {},
): Html {
  const page = `/organisations/${encodeURIComponent(org.id)}?${selectionQuery(o.period)}`;
  const title = options.link ? html`<a href="${page}">${org.name}</a>` : org.name;
  const chart = options.link
    ? html`
      · <a href="${`${page}#chart`}">Chart</a>
    `
    : "";
  const words = selectionInWords(o.period, org.units, o.now);
  const wholeInWords = o.period.kind === "pbp"
    ? words.charAt(0).toLowerCase() + words.slice(1)
    : words;
  return html`<section class="card" id="${`org-${org.id}`}">
<header><h2>${title} <code>${org.id}</code></h2>
<p class="whole">Whole organisation, ${wholeInWords}: ${
    downloads("organisation", org.id, o.period, org.name)
  }${chart}</p></header>
<h3>Units</h3>${unitsTable(org.units, o)}
<h3>Products</h3>${productsTable(org.products, o)}
</section>`;
}

/** The index page: every organisation the server can see. */
export function renderIndexPage(orgs: readonly CatalogOrganisation[], o: PageOptions): string {
  const units = orgs.flatMap((org) => org.units);
  const mixedDays = new Set(units.map((u) => u.billingDay)).size > 1;
  const body = html`
    <h1>Charges reports</h1>
    <p
      class="lead">Download the charges of an organisation, a unit or a product as XLSX, CSV or FOCUS (for FinOps tools), for one of the last ${PERIODS_SHOWN} billing periods or ${MONTHS_SHOWN} calendar months.</p>
    ${mixedDays ? html`<p class="note">${MIXED_DAYS_SENTENCE}</p>` : ""}
    ${periodPicker({ period: o.period, now: o.now, units, action: "/" })}
    ${orgs.length === 0
      ? html`
        <p
          class="empty">The report server's Account Server account sees no organisations: ask the administrators to give it access.</p>
      `
      : ""}
    ${orgs.map((org) => organisationCard(org, o, { link: true }))}
  `;
  return layout(body, {
    title: "Organisations",
    nav: "index",
    sandbox: o.sandbox,
    sourceUrl: o.sourceUrl,
  });
}

/** An organisation's page: its card and its chart of coins per billing period by unit. */
export function renderOrganisationPage(
  org: CatalogOrganisation,
  o: PageOptions & { chart: { svg: string; table: Html }; change?: Html },
): string {
  const chart = o.chart;
  const mixedDays = new Set(org.units.map((u) => u.billingDay)).size > 1;
  const action = `/organisations/${encodeURIComponent(org.id)}`;
  const body = html`
    <h1>${org.name}</h1>
    <p class="lead"><code>${org.id}</code> · ${org.units.length} units · ${org.products
      .length} products</p>
    ${mixedDays ? html`<p class="note">${MIXED_DAYS_SENTENCE}</p>` : ""}
    ${periodPicker({ period: o.period, now: o.now, units: org.units, action })}
    <section class="card"
      id="chart"><header><h2>Coins per billing period, by unit</h2><p class="hint">Last ${PERIODS_SHOWN} billing periods; the current one is still open (so far). Exact coins are in the table under the chart · <a href="${`/charts/organisation/${
        encodeURIComponent(org.id)
      }.svg`}">SVG</a></p></header>
    ${raw(chart.svg)}
    ${chart.table}
    </section>
    ${o.change ?? "" /* the Change card (reports/server/change_table.ts) */}
    ${organisationCard(org, o)}
  `;
  return layout(body, {
    title: org.name,
    nav: "index",
    sandbox: o.sandbox,
    sourceUrl: o.sourceUrl,
  });
}

/** The lowest prior billing period the pages offer. */
export const MIN_PAGE_PBP = Math.max(MIN_PBP, 1 - PERIODS_SHOWN);

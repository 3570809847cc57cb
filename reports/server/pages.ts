/**
 * The HTML pages of the report server: the index (organisations, units and products with
 * download links and a period picker) and an organisation's page (the same plus its chart).
 * Pure renderers: data in, HTML string out.
 *
 * @module
 */

import { MIN_PBP } from "../../client/as/periods.ts";
import { periodForPbp } from "../charges/periods.ts";
import type { CatalogOrganisation, CatalogProduct, CatalogUnit } from "./catalog.ts";
import { type Html, html, layout, raw } from "./html.ts";

/** How many billing periods the picker and the chart cover. */
export const PERIODS_SHOWN = 12;

/** What every page needs besides its data. */
export interface PageOptions {
  /** The selected prior billing period (0..-11). */
  pbp: number;
  /** The clock, for period dates. */
  now: Date;
  sandbox: boolean;
  sourceUrl: string;
}

/** The download URL of a charges report. */
export function downloadUrl(
  kind: "organisation" | "unit" | "product",
  id: string,
  options: { ext: "xlsx" | "csv"; pbp: number },
): string {
  return `/reports/charges/${kind}/${encodeURIComponent(id)}.${options.ext}?pbp=${options.pbp}`;
}

function downloads(
  kind: "organisation" | "unit" | "product",
  id: string,
  pbp: number,
  label: string,
): Html {
  return html`
    <span
      class="dl"><a href="${downloadUrl(kind, id, {
        ext: "xlsx",
        pbp,
      })}" download aria-label="${`XLSX of ${label}`}">XLSX</a><a href="${downloadUrl(kind, id, {
        ext: "csv",
        pbp,
      })}" download aria-label="${`CSV of ${label}`}">CSV</a></span>
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

function pbpLabel(pbp: number): string {
  return pbp === 0 ? "current period" : pbp === -1 ? "last closed period" : `${-pbp} periods ago`;
}

/**
 * The period picker: a plain GET form with a `<select>` of the last 12 billing periods and
 * their dates. Units may bill on different days; the rule is stated under the form and
 * each unit's own dates are shown in its row.
 */
export function periodPicker(
  options: { pbp: number; now: Date; billingDay: number; action: string; mixedDays: boolean },
): Html {
  const opts = [];
  for (let p = 0; p > -PERIODS_SHOWN; p--) {
    const r = periodForPbp(options.billingDay, options.now, p);
    const selected = p === options.pbp ? raw(" selected") : raw("");
    opts.push(
      html`
        <option value="${p}"
          ${selected}>${p} · ${r.from} to ${r.until} (excl.) · ${pbpLabel(p)}</option>
      `,
    );
  }
  const rule = options.mixedDays
    ? `Dates in the list are for billing day ${options.billingDay}. Each unit's period runs from its own billing day in one month to the same day of the next month (end excluded); the unit tables show each unit's dates.`
    : `Periods run from billing day ${options.billingDay} in one month to the same day of the next month (end excluded), UTC.`;
  return html`
    <form class="picker" method="get" action="${options.action}">
      <label for="pbp">Billing period</label>
      <select id="pbp" name="pbp">${opts}</select>
      <button type="submit">Show</button>
      <span class="hint">${rule}</span>
    </form>
  `;
}

function unitsTable(units: readonly CatalogUnit[], o: PageOptions): Html {
  if (units.length === 0) return html`<p class="empty">No units.</p>`;
  const rows = units.map((u) => {
    const r = periodForPbp(u.billingDay, o.now, o.pbp);
    return html`
      <tr>
        <td>${u.name}<br><code>${u.id}</code></td>
        <td class="num">${u.billingDay}</td>
        <td>${r.from} to ${r.until} <span class="hint">(excl.)</span></td>
        <td>${downloads("unit", u.id, o.pbp, u.name)}</td>
      </tr>
    `;
  });
  return html`
    <table>
      <thead>
        <tr>
          <th>Unit</th>
          <th class="num">Billing day</th>
          <th>Period (pbp ${o.pbp})</th>
          <th>Download</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
  `;
}

function productsTable(products: readonly CatalogProduct[], o: PageOptions): Html {
  if (products.length === 0) return html`<p class="empty">No products.</p>`;
  const rows = products.map((p) =>
    html`
      <tr>
        <td>${p.name || p.id}<br><code>${p.id}</code></td>
        <td><span class="tag">${p.type.replace(/^DATA_MANAGER_|_SUBSCRIPTION$/g, "").replace(
          /_/g,
          " ",
        ).toLowerCase()}</span>${p.flavour
          ? html`
            <span class="tag">${p.flavour.toLowerCase()}</span>
          `
          : ""}</td>
        <td>${p.unitName}</td>
        <td>${downloads("product", p.id, o.pbp, p.name || p.id)}</td>
      </tr>
    `
  );
  return html`
    <table>
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
  return html`<section class="card" id="${`org-${org.id}`}">
<header><h2>${
    options.link
      ? html`<a href="${`/organisations/${
        encodeURIComponent(org.id)
      }?pbp=${o.pbp}`}">${org.name}</a>`
      : org.name
  } <code>${org.id}</code></h2>
<span>Whole organisation, pbp ${o.pbp}: ${downloads("organisation", org.id, o.pbp, org.name)}${
    options.link
      ? html`
        · <a href="${`/organisations/${encodeURIComponent(org.id)}?pbp=${o.pbp}#chart`}">Chart</a>
      `
      : ""
  }</span></header>
<h3>Units</h3>${unitsTable(org.units, o)}
<h3>Products</h3>${productsTable(org.products, o)}
</section>`;
}

/** The index page: every organisation the server can see. */
export function renderIndexPage(orgs: readonly CatalogOrganisation[], o: PageOptions): string {
  const units = orgs.flatMap((org) => org.units);
  const billingDay = commonBillingDay(units);
  const mixedDays = new Set(units.map((u) => u.billingDay)).size > 1;
  const body = html`
    <h1>Charges reports</h1>
    <p
      class="lead">Download the charges of an organisation, a unit or a product as XLSX or CSV, for one of the last ${PERIODS_SHOWN} billing periods.</p>
    ${periodPicker({ pbp: o.pbp, now: o.now, billingDay, action: "/", mixedDays })}
    ${orgs.length === 0
      ? html`<p class="empty">The server's Account Server account sees no organisations.</p>`
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
  o: PageOptions & { chart: { svg: string; table: Html } },
): string {
  const chart = o.chart;
  const billingDay = commonBillingDay(org.units);
  const mixedDays = new Set(org.units.map((u) => u.billingDay)).size > 1;
  const action = `/organisations/${encodeURIComponent(org.id)}`;
  const body = html`
    <h1>${org.name}</h1>
    <p class="lead"><code>${org.id}</code> · ${org.units.length} units · ${org.products
      .length} products</p>
    ${periodPicker({ pbp: o.pbp, now: o.now, billingDay, action, mixedDays })}
    <section class="card"
      id="chart"><header><h2>Coins per billing period, by unit</h2><span class="hint">Last ${PERIODS_SHOWN} periods; hover a bar for its exact coins · <a href="${`/charts/organisation/${
        encodeURIComponent(org.id)
      }.svg`}">SVG</a></span></header>
    ${raw(chart.svg)}
    ${chart.table}
    </section>
    ${organisationCard(org, o)}
  `;
  return layout(body, {
    title: org.name,
    nav: "index",
    sandbox: o.sandbox,
    sourceUrl: o.sourceUrl,
  });
}

/** The lowest pbp the pages offer. */
export const MIN_PAGE_PBP = Math.max(MIN_PBP, 1 - PERIODS_SHOWN);

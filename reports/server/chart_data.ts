/**
 * The data behind an organisation's chart: `GET /charges/organisation/{id}` for each of
 * the last 12 billing periods, coins summed exactly per unit and period.
 *
 * @module
 */

import { unwrap } from "../../client/as/api_rv.ts";
import { Coins } from "../../client/coins.ts";
import { mapPool } from "../_pool.ts";
import { isOpenPeriod, normaliseServerDate, periodForPbp } from "../charges/periods.ts";
import type { CatalogOrganisation } from "./catalog.ts";
import { type ChartData, type ChartPeriod, chartPeriodInWords, renderCoinsChart } from "./chart.ts";
import type { ServerContext } from "./context.ts";
import { type Html, html } from "./html.ts";
import { commonBillingDay, PERIODS_SHOWN } from "./pages.ts";

/**
 * Loads the coins of `org` per unit over the last {@link PERIODS_SHOWN} periods (oldest
 * first). Units that appear in the charges but not in `org.units` are added.
 */
export async function loadOrganisationChart(
  ctx: ServerContext,
  org: CatalogOrganisation,
): Promise<ChartData> {
  const token = await ctx.tokens.getToken();
  const pbps = Array.from({ length: PERIODS_SHOWN }, (_, i) => i - PERIODS_SHOWN + 1);
  const bodies = await mapPool(
    pbps,
    (pbp) =>
      ctx.api.getOrganisationCharges(token, { orgId: org.id, pbp }).then((rv) =>
        unwrap(rv, `Get charges of organisation ${org.id} for pbp ${pbp}`)
      ),
    { concurrency: Math.min(4, ctx.concurrency) },
  );
  const names = new Map(org.units.map((u) => [u.id, u.name]));
  const coins = new Map<string, Coins[]>();
  for (const id of names.keys()) coins.set(id, pbps.map(() => Coins.zero()));
  const day = commonBillingDay(org.units);
  const now = ctx.now();
  const periods: ChartPeriod[] = bodies.map((body, i) => {
    let from = "";
    let until = "";
    // Validated answers (client/as/schemas*.ts): `unit_charges` and each `summary` are
    // required arrays, so no default stands in for a missing one.
    for (const uc of body.unit_charges) {
      if (!names.has(uc.unit_id)) names.set(uc.unit_id, uc.name);
      const row = coins.get(uc.unit_id) ?? pbps.map(() => Coins.zero());
      row[i] = row[i].plus(Coins.sum(uc.summary.map((s) => s.coins)));
      coins.set(uc.unit_id, row);
      const f = normaliseServerDate(uc.from);
      const u = normaliseServerDate(uc.until);
      if (!from || f < from) from = f;
      if (!until || u > until) until = u;
    }
    if (!from) ({ from, until } = periodForPbp(day, now, pbps[i]));
    return { pbp: pbps[i], from, until, open: isOpenPeriod(until, now) };
  });
  const series = [...coins.entries()].map(([id, values]) => ({
    id,
    name: names.get(id) || id,
    coins: values,
  })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { title: `Coins per billing period by unit: ${org.name}`, periods, series };
}

/**
 * The chart's numbers as an HTML table (exact coins), newest period first: open by default,
 * so that the values can be read without hovering (on a phone, it becomes stacked rows).
 */
export function chartTable(data: ChartData): Html {
  const head = data.series.map((s) => html`<th class="num">${s.name}</th>`);
  const rows = [...data.periods.keys()].reverse().map((i) => {
    const p = data.periods[i];
    const words = chartPeriodInWords(p);
    const cells = data.series.map((s) =>
      html`<td class="num" data-label="${s.name}">${s.coins[i].toString()}</td>`
    );
    const total = Coins.sum(data.series.map((s) => s.coins[i]));
    return html`<tr><th scope="row" data-label="Period">${
      words.charAt(0).toUpperCase() + words.slice(1)
    }<br><span class="hint">${p.from} to ${p.until} excl.</span></th>${cells}<td class="num" data-label="Total"><strong>${total.toString()}</strong></td></tr>`;
  });
  return html`
    <details class="values" open>
      <summary>Coins per period and unit</summary>
      <table class="stack">
        <thead>
          <tr><th>Period</th>${head}<th class="num">Total</th></tr>
        </thead>
        <tbody>${rows}</tbody>
      </table>
    </details>
  `;
}

/** Loads and renders the chart as SVG plus its table. */
export async function organisationChart(
  ctx: ServerContext,
  org: CatalogOrganisation,
): Promise<{ data: ChartData; svg: string; table: Html }> {
  const data = await loadOrganisationChart(ctx, org);
  return { data, svg: renderCoinsChart(data), table: chartTable(data) };
}

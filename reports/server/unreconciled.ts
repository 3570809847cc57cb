/**
 * The answer to a download whose totals do not reconcile with the Account Server's own:
 * `502` with a page finance can read (what was not produced, why, and a table of the
 * totals that disagree, in coins), the technical detail in small print, and none of the
 * download's headers (`Content-Disposition`, `X-Report-*`). API callers that ask for JSON
 * get `{error, status, detail, reconciliation}`.
 *
 * @module
 */

import type { Context } from "hono";
import { Coins } from "../../client/coins.ts";
import type { ChargeReport, ReconciliationCheck } from "../charges/model.ts";
import { describeMismatches, reconciliationProblem } from "../charges/reconcile.ts";
import type { ServerContext } from "./context.ts";
import { errorResponse } from "./errors.ts";
import { type Html, html } from "./html.ts";
import { reportPeriodInWords } from "./period_query.ts";

/** Mismatches shown in the table; the technical detail and the JSON carry the count. */
const SHOWN = 10;

const KIND_WORDS: Record<string, string> = {
  product: "Product",
  unit: "Unit",
  organisation: "Organisation",
};

/**
 * A reconciliation check's `where` (e.g. `unit unit-… (Chemistry) STORAGE`) in words:
 * `Unit “Chemistry”: storage charges`. Anything of another form is shown as it is.
 */
export function whereInWords(where: string): string {
  const charges = (type: string) =>
    type === "total" ? "all charges" : `${type.toLowerCase()} charges`;
  const entity = /^(product|unit|organisation) (\S+) \((.*)\) (\S+)$/.exec(where);
  if (entity) {
    const [, kind, id, name, type] = entity;
    return `${KIND_WORDS[kind]} “${name || id}”: ${charges(type)}`;
  }
  const grand = /^grand total (\S+)$/.exec(where);
  if (grand) return `Whole report: ${charges(grand[1])}`;
  return where;
}

function difference(check: ReconciliationCheck): string {
  try {
    const d = Coins.parse(check.computed).minus(check.server);
    const text = d.toString();
    return text.startsWith("-") || d.equals("0") ? text : `+${text}`;
  } catch {
    return "";
  }
}

function mismatchTable(mismatches: readonly ReconciliationCheck[]): Html {
  if (mismatches.length === 0) return html``;
  const rows = mismatches.slice(0, SHOWN).map((m) =>
    html`
      <tr>
        <td data-label="Where">${whereInWords(m.where)}</td>
        <td class="num" data-label="Sum of the charges (coins)">${m.computed}</td>
        <td class="num" data-label="Account Server's total (coins)">${m.server}</td>
        <td class="num" data-label="Difference">${difference(m)}</td>
      </tr>
    `
  );
  const more = mismatches.length - SHOWN;
  return html`
    <table class="stack">
      <thead>
        <tr>
          <th>Where</th>
          <th class="num">Sum of the charges (coins)</th>
          <th class="num">Account Server's total (coins)</th>
          <th class="num">Difference</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
    ${more > 0 ? html`<p class="hint">and ${more} more difference(s).</p>` : ""}
  `;
}

/** The 502 answer for `report`, whose `reconciliation` is not `ok`. */
export function unreconciledResponse(
  c: Context,
  report: ChargeReport,
  ctx: Pick<ServerContext, "sandbox" | "secrets">,
): Response {
  const rec = report.reconciliation;
  const scope = `${report.scope} “${report.scopeName || report.scopeId}”`;
  const why = rec.mismatches.length > 0
    ? `its charges add up to ${report.totals.grand.coins} coins, but ${rec.mismatches.length} of the ${rec.checked} totals checked disagree with the totals the Account Server reports for the same charges (see the table).`
    : `none of its totals could be checked against the Account Server's own totals, so nothing confirms its numbers.`;
  const message = `The report for ${scope}, ${
    reportPeriodInWords(report.period)
  }, was not produced: ${why} Numbers that do not agree with the Account Server cannot be used for billing, so no file was sent. Try again later (the Account Server may be updating its charges); if it keeps happening, tell the administrators and quote the technical detail below.`;
  const detail = reconciliationProblem(rec) ?? describeMismatches(rec);
  return errorResponse(
    c,
    { status: 502, title: "Totals do not match the Account Server", message, detail },
    {
      // The report knows whether its answers came from a sandbox, however it was reached.
      sandbox: ctx.sandbox || report.sandbox,
      secrets: ctx.secrets,
      extra: mismatchTable(rec.mismatches),
      json: {
        reconciliation: {
          ok: false,
          checked: rec.checked,
          mismatches: rec.mismatches.map(({ where, computed, server }) => ({
            where,
            computed,
            server,
          })),
          ...(rec.unchecked ? { unchecked: rec.unchecked } : {}),
        },
      },
    },
  );
}

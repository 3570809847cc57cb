/**
 * `deno task demo`: starts the sandbox in this process, exports the last closed billing
 * period (pbp -1) of every organisation to XLSX, CSV and FOCUS 1.2 CSV in ./reports-out,
 * priced in money with the sandbox's demo rates (sandbox/data/demo_rates.csv), each XLSX
 * file with its Change sheet against pbp -2, prints a short totals table with coins and
 * money, and stops the sandbox. Needs no configuration
 * and no network.
 *
 * @module
 */

import { unwrap } from "../client/as/api_rv.ts";
import { collectChargeReports } from "../reports/charges/collect.ts";
import { changeFor, previousPeriod } from "../reports/charges/change_periods.ts";
import {
  reconciliationText,
  reportJson,
  SANDBOX_BANNER,
  textTable,
  uncheckedLines,
} from "../reports/charges/summary.ts";
import { ReconciliationError } from "../client/errors.ts";
import { DEFAULT_OUT_DIR, exportReportsToFiles } from "../reports/writers/export.ts";
import { reconciliationProblem } from "../reports/charges/reconcile.ts";
import type { ChargeReport } from "../reports/charges/model.ts";
import { priceReport } from "../reports/pricing/price.ts";
import { readRatesFile } from "../reports/pricing/rates.ts";
import type { ReportPricing } from "../reports/pricing/types.ts";
import { parseFlags, runCli } from "./cli.ts";
import { connect } from "./connect.ts";

/** The demo's rates file: a price per coin for each demo organisation (one unit's own). */
export const DEMO_RATES = new URL("../sandbox/data/demo_rates.csv", import.meta.url);

const HELP = `Demo: export last period's charges from the built-in sandbox.

Usage:
  deno task demo [--out-dir DIR] [--rates FILE] [--json]

Starts the sandbox (simulated Account Server and Keycloak) in this process, exports the
last closed billing period (pbp -1) of every organisation to XLSX, CSV and FOCUS 1.2 CSV
(for FinOps tools), priced in money with the demo rates, prints a totals table and stops.
Each XLSX file has a Change sheet comparing the period with the one before (pbp -2).
Every file says SANDBOX DATA.

Options:
  --out-dir DIR   where the files go (default ${DEFAULT_OUT_DIR})
  --rates FILE    price per coin per organisation or unit (default: the sandbox's demo
                  rates, sandbox/data/demo_rates.csv; see deno task charges --help)
  --json          print the reports and files as JSON on stdout
  --debug         print stack traces of errors
  --help          show this help

Next: deno task charges --help (the same export against a real Account Server).`;

/** Runs the demo; returns the exit status. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    options: {
      "out-dir": { type: "string" },
      rates: { type: "string" },
      json: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const outDir = values["out-dir"] ?? DEFAULT_OUT_DIR;
  const rates = values.rates === undefined
    ? await readRatesFile(DEMO_RATES.pathname).then((t) => ({ ...t, source: "demo_rates.csv" }))
    : await readRatesFile(values.rates);
  const conn = await connect({ sandbox: true });
  try {
    const ctx = { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: true };
    const token = await conn.tokens.getToken();
    const orgs = unwrap(await conn.api.getOrganisations(token), "List organisations");
    const reports: ChargeReport[] = [];
    const before: ChargeReport[] = [];
    let requests = 1;
    // The XLSX Change sheet compares pbp -1 with pbp -2: both in one collection per
    // organisation (its products are listed once).
    const period = { pbp: -1 };
    const previous = previousPeriod(period);
    // One organisation at a time: each fans out over its products with bounded concurrency.
    for (const org of orgs.organisations) {
      const result = await collectChargeReports(ctx, {
        scope: { kind: "organisation", ref: org.id },
        periods: [period, previous.request!],
      });
      requests += result.requests;
      reports.push(result.reports[0]);
      before.push(result.reports[1]);
      for (const note of result.notes) console.error(`demo: note: ${note}`);
    }
    // The sandbox follows the reference: nothing it serves is unreconciled, so this gate
    // only ever trips on a bug (in the sandbox or here), and then the demo writes nothing.
    const bad = reports.filter((r) => !r.reconciliation.ok);
    if (bad.length > 0) {
      throw new ReconciliationError(
        `Not reconciled with the sandbox's totals, so nothing was written: ` +
          bad.map((r) => `${r.scopeName}: ${reconciliationProblem(r.reconciliation)}`).join("; "),
      );
    }
    // Every row priced in money (a unit without a rate stops the demo, exit 2, naming it).
    // The previous period is only compared with: priced leniently, as the charges script does.
    const priced = await Promise.all(reports.map(async (r, i) => {
      const report = await priceReport(r, rates);
      const old = await priceReport(before[i], rates, { allowUnpriced: true });
      return { ...report, change: changeFor(report, old, previous) };
    }));
    const formats = ["xlsx", "csv", "focus"] as const;
    const files = await exportReportsToFiles(priced, { formats, outDir });
    const perReport = priced.map((_, i) =>
      files.slice(i * formats.length, (i + 1) * formats.length)
    );
    if (values.json) {
      console.log(JSON.stringify(
        { sandbox: true, requests, reports: priced.map((r, i) => reportJson(r, perReport[i])) },
        null,
        2,
      ));
      return 0;
    }
    console.log(SANDBOX_BANNER);
    console.log(`Last closed billing period (pbp -1), ${conn.sourceUrl}\n`);
    console.log(totalsTable(priced));
    console.log(`\n${moneyNote(priced, rates.source)}`);
    console.log(`\n${changeNote(priced)}`);
    const unchecked = priced.flatMap((r) =>
      uncheckedLines(r, " ").map((u) => `  ${r.scopeName}:${u}`)
    );
    if (unchecked.length > 0) {
      console.log(`\nPartly reconciled (totals not available to the account used):`);
      for (const line of unchecked) console.log(line);
    }
    console.log(`\n${files.length} files in ${outDir}, ${requests} requests:`);
    for (const f of files) {
      console.log(`  ${f.path}${f.format === "focus" ? "  (FOCUS 1.2, for FinOps tools)" : ""}`);
    }
    return 0;
  } finally {
    await conn.close();
  }
}

/** The demo's table: organisation, units, items, coins, money, reconciliation. */
export function totalsTable(reports: readonly ChargeReport[]): string {
  const rows = reports.map((r) => [
    r.scopeName,
    String(Object.keys(r.totals.byUnit).length),
    String(r.totals.grand.items),
    r.totals.grand.coins,
    r.pricing ? moneyText(r.pricing) : "-",
    !r.reconciliation.ok
      ? reconciliationText(r)
      : r.reconciliation.unchecked?.length
      ? "OK (partly, see below)"
      : "OK",
  ]);
  return textTable(["organisation", "units", "items", "coins", "money", "reconciled"], rows);
}

/** What the XLSX Change sheets hold: per organisation, how many lines are flagged. */
function changeNote(reports: readonly ChargeReport[]): string {
  const lines = [
    `Change since the previous period (pbp -2), in each XLSX file's Change sheet:`,
  ];
  for (const r of reports) {
    const c = r.change;
    if (c === undefined) continue;
    lines.push(
      c.status === "compared"
        ? `  ${r.scopeName}: ${c.flagged} of ${
          c.units.length + c.products.length
        } lines flagged (changed by more than ${c.threshold} %), ${c.newProducts.length} new ` +
          `and ${c.vanishedProducts.length} vanished products`
        : `  ${r.scopeName}: not compared: ${c.note ?? c.status}`,
    );
  }
  return lines.join("\n");
}

/** `161.81 EUR` (sum of the rounded rows), one per currency. */
function moneyText(pricing: ReportPricing): string {
  return pricing.currencies.map((c) => `${c.sumOfRoundedRows} ${c.currency}`).join(" + ") ||
    "0";
}

/** How the money was computed, and where rounding row by row differs from rounding the sum. */
function moneyNote(reports: readonly ChargeReport[], source: string): string {
  const lines = [
    `Money: coins × price per coin from ${source}, each row rounded half-to-even to the\n` +
    `currency's minor unit (JPY has none); totals are the sums of the rounded rows.`,
  ];
  for (const r of reports) {
    for (const c of r.pricing?.currencies ?? []) {
      if (/^-?0*(\.0*)?$/.test(c.difference)) continue;
      lines.push(
        `  ${r.scopeName}: rounding the exact sum (${c.exactSum}) instead gives ` +
          `${c.roundedExactSum} ${c.currency}, a difference of ${c.difference}`,
      );
    }
  }
  return lines.join("\n");
}

if (import.meta.main) {
  await runCli(main, { name: "demo" });
}

/**
 * `deno task demo`: starts the sandbox in this process, exports the last closed billing
 * period (pbp -1) of every organisation to XLSX and CSV in ./reports-out, prints a short
 * totals table and stops the sandbox. Needs no configuration and no network.
 *
 * @module
 */

import { unwrap } from "../client/as/api_rv.ts";
import { collectCharges } from "../reports/charges/collect.ts";
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
import { parseFlags, runCli } from "./cli.ts";
import { connect } from "./connect.ts";

const HELP = `Demo: export last period's charges from the built-in sandbox.

Usage:
  deno task demo [--out-dir DIR] [--json]

Starts the sandbox (simulated Account Server and Keycloak) in this process, exports the
last closed billing period (pbp -1) of every organisation to XLSX and CSV, prints a totals
table and stops. Every file says SANDBOX DATA.

Options:
  --out-dir DIR   where the files go (default ${DEFAULT_OUT_DIR})
  --json          print the reports and files as JSON on stdout
  --debug         print stack traces of errors
  --help          show this help

Next: deno task charges --help (the same export against a real Account Server).`;

/** Runs the demo; returns the exit status. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    options: {
      "out-dir": { type: "string" },
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
  const conn = await connect({ sandbox: true });
  try {
    const ctx = { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: true };
    const token = await conn.tokens.getToken();
    const orgs = unwrap(await conn.api.getOrganisations(token), "List organisations");
    const reports: ChargeReport[] = [];
    let requests = 1;
    // One organisation at a time: each fans out over its products with bounded concurrency.
    for (const org of orgs.organisations) {
      const result = await collectCharges(ctx, {
        scope: { kind: "organisation", ref: org.id },
        period: { pbp: -1 },
      });
      requests += result.requests;
      reports.push(result.report);
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
    const files = await exportReportsToFiles(reports, { formats: ["xlsx", "csv"], outDir });
    const perReport = reports.map((_, i) => files.slice(i * 2, i * 2 + 2));
    if (values.json) {
      console.log(JSON.stringify(
        { sandbox: true, requests, reports: reports.map((r, i) => reportJson(r, perReport[i])) },
        null,
        2,
      ));
      return 0;
    }
    console.log(SANDBOX_BANNER);
    console.log(`Last closed billing period (pbp -1), ${conn.sourceUrl}\n`);
    console.log(totalsTable(reports));
    const unchecked = reports.flatMap((r) =>
      uncheckedLines(r, " ").map((u) => `  ${r.scopeName}:${u}`)
    );
    if (unchecked.length > 0) {
      console.log(`\nPartly reconciled (totals not available to the account used):`);
      for (const line of unchecked) console.log(line);
    }
    console.log(`\n${files.length} files in ${outDir}, ${requests} requests:`);
    for (const f of files) console.log(`  ${f.path}`);
    return 0;
  } finally {
    await conn.close();
  }
}

/** The demo's table: organisation, units, items, coins, reconciliation. */
export function totalsTable(reports: readonly ChargeReport[]): string {
  const rows = reports.map((r) => [
    r.scopeName,
    String(Object.keys(r.totals.byUnit).length),
    String(r.totals.grand.items),
    r.totals.grand.coins,
    !r.reconciliation.ok
      ? reconciliationText(r)
      : r.reconciliation.unchecked?.length
      ? "OK (partly, see below)"
      : "OK",
  ]);
  return textTable(["organisation", "units", "items", "coins", "reconciled"], rows);
}

if (import.meta.main) {
  await runCli(main, { name: "demo" });
}

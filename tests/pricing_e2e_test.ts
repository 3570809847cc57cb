// Prices in money and the FOCUS export end to end, through real HTTP against one sandbox:
// the charges script (--rates, --format csv,focus, --allow-unpriced), the report server's
// priced FOCUS download, and the scheduled job (REPORTS_RATES, CRON_FORMATS=focus). Every
// expected amount is recomputed here with big.js from the coins in the files.
import assert from "node:assert/strict";
import { join } from "node:path";
import Big from "big.js";
import { parse } from "csv-parse/sync";
import { AsApi } from "../client/as/mod.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import { parseRates } from "../reports/pricing/rates.ts";
import { createReportServer } from "../reports/server/app.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { entries, runScript, sandboxEnv } from "./fixtures/script_run.ts";

const NOW = "2026-11-20T12:00:00Z";
const SIZES = { productsPerUnit: 2, processingChargesPerPeriod: 3 };
const ACME = "Acme Chemistry, Ltd.";
const HEADER = "subject,currency,price_per_coin,effective_from\n";
/** Acme at 0.125 EUR per coin, its unit Crystallography at 0.1 EUR (the unit's rate wins). */
const RATES = HEADER + `"${ACME}",EUR,0.125,2020-01-01\nCrystallography,EUR,0.1,2020-01-01\n`;
const PRICE: Record<string, string> = { Crystallography: "0.1" };
const priceOf = (unit: string) => PRICE[unit] ?? "0.125";

type Row = Record<string, string>;
const csvRows = (text: string): Row[] => parse(text, { columns: true, bom: true }) as Row[];
/** big.js: coins × price rounded half-to-even to 2 decimals. */
const cents = (coins: string, price: string) => new Big(coins).times(price).round(2, 2);
const sum = (values: Iterable<Big | string>) => {
  let total = new Big(0);
  for (const v of values) total = total.plus(v);
  return total;
};

async function withSandbox(test: (sandbox: RunningSandbox, dir: string) => Promise<void>) {
  const sandbox = await startSandbox({ port: 0, seed: 7, now: NOW, quiet: true, sizes: SIZES });
  const dir = await Deno.makeTempDir({ prefix: "pricing_e2e_" });
  try {
    await test(sandbox, dir);
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("charges --rates --format csv,focus: rows priced half-even, totals both ways, FOCUS sums to them", async () => {
  await withSandbox(async (sandbox, dir) => {
    const rates = join(dir, "rates.csv");
    await Deno.writeTextFile(rates, RATES);
    const out = join(dir, "out");
    const args = ["org", ACME, "--pbp", "-1", "--rates", rates, "--format", "csv,focus"];
    const run = await runScript(
      "scripts/charges.ts",
      [...args, "--out-dir", out, "--json"],
      sandboxEnv(sandbox),
    );
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout).reports[0];
    const names = await entries(out);
    const csvName = names.find((n) => n.endsWith(".csv") && !n.endsWith("_focus.csv"))!;
    const focusName = names.find((n) => n.endsWith("_focus.csv"))!;
    assert.ok(csvName && focusName, names.join(", "));
    const rows = csvRows(await Deno.readTextFile(join(out, csvName)));
    assert.ok(rows.length > 10);
    // Every row: price of its unit, amount = coins × price rounded half-to-even to cents.
    for (const r of rows) {
      assert.equal(r.currency, "EUR");
      assert.equal(r.price_per_coin, priceOf(r.unit_name));
      assert.equal(r.amount, cents(r.coins, r.price_per_coin).toFixed(2), `charge ${r.charge_id}`);
    }
    const eur = report.pricing.currencies[0];
    assert.equal(report.pricing.currencies.length, 1);
    const rounded = sum(rows.map((r) => r.amount));
    const exact = sum(rows.map((r) => new Big(r.coins).times(r.price_per_coin)));
    assert.equal(eur.sumOfRoundedRows, rounded.toFixed(2));
    assert.equal(eur.roundedExactSum, exact.round(2, 2).toFixed(2));
    assert.ok(new Big(eur.exactSum).eq(exact));
    assert.ok(new Big(eur.difference).eq(rounded.minus(exact.round(2, 2))));
    // FOCUS: one row per charge, billed in EUR, sum(BilledCost) = the sum of the rounded
    // rows; the coins are kept exactly (x_Coins and PricingQuantity).
    const focus = csvRows(await Deno.readTextFile(join(out, focusName)));
    assert.equal(focus.length, rows.length);
    assert.ok(focus.every((f) => f.BillingCurrency === "EUR" && f.PricingCurrency === "Coins"));
    assert.ok(sum(focus.map((f) => f.BilledCost)).eq(rounded));
    assert.ok(sum(focus.map((f) => f.x_Coins)).eq(new Big(report.totals.grand.coins)));
    assert.ok(sum(focus.map((f) => f.PricingQuantity)).eq(new Big(report.totals.grand.coins)));
    assert.ok(focus.every((f) => f.x_DataSource === "SANDBOX"));
  });
});

Deno.test("charges --rates: a unit without a rate exits 2 naming it, nothing written; --allow-unpriced writes it unpriced", async () => {
  await withSandbox(async (sandbox, dir) => {
    const rates = join(dir, "rates.csv");
    // Only Crystallography has a rate: Acme's other units have none.
    await Deno.writeTextFile(rates, HEADER + "Crystallography,EUR,0.1,2020-01-01\n");
    const out = join(dir, "out");
    const args = ["org", ACME, "--pbp", "-1", "--rates", rates, "--format", "csv"];
    const refused = await runScript(
      "scripts/charges.ts",
      [...args, "--out-dir", out],
      sandboxEnv(sandbox),
    );
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /No rate in .*rates\.csv for unit "/);
    assert.match(refused.stderr, /--allow-unpriced/);
    assert.deepEqual(await entries(out), []);
    const allowed = await runScript(
      "scripts/charges.ts",
      [...args, "--out-dir", out, "--allow-unpriced"],
      sandboxEnv(sandbox),
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /unpriced: \d+ rows/);
    const [name] = await entries(out);
    const rows = csvRows(await Deno.readTextFile(join(out, name)));
    for (const r of rows) {
      const priced = r.unit_name === "Crystallography";
      assert.equal(r.currency, priced ? "EUR" : "", r.unit_name);
      assert.equal(r.amount, priced ? cents(r.coins, "0.1").toFixed(2) : "");
    }
    // A bad rates file is refused before any request.
    await Deno.writeTextFile(rates, HEADER + "Crystallography,EURO,0.1,2020-01-01\n");
    const bad = await runScript("scripts/charges.ts", [...args, "--out-dir", out], {});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /rates\.csv line 2: Unknown currency "EURO"/);
  });
});

Deno.test("report server with rates: the FOCUS download is priced; a unit without a rate is refused naming it", async () => {
  await withSandbox(async (sandbox) => {
    const api = new AsApi({ url: sandbox.asUrl, warn: () => {} });
    const tokens = new KeycloakTokenSource({
      keycloakUrl: sandbox.keycloakUrl,
      realm: sandbox.realm,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    });
    const orgs = await api.getOrganisations(await tokens.getToken());
    assert.ok(orgs.success);
    const acme = orgs.msg.organisations.find((o) => o.name === ACME)!;
    const server = (rates: string) =>
      createReportServer({
        api,
        tokens,
        sourceUrl: sandbox.asUrl,
        sandbox: true,
        now: () => new Date(NOW),
        auth: { tokens: ["s3cret-for-pricing-test"] },
        log: () => {},
        rates: parseRates(rates, "rates.csv"),
      });
    const headers = { authorization: "Bearer s3cret-for-pricing-test" };
    const path = `/reports/charges/organisation/${acme.id}`;
    const app = server(RATES);
    const res = await app.request(`${path}.focus.csv?pbp=-1`, { headers });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(res.headers.get("content-disposition") ?? "", /_sandbox_focus\.csv"/);
    const focus = csvRows(await res.text());
    assert.ok(focus.length > 10);
    for (const f of focus) {
      assert.equal(f.BillingCurrency, "EUR");
      assert.equal(f.BilledCost, cents(f.x_Coins, priceOf(f.SubAccountName)).toFixed(2));
    }
    assert.ok(
      sum(focus.map((f) => f.x_Coins)).eq(new Big(res.headers.get("x-report-total-coins")!)),
    );
    // The plain CSV download carries the money columns too.
    const csv = await app.request(`${path}.csv?pbp=-1`, { headers });
    assert.equal(csv.status, 200);
    const rows = csvRows(await csv.text());
    assert.ok(sum(rows.map((r) => r.amount)).eq(sum(focus.map((f) => f.BilledCost))));
    // Without a rate for Acme's other units: refused, naming a unit, no file.
    const strict = server(HEADER + "Crystallography,EUR,0.1,2020-01-01\n");
    const refused = await strict.request(`${path}.focus.csv?pbp=-1`, {
      headers: { ...headers, accept: "application/json" },
    });
    assert.equal(refused.status, 500);
    const page = await refused.text();
    assert.match(page, /No rate in rates\.csv for unit/);
    // Advice for the reader (ask the administrator), not the charges script's flag.
    assert.match(page, /Ask the administrator of this server/);
    assert.doesNotMatch(page, /--allow-unpriced/);
  });
});

Deno.test("cron --once with REPORTS_RATES and CRON_FORMATS=focus stores priced FOCUS files", async () => {
  await withSandbox(async (sandbox, dir) => {
    const store = join(dir, "store");
    const run = await runScript(
      "scripts/cron.ts",
      ["--once", "--at", "2026-11-03T02:15:00Z", "--store", store, "--json"],
      {
        ...sandboxEnv(sandbox),
        CRON_FORMATS: "focus,csv",
        REPORTS_RATES: "sandbox/data/demo_rates.csv",
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(result.failed, []);
    const focusFiles = (await entries(store)).filter((n) => n.endsWith("_focus.csv"));
    assert.ok(focusFiles.length > 0);
    assert.equal(focusFiles.length, result.exported.length);
    const currencies = new Set<string>();
    for (const name of focusFiles) {
      const rows = csvRows(await Deno.readTextFile(join(store, name)));
      for (const r of rows) currencies.add(r.BillingCurrency);
      const csv = csvRows(await Deno.readTextFile(join(store, name.replace("_focus.csv", ".csv"))));
      assert.ok(sum(rows.map((r) => r.BilledCost)).eq(sum(csv.map((r) => r.amount))), name);
    }
    // The demo rates price every demo organisation: no XXX (unpriced) row anywhere.
    assert.ok(!currencies.has("XXX"), [...currencies].join(","));
    assert.ok(currencies.size > 1, [...currencies].join(","));
  });
});

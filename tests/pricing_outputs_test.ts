// Where the money of a priced report shows: CSV money columns (only when priced), the XLSX
// Summary's money section, the --json document and the printed lines. Worked example:
// three rows of 0.5 coins at 0.25 EUR: each 0.125 → 0.12 (half-even), rows 0.36, exact
// 0.375 → 0.38, difference -0.02.
import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import type { ChargeRow } from "../reports/charges/model.ts";
import { reportJson, reportLines } from "../reports/charges/summary.ts";
import { parseRates, priceReport } from "../reports/pricing/mod.ts";
import { renderToBytes } from "../reports/writers/export.ts";
import { reportFromRows } from "./fixtures/synthetic_rows.ts";

function row(chargeId: number, coins: string): ChargeRow {
  return {
    organisationId: "org-1",
    organisationName: "Acme",
    unitId: "unit-a",
    unitName: "Alpha",
    billingDay: 3,
    periodFrom: "2026-10-03",
    periodUntil: "2026-11-03",
    productId: "product-1",
    productName: "Project X",
    productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    productFlavour: "",
    chargeType: "STORAGE",
    chargeId,
    timestamp: "2026-10-10",
    username: "",
    merchant: "",
    jobCollection: "",
    jobJob: "",
    jobVersion: "",
    closed: "",
    final: false,
    coins,
  };
}

const report = reportFromRows([row(1, "0.5"), row(2, "0.5"), row(3, "0.5")]);
const rates = parseRates(
  "subject,currency,price_per_coin,effective_from\nAcme,EUR,0.25,2026-01-01\n",
  "rates.csv",
);

Deno.test("CSV: price_per_coin, amount, currency after the charge columns only when priced", async () => {
  const plain = parse(new TextDecoder().decode(await renderToBytes(report, "csv"))) as string[][];
  assert.ok(!plain[0].includes("amount") && !plain[0].includes("currency"));
  const priced = await priceReport(report, rates);
  const records = parse(
    new TextDecoder().decode(await renderToBytes(priced, "csv")),
    { columns: true },
  ) as Record<string, string>[];
  assert.deepEqual(
    records.map((r) => [r.coins, r.price_per_coin, r.amount, r.currency]),
    [["0.5", "0.25", "0.12", "EUR"], ["0.5", "0.25", "0.12", "EUR"], [
      "0.5",
      "0.25",
      "0.12",
      "EUR",
    ]],
  );
  const header = Object.keys(records[0]);
  assert.equal(header.indexOf("price_per_coin"), header.indexOf("coins") + 1);
});

Deno.test("XLSX Summary: a money section with both totals and the difference", async () => {
  const priced = await priceReport(report, rates);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await renderToBytes(priced, "xlsx")).buffer as ArrayBuffer);
  const summary = workbook.getWorksheet("Summary")!;
  const rows: unknown[][] = [];
  summary.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  const text = (v: unknown) =>
    typeof v === "object" && v !== null && "richText" in v
      ? (v as { richText: { text: string }[] }).richText.map((t) => t.text).join("")
      : v;
  // Array.from turns the holes exceljs leaves for empty cells into undefined.
  const cells = rows.map((r) => Array.from(r, text));
  const title = cells.findIndex((r) => r[0] === "Money (priced with rates.csv)");
  assert.ok(title > 0, JSON.stringify(cells));
  // One line per measure, on the totals tables' columns: label, currency, -, -, rows, the
  // amount as a number, the exact text (exceljs reads empty cells back as undefined).
  const eur = cells.slice(title).filter((r) => r[1] === "EUR");
  assert.deepEqual(eur, [
    ["Coins priced", "EUR", undefined, undefined, 3, 1.5, "1.5"],
    ["Sum of rounded rows", "EUR", undefined, undefined, 3, 0.36, "0.36"],
    ["Rounded exact sum", "EUR", undefined, undefined, undefined, 0.38, "0.38"],
    ["Difference", "EUR", undefined, undefined, undefined, -0.02, "-0.02"],
    ["Exact sum (unrounded)", "EUR", undefined, undefined, undefined, undefined, "0.375"],
  ]);
  const unit = cells.slice(title).find((r) => r[1] === "unit-a" && r[3] === "EUR")!;
  assert.deepEqual(unit, ["Alpha", "unit-a", "Acme", "EUR", undefined, 0.36, "0.36"]);
  // An unpriced report has no money section.
  const plainBook = new ExcelJS.Workbook();
  await plainBook.xlsx.load((await renderToBytes(report, "xlsx")).buffer as ArrayBuffer);
  let money = false;
  plainBook.getWorksheet("Summary")!.eachRow((r) => {
    if (String(text((r.values as unknown[])[1])).startsWith("Money")) money = true;
  });
  assert.equal(money, false);
});

Deno.test("--json carries the pricing, and the printed lines show the rounding difference", async () => {
  const priced = await priceReport(report, rates);
  const json = JSON.parse(JSON.stringify(reportJson(priced, [])));
  assert.equal(json.pricing.currencies[0].sumOfRoundedRows, "0.36");
  assert.equal(json.pricing.currencies[0].roundedExactSum, "0.38");
  assert.equal(json.pricing.currencies[0].difference, "-0.02");
  assert.equal("pricing" in JSON.parse(JSON.stringify(reportJson(report, []))), false);
  const lines = reportLines(priced, []).join("\n");
  assert.match(
    lines,
    /money EUR: 0\.36 \(sum of 3 rounded rows; exact sum 0\.375 rounds to 0\.38\); rounding difference -0\.02 EUR/,
  );
  // 0.5 and 0.54 coins: 0.125 → 0.12 and 0.135 → 0.14, rows 0.26; exact 0.260: no difference shown.
  const two = await priceReport(reportFromRows([row(1, "0.5"), row(2, "0.54")]), rates);
  assert.doesNotMatch(reportLines(two, []).join("\n"), /rounding difference/);
});

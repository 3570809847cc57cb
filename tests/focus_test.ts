// The FOCUS 1.2 export: every mandatory column present, each format rule of the
// specification (UTC date-times, plain decimals, nulls as empty, allowed values, x_ custom
// columns), and sum(BilledCost) equal to the report's exact total (big.js oracle). The
// expected column list and rules are written out here from the specification, not taken
// from the code under test.
import assert from "node:assert/strict";
import Big from "big.js";
import { UsageError } from "../client/errors.ts";
import { parse } from "csv-parse/sync";
import type { ChargeRow } from "../reports/charges/model.ts";
import { parseFormats, renderToBytes, reportFileName } from "../reports/writers/export.ts";
import { parseRates, priceReport } from "../reports/pricing/mod.ts";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { reportFromRows, syntheticReport } from "./fixtures/synthetic_rows.ts";

/** FOCUS 1.2: the columns whose feature level is Mandatory. */
const MANDATORY = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "ServiceCategory",
  "ServiceName",
];
/** Mandatory columns that may hold nulls (ChargeClass: null unless a correction). */
const NULLABLE = new Set(["ChargeClass"]);
/** Every FOCUS 1.2 column this export may use besides the mandatory ones. */
const OTHER_FOCUS = new Set([
  "ChargeFrequency",
  "PricingCurrency",
  "PricingCurrencyContractedUnitPrice",
  "PricingCurrencyEffectiveCost",
  "PricingCurrencyListUnitPrice",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "ServiceSubcategory",
  "SubAccountId",
  "SubAccountName",
]);
const DATE_TIME = [
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargePeriodEnd",
  "ChargePeriodStart",
];
const DECIMAL = [
  "BilledCost",
  "ContractedCost",
  "EffectiveCost",
  "ListCost",
  "PricingQuantity",
  "PricingCurrencyContractedUnitPrice",
  "PricingCurrencyEffectiveCost",
  "PricingCurrencyListUnitPrice",
];
/** DateTimeFormat: extended ISO 8601 in UTC, `YYYY-MM-DDTHH:mm:ssZ`. */
const FOCUS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** NumericFormat: optional minus, digits, optional single point; no +, no exponent, no commas. */
const FOCUS_NUMBER = /^-?\d+(\.\d+)?$/;
const SERVICE_CATEGORIES = new Set([
  "AI and Machine Learning",
  "Analytics",
  "Business Applications",
  "Compute",
  "Databases",
  "Developer Tools",
  "Multicloud",
  "Identity",
  "Integration",
  "Internet of Things",
  "Management and Governance",
  "Media",
  "Migration",
  "Mobile",
  "Networking",
  "Security",
  "Storage",
  "Web",
  "Other",
]);
const CHARGE_CATEGORIES = new Set(["Usage", "Purchase", "Tax", "Credit", "Adjustment"]);
/** ChargeFrequency allowed values (FOCUS 1.2). */
const CHARGE_FREQUENCIES = new Set(["One-Time", "Recurring", "Usage-Based"]);
/**
 * ServiceSubcategory allowed values (FOCUS 1.2, rule ServiceSubcategory-C-004-M of the
 * requirements model) under the two categories this export uses; each subcategory has
 * exactly one parent ServiceCategory.
 */
const SERVICE_SUBCATEGORIES: { [category: string]: Set<string> } = {
  Compute: new Set([
    "Containers",
    "End User Computing",
    "Quantum Compute",
    "Serverless Compute",
    "Virtual Machines",
    "Other (Compute)",
  ]),
  Storage: new Set([
    "Backup Storage",
    "Block Storage",
    "File Storage",
    "Object Storage",
    "Storage Platforms",
    "Other (Storage)",
  ]),
};
/** The ISO 4217 codes of national currencies used in these tests, and XXX (no currency). */
const ISO_4217 = new Set(["EUR", "JPY", "USD", "GBP", "KWD", "XXX"]);

type Record = { [column: string]: string };

async function focusRows(report: Parameters<typeof renderToBytes>[0]) {
  const text = new TextDecoder().decode(await renderToBytes(report, "focus"));
  const [header, ...rows] = parse(text, { relax_quotes: false }) as string[][];
  return {
    text,
    header,
    records: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])) as Record),
  };
}

/** Checks every FOCUS rule the export follows on every row; returns nothing, throws on a break. */
function assertFocusRules(header: string[], records: Record[]): void {
  for (const column of MANDATORY) assert.ok(header.includes(column), `missing ${column}`);
  assert.equal(new Set(header).size, header.length, "duplicate columns");
  for (const column of header) {
    if (MANDATORY.includes(column) || OTHER_FOCUS.has(column)) {
      // ColumnHandling: FOCUS Column IDs are Pascal case, alphanumeric, at most 50 characters.
      assert.match(column, /^[A-Z][A-Za-z0-9]{0,49}$/, `FOCUS column ${column}`);
      continue;
    }
    assert.match(column, /^x_[A-Z][A-Za-z0-9]*$/, `custom column ${column} needs the x_ prefix`);
  }
  // ColumnHandling: FOCUS columns first, sorted by Column ID; custom columns after them.
  const firstCustom = header.findIndex((c) => c.startsWith("x_"));
  const focusColumns = header.slice(0, firstCustom < 0 ? header.length : firstCustom);
  assert.ok(header.slice(focusColumns.length).every((c) => c.startsWith("x_")), "intermixed");
  assert.deepEqual(focusColumns, [...focusColumns].sort(), "FOCUS columns in Column ID order");
  const customColumns = header.slice(focusColumns.length);
  assert.deepEqual(customColumns, [...customColumns].sort(), "custom columns in Column ID order");
  for (const [i, r] of records.entries()) {
    const at = `row ${i + 1}`;
    for (const column of MANDATORY) {
      if (!NULLABLE.has(column)) assert.notEqual(r[column], "", `${at}: ${column} is null`);
    }
    for (const column of DATE_TIME) assert.match(r[column], FOCUS_DATE_TIME, `${at}: ${column}`);
    for (const column of DECIMAL) assert.match(r[column], FOCUS_NUMBER, `${at}: ${column}`);
    assert.ok(r.BillingPeriodStart < r.BillingPeriodEnd, `${at}: billing period`);
    assert.ok(r.ChargePeriodStart < r.ChargePeriodEnd, `${at}: charge period`);
    assert.match(r.BillingCurrency, /^[A-Z]{3}$/, `${at}: BillingCurrency`);
    assert.ok(CHARGE_CATEGORIES.has(r.ChargeCategory), `${at}: ChargeCategory`);
    assert.equal(r.ChargeCategory, "Usage");
    assert.ok(r.ChargeClass === "" || r.ChargeClass === "Correction", `${at}: ChargeClass`);
    assert.ok(SERVICE_CATEGORIES.has(r.ServiceCategory), `${at}: ServiceCategory`);
    assert.ok(
      SERVICE_SUBCATEGORIES[r.ServiceCategory]?.has(r.ServiceSubcategory),
      `${at}: ServiceSubcategory ${r.ServiceSubcategory} under ${r.ServiceCategory}`,
    );
    assert.equal(r.ServiceSubcategory, `Other (${r.ServiceCategory})`);
    assert.ok(CHARGE_FREQUENCIES.has(r.ChargeFrequency), `${at}: ChargeFrequency`);
    assert.equal(r.ChargeFrequency, "Usage-Based");
    // Regular charges of the current billing period: ChargeClass null (only a correction to
    // a previously invoiced period is "Correction").
    assert.equal(r.ChargeClass, "", `${at}: ChargeClass`);
    // CurrencyFormat: a national currency as an ISO 4217 code; the pricing currency is the
    // virtual currency "Coins", a name, not a three-letter code.
    assert.ok(ISO_4217.has(r.BillingCurrency), `${at}: BillingCurrency ${r.BillingCurrency}`);
    assert.equal(r.PricingCurrency, "Coins");
    // The conditional columns that depend on each other.
    if (r.ResourceId !== "") assert.notEqual(r.ResourceType, "", `${at}: ResourceType`);
    if (r.ResourceId === "") assert.equal(r.ResourceName, "", `${at}: ResourceName`);
    assert.notEqual(r.ResourceName, r.ResourceId, `${at}: ResourceName repeats ResourceId`);
    if (r.SubAccountId !== "") assert.notEqual(r.SubAccountName, "", `${at}: SubAccountName`);
    // Unit prices are non-negative.
    assert.ok(!r.PricingCurrencyListUnitPrice.startsWith("-"), `${at}: list unit price`);
    assert.ok(!r.PricingCurrencyContractedUnitPrice.startsWith("-"), `${at}: contracted`);
    // No discounts or commitments: all four costs are the same amount.
    assert.equal(r.EffectiveCost, r.BilledCost, `${at}: EffectiveCost`);
    assert.equal(r.ListCost, r.BilledCost, `${at}: ListCost`);
    assert.equal(r.ContractedCost, r.BilledCost, `${at}: ContractedCost`);
    // In the pricing currency (coins): unit price × quantity = cost, exactly.
    assert.ok(
      new Big(r.PricingCurrencyListUnitPrice).times(r.PricingQuantity)
        .eq(new Big(r.PricingCurrencyEffectiveCost)),
      `${at}: PricingCurrencyListUnitPrice × PricingQuantity`,
    );
    assert.equal(r.PricingUnit, "Coins");
  }
}

Deno.test("FOCUS 1.2: every mandatory column and format rule, sum(BilledCost) = the exact coin total", async () => {
  const report = syntheticReport(300, { seed: 7 });
  const { header, records, text } = await focusRows(report);
  assert.equal(records.length, 300);
  assertFocusRules(header, records);
  const coins = [...report.rows as Iterable<ChargeRow>].map((r) => r.coins);
  // Unpriced: billed in XXX (ISO 4217 "no currency"), costs in coins, exactly.
  assert.ok(records.every((r) => r.BillingCurrency === "XXX" && r.x_PricePerCoin === ""));
  assert.ok(oracleSum(records.map((r) => r.BilledCost)).eq(oracleSum(coins)));
  assert.ok(oracleSum(records.map((r) => r.BilledCost)).eq(new Big(report.totals.grand.coins)));
  // The synthetic rows hold refunds: a negative cost keeps its sign, and nothing is
  // prefixed against formula injection (FOCUS files are for FinOps tools).
  assert.ok(records.some((r) => r.BilledCost.startsWith("-")));
  assert.ok(records.some((r) => r.BillingAccountName.startsWith("=HYPERLINK")));
  // RFC 4180 records: CRLF after the header and after every row.
  assert.equal(text.split("\r\n").length, 302);
  assert.equal(records[0].x_DataSource, "SANDBOX");
});

function row(over: Partial<ChargeRow>): ChargeRow {
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
    productType: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
    productFlavour: "GOLD",
    chargeType: "PROCESSING",
    chargeId: 10,
    timestamp: "2026-10-05T10:30:02.750Z",
    username: "ada",
    merchant: "Data Manager",
    jobCollection: "im-test",
    jobJob: "nop",
    jobVersion: "1.0.0",
    closed: "2026-10-05T10:37:02Z",
    final: true,
    coins: "+0.50",
    ...over,
  };
}

Deno.test("FOCUS mapping of one processing charge and one storage item, worked by hand", async () => {
  const report = reportFromRows([
    row({}),
    row({
      chargeType: "STORAGE",
      chargeId: 3,
      timestamp: "2026-10-31",
      closed: "",
      username: "",
      merchant: "",
      jobCollection: "",
      jobJob: "",
      jobVersion: "",
      final: false,
      coins: "0.1250",
    }),
    // Open (no close yet) and without an offset: UTC, one second long.
    row({ chargeId: 11, timestamp: "2026-10-06T23:59:59", closed: "", coins: "1" }),
  ], { sandbox: false });
  const { header, records } = await focusRows(report);
  assertFocusRules(header, records);
  const [p, s, open] = records;
  assert.equal(p.BillingAccountId, "org-1");
  assert.equal(p.BillingAccountName, "Acme");
  assert.equal(p.SubAccountId, "unit-a");
  assert.equal(p.SubAccountName, "Alpha");
  assert.equal(p.ResourceId, "product-1");
  assert.equal(p.ResourceName, "Project X");
  assert.equal(p.ResourceType, "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION");
  assert.equal(p.BillingPeriodStart, "2026-10-03T00:00:00Z");
  assert.equal(p.BillingPeriodEnd, "2026-11-03T00:00:00Z");
  assert.equal(p.ChargePeriodStart, "2026-10-05T10:30:02Z"); // cut to the second
  assert.equal(p.ChargePeriodEnd, "2026-10-05T10:37:02Z");
  assert.equal(p.ServiceCategory, "Compute");
  assert.equal(p.ServiceName, "Data Manager");
  assert.equal(p.ChargeDescription, "Processing: job im-test/nop 1.0.0 on Data Manager");
  assert.equal(p.BilledCost, "0.50"); // "+0.50": no plus sign
  assert.equal(p.BillingCurrency, "XXX");
  assert.equal(p.PricingCurrency, "Coins");
  assert.equal(p.x_ChargeType, "PROCESSING");
  assert.equal(p.x_DataSource, "ACCOUNT_SERVER");
  assert.equal(s.ServiceCategory, "Storage");
  assert.equal(s.ChargePeriodStart, "2026-10-31T00:00:00Z");
  assert.equal(s.ChargePeriodEnd, "2026-11-01T00:00:00Z");
  assert.equal(
    s.ChargeDescription,
    "Daily storage: Project X (DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION GOLD)",
  );
  assert.equal(s.BilledCost, "0.1250");
  assert.equal(s.x_Username, "");
  assert.equal(open.ChargePeriodStart, "2026-10-06T23:59:59Z");
  assert.equal(open.ChargePeriodEnd, "2026-10-07T00:00:00Z");
});

Deno.test("FOCUS of a priced report: billed in the rate's currency, rounded per row; sum(BilledCost) = sum of rounded rows", async () => {
  // 0.5 coins × 0.25 EUR = 0.125 → 0.12; 0.54 × 0.25 = 0.135 → 0.14; -0.5 × 0.25 → -0.12;
  // 1.5 coins × 3 JPY = 4.5 → 4.
  const report = reportFromRows([
    row({ coins: "0.5" }),
    row({ chargeId: 11, coins: "0.54" }),
    row({ chargeId: 12, coins: "-0.5" }),
    row({ chargeId: 13, unitId: "unit-j", unitName: "Japan", coins: "1.5" }),
  ]);
  const rates = parseRates(
    "subject,currency,price_per_coin,effective_from\nAlpha,EUR,0.25,2026-01-01\n" +
      "Japan,JPY,3,2026-01-01\n",
    "rates.csv",
  );
  const priced = await priceReport(report, rates);
  const { header, records } = await focusRows(priced);
  assertFocusRules(header, records);
  assert.deepEqual(records.map((r) => [r.BilledCost, r.BillingCurrency, r.x_PricePerCoin]), [
    ["0.12", "EUR", "0.25"],
    ["0.14", "EUR", "0.25"],
    ["-0.12", "EUR", "0.25"],
    ["4", "JPY", "3"],
  ]);
  const eur = records.filter((r) => r.BillingCurrency === "EUR").map((r) => r.BilledCost);
  assert.equal(oracleSum(eur).toFixed(2), "0.14");
  assert.equal(priced.pricing?.currencies[0].sumOfRoundedRows, "0.14");
  // The coins are still there, exactly, in the pricing currency.
  assert.deepEqual(records.map((r) => r.PricingCurrencyEffectiveCost), [
    "0.5",
    "0.54",
    "-0.5",
    "1.5",
  ]);
});

Deno.test("FOCUS: the format is parsed, named ..._focus.csv, and an unreconciled report says so on every row", async () => {
  assert.deepEqual(parseFormats("xlsx, focus,csv"), ["xlsx", "focus", "csv"]);
  const report = reportFromRows([row({})], {
    scope: "unit",
    scopeId: "unit-a",
    scopeName: "Alpha",
    reconciliation: { ok: false, checked: 0, mismatches: [] },
  });
  assert.equal(
    reportFileName(report, "focus"),
    "charges_unit_alpha_2026-10-03_2026-11-28_unreconciled_sandbox_focus.csv",
  );
  const { header, records } = await focusRows(report);
  assertFocusRules(header, records);
  // Custom columns in Column ID order: x_ProductFlavour, x_ReconciliationWarning, x_Username.
  assert.deepEqual(header.slice(-3), ["x_ProductFlavour", "x_ReconciliationWarning", "x_Username"]);
  assert.match(records[0].x_ReconciliationWarning, /^UNRECONCILED: /);
  assert.equal(records[0].x_Username, "ada");
  assert.equal(records[0].x_ProductFlavour, "GOLD");
});

Deno.test("FOCUS charge periods: start cut down to the second (inclusive), close raised to the next second (exclusive)", async () => {
  const report = reportFromRows([
    // 10:30:02.750 → start 10:30:02; closed 10:37:02.001 → end 10:37:03 (not 10:37:02,
    // which would end the period before the charge closed).
    row({ timestamp: "2026-10-05T10:30:02.750Z", closed: "2026-10-05T10:37:02.001Z" }),
    // A close on a whole second stays on it; an offset is converted to UTC.
    row({
      chargeId: 11,
      timestamp: "2026-10-05T23:30:00+02:00",
      closed: "2026-10-06T01:00:00+02:00",
    }),
    // Closed within its starting second (10:00:00.2 → 10:00:00.9): one second long.
    row({ chargeId: 12, timestamp: "2026-10-07T10:00:00.2Z", closed: "2026-10-07T10:00:00.9Z" }),
    // Python-style microseconds without an offset: UTC.
    row({ chargeId: 13, timestamp: "2026-10-08T08:00:00.123456", closed: "2026-10-08T09:00:00.5" }),
  ], { sandbox: false });
  const { header, records } = await focusRows(report);
  assertFocusRules(header, records);
  assert.deepEqual(records.map((r) => [r.ChargePeriodStart, r.ChargePeriodEnd]), [
    ["2026-10-05T10:30:02Z", "2026-10-05T10:37:03Z"],
    ["2026-10-05T21:30:00Z", "2026-10-05T23:00:00Z"],
    ["2026-10-07T10:00:00Z", "2026-10-07T10:00:01Z"],
    ["2026-10-08T08:00:00Z", "2026-10-08T09:00:01Z"],
  ]);
});

Deno.test("FOCUS: a product without a name has a null ResourceName (never its id), and is described by its id", async () => {
  const report = reportFromRows([
    row({
      chargeType: "STORAGE",
      timestamp: "2026-10-09",
      closed: "",
      merchant: "",
      username: "",
      productName: "",
      productFlavour: "",
    }),
    row({ chargeId: 11, productName: "product-1" }), // a name equal to the id: null too
  ], { sandbox: false });
  const { header, records } = await focusRows(report);
  assertFocusRules(header, records);
  const [s, p] = records;
  assert.equal(s.ResourceId, "product-1");
  assert.equal(s.ResourceName, "");
  assert.equal(s.ResourceType, "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION");
  assert.equal(
    s.ChargeDescription,
    "Daily storage: product-1 (DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION)",
  );
  assert.equal(p.ResourceName, "");
});

Deno.test("FOCUS: ProviderName, PublisherName and InvoiceIssuerName are never null", async () => {
  const report = reportFromRows([row({})], { sandbox: false });
  const text = new TextDecoder().decode(
    await renderToBytes(report, "focus", {
      focus: { providerName: "Informatics Matters", invoiceIssuerName: "Acme Finance" },
    }),
  );
  const [header, values] = parse(text) as string[][];
  const record = Object.fromEntries(header.map((h, i) => [h, values[i]]));
  assert.equal(record.ProviderName, "Informatics Matters");
  assert.equal(record.PublisherName, "Squonk2");
  assert.equal(record.InvoiceIssuerName, "Acme Finance");
  for (const key of ["providerName", "publisherName", "invoiceIssuerName"] as const) {
    await assert.rejects(
      () => renderToBytes(report, "focus", { focus: { [key]: " " } }),
      (e) => e instanceof UsageError && e.message.includes(key),
    );
  }
});

Deno.test("FOCUS of a partly priced report (--allow-unpriced): unpriced rows billed in XXX at their coins, price null", async () => {
  // Alpha at 0.10 USD: 1.25 coins → 0.125 → 0.12; 0.35 coins → 0.035 → 0.04 (4 is even).
  // Zeta has no rate: its 2.5 coins stay coins, BillingCurrency XXX.
  const report = reportFromRows([
    row({ coins: "1.25" }),
    row({ chargeId: 11, unitId: "unit-z", unitName: "Zeta", coins: "2.5" }),
    row({ chargeId: 12, coins: "0.35" }),
  ]);
  const rates = parseRates(
    "subject,currency,price_per_coin,effective_from\nAlpha,USD,0.10,2026-01-01\n",
    "rates.csv",
  );
  const priced = await priceReport(report, rates, { allowUnpriced: true });
  const { header, records } = await focusRows(priced);
  assertFocusRules(header, records);
  assert.deepEqual(
    records.map((r) => [r.BillingCurrency, r.BilledCost, r.EffectiveCost, r.x_PricePerCoin]),
    [["USD", "0.12", "0.12", "0.10"], ["XXX", "2.5", "2.5", ""], ["USD", "0.04", "0.04", "0.10"]],
  );
  // Per BillingCurrency: USD sums to the sum of rounded rows, XXX to the unpriced coins.
  const sum = (c: string) =>
    oracleSum(records.filter((r) => r.BillingCurrency === c).map((r) => r.BilledCost));
  assert.equal(sum("USD").toFixed(2), "0.16");
  assert.ok(sum("USD").eq(new Big(priced.pricing?.currencies[0].sumOfRoundedRows ?? "x")));
  assert.ok(sum("XXX").eq(new Big(priced.pricing?.unpricedCoins ?? "x")));
  // The pricing currency is coins on every row, priced or not.
  assert.deepEqual(records.map((r) => r.PricingCurrencyEffectiveCost), ["1.25", "2.5", "0.35"]);
});

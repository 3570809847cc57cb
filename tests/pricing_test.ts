// Prices in money: half-even rounding, minor units, rates files, the rate in force, and the
// totals of a priced report. Every expected value is a worked example derived by hand.
import assert from "node:assert/strict";
import { Coins } from "../client/coins.ts";
import { UsageError } from "../client/errors.ts";
import type { ChargeRow } from "../reports/charges/model.ts";
import {
  minorUnits,
  multiply,
  parseRates,
  priceReport,
  rateFor,
  roundHalfEven,
  rowDate,
} from "../reports/pricing/mod.ts";
import { reportFromRows } from "./fixtures/synthetic_rows.ts";

const round = (text: string, digits: number) => roundHalfEven(Coins.parse(text), digits).toString();

Deno.test("roundHalfEven: ties go to the even neighbour, others to the nearest", () => {
  assert.equal(round("0.125", 2), "0.12"); // 12 is even
  assert.equal(round("0.135", 2), "0.14"); // 14 is even
  assert.equal(round("0.145", 2), "0.14");
  assert.equal(round("-0.125", 2), "-0.12");
  assert.equal(round("-0.135", 2), "-0.14");
  assert.equal(round("0.1250001", 2), "0.13"); // above the tie
  assert.equal(round("0.1249999", 2), "0.12");
  assert.equal(round("-0.1250001", 2), "-0.13");
  assert.equal(round("0.005", 2), "0.00");
  assert.equal(round("0.015", 2), "0.02");
  assert.equal(round("2.5", 0), "2");
  assert.equal(round("3.5", 0), "4");
  assert.equal(round("-2.5", 0), "-2");
  assert.equal(round("0.0125", 3), "0.012");
  assert.equal(round("0.0135", 3), "0.014");
  assert.equal(round("7", 2), "7.00"); // padded to the minor unit
  assert.equal(round("1.2", 3), "1.200");
});

Deno.test("multiply is exact: 1.5 × 0.25 = 0.375, -0.5 × 0.25 = -0.125", () => {
  assert.equal(multiply(Coins.parse("1.5"), Coins.parse("0.25")).toString(), "0.375");
  assert.equal(multiply(Coins.parse("-0.5"), Coins.parse("0.25")).toString(), "-0.125");
  assert.equal(
    multiply(Coins.parse("123456789.123456789"), Coins.parse("0.1")).toString(),
    "12345678.9123456789",
  );
});

Deno.test("minor units: JPY 0, KWD and BHD 3, EUR 2; an unknown code is a UsageError", () => {
  assert.equal(minorUnits("JPY"), 0);
  assert.equal(minorUnits("KWD"), 3);
  assert.equal(minorUnits("BHD"), 3);
  assert.equal(minorUnits("EUR"), 2);
  assert.equal(minorUnits("USD"), 2);
  assert.throws(() => minorUnits("XYZ"), (e) => e instanceof UsageError && /"XYZ"/.test(e.message));
  assert.throws(() => minorUnits("toString"), UsageError);
});

const HEADER = "subject,currency,price_per_coin,effective_from\n";

Deno.test("parseRates reads names with commas, any column order, lower-case codes", () => {
  const table = parseRates(
    'effective_from,subject,price_per_coin,currency\n2026-01-01,"Acme, Ltd.",0.125,eur\n\n' +
      "2026-06-01,unit-1,0.135,EUR\n",
    "rates.csv",
  );
  assert.deepEqual(table.rates.map((r) => [r.subject, r.currency, r.pricePerCoin, r.line]), [
    ["Acme, Ltd.", "EUR", "0.125", 2],
    ["unit-1", "EUR", "0.135", 4],
  ]);
});

Deno.test("parseRates names the file, the line and the fix for each bad input", () => {
  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["subject,currency,price\n", /unknown column "price"/],
    ["subject,currency,price_per_coin\n", /lacks the column\(s\) effective_from/],
    [HEADER + "Acme,XYZ,1,2026-01-01\n", /line 2: Unknown currency "XYZ"/],
    [HEADER + "Acme,EUR,1e-3,2026-01-01\n", /line 2: price_per_coin "1e-3" is not a plain decimal/],
    [HEADER + 'Acme,EUR,"1,5",2026-01-01\n', /not a plain decimal/],
    [HEADER + "Acme,EUR,-0.1,2026-01-01\n", /must be 0 or more/],
    [HEADER + "Acme,EUR,0.1,2026-02-30\n", /effective_from "2026-02-30" is not a date/],
    [HEADER + "Acme,EUR,0.1,2026-01-01\nAcme,GBP,0.2,2026-01-01\n", /line 3: .*line 2/],
    [HEADER + "Acme, Ltd.,EUR,0.1,2026-01-01\n", /line 2: 5 fields .* quote a name/],
    [HEADER + ",EUR,0.1,2026-01-01\n", /subject is empty/],
    [HEADER, /no rates/],
  ];
  for (const [text, pattern] of bad) {
    assert.throws(
      () => parseRates(text, "my_rates.csv"),
      (e) => e instanceof UsageError && /my_rates\.csv/.test(e.message) && pattern.test(e.message),
      `expected ${pattern} for ${JSON.stringify(text)}`,
    );
  }
});

const ORG = { organisationId: "org-1", organisationName: "Acme" };
const UNIT_A = { ...ORG, unitId: "unit-a", unitName: "Alpha" };

Deno.test("rateFor: the latest effective_from on or before the day; a unit's rate beats its organisation's", () => {
  const { rates } = parseRates(
    HEADER + "Acme,EUR,0.10,2026-01-01\nAcme,EUR,0.20,2026-11-01\n" +
      "Alpha,GBP,0.30,2026-11-10\nunit-a,GBP,0.40,2026-11-20\nAlpha,GBP,0.50,2026-11-20\n",
    "r.csv",
  );
  const at = (date: string) => rateFor(rates, UNIT_A, date)?.pricePerCoin;
  assert.equal(at("2025-12-31"), undefined); // before any rate
  assert.equal(at("2026-10-31"), "0.10"); // organisation, first rate
  assert.equal(at("2026-11-01"), "0.20"); // organisation, its new rate from that day
  assert.equal(at("2026-11-09"), "0.20");
  assert.equal(at("2026-11-10"), "0.30"); // the unit's own rate, by name, wins from its day
  assert.equal(at("2026-11-20"), "0.40"); // same day by id and by name: the id wins
  const other = { ...ORG, unitId: "unit-b", unitName: "Beta" };
  assert.equal(rateFor(rates, other, "2026-11-20")?.pricePerCoin, "0.20");
});

Deno.test("rowDate: a storage item's date, a processing charge's UTC day", () => {
  assert.equal(rowDate({ timestamp: "2026-11-03", periodFrom: "2026-11-01" }), "2026-11-03");
  assert.equal(rowDate({ timestamp: "2026-11-03T23:30:00Z", periodFrom: "x" }), "2026-11-03");
  assert.equal(rowDate({ timestamp: "2026-11-03T23:30:00-02:00", periodFrom: "x" }), "2026-11-04");
  assert.equal(rowDate({ timestamp: "2026-11-03T10:00:00.123456", periodFrom: "x" }), "2026-11-03");
});

function row(over: Partial<ChargeRow>): ChargeRow {
  return {
    ...UNIT_A,
    billingDay: 1,
    periodFrom: "2026-11-01",
    periodUntil: "2026-12-01",
    productId: "product-1",
    productName: "P",
    productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    productFlavour: "",
    chargeType: "STORAGE",
    chargeId: 1,
    timestamp: "2026-11-05",
    username: "",
    merchant: "",
    jobCollection: "",
    jobJob: "",
    jobVersion: "",
    closed: "",
    final: false,
    coins: "0",
    ...over,
  };
}

Deno.test("priceReport: per-row half-even rounding, sum of rounded rows vs rounded exact sum", async () => {
  // Alpha at 0.25 EUR/coin: 0.5 coins → 0.125 → 0.12 (three times); -0.54 → -0.135 → -0.14.
  // Rows: 0.12 + 0.12 + 0.12 - 0.14 = 0.22. Exact: 0.375 - 0.135 = 0.240 → 0.24. Difference -0.02.
  // Beta (organisation rate, 3 JPY/coin from 2026-11-01, 1.5 JPY before):
  //   1.5 coins on 11-05 → 4.5 → 4; 2.5 coins on 11-06 → 7.5 → 8; 0.5 coins on 10-31 → 0.75 → 1.
  //   Rows 4 + 8 + 1 = 13; exact 4.5 + 7.5 + 0.75 = 12.75 → 13; no difference.
  // Gamma at 0.0125 KWD/coin: 1 coin → 0.0125 → 0.012; 3 coins → 0.0375 → 0.038.
  //   Rows 0.050; exact 0.0500 → 0.050.
  const beta = { unitId: "unit-b", unitName: "Beta" };
  const gamma = {
    organisationId: "org-2",
    organisationName: "Kuwait Labs",
    unitId: "unit-g",
    unitName: "Gamma",
  };
  const report = reportFromRows([
    row({ chargeId: 1, coins: "0.5" }),
    row({ chargeId: 2, coins: "0.5" }),
    row({ chargeId: 3, coins: "0.50" }),
    row({ chargeId: 4, coins: "-0.54" }),
    row({ ...beta, chargeId: 5, coins: "1.5" }),
    row({
      ...beta,
      chargeId: 6,
      coins: "2.5",
      chargeType: "PROCESSING",
      timestamp: "2026-11-06T08:00:00Z",
    }),
    row({ ...beta, chargeId: 7, coins: "0.5", timestamp: "2026-10-31" }),
    row({ ...gamma, chargeId: 8, coins: "1" }),
    row({ ...gamma, chargeId: 9, coins: "3" }),
  ]);
  const rates = parseRates(
    HEADER + "Alpha,EUR,0.25,2026-01-01\nAcme,JPY,1.5,2026-01-01\nAcme,JPY,3,2026-11-01\n" +
      "org-2,KWD,0.0125,2026-01-01\n",
    "rates.csv",
  );
  const priced = await priceReport(report, rates);
  const rows = [...priced.rows as ChargeRow[]];
  assert.deepEqual(rows.map((r) => [r.amount, r.currency, r.pricePerCoin]), [
    ["0.12", "EUR", "0.25"],
    ["0.12", "EUR", "0.25"],
    ["0.12", "EUR", "0.25"],
    ["-0.14", "EUR", "0.25"],
    ["4", "JPY", "3"],
    ["8", "JPY", "3"],
    ["1", "JPY", "1.5"],
    ["0.012", "KWD", "0.0125"],
    ["0.038", "KWD", "0.0125"],
  ]);
  assert.deepEqual(priced.pricing?.currencies, [
    {
      currency: "EUR",
      minorUnits: 2,
      rows: 4,
      coins: "0.96",
      sumOfRoundedRows: "0.22",
      exactSum: "0.2400",
      roundedExactSum: "0.24",
      difference: "-0.02",
    },
    {
      currency: "JPY",
      minorUnits: 0,
      rows: 3,
      coins: "4.5",
      sumOfRoundedRows: "13",
      exactSum: "12.75",
      roundedExactSum: "13",
      difference: "0",
    },
    {
      currency: "KWD",
      minorUnits: 3,
      rows: 2,
      coins: "4",
      sumOfRoundedRows: "0.050",
      exactSum: "0.0500",
      roundedExactSum: "0.050",
      difference: "0.000",
    },
  ]);
  assert.deepEqual(
    priced.pricing?.byUnit.map((u) => [u.unitName, u.currency, u.coins, u.amount]),
    [["Alpha", "EUR", "0.96", "0.22"], ["Beta", "JPY", "4.5", "13"], [
      "Gamma",
      "KWD",
      "4",
      "0.050",
    ]],
  );
  assert.equal(priced.pricing?.unpricedRows, 0);
  // The input report is left as it was.
  assert.equal(report.pricing, undefined);
});

Deno.test("priceReport: a unit without a rate is a UsageError naming it, or unpriced when allowed", async () => {
  const report = reportFromRows([
    row({ chargeId: 1, coins: "2" }),
    row({
      unitId: "unit-z",
      unitName: "Zeta",
      chargeId: 2,
      coins: "1.25",
      timestamp: "2026-11-07",
    }),
  ]);
  const rates = parseRates(HEADER + "Alpha,CHF,1,2026-01-01\n", "rates.csv");
  await assert.rejects(
    () => priceReport(report, rates),
    (e) =>
      e instanceof UsageError && e.exitCode === 2 &&
      /unit "Zeta" \(unit-z\) of organisation "Acme" \(org-1\) on 2026-11-07/.test(e.message) &&
      /--allow-unpriced/.test(e.message) && /rates\.csv/.test(e.message),
  );
  const priced = await priceReport(report, rates, { allowUnpriced: true });
  const rows = [...priced.rows as ChargeRow[]];
  assert.deepEqual(rows.map((r) => [r.amount, r.currency]), [["2.00", "CHF"], ["", ""]]);
  assert.equal(priced.pricing?.unpricedRows, 1);
  assert.equal(priced.pricing?.unpricedCoins, "1.25");
  assert.deepEqual(priced.pricing?.unpricedUnits, ["Zeta (unit-z)"]);
  assert.equal(priced.pricing?.currencies[0].sumOfRoundedRows, "2.00");
});

Deno.test("charges flags: --rates, --allow-unpriced only with it, --format focus with --out *.csv", async () => {
  const { parseChargesArgs } = await import("../scripts/charges_args.ts");
  const args = parseChargesArgs(["org", "Acme", "--rates", "r.csv", "--allow-unpriced"]);
  assert.equal(args.rates, "r.csv");
  assert.equal(args.allowUnpriced, true);
  assert.equal(parseChargesArgs(["org", "Acme"]).rates, undefined);
  assert.throws(
    () => parseChargesArgs(["org", "Acme", "--allow-unpriced"]),
    (e) => e instanceof UsageError && /--allow-unpriced only applies with --rates/.test(e.message),
  );
  assert.throws(() => parseChargesArgs(["org", "Acme", "--rates", " "]), UsageError);
  const focus = parseChargesArgs(["org", "Acme", "--format", "focus", "--out", "acme.csv"]);
  assert.deepEqual(focus.formats, ["focus"]);
  assert.throws(
    () => parseChargesArgs(["org", "Acme", "--format", "focus", "--out", "acme.xlsx"]),
    (e) => e instanceof UsageError && /does not end in \.csv/.test(e.message),
  );
});

Deno.test("ratesFromEnv: REPORTS_RATES and REPORTS_ALLOW_UNPRICED, errors naming the variable", async () => {
  const { ratesFromEnv } = await import("../reports/pricing/env.ts");
  const { ConfigError } = await import("../client/errors.ts");
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.deepEqual(await ratesFromEnv(env({})), { allowUnpriced: false });
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/rates.csv`;
    await Deno.writeTextFile(path, HEADER + "Acme,GBP,0.2,2026-01-01\n");
    const settings = await ratesFromEnv(
      env({ REPORTS_RATES: path, REPORTS_ALLOW_UNPRICED: "yes" }),
    );
    assert.equal(settings.allowUnpriced, true);
    assert.equal(settings.rates?.rates[0].currency, "GBP");
    await assert.rejects(
      () => ratesFromEnv(env({ REPORTS_RATES: `${dir}/missing.csv` })),
      (e) =>
        e instanceof ConfigError && /^REPORTS_RATES: .*missing\.csv.*no such file/.test(e.message),
    );
    await assert.rejects(
      () => ratesFromEnv(env({ REPORTS_ALLOW_UNPRICED: "maybe" })),
      (e) => e instanceof ConfigError && /REPORTS_ALLOW_UNPRICED "maybe"/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("priceReport worked example: ties both ways, refunds, and a processing charge priced on its UTC day", async () => {
  // Alpha at 0.30 EUR/coin until 2026-11-09, 0.70 EUR/coin from 2026-11-10 (by unit id).
  //   0.05 coins on 11-05 → 0.015 → tie between 0.01 and 0.02 → 0.02 (2 is even)
  //   0.15 coins on 11-05 → 0.045 → tie between 0.04 and 0.05 → 0.04 (4 is even)
  //  -0.05 coins on 11-05 → -0.015 → -0.02 (half-even is symmetric about zero)
  //   0.01 coins on 11-05 → 0.003 → 0.00
  //   processing at 2026-11-09T23:30:00-01:00 = 2026-11-10T00:30Z: the 11-10 rate,
  //   1.25 coins × 0.70 = 0.875 → tie between 0.87 and 0.88 → 0.88 (8 is even)
  //   processing at 2026-11-09T23:30:00Z: the 11-05 rate, 1.25 × 0.30 = 0.375 → 0.38 (8 even)
  // Rows: 0.02 + 0.04 - 0.02 + 0.00 + 0.88 + 0.38 = 1.30.
  // Exact: 0.015 + 0.045 - 0.015 + 0.003 + 0.875 + 0.375 = 1.298 → 1.30; difference 0.00.
  const processing = { chargeType: "PROCESSING" as const, username: "ada", merchant: "DM" };
  const report = reportFromRows([
    row({ chargeId: 1, coins: "0.05" }),
    row({ chargeId: 2, coins: "0.15" }),
    row({ chargeId: 3, coins: "-0.05" }),
    row({ chargeId: 4, coins: "0.01" }),
    row({ ...processing, chargeId: 5, coins: "1.25", timestamp: "2026-11-09T23:30:00-01:00" }),
    row({ ...processing, chargeId: 6, coins: "1.25", timestamp: "2026-11-09T23:30:00Z" }),
  ]);
  const rates = parseRates(
    HEADER + "unit-a,EUR,.30,2026-11-01\nunit-a,EUR,0.70,2026-11-10\nAcme,USD,9,2026-01-01\n",
    "rates.csv",
  );
  const priced = await priceReport(report, rates);
  assert.deepEqual([...priced.rows as ChargeRow[]].map((r) => [r.amount, r.pricePerCoin]), [
    ["0.02", "0.30"], // ".30" in the file is written as the plain decimal 0.30
    ["0.04", "0.30"],
    ["-0.02", "0.30"],
    ["0.00", "0.30"],
    ["0.88", "0.70"],
    ["0.38", "0.30"],
  ]);
  const [eur] = priced.pricing?.currencies ?? [];
  assert.deepEqual(
    [eur.currency, eur.sumOfRoundedRows, eur.exactSum, eur.roundedExactSum, eur.difference],
    ["EUR", "1.30", "1.2980", "1.30", "0.00"],
  );
});

Deno.test("priceReport: the organisation's rate covers a unit's days before the unit's own rate starts", async () => {
  // Acme 0.10 GBP from 2026-01-01; unit Alpha 0.20 GBP from 2026-11-15.
  // 10 coins on 11-14 → organisation rate, 1.00; 10 coins on 11-15 → unit rate, 2.00.
  const report = reportFromRows([
    row({ chargeId: 1, coins: "10", timestamp: "2026-11-14" }),
    row({ chargeId: 2, coins: "10", timestamp: "2026-11-15" }),
  ]);
  const rates = parseRates(
    HEADER + "Acme,GBP,0.10,2026-01-01\nAlpha,GBP,0.20,2026-11-15\n",
    "rates.csv",
  );
  const priced = await priceReport(report, rates);
  assert.deepEqual([...priced.rows as ChargeRow[]].map((r) => r.amount), ["1.00", "2.00"]);
  assert.equal(priced.pricing?.currencies[0].sumOfRoundedRows, "3.00");
});

Deno.test("priceReport: a rate by name that names two units, or a unit and an organisation, is an error", async () => {
  // Two organisations each have a unit called "Alpha": a rate for "Alpha" would price both.
  const report = reportFromRows([
    row({ chargeId: 1, coins: "1" }),
    row({
      organisationId: "org-2",
      organisationName: "Beta Labs",
      unitId: "unit-b",
      unitName: "Alpha",
      chargeId: 2,
      coins: "1",
    }),
  ]);
  const twoUnits = parseRates(HEADER + "Alpha,EUR,1,2026-01-01\n", "rates.csv");
  await assert.rejects(
    () => priceReport(report, twoUnits, { allowUnpriced: true }),
    (e) =>
      e instanceof UsageError && /rates\.csv/.test(e.message) &&
      /line 2 \("Alpha"\)/.test(e.message) &&
      /unit-a/.test(e.message) && /unit-b/.test(e.message) && /instead of the name/.test(e.message),
  );
  // By id each unit is unambiguous.
  const byId = parseRates(
    HEADER + "unit-a,EUR,1,2026-01-01\nunit-b,EUR,2,2026-01-01\n",
    "rates.csv",
  );
  const priced = await priceReport(report, byId);
  assert.deepEqual([...priced.rows as ChargeRow[]].map((r) => r.amount), ["1.00", "2.00"]);
  // A name shared by an organisation (of one row) and a unit (of another).
  const shared = reportFromRows([
    row({ chargeId: 1, coins: "1" }),
    row({ organisationId: "org-2", organisationName: "Alpha", unitId: "unit-c", unitName: "C" }),
  ]);
  await assert.rejects(
    () => priceReport(shared, twoUnits),
    (e) => e instanceof UsageError && /unit-a/.test(e.message) && /org-2/.test(e.message),
  );
});

Deno.test("priceReport on spooled rows keeps no rows in memory and prices every pass alike", async () => {
  // Same worked rows as above at Alpha 0.25 EUR/coin: 0.5 → 0.125 → 0.12; -0.54 → -0.135 → -0.14.
  const source = [
    row({ chargeId: 1, coins: "0.5" }),
    row({ chargeId: 2, coins: "-0.54" }),
    row({ chargeId: 3, coins: "1" }),
  ];
  let passes = 0;
  // A spool reads back both ways, a fresh pass each time (reports/charges/spool.ts).
  const spooled = {
    *[Symbol.iterator]() {
      passes++;
      yield* source;
    },
    async *[Symbol.asyncIterator]() {
      passes++;
      yield* source;
    },
  };
  const report = { ...reportFromRows(source), rows: spooled };
  const rates = parseRates(HEADER + "Alpha,EUR,0.25,2026-01-01\n", "rates.csv");
  const priced = await priceReport(report, rates);
  assert.equal(Array.isArray(priced.rows), false, "spooled rows stay spooled");
  assert.equal(priced.rowCount, 3);
  const expected = [["0.12", "EUR"], ["-0.14", "EUR"], ["0.25", "EUR"]];
  const viaAsync: string[][] = [];
  for await (const r of priced.rows) viaAsync.push([r.amount ?? "?", r.currency ?? "?"]);
  const viaSync = [...priced.rows as Iterable<ChargeRow>].map((r) => [r.amount, r.currency]);
  assert.deepEqual(viaAsync, expected);
  assert.deepEqual(viaSync, expected);
  assert.equal(passes, 3, "one pass for the totals, then one per read");
  assert.equal(priced.pricing?.currencies[0].sumOfRoundedRows, "0.23");
});

// Month-on-month change (reports/charges/change.ts, change_periods.ts): worked examples
// derived by hand (new and vanished products, zero and negative previous totals, the 25 %
// boundary, half-even rounding of the percentage), a big.js oracle over random amounts, the
// choice of the previous period, and the "not compared" cases.
import assert from "node:assert/strict";
import Big from "big.js";
import { UsageError } from "../client/errors.ts";
import {
  type ChangeSide,
  compareCoins,
  computeChange,
  parseFlagChange,
} from "../reports/charges/change.ts";
import {
  attachChanges,
  previousPeriod,
  reportAmounts,
  withPreviousPeriods,
} from "../reports/charges/change_periods.ts";
import type { ChargeReport, ChargeRow, Reconciliation } from "../reports/charges/model.ts";
import { parseChargesArgs } from "../scripts/charges_args.ts";

const OK: Reconciliation = { ok: true, checked: 3, mismatches: [] };

type Units = Record<string, [name: string, coins: string]>;
type Products = Record<string, [name: string, unitId: string, coins: string]>;

/** A side built by hand: totals per unit (organisation org-1) and per product. */
function side(label: string, units: Units, products: Products, rec = OK): ChangeSide {
  return {
    period: { label, from: "2026-10-01", until: "2026-11-01" },
    totals: {
      byOrganisation: { "org-1": { name: "Acme", coins: "0", items: 0 } },
      byUnit: Object.fromEntries(
        Object.entries(units).map(([id, [name, coins]]) => [
          id,
          { name, coins, items: 1, organisationId: "org-1" },
        ]),
      ),
      byProduct: Object.fromEntries(
        Object.entries(products).map(([id, [name, unitId, coins]]) => [
          id,
          { name, coins, items: 1, unitId },
        ]),
      ),
    },
    reconciliation: rec,
  };
}

Deno.test("compareCoins: worked examples, including the 25 % boundary and negative totals", () => {
  // [previous, current, difference, percentText, kind, flagged at 25 %], each by hand:
  const cases: [string, string, string, string, string, boolean][] = [
    // 4 / 12 = 33.33.. %
    ["12.00", "16.00", "4.00", "+33.3 %", "changed", true],
    // exactly 25 %: not above the threshold
    ["100", "125", "25", "+25.0 %", "changed", false],
    // 25.0001 %: shown as 25.0 but above it
    ["100", "125.0001", "25.0001", "+25.0 %", "changed", true],
    // exactly -25 %: not flagged either way
    ["80", "60", "-20", "-25.0 %", "changed", false],
    // -25.01 %
    ["100", "74.99", "-25.01", "-25.0 %", "changed", true],
    // from zero: "new", always flagged
    ["0", "5", "5", "new", "new", true],
    ["0.000", "0.001", "0.001", "new", "new", true],
    // to zero: vanished, -100 %
    ["3.5", "0", "-3.5", "-100.0 %", "vanished", true],
    // both zero: no change
    ["0", "0.00", "0.00", "—", "unchanged", false],
    // unchanged (different scale, same amount)
    ["10", "10.000", "0.000", "0.0 %", "unchanged", false],
    // negative previous: -10 → -5 is +5 on |−10| = +50 %
    ["-10", "-5", "5", "+50.0 %", "changed", true],
    // negative previous: -10 → -12.5 is -2.5 on 10 = -25 % (boundary)
    ["-10", "-12.5", "-2.5", "-25.0 %", "changed", false],
    // negative to positive: -4 → 2 is +6 on 4 = +150 %
    ["-4", "2", "6", "+150.0 %", "changed", true],
    // half-to-even at one decimal: 0.1/200 = 0.05 % → 0.0; 0.3/200 = 0.15 % → 0.2;
    // 0.5/200 = 0.25 % → 0.2; 0.7/200 = 0.35 % → 0.4
    ["200", "200.1", "0.1", "0.0 %", "changed", false],
    ["200", "200.3", "0.3", "+0.2 %", "changed", false],
    ["200", "200.5", "0.5", "+0.2 %", "changed", false],
    ["200", "200.7", "0.7", "+0.4 %", "changed", false],
    ["200", "199.5", "-0.5", "-0.2 %", "changed", false],
    // 2/3 = 66.66.. % → 66.7
    ["3", "5", "2", "+66.7 %", "changed", true],
  ];
  for (const [prev, cur, diff, text, kind, flagged] of cases) {
    const got = compareCoins(prev, cur, "25");
    const where = `${prev} → ${cur}`;
    assert.equal(got.difference, diff, where);
    assert.equal(got.percentText, text, where);
    assert.equal(got.kind, kind, where);
    assert.equal(got.flagged, flagged, where);
  }
});

Deno.test("compareCoins: other thresholds, fractional and zero", () => {
  // 12.5 % exactly is not above 12.5; 12.51 % is.
  assert.equal(compareCoins("100", "112.5", "12.5").flagged, false);
  assert.equal(compareCoins("100", "112.51", "12.5").flagged, true);
  // threshold 0: any change is above it; none is not.
  assert.equal(compareCoins("100", "100.0001", "0").flagged, true);
  assert.equal(compareCoins("100", "100", "0").flagged, false);
  // threshold 100: vanished (-100 %) is not above it; +100.01 % is.
  assert.equal(compareCoins("5", "0", "100").flagged, false);
  assert.equal(compareCoins("100", "200.01", "100").flagged, true);
});

Deno.test("compareCoins agrees with a big.js oracle on random amounts", () => {
  Big.DP = 40;
  let seed = 17;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const amount = () => {
    const scale = next() % 5;
    const units = (next() % 200001) - 100000;
    return new Big(units).div(new Big(10).pow(scale)).toFixed(scale);
  };
  for (let i = 0; i < 500; i++) {
    const prev = amount();
    const cur = amount();
    const threshold = ["25", "10", "0", "33.3"][i % 4];
    const got = compareCoins(prev, cur, threshold);
    const p = new Big(prev);
    const diff = new Big(cur).minus(p);
    assert.ok(diff.eq(new Big(got.difference)), `${prev} → ${cur}`);
    if (p.eq(0)) continue;
    const pct = diff.times(100).div(p.abs());
    assert.equal(got.percent, pct.round(1, Big.roundHalfEven).toFixed(1), `${prev} → ${cur}`);
    assert.equal(got.flagged, pct.abs().gt(new Big(threshold)), `${prev} → ${cur} @${threshold}`);
  }
});

Deno.test("computeChange: units and products, new and vanished products listed", () => {
  const previous = side("September", {
    "unit-a": ["Alpha", "12.00"],
    "unit-b": ["Beta", "100"],
    "unit-old": ["Old unit", "7"],
  }, {
    "product-1": ["Kept", "unit-a", "10"],
    "product-2": ["Idle now", "unit-a", "2.00"],
    "product-3": ["Gone", "unit-b", "100"],
    "product-9": ["Old product", "unit-old", "7"],
  });
  const current = side("October", {
    "unit-a": ["Alpha", "16.00"],
    "unit-b": ["Beta", "125"],
  }, {
    "product-1": ["Kept", "unit-a", "10"],
    "product-2": ["Idle now", "unit-a", "0"],
    "product-4": ["Fresh", "unit-a", "6.00"],
    "product-3": ["Gone", "unit-b", "125"],
  });
  const change = computeChange(current, previous, { basis: "the month before" });
  assert.equal(change.status, "compared");
  assert.equal(change.threshold, "25");
  assert.deepEqual(change.current, { label: "October", from: "2026-10-01", until: "2026-11-01" });
  assert.equal(change.previous?.label, "September");
  assert.equal(change.basis, "the month before");
  // Units by name: Alpha 12 → 16 (+33.3 %, flagged), Beta 100 → 125 (+25.0 %, not),
  // Old unit 7 → nothing (vanished, -100 %).
  assert.deepEqual(
    change.units.map((l) => [l.id, l.name, l.parentName, l.previous, l.current, l.difference]),
    [
      ["unit-a", "Alpha", "Acme", "12.00", "16.00", "4.00"],
      ["unit-b", "Beta", "Acme", "100", "125", "25"],
      ["unit-old", "Old unit", "Acme", "7", "0", "-7"],
    ],
  );
  assert.deepEqual(change.units.map((l) => [l.percentText, l.flagged]), [
    ["+33.3 %", true],
    ["+25.0 %", false],
    ["-100.0 %", true],
  ]);
  // Products by unit name, then product name.
  assert.deepEqual(
    change.products.map((l) => [l.name, l.parentName, l.previous, l.current, l.percentText]),
    [
      ["Fresh", "Alpha", "0", "6.00", "new"],
      ["Idle now", "Alpha", "2.00", "0", "-100.0 %"],
      ["Kept", "Alpha", "10", "10", "0.0 %"],
      ["Gone", "Beta", "100", "125", "+25.0 %"],
      ["Old product", "Old unit", "7", "0", "-100.0 %"],
    ],
  );
  assert.deepEqual(change.newProducts.map((l) => l.id), ["product-4"]);
  assert.deepEqual(change.vanishedProducts.map((l) => l.id), ["product-2", "product-9"]);
  // Flagged: Alpha, Old unit; Fresh, Idle now, Old product.
  assert.equal(change.flagged, 5);
  assert.equal(change.currency, undefined);
  assert.ok(change.units.every((l) => l.money === undefined));
});

Deno.test("computeChange: nothing is compared without a previous period or when either side is not reconciled", () => {
  const current = side("October", { "unit-a": ["Alpha", "1"] }, {});
  const none = computeChange(current, undefined, { noPrevious: "pbp -23 is the oldest" });
  assert.equal(none.status, "no-previous");
  assert.equal(none.note, "pbp -23 is the oldest");
  assert.deepEqual([none.units, none.products, none.previous], [[], [], undefined]);

  const bad: Reconciliation = {
    ok: false,
    checked: 1,
    mismatches: [{
      where: "unit unit-a (Alpha) PROCESSING",
      computed: "1",
      server: "2",
      ok: false,
    }],
  };
  const previous = side("September", { "unit-a": ["Alpha", "2"] }, {}, bad);
  const prevBad = computeChange(current, previous);
  assert.equal(prevBad.status, "not-compared");
  assert.match(prevBad.note!, /previous period's totals \(September\) do not reconcile/);
  assert.deepEqual([prevBad.units, prevBad.products, prevBad.flagged], [[], [], 0]);

  const curBad = computeChange(side("October", {}, {}, bad), side("September", {}, {}));
  assert.equal(curBad.status, "not-compared");
  assert.match(curBad.note!, /this period's totals do not reconcile/);

  const nothingChecked = computeChange(
    current,
    side("September", {}, {}, { ok: false, checked: 0, mismatches: [] }),
  );
  assert.equal(nothingChecked.status, "not-compared");
});

Deno.test("computeChange: money columns when both sides are priced in the same currency", () => {
  const prev = side("Sep", { "unit-a": ["Alpha", "10"] }, { "product-1": ["P", "unit-a", "10"] });
  const cur = side("Oct", { "unit-a": ["Alpha", "14"] }, { "product-1": ["P", "unit-a", "14"] });
  const eur = (unit: string) => ({
    currency: "EUR",
    byUnit: { "unit-a": unit },
    byProduct: { "product-1": unit },
  });
  const change = computeChange({ ...cur, amounts: eur("1.40") }, {
    ...prev,
    amounts: eur("1.00"),
  });
  assert.equal(change.currency, "EUR");
  assert.deepEqual(change.units[0].money, {
    currency: "EUR",
    previous: "1.00",
    current: "1.40",
    difference: "0.40",
  });
  // Different currencies: coins only.
  const mixed = computeChange({ ...cur, amounts: eur("1.40") }, {
    ...prev,
    amounts: { ...eur("1.00"), currency: "GBP" },
  });
  assert.equal(mixed.currency, undefined);
  assert.equal(mixed.units[0].money, undefined);
});

Deno.test("parseFlagChange accepts a non-negative percentage and names the fix otherwise", () => {
  assert.equal(parseFlagChange("25"), "25");
  assert.equal(parseFlagChange("12.5%"), "12.5");
  assert.equal(parseFlagChange(" 0 "), "0");
  for (const bad of ["-5", "abc", "", "1e3", "25,5"]) {
    assert.throws(
      () => parseFlagChange(bad),
      (e) => e instanceof UsageError && /--flag-change/.test(e.message),
      bad,
    );
  }
});

Deno.test("previousPeriod: pbp N-1, the calendar month before, the range of the same length before", () => {
  assert.deepEqual(previousPeriod({ pbp: -1 }).request, { pbp: -2 });
  assert.deepEqual(previousPeriod({ pbp: 0 }).request, { pbp: -1 });
  assert.deepEqual(previousPeriod({ pbp: -22 }).request, { pbp: -23 });
  const oldest = previousPeriod({ pbp: -23 });
  assert.equal(oldest.request, undefined);
  assert.match(oldest.reason ?? "", /^prior billing period -23 is the oldest/);
  assert.deepEqual(
    previousPeriod({ from: "2026-01-01", until: "2026-02-01", month: "2026-01" }).request,
    { from: "2025-12-01", until: "2026-01-01", month: "2025-12" },
  );
  // A leap February is a whole month too.
  assert.deepEqual(
    previousPeriod({ from: "2024-03-01", until: "2024-04-01", month: "2024-03" }).request,
    { from: "2024-02-01", until: "2024-03-01", month: "2024-02" },
  );
  assert.deepEqual(previousPeriod({ from: "2026-10-10", until: "2026-10-20" }).request, {
    from: "2026-09-30",
    until: "2026-10-10",
  });
  // March 2026 as a plain range is 31 days: the 31 days before end on 2026-03-01.
  assert.deepEqual(previousPeriod({ from: "2026-03-01", until: "2026-04-01" }).request, {
    from: "2026-01-29",
    until: "2026-03-01",
  });
});

Deno.test("withPreviousPeriods adds only the periods not already asked for", () => {
  assert.deepEqual(withPreviousPeriods([{ pbp: -3 }, { pbp: -2 }, { pbp: -1 }]), [
    { pbp: -3 },
    { pbp: -2 },
    { pbp: -1 },
    { pbp: -4 },
  ]);
  assert.deepEqual(withPreviousPeriods([{ pbp: -23 }]), [{ pbp: -23 }]);
  assert.deepEqual(
    withPreviousPeriods([
      { from: "2026-01-01", until: "2026-02-01", month: "2026-01" },
      { from: "2026-02-01", until: "2026-03-01", month: "2026-02" },
    ]),
    [
      { from: "2026-01-01", until: "2026-02-01", month: "2026-01" },
      { from: "2026-02-01", until: "2026-03-01", month: "2026-02" },
      { from: "2025-12-01", until: "2026-01-01", month: "2025-12" },
    ],
  );
});

function report(
  label: string,
  pbp: number,
  unitCoins: string,
  rows: ChargeRow[] = [],
): ChargeReport {
  const s = side(label, { "unit-a": ["Alpha", unitCoins] }, {
    "product-1": ["P", "unit-a", unitCoins],
  });
  return {
    scope: "organisation",
    scopeId: "org-1",
    scopeName: "Acme",
    period: { ...s.period, pbp },
    generatedAt: "2026-11-05T00:00:00.000Z",
    sourceUrl: "http://as.invalid",
    sandbox: false,
    rows,
    rowCount: rows.length,
    totals: {
      ...s.totals,
      grand: { coins: unitCoins, items: 1 },
      byChargeType: {},
    } as ChargeReport["totals"],
    reconciliation: OK,
  };
}

Deno.test("attachChanges compares each asked-for report with the one collected before it", () => {
  const periods = withPreviousPeriods([{ pbp: -2 }, { pbp: -1 }]);
  const reports = [report("-2", -2, "10"), report("-1", -1, "20"), report("-3", -3, "5")];
  const out = attachChanges(reports, periods, 2, { threshold: "50" });
  assert.equal(out.length, 2);
  assert.deepEqual(out.map((r) => [r.change?.previous?.label, r.change?.units[0].percentText]), [
    ["-3", "+100.0 %"],
    ["-2", "+100.0 %"],
  ]);
  assert.equal(out[0].change?.threshold, "50");
  assert.equal(out[0].change?.flagged, 2);
  const oldest = attachChanges([report("-23", -23, "1")], [{ pbp: -23 }], 1);
  assert.equal(oldest[0].change?.status, "no-previous");
  assert.match(oldest[0].change?.note ?? "", /^prior billing period -23 is the oldest/);
});

Deno.test("reportAmounts sums the rows' money per unit and product, only when fully priced in one currency", () => {
  const row = (productId: string, amount: string): ChargeRow => ({
    organisationId: "org-1",
    organisationName: "Acme",
    unitId: "unit-a",
    unitName: "Alpha",
    billingDay: 1,
    periodFrom: "2026-10-01",
    periodUntil: "2026-11-01",
    productId,
    productName: productId,
    productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    productFlavour: "",
    chargeType: "STORAGE",
    chargeId: 1,
    timestamp: "2026-10-02",
    username: "",
    merchant: "",
    jobCollection: "",
    jobJob: "",
    jobVersion: "",
    closed: "",
    final: false,
    coins: "1",
    pricePerCoin: "0.10",
    amount,
    currency: "EUR",
  });
  const priced = report("Oct", -1, "3", [
    row("product-1", "0.10"),
    row("product-1", "0.25"),
    row("product-2", "1.05"),
  ]);
  assert.equal(reportAmounts(priced), undefined); // no pricing: not priced
  const pricing = {
    source: "rates.csv",
    currencies: [{
      currency: "EUR",
      minorUnits: 2,
      rows: 3,
      coins: "3",
      sumOfRoundedRows: "1.40",
      exactSum: "1.40",
      roundedExactSum: "1.40",
      difference: "0.00",
    }],
    byUnit: [],
    unpricedRows: 0,
    unpricedCoins: "0",
    unpricedUnits: [],
  };
  priced.pricing = pricing;
  assert.deepEqual(reportAmounts(priced), {
    currency: "EUR",
    byUnit: { "unit-a": "1.40" },
    byProduct: { "product-1": "0.35", "product-2": "1.05" },
  });
  priced.pricing = { ...pricing, unpricedRows: 1 };
  assert.equal(reportAmounts(priced), undefined);
});

Deno.test("charges arguments: --flag-change and --no-change", () => {
  assert.equal(parseChargesArgs(["all"]).flagChange, "25");
  assert.equal(parseChargesArgs(["all"]).noChange, false);
  assert.equal(parseChargesArgs(["all", "--flag-change", "12.5"]).flagChange, "12.5");
  assert.equal(parseChargesArgs(["all", "--no-change"]).noChange, true);
  const usage = (args: string[], pattern: RegExp) =>
    assert.throws(
      () => parseChargesArgs(args),
      (e) => e instanceof UsageError && pattern.test(e.message),
      args.join(" "),
    );
  usage(["all", "--flag-change", "lots"], /Cannot read --flag-change "lots"/);
  usage(["all", "--flag-change", "10", "--no-change"], /not both/);
  usage(["all", "--flag-change", "10", "--format", "csv"], /applies to the XLSX Change sheet/);
});

import assert from "node:assert/strict";
import { Coins } from "../client/coins.ts";
import { renderCoinsChart } from "../reports/server/chart.ts";
import { contentDisposition, safeFileName } from "../reports/server/content_disposition.ts";
import {
  pageSelectionFromQuery,
  periodFromQuery,
  reportPeriodInWords,
} from "../reports/server/period_query.ts";
import { archivedPeriodInWords } from "../reports/server/archive.ts";
import { commonBillingDay, periodPicker, renderIndexPage } from "../reports/server/pages.ts";

Deno.test("Content-Disposition neutralises quotes, CR/LF, paths and non-ASCII", () => {
  const header = contentDisposition('charges "Café"\r\nSet-Cookie: x=1/../北京.csv');
  assert.ok(!/[\r\n]/.test(header));
  assert.ok(/^[\x20-\x7e]+$/.test(header), "header is printable ASCII");
  const fallback = /filename="([^"]*)"/.exec(header)![1];
  assert.ok(!fallback.includes('"') && !fallback.includes("/") && !fallback.includes("\\"));
  assert.equal(fallback, "charges _Cafe_Set-Cookie_ x=1_..___.csv");
  const star = /filename\*=UTF-8''(\S+)$/.exec(header)![1];
  assert.equal(decodeURIComponent(star), "charges _Café_Set-Cookie_ x=1_.._北京.csv");
  assert.equal(
    contentDisposition("charges_unit_chemistry_2026-10-03_2026-11-03.xlsx"),
    `attachment; filename="charges_unit_chemistry_2026-10-03_2026-11-03.xlsx"; filename*=UTF-8''charges_unit_chemistry_2026-10-03_2026-11-03.xlsx`,
  );
  assert.equal(safeFileName("../../etc/passwd"), "_.._etc_passwd");
  assert.equal(safeFileName("\0\r\n"), "download");
  assert.match(contentDisposition("x'(y)*.csv"), /filename\*=UTF-8''x%27%28y%29_\.csv$/);
});

Deno.test("the chart stacks exact coins per unit with tooltips, axis labels and a legend", () => {
  const svg = renderCoinsChart({
    title: 'Coins of "Acme" <org>',
    periods: [
      { pbp: -1, from: "2026-10-03", until: "2026-11-03" },
      { pbp: 0, from: "2026-11-03", until: "2026-12-03", open: true },
    ],
    series: [
      { id: "unit-a", name: "Chem <lab>", coins: [Coins.parse("0.1"), Coins.parse("10")] },
      { id: "unit-b", name: "Bio", coins: [Coins.parse("0.2"), Coins.zero()] },
    ],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<title id="chart-title">Coins of &quot;Acme&quot; &lt;org&gt;<\/title>/);
  assert.ok(!svg.includes("<lab>"), "names are escaped");
  // Exact totals: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
  assert.match(svg, />0\.3<title>Total 0\.3 coins, last closed period<\/title>/);
  assert.ok(!svg.includes("0.30000000000000004"));
  assert.match(
    svg,
    /<title>Chem &lt;lab&gt;: 10 coins, 2026-11-03 \(incl\.\) to 2026-12-03 \(excl\.\), current period \(so far\)<\/title>/,
  );
  assert.equal(
    (svg.match(/<rect [^>]*fill="#/g) ?? []).length,
    6,
    "background + 3 bars + 2 legend swatches",
  );
  assert.match(svg, />Coins<\/text>/);
  assert.match(svg, /Billing period/);
  assert.match(svg, />03 Oct 26</);
  // The open period is marked "so far" under its bar and drawn lighter; no API words.
  assert.match(svg, />so far<\/text>/);
  assert.equal((svg.match(/fill-opacity="0\.45"/g) ?? []).length, 1, "one bar in the open period");
  assert.ok(!/pbp/i.test(svg));
  assert.ok(!svg.includes("<script"));
});

Deno.test("period query: pbp, months, dates, the picker's value, defaults and refusals", () => {
  const now = new Date("2026-11-20T12:00:00Z");
  assert.deepEqual(periodFromQuery({}), { pbp: -1 });
  assert.deepEqual(periodFromQuery({ pbp: "0" }), { pbp: 0 });
  assert.deepEqual(periodFromQuery({ pbp: "-23" }), { pbp: -23 });
  assert.deepEqual(periodFromQuery({ from: "2026-10-01", until: "2026-11-01" }), {
    from: "2026-10-01",
    until: "2026-11-01",
  });
  // Calendar months, worked by hand: December runs into the next year.
  assert.deepEqual(periodFromQuery({ month: "2026-02" }, { now }), {
    from: "2026-02-01",
    until: "2026-03-01",
    month: "2026-02",
  });
  assert.deepEqual(periodFromQuery({ month: "2025-12" }, { now }), {
    from: "2025-12-01",
    until: "2026-01-01",
    month: "2025-12",
  });
  // The current month is allowed (so far).
  assert.deepEqual(periodFromQuery({ month: "2026-11" }, { now }), {
    from: "2026-11-01",
    until: "2026-12-01",
    month: "2026-11",
  });
  // The picker sends one value, either kind.
  assert.deepEqual(periodFromQuery({ period: "-3" }), { pbp: -3 });
  assert.deepEqual(periodFromQuery({ period: "2026-10" }, { now }), {
    from: "2026-10-01",
    until: "2026-11-01",
    month: "2026-10",
  });
  assert.deepEqual(pageSelectionFromQuery({ period: "2026-10" }, { now, minPbp: -11 }), {
    kind: "month",
    month: "2026-10",
    from: "2026-10-01",
    until: "2026-11-01",
  });
  assert.deepEqual(pageSelectionFromQuery({}, { now, minPbp: -11 }), { kind: "pbp", pbp: -1 });
  for (
    const q of [
      { pbp: "1" },
      { pbp: "-24" },
      { pbp: "x" },
      { pbp: "-1..0" },
      { from: "2026-10-01" },
      {
        from: "2026-11-01",
        until: "2026-10-01",
      },
      { from: "2026-02-30", until: "2026-03-01" },
      { pbp: "-1", from: "2026-10-01", until: "2026-11-01" },
      { month: "2026-13" },
      { month: "2026-1" },
      { month: "2026-12" }, // not started at `now`
      { month: "2026-10", pbp: "-1" },
      { period: "soon" },
    ]
  ) {
    assert.throws(
      () => periodFromQuery(q, { now }),
      (e: Error) => {
        // Finance reads these on an error page: no API words, and always what to do.
        assert.ok(!/pbp|from=|until=|month=|GET \//i.test(e.message), e.message);
        assert.match(e.message, /pick a period from the list/);
        return e.name === "UsageError";
      },
      JSON.stringify(q),
    );
  }
  assert.throws(() => periodFromQuery({ pbp: "-12" }, { minPbp: -11 }), /the 11 before it/);
});

/** The page with runs of white space as one space and none before `>`. */
function flat(page: string): string {
  return page.replace(/\s+/g, " ").replace(/ >/g, ">");
}

Deno.test("the index page lists every level with download links and a no-script period picker", () => {
  const now = new Date("2026-11-20T12:00:00Z");
  const orgs = [{
    id: "org-1",
    name: 'Acme "R&D"',
    units: [{ id: "unit-1", name: "Chem", billingDay: 3 }, {
      id: "unit-2",
      name: "Bio",
      billingDay: 15,
    }],
    products: [{
      id: "product-1",
      name: "Tier",
      type: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
      flavour: "GOLD",
      unitId: "unit-1",
      unitName: "Chem",
    }],
  }];
  const page = flat(renderIndexPage(orgs, {
    period: { kind: "pbp", pbp: -2 },
    now,
    sandbox: true,
    sourceUrl: "http://as",
  }));
  assert.match(page, /^<!doctype html>/);
  assert.ok(!page.includes("<script"));
  assert.match(page, /Acme &quot;R&amp;D&quot;/);
  assert.match(page, /SANDBOX DATA/);
  for (
    const href of [
      "/reports/charges/organisation/org-1.xlsx?pbp=-2",
      "/reports/charges/organisation/org-1.csv?pbp=-2",
      "/reports/charges/unit/unit-2.xlsx?pbp=-2",
      "/reports/charges/product/product-1.csv?pbp=-2",
    ]
  ) assert.ok(page.includes(`href="${href}"`), href);
  assert.match(page, /<form class="picker" method="get" action="\/"\s*>/);
  // 12 billing periods and 13 calendar months, in two groups.
  assert.match(page, /<optgroup label="Billing periods">/);
  assert.match(page, /<optgroup label="Calendar months">/);
  assert.equal((page.match(/<option /g) ?? []).length, 12 + 13);
  // A billing period's dates span the units' periods (days 3 and 15): what the whole
  // organisation's report covers.
  assert.match(page, /<option value="-2" selected>2 periods ago · 2026-09-03 to 2026-10-15 excl\./);
  assert.match(page, /<option value="0">Current period \(so far\) · 2026-11-03 to 2026-12-15/);
  assert.match(page, /Units bill on days 3, 15 of the month/);
  assert.match(
    page,
    /<option value="2026-11">November 2026 so far · 2026-11-01 to 2026-12-01 excl\./,
  );
  assert.match(page, /<option value="2025-11">November 2025 · 2025-11-01 to 2025-12-01 excl\./);
  assert.ok(!page.includes('value="2026-12"'), "no month that has not started");
  // The whole organisation's period spans its units' periods (days 3 and 15), in words.
  assert.match(page, /Whole organisation, 2 periods ago, 2026-09-03 to 2026-10-15 excl\./);
  // Units on different billing days: each row shows its own dates, and the rule is stated.
  assert.match(page, /2026-09-15 to 2026-10-15/);
  assert.match(page, /each unit&#39;s period runs from its own billing day/);
  // Table cells carry their labels, for the stacked rows on a phone.
  assert.match(page, /<td data-label="Billing day" class="num">15<\/td>/);
  assert.match(page, /<td data-label="Period">2026-09-15 to 2026-10-15 <span class="hint">excl\./);
  assert.ok(!/pbp/i.test(page.replace(/href="[^"]*"/g, "")), "no API words in the text");
  assert.equal(commonBillingDay([]), 1);
  const picker = flat(
    periodPicker({
      period: { kind: "pbp", pbp: 0 },
      now,
      units: [{ id: "unit-9", name: "One", billingDay: 20 }],
      action: "/x",
    }).toString(),
  );
  assert.match(
    picker,
    /<option value="0" selected>Current period \(so far\) · 2026-11-20 to 2026-12-20/,
  );

  // A calendar month: links ask for the month, every unit shows the month's dates.
  const month = flat(renderIndexPage(orgs, {
    period: { kind: "month", month: "2026-10", from: "2026-10-01", until: "2026-11-01" },
    now,
    sandbox: false,
    sourceUrl: "http://as",
  }));
  assert.ok(month.includes('href="/reports/charges/unit/unit-1.csv?month=2026-10"'));
  assert.match(month, /<option value="2026-10" selected>/);
  assert.match(
    month,
    /Whole organisation, October 2026 \(calendar month, 2026-10-01 to 2026-11-01 excl\.\)/,
  );
  assert.equal(
    (month.match(/"Period">2026-10-01 to 2026-11-01 <span class="hint">excl\./g) ?? []).length,
    2,
  );
});

Deno.test("periods in plain words: billing periods, months, so far", () => {
  assert.equal(
    reportPeriodInWords({ pbp: -1, from: "2026-10-15", until: "2026-12-01" }),
    "the last closed period, 2026-10-15 to 2026-12-01 excl.",
  );
  assert.equal(
    reportPeriodInWords({ pbp: -3, from: "2026-08-15", until: "2026-10-01" }),
    "the billing period 3 periods ago, 2026-08-15 to 2026-10-01 excl.",
  );
  assert.equal(
    reportPeriodInWords({ pbp: 0, from: "2026-11-15", until: "2027-01-01", open: true }),
    "the current period (so far), 2026-11-15 to 2027-01-01 excl.",
  );
  assert.equal(
    reportPeriodInWords({ month: "2026-11", from: "2026-11-01", until: "2026-12-01" }),
    "November 2026 (calendar month, 2026-11-01 to 2026-12-01 excl.)",
  );
  assert.equal(
    reportPeriodInWords({ from: "2026-10-01", until: "2026-10-15" }),
    "2026-10-01 to 2026-10-15 excl.",
  );
  // Archived reports: the period as made; open when made before its end.
  assert.equal(
    archivedPeriodInWords({ from: "2026-11-01", until: "2026-12-01" }, "2026-11-20T06:00:00Z"),
    "November 2026 (calendar month, 2026-11-01 to 2026-12-01 excl.) (so far, as of 2026-11-20)",
  );
  assert.equal(
    archivedPeriodInWords(
      { from: "2026-10-15", until: "2026-12-01", pbp: -1 },
      "2026-12-02T06:00:00Z",
    ),
    "Billing period, 2026-10-15 to 2026-12-01 excl.",
  );
  // A billing period whose units all bill on the 1st is still named a billing period.
  assert.equal(
    archivedPeriodInWords(
      { from: "2026-10-01", until: "2026-11-01", pbp: -1 },
      "2026-11-02T06:00:00Z",
    ),
    "Billing period, 2026-10-01 to 2026-11-01 excl.",
  );
});

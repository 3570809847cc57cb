import assert from "node:assert/strict";
import { Coins } from "../client/coins.ts";
import { renderCoinsChart } from "../reports/server/chart.ts";
import { contentDisposition, safeFileName } from "../reports/server/content_disposition.ts";
import { periodFromQuery } from "../reports/server/period_query.ts";
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
      { pbp: 0, from: "2026-11-03", until: "2026-12-03" },
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
  assert.match(svg, />0\.3<title>Total 0\.3 coins, pbp -1<\/title>/);
  assert.ok(!svg.includes("0.30000000000000004"));
  assert.match(
    svg,
    /<title>Chem &lt;lab&gt;: 10 coins, 2026-11-03 \(incl\.\) to 2026-12-03 \(excl\.\), pbp 0<\/title>/,
  );
  assert.equal(
    (svg.match(/<rect [^>]*fill="#/g) ?? []).length,
    6,
    "background + 3 bars + 2 legend swatches",
  );
  assert.match(svg, />Coins<\/text>/);
  assert.match(svg, /Billing period/);
  assert.match(svg, />03 Oct 26</);
  assert.ok(!svg.includes("<script"));
});

Deno.test("period query: pbp, dates, defaults and refusals", () => {
  assert.deepEqual(periodFromQuery({}), { pbp: -1 });
  assert.deepEqual(periodFromQuery({ pbp: "0" }), { pbp: 0 });
  assert.deepEqual(periodFromQuery({ pbp: "-23" }), { pbp: -23 });
  assert.deepEqual(periodFromQuery({ from: "2026-10-01", until: "2026-11-01" }), {
    from: "2026-10-01",
    until: "2026-11-01",
  });
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
    ]
  ) {
    assert.throws(
      () => periodFromQuery(q),
      (e: Error) => e.name === "UsageError",
      JSON.stringify(q),
    );
  }
  assert.throws(() => periodFromQuery({ pbp: "-12" }, { minPbp: -11 }), /-11 to 0/);
});

Deno.test("the index page lists every level with download links and a no-script period picker", () => {
  const now = new Date("2026-11-20T12:00:00Z");
  const page = renderIndexPage([{
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
  }], { pbp: -2, now, sandbox: true, sourceUrl: "http://as" });
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
  assert.equal((page.match(/<option /g) ?? []).length, 12);
  assert.match(page, /<option value="-2"\s+selected\s*>-2 · 2026-09-03 to 2026-10-03 \(excl\.\)/);
  // Units on different billing days: each row shows its own dates, and the rule is stated.
  assert.match(page, /2026-09-15 to 2026-10-15/);
  assert.match(page, /Each unit&#39;s period runs from its own billing day/);
  assert.equal(commonBillingDay([]), 1);
  const picker = periodPicker({ pbp: 0, now, billingDay: 20, action: "/x", mixedDays: false })
    .toString();
  assert.match(picker, /<option value="0"\s+selected\s*>0 · 2026-11-20 to 2026-12-20/);
});

// The report server in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven
// by playwright-core, one browser for the whole file and one context per width (a phone at
// 390 px, a laptop at 1280 px), logged in with HTTP Basic.
//
// On every page (index, organisation by billing period and by calendar month, archive, and
// the error pages: 404, a period that cannot be used (400), an Account Server failure (502)
// and totals that do not reconcile (502)) at both widths: nothing scrolls sideways
// (`document.scrollingElement.scrollWidth` <= the viewport's width), no text says "pbp" or
// names an endpoint, and no CSP violation or page error happens. Then: the picker lists
// calendar months and picking one works without scripts; on a phone the chart's values are
// readable without hovering (its table is open and visible) and the downloads are on
// screen; the archive groups reports by organisation and period; an XLSX downloaded at
// 1280 px opens and adds up to the Account Server's total. Screenshots of every page at both
// widths go to a temp dir whose path is printed (or to $BROWSER_TEST_SHOTS).
import assert from "node:assert/strict";
import { join } from "node:path";
import Big from "big.js";
import { openReportStore, type StoredReportInput } from "../reports/store/open.ts";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { SECRET, startFixture, xlsxCoins } from "./server_fixture_test.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const WIDTHS = [390, 1280] as const;

function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

const skip = !hasChromium();
if (skip) console.log(`browser_test: SKIPPED, ${CHROMIUM} is absent (apt-get install chromium)`);

/** A stored report's metadata (the archive's data). */
function stored(overrides: Partial<StoredReportInput>): StoredReportInput {
  return {
    scope: "organisation",
    scopeId: "org-a",
    scopeName: "Acme Research Laboratories International",
    organisationName: "Acme Research Laboratories International",
    period: { from: "2026-10-03", until: "2026-11-03", pbp: -1 },
    format: "csv",
    rowCount: 1,
    totalCoins: "12.5",
    sandbox: true,
    ...overrides,
  };
}

Deno.test({
  name:
    "in Chromium at 390 and 1280 px every page fits, speaks plainly, offers months, and downloads work",
  ignore: skip,
  async fn() {
    const { chromium } = await import("playwright-core");
    const dir = await Deno.makeTempDir({ prefix: "browser_test_store_" });
    const store = await openReportStore(dir);
    const encoder = new TextEncoder();
    // The archive: two periods of one organisation (CSV and XLSX), a unit, and the plain
    // files `deno task demo` writes (no store metadata).
    await store.put(stored({}), encoder.encode("coins\r\n12.5\r\n"));
    await store.put(stored({ format: "xlsx" }), new Uint8Array(4096));
    await store.put(
      stored({
        scope: "unit",
        scopeId: "unit-00000000-0000-4000-8000-000000000001",
        scopeName: "Chemistry",
        totalCoins: "4",
      }),
      encoder.encode("coins\r\n4\r\n"),
    );
    await store.put(
      stored({ period: { from: "2026-09-01", until: "2026-10-01" }, totalCoins: "7" }),
      encoder.encode("coins\r\n7\r\n"),
    );
    const plain = "charges_organisation_gamma-ltd_2026-10-01_2026-11-01_sandbox";
    await Deno.writeTextFile(
      join(dir, `${plain}.csv`),
      "organisation_id,organisation_name,coins\r\norg-g,Gamma Ltd,1.5\r\n",
    );

    const fx = await startFixture({ store });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, fx.app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const shots = Deno.env.get("BROWSER_TEST_SHOTS") ??
      await Deno.makeTempDir({ prefix: "browser_test_shots_" });
    await Deno.mkdir(shots, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const token = await fx.tokens.getToken();
      const products = await fx.api.getAvailableProducts(token);
      assert.ok(products.success);
      const orgId = products.msg.products[0].organisation.id;

      // A product whose last period has processing charges: one of its coins is spoiled
      // below to make its organisation's totals disagree.
      let victim: { id: string; coins: string } | undefined;
      for (const p of products.msg.products.filter((p) => p.organisation.id === orgId)) {
        const c = await fx.api.getProductCharges(token, { productId: p.product.id, pbp: -1 });
        assert.ok(c.success);
        const first = (c.msg as { processing_charges?: { charge: { coins: string } }[] })
          .processing_charges?.[0];
        if (first) {
          victim = { id: p.product.id, coins: first.charge.coins };
          break;
        }
      }
      assert.ok(victim, "a product with processing charges last period");

      /** Pages with what each must show; `fault` is set on the sandbox while loading it. */
      const pages: {
        name: string;
        path: string;
        status: number;
        heading: RegExp;
        fault?: () => void;
      }[] = [
        { name: "index", path: "/", status: 200, heading: /^Charges reports$/ },
        { name: "organisation", path: `/organisations/${orgId}`, status: 200, heading: /./ },
        { name: "archive", path: "/archive", status: 200, heading: /^Archive$/ },
        { name: "not-found", path: "/no/such/page", status: 404, heading: /^Not found$/ },
        {
          name: "bad-period",
          path: `/reports/charges/organisation/${orgId}.csv?pbp=-40`,
          status: 400,
          heading: /^This link cannot be used$/,
        },
        {
          name: "unknown-organisation",
          path: `/reports/charges/organisation/org-00000000-0000-4000-8000-000000000000.csv`,
          status: 404,
          heading: /^Not found$/,
        },
        {
          name: "account-server-down",
          // The current period: never served from a cache, so it asks the Account Server;
          // 501, which the client does not retry, keeps the test quick.
          path: `/reports/charges/organisation/${orgId}.xlsx?pbp=0`,
          status: 502,
          heading: /^Account Server problem$/,
          fault: () =>
            fx.sandbox.setFaults({ rules: [{ target: "as", kind: "status", status: 501 }] }),
        },
        {
          name: "unreconciled",
          path: `/reports/charges/organisation/${orgId}.csv?pbp=-1`,
          status: 502,
          heading: /^Totals do not match the Account Server$/,
          fault: () =>
            fx.sandbox.setFaults({
              rules: [{
                kind: "wrong-type",
                path: `/charges/product/${victim!.id}`,
                field: "processing_charges.0.charge.coins",
                value: new Big(victim!.coins).plus("0.5").toFixed(),
              }],
            }),
        },
      ];

      for (const width of WIDTHS) {
        const context = await browser.newContext({
          httpCredentials: { username: "finance", password: SECRET },
          acceptDownloads: true,
          viewport: { width, height: 860 },
        });
        try {
          const page = await context.newPage();
          const problems: string[] = [];
          page.on("console", (m) => {
            if (m.type() === "error" && !/status of (400|404|502)/.test(m.text())) {
              problems.push(m.text());
            }
          });
          page.on("pageerror", (e) => problems.push(e.message));
          const check = async (name: string) => {
            const where = `${name} at ${width} px`;
            const fit = await page.evaluate(
              "({ scroll: document.scrollingElement.scrollWidth, viewport: window.innerWidth })",
            ) as { scroll: number; viewport: number };
            assert.ok(fit.scroll <= fit.viewport, `${where}: ${fit.scroll} px wide`);
            const text = await page.evaluate("document.body.textContent") as string;
            assert.ok(!/pbp/i.test(text), `${where} says pbp`);
            assert.ok(
              !/GET \/|[?&](from|until|month|period|pbp)=/.test(text),
              `${where}: API words`,
            );
            await page.screenshot({ path: join(shots, `${name}-${width}.png`) });
          };
          /** On the organisation page: the picker's months, one picked, its downloads. */
          const pickMonth = async (width: number) => {
            const months = page.locator('#period optgroup[label="Calendar months"] option');
            assert.equal(await months.count(), 13);
            assert.equal(
              await months.first().textContent(),
              "November 2026 so far · 2026-11-01 to 2026-12-01 excl.",
            );
            assert.equal(
              await page.locator('#period optgroup[label="Billing periods"] option').count(),
              12,
            );
            await page.selectOption("#period", "2026-10");
            await Promise.all([
              page.waitForURL(`**/organisations/${orgId}?period=2026-10`),
              page.click("form.picker button"),
            ]);
            await check("organisation-month");
            assert.match(
              (await page.locator(`#org-${orgId} .whole`).textContent())!.replace(/\s+/g, " "),
              /Whole organisation, October 2026 \(calendar month, 2026-10-01 to 2026-11-01 excl\.\)/,
            );
            const link = `/reports/charges/organisation/${orgId}.xlsx?month=2026-10`;
            const box = await page.locator(`a[href="${link}"]`).boundingBox();
            assert.ok(
              box && box.x >= 0 && box.x + box.width <= width,
              `download on screen at ${width}`,
            );
            await page.locator("#chart").screenshot({ path: join(shots, `chart-${width}.png`) });
            // The chart's values without hovering: its table is open and visible.
            assert.ok(await page.locator("#chart details.values table").isVisible());
            assert.ok(await page.locator("#chart details.values tbody tr").first().isVisible());
            // The change card (this month against the one before) on a phone: its tables
            // become stacked rows, each cell with its label, and nothing is wider than the
            // screen. (A string expression: this file is type-checked without the DOM.)
            assert.ok(await page.locator("#change table.stack.change").count() >= 1);
            const change = await page.evaluate(`(() => {
              const row = document.querySelector("#change table.stack tbody tr");
              const cell = row.querySelector('td[data-label="Change"]');
              const rights = [...document.querySelectorAll("#change *")]
                .map((e) => e.getBoundingClientRect().right);
              return {
                rowDisplay: getComputedStyle(row).display,
                label: getComputedStyle(cell, "::before").content,
                widest: Math.max(...rights),
              };
            })()`) as { rowDisplay: string; label: string; widest: number };
            if (width === 390) {
              assert.equal(change.rowDisplay, "block", "change rows are stacked at 390 px");
              assert.equal(change.label, '"Change"', "each change cell shows its label");
            }
            assert.ok(change.widest <= width + 0.5, `change card fits: ${JSON.stringify(change)}`);
            if (width !== 1280) return;
            // A unit's workbook for the month opens and adds up to the AS's total for the
            // same dates (a unit keeps the download small).
            const unitLink = page.locator(
              'a[href^="/reports/charges/unit/"][href$=".xlsx?month=2026-10"]',
            )
              .first();
            const unitId = /\/unit\/([^/]+)\.xlsx/.exec((await unitLink.getAttribute("href"))!)![1];
            const [download] = await Promise.all([page.waitForEvent("download"), unitLink.click()]);
            assert.match(download.suggestedFilename(), /^charges_unit_.+_2026-10_sandbox\.xlsx$/);
            const book = await xlsxCoins(await Deno.readFile((await download.path())!));
            const expected = await fx.api.getUnitCharges(token, {
              unitId,
              from: "2026-10-01",
              until: "2026-11-01",
            });
            assert.ok(expected.success);
            assert.ok(oracleSum(book.coins).eq(expected.msg.coins), "workbook total = AS total");
          };
          for (const p of pages) {
            p.fault?.();
            let res;
            try {
              res = await page.goto(`${base}${p.path}`);
            } finally {
              if (p.fault) fx.sandbox.setFaults({});
            }
            const where = `${p.name} at ${width} px`;
            assert.equal(res?.status(), p.status, where);
            assert.match(
              (await page.locator("h1").first().textContent())!.trim(),
              p.heading,
              where,
            );
            await check(p.name);
            if (p.name === "organisation") await pickMonth(width);
            if (p.name === "archive") {
              // Grouped by organisation, then by period, newest first.
              const headings = (await page.locator("main h2, main h3").allTextContents()).map(
                (h) => h.replace(/\s+/g, " ").trim(),
              );
              assert.deepEqual(headings, [
                "Acme Research Laboratories International",
                "Billing period, 2026-10-03 to 2026-11-03 excl.",
                "September 2026 (calendar month, 2026-09-01 to 2026-10-01 excl.)",
                "Gamma Ltd",
                "October 2026 (calendar month, 2026-10-01 to 2026-11-01 excl.)",
              ]);
            }
          }
          assert.deepEqual(problems, [], `no CSP violations or page errors at ${width} px`);
        } finally {
          await context.close();
        }
      }
      console.log(`browser_test: screenshots in ${shots}`);
    } finally {
      await browser.close();
      await server.shutdown();
      await fx.close();
      store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

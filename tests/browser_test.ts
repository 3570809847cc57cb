// The report server in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven
// by playwright-core logs in with HTTP Basic, opens an organisation, picks a period with the
// no-script form, downloads the XLSX and opens it with exceljs, and takes screenshots of
// the index and of the chart (kept in a temp dir whose path is printed).
import assert from "node:assert/strict";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { SECRET, startFixture, xlsxCoins } from "./server_fixture_test.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

const skip = !hasChromium();
if (skip) console.log(`browser_test: SKIPPED, ${CHROMIUM} is absent (apt-get install chromium)`);

Deno.test({
  name: "a browser logs in, picks an organisation and a period, and downloads an XLSX that opens",
  ignore: skip,
  async fn() {
    const { chromium } = await import("playwright-core");
    const fx = await startFixture();
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, fx.app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const profile = await Deno.makeTempDir({ prefix: "browser_test_profile_" });
    const shots = await Deno.makeTempDir({ prefix: "browser_test_shots_" });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      httpCredentials: { username: "finance", password: SECRET },
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? await context.newPage();
      const blocked: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") blocked.push(m.text());
      });
      const index = await page.goto(`${base}/`);
      assert.equal(index?.status(), 200);
      assert.equal(await page.locator("h1").first().textContent(), "Charges reports");
      await page.screenshot({ path: `${shots}/index.png`, fullPage: false });

      // Pick the first organisation that has products.
      const token = await fx.tokens.getToken();
      const products = await fx.api.getAvailableProducts(token);
      assert.ok(products.success);
      const orgId = products.msg.products[0].organisation.id;
      await page.click(`#org-${orgId} h2 a`);
      await page.waitForURL(`**/organisations/${orgId}?pbp=-1`);
      await page.selectOption("#pbp", "-2");
      await Promise.all([
        page.waitForURL(`**/organisations/${orgId}?pbp=-2`),
        page.click("form.picker button"),
      ]);
      const chart = page.locator("#chart svg");
      assert.equal(await chart.count(), 1);
      assert.ok((await page.locator("#chart svg rect title").count()) > 0, "bars have tooltips");
      await page.locator("#chart").screenshot({ path: `${shots}/chart.png` });

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click(`a[href="/reports/charges/organisation/${orgId}.xlsx?pbp=-2"]`),
      ]);
      assert.match(download.suggestedFilename(), /^charges_organisation_.+\.xlsx$/);
      const file = await download.path();
      const book = await xlsxCoins(await Deno.readFile(file));
      const expected = await fx.api.getOrganisationCharges(token, { orgId, pbp: -2 });
      assert.ok(expected.success);
      assert.ok(
        oracleSum(book.coins).eq(expected.msg.coins),
        "workbook total equals the AS total",
      );
      assert.deepEqual(blocked, [], "no CSP violations or page errors");
      console.log(`browser_test: screenshots in ${shots}`);
    } finally {
      await context.close();
      await server.shutdown();
      await fx.close();
      await Deno.remove(profile, { recursive: true });
    }
  },
});

// Month-on-month change end to end over real HTTP, against one sandbox: the charges script
// (a subprocess) writes an XLSX whose Change sheet compares pbp -1 with pbp -2, and the
// report server (served on port 0) shows the same comparison on an organisation's page.
// Expected values come from the sandbox's own per-product totals, compared with big.js.
import assert from "node:assert/strict";
import Big from "big.js";
import ExcelJS from "exceljs";
import { join } from "node:path";
import { unwrap } from "../client/as/api_rv.ts";
import { AsApi } from "../client/as/mod.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import type { AnyProduct } from "../client/types.ts";
import { createReportServer } from "../reports/server/app.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { entries, runScript, sandboxEnv } from "./fixtures/script_run.ts";
import { amountText, column, readChangeSheet, tableRows } from "./fixtures/change_sheet.ts";

const SCRIPT = new URL("../scripts/charges.ts", import.meta.url).pathname;
const NOW = "2026-11-20T12:00:00Z";
const SECRET = "change-test-secret-0123456789";
const SIZES = { productsPerUnit: 3, processingChargesPerPeriod: 2 };

interface Expected {
  previous: Big;
  current: Big;
  /** Money at {@link PRICE} EUR per coin: each row rounded half-to-even to cents, summed. */
  previousEur: Big;
  currentEur: Big;
}

/** The price per coin of the rates file the money run uses. */
const PRICE = "0.125";

/** The sandbox's own total of each product of `org` for pbp -1 and -2 (its `coins` field). */
async function expectedByProduct(
  sandbox: RunningSandbox,
  orgName: string,
): Promise<{ products: AnyProduct[]; byProduct: Map<string, Expected> }> {
  const api = new AsApi({ url: sandbox.asUrl, warn: () => {} });
  const tokens = tokenSource(sandbox);
  const token = await tokens.getToken();
  const products = unwrap(await api.getAvailableProducts(token)).products
    .filter((p) => p.organisation.name === orgName);
  const byProduct = new Map<string, Expected>();
  const eur = (coins: string[]) =>
    coins.reduce(
      (sum, c) => sum.plus(new Big(c).times(PRICE).round(2, Big.roundHalfEven)),
      new Big(0),
    );
  for (const p of products) {
    const [cur, prev] = await Promise.all(
      [-1, -2].map(async (pbp) =>
        unwrap(await api.getProductCharges(token, { productId: p.product.id, pbp }))
      ),
    );
    const rowCoins = (c: typeof cur) => [
      ...c.processing_charges.map((x) => x.charge.coins),
      ...c.storage_charges.items.map((x) => x.coins),
    ];
    byProduct.set(p.product.id, {
      previous: new Big(prev.coins),
      current: new Big(cur.coins),
      previousEur: eur(rowCoins(prev)),
      currentEur: eur(rowCoins(cur)),
    });
  }
  return { products, byProduct };
}

function tokenSource(sandbox: RunningSandbox): KeycloakTokenSource {
  return new KeycloakTokenSource({
    keycloakUrl: sandbox.keycloakUrl,
    realm: sandbox.realm,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
}

/** `+33.3 %`, `-100.0 %`, `0.0 %`, `new` or `—`, computed with big.js. */
function oraclePercentText(e: Expected): string {
  if (e.previous.eq(0)) return e.current.eq(0) ? "—" : "new";
  Big.DP = 40;
  const pct = e.current.minus(e.previous).times(100).div(e.previous.abs())
    .round(1, Big.roundHalfEven);
  return `${pct.gt(0) ? "+" : ""}${pct.eq(0) ? "0.0" : pct.toFixed(1)} %`;
}

function oracleFlag(e: Expected, threshold: string): boolean {
  if (e.previous.eq(0)) return !e.current.eq(0);
  return e.current.minus(e.previous).abs().times(100).gt(e.previous.abs().times(threshold));
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
  return String(v);
}

let shared: Promise<{ sandbox: RunningSandbox; orgName: string; orgId: string }> | undefined;

/** One sandbox for the file, and an organisation that has products. */
function sandboxOnce() {
  shared ??= (async () => {
    const sandbox = await startSandbox({ seed: 11, now: NOW, quiet: true, sizes: SIZES });
    const api = new AsApi({ url: sandbox.asUrl, warn: () => {} });
    const token = await tokenSource(sandbox).getToken();
    const products = unwrap(await api.getAvailableProducts(token)).products;
    const org = products.find((p) => p.organisation.name !== "Default")!.organisation;
    return { sandbox, orgName: org.name, orgId: org.id };
  })();
  return shared;
}

Deno.test({
  name: "charges --flag-change over HTTP: the XLSX Change sheet compares pbp -1 with pbp -2",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { sandbox, orgName, orgId } = await sandboxOnce();
    const dir = await Deno.makeTempDir();
    try {
      const plain = join(dir, "plain");
      const common = ["org", orgName, "--pbp", "-1", "--format", "xlsx", "--json"];
      const priced = join(dir, "priced");
      const rates = join(dir, "rates.csv");
      await Deno.writeTextFile(
        rates,
        `subject,currency,price_per_coin,effective_from\n${orgId},EUR,${PRICE},2020-01-01\n`,
      );
      const env = sandboxEnv(sandbox);
      const [r, noChange, money] = await Promise.all([
        runScript(SCRIPT, [...common, "--flag-change", "10", "--out-dir", dir], env),
        runScript(SCRIPT, [...common, "--no-change", "--out-dir", plain], env),
        runScript(SCRIPT, [...common, "--rates", rates, "--out-dir", priced], env),
      ]);
      assert.equal(money.code, 0, money.stderr);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(noChange.code, 0, noChange.stderr);
      // --no-change: no Change sheet, and the previous period is not collected (fewer requests).
      const [plainFile] = await entries(plain);
      const plainBook = new ExcelJS.Workbook();
      await plainBook.xlsx.readFile(join(plain, plainFile));
      assert.deepEqual(plainBook.worksheets.map((s) => s.name), ["Summary", "Detail"]);
      assert.ok(JSON.parse(noChange.stdout).requests < JSON.parse(r.stdout).requests);
      const files = (await entries(dir)).filter((f) => f.endsWith(".xlsx"));
      assert.equal(files.length, 1, "one XLSX: the previous period is compared, not written");
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(dir, files[0]));
      assert.deepEqual(workbook.worksheets.map((s) => s.name).slice(0, 3), [
        "Summary",
        "Change",
        "Detail",
      ]);
      const rows: ExcelJS.Row[] = [];
      workbook.getWorksheet("Change")!.eachRow((row) => rows.push(row));
      const status = rows.find((row) => cellText(row.getCell(1)) === "Status")!;
      assert.match(cellText(status.getCell(2)), /^Compared: /);
      const prev = rows.find((row) => cellText(row.getCell(1)) === "Previous period")!;
      assert.match(cellText(prev.getCell(2)), /prior billing period -2/);

      const { products, byProduct } = await expectedByProduct(sandbox, orgName);
      assert.ok(products.length >= 2);
      // Columns by header (the sheet puts names before ids; see fixtures/change_sheet.ts).
      const byProductTable = tableRows(rows, "By product");
      const col = (header: string) => column(byProductTable.columns, header);
      const seen = new Set<string>();
      let flagged = 0;
      for (const row of byProductTable.lines) {
        const id = cellText(row.getCell(col("id")));
        const e = byProduct.get(id);
        assert.ok(e, `${id} is one of the organisation's products`);
        seen.add(id);
        const amount = (header: string) => new Big(amountText(row, byProductTable.columns, header));
        assert.ok(amount("previous coins").eq(e.previous), `${id} previous`);
        assert.ok(amount("this period coins").eq(e.current), `${id} current`);
        assert.ok(amount("difference coins").eq(e.current.minus(e.previous)), `${id} difference`);
        const pct = row.getCell(col("change")).value;
        const expectedText = oraclePercentText(e);
        if (typeof pct === "number") {
          // The cell holds the rounded percentage as a fraction: 33.3 % → 0.333.
          assert.equal(
            `${pct > 0 ? "+" : ""}${new Big(pct).times(100).toFixed(1)} %`,
            expectedText,
            id,
          );
        } else {
          assert.equal(cellText(row.getCell(col("change"))), expectedText, id);
        }
        const flag = oracleFlag(e, "10");
        assert.equal(cellText(row.getCell(col("flag"))), flag ? "FLAG" : "", `${id} flag`);
        if (flag) flagged++;
      }
      assert.deepEqual([...seen].sort(), [...byProduct.keys()].sort());
      assert.ok(flagged > 0, "the sandbox data moves by more than 10 % somewhere");

      // Priced (--rates): the money columns hold each product's rounded amounts.
      const [pricedFile] = (await entries(priced)).filter((f) => f.endsWith(".xlsx"));
      const pricedBook = new ExcelJS.Workbook();
      await pricedBook.xlsx.readFile(join(priced, pricedFile));
      const moneyRows: ExcelJS.Row[] = [];
      pricedBook.getWorksheet("Change")!.eachRow((row) => moneyRows.push(row));
      // The money columns name the currency in their headers ("previous EUR", ...).
      const moneyTable = tableRows(moneyRows, "By product");
      let checked = 0;
      for (const row of moneyTable.lines) {
        const e = byProduct.get(cellText(row.getCell(column(moneyTable.columns, "id"))));
        assert.ok(e);
        const eur = (header: string) => new Big(amountText(row, moneyTable.columns, header));
        assert.ok(eur("previous EUR").eq(e.previousEur));
        assert.ok(eur("this period EUR").eq(e.currentEur));
        assert.ok(eur("difference EUR").eq(e.currentEur.minus(e.previousEur)));
        checked++;
      }
      assert.equal(checked, byProduct.size);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the report server's organisation page shows the same change over HTTP",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { sandbox, orgName, orgId } = await sandboxOnce();
    const app = createReportServer({
      api: new AsApi({ url: sandbox.asUrl, warn: () => {} }),
      tokens: tokenSource(sandbox),
      sourceUrl: sandbox.asUrl,
      sandbox: true,
      now: () => new Date(NOW),
      auth: { tokens: [SECRET] },
      log: () => {},
    });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    try {
      const res = await fetch(
        `http://127.0.0.1:${server.addr.port}/organisations/${encodeURIComponent(orgId)}?pbp=-1`,
        { headers: { authorization: `Bearer ${SECRET}` } },
      );
      assert.equal(res.status, 200);
      const page = await res.text();
      const card = /<section class="card" id="change">([\s\S]*?)<\/section>/.exec(page);
      assert.ok(card, "the page has the change card");
      assert.match(card[1], /Change since the previous period/);
      assert.match(card[1], /table class="stack change"/);
      const { byProduct } = await expectedByProduct(sandbox, orgName);
      const products = card[1].slice(card[1].indexOf("<h3>By product</h3>"));
      for (const [id, e] of byProduct) {
        const row = new RegExp(
          `<code>${id}</code></td>[\\s\\S]*?data-label="Previous">([^<]*)</td>[\\s\\S]*?` +
            `data-label="This period">([^<]*)</td>[\\s\\S]*?data-label="Difference">([^<]*)` +
            `</td>[\\s\\S]*?data-label="Change">([^<]*)</td>([\\s\\S]*?)</tr>`,
        ).exec(products);
        assert.ok(row, `a line for ${id}`);
        assert.ok(new Big(row[1]).eq(e.previous), `${id} previous`);
        assert.ok(new Big(row[2]).eq(e.current), `${id} current`);
        assert.ok(new Big(row[3]).eq(e.current.minus(e.previous)), `${id} difference`);
        assert.equal(row[4].replace("\u00a0", " "), oraclePercentText(e), id);
        assert.equal(/flagged/.test(row[5]), oracleFlag(e, "25"), `${id} flag`);
      }
    } finally {
      await server.shutdown();
    }
  },
});

/**
 * The AS client with every call recorded (method and arguments, token aside) and, with
 * `spoil`, the server's own product totals changed.
 */
function countingApi(
  sandbox: RunningSandbox,
  spoil?: (pbp: number | undefined, coins: string) => string,
): { api: AsApi; productCalls: () => number; calls: string[] } {
  const real = new AsApi({ url: sandbox.asUrl, warn: () => {} });
  const calls: string[] = [];
  const spoiled: AsApi["getProductCharges"] = async (token, options) => {
    const rv = await real.getProductCharges(token, options);
    if (!spoil || !rv.success) return rv;
    return { ...rv, msg: { ...rv.msg, coins: spoil(options.pbp, rv.msg.coins) } };
  };
  const api = new Proxy(real, {
    get(target, name) {
      const value = name === "getProductCharges" ? spoiled : Reflect.get(target, name, target);
      if (typeof value !== "function" || !String(name).startsWith("get")) {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (token: string, args?: Record<string, unknown>) => {
        calls.push(`${String(name)} ${JSON.stringify(args ?? {})}`);
        return value.call(target, token, args);
      };
    },
  });
  return {
    api,
    productCalls: () => calls.filter((c) => c.startsWith("getProductCharges ")).length,
    calls,
  };
}

Deno.test({
  name:
    "a report server XLSX download carries the Change sheet (flagChange 10) over HTTP; the page's closed-period change is collected once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { sandbox, orgName, orgId } = await sandboxOnce();
    const { api, productCalls, calls } = countingApi(sandbox);
    const app = createReportServer({
      api,
      tokens: tokenSource(sandbox),
      sourceUrl: sandbox.asUrl,
      sandbox: true,
      now: () => new Date(NOW),
      auth: { tokens: [SECRET] },
      log: () => {},
      // What REPORTS_FLAG_CHANGE=10 sets (scripts/serve_wiring.ts).
      flagChange: "10",
    });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const get = (path: string) =>
      fetch(`${base}${path}`, { headers: { authorization: `Bearer ${SECRET}` } });
    try {
      const { products, byProduct } = await expectedByProduct(sandbox, orgName);
      // Unit totals: the sum of their products' own totals (big.js).
      const byUnit = new Map<string, { previous: Big; current: Big }>();
      for (const p of products) {
        const e = byProduct.get(p.product.id)!;
        const u = byUnit.get(p.unit.id) ?? { previous: new Big(0), current: new Big(0) };
        byUnit.set(p.unit.id, {
          previous: u.previous.plus(e.previous),
          current: u.current.plus(e.current),
        });
      }
      const path = `/reports/charges/organisation/${orgId}.xlsx?pbp=-1`;
      const first = await get(path);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get("x-report-cache"), null);
      const sheet = await readChangeSheet(new Uint8Array(await first.arrayBuffer()));
      assert.deepEqual(sheet.sheets.slice(0, 3), ["Summary", "Change", "Detail"]);
      assert.match(sheet.status, /^Compared: /);
      assert.match(sheet.previousPeriod, /prior billing period -2/);
      assert.deepEqual([...sheet.products.keys()].sort(), [...byProduct.keys()].sort());
      let flagged = 0;
      for (const [id, e] of byProduct) {
        const line = sheet.products.get(id)!;
        assert.ok(new Big(line.previous).eq(e.previous), `${id} previous`);
        assert.ok(new Big(line.current).eq(e.current), `${id} current`);
        assert.ok(new Big(line.difference).eq(e.current.minus(e.previous)), `${id} difference`);
        assert.equal(line.flagged, oracleFlag(e, "10"), `${id} flag at 10 %`);
        if (line.flagged && !oracleFlag(e, "25")) flagged++;
      }
      assert.ok(flagged > 0, "some line is flagged at 10 % and would not be at 25 %");
      assert.deepEqual([...sheet.units.keys()].sort(), [...byUnit.keys()].sort());
      for (const [id, u] of byUnit) {
        const line = sheet.units.get(id)!;
        assert.ok(new Big(line.previous).eq(u.previous), `unit ${id} previous`);
        assert.ok(new Big(line.current).eq(u.current), `unit ${id} current`);
      }
      // A closed, compared period: the second download comes from the render cache, with
      // the same Change sheet.
      const second = await get(path);
      assert.equal(second.status, 200);
      assert.equal(second.headers.get("x-report-cache"), "hit");
      const again = await readChangeSheet(new Uint8Array(await second.arrayBuffer()));
      assert.deepEqual(again.products, sheet.products);

      // The page's change card uses the same threshold, and its closed-period table is
      // collected once: the second view asks the Account Server for no product charges.
      const page = `/organisations/${encodeURIComponent(orgId)}?pbp=-1`;
      const before = productCalls();
      const mark = calls.length;
      const view = await get(page);
      const html = await view.text();
      const end = calls.length;
      assert.equal(view.status, 200);
      assert.match(html, /a change above 10 % either way/);
      const afterFirst = productCalls();
      assert.equal(afterFirst - before, 2 * byProduct.size, "both periods, once per product");
      // No read twice in one view: the chart and the card share the organisation's charges
      // of pbp -1 and -2, and the card the organisation and its products the page listed.
      const firstView = calls.slice(mark, end);
      const twice = firstView.filter((c, i) => firstView.indexOf(c) !== i);
      assert.deepEqual(twice, [], "no AS read repeated within the view");
      assert.ok(firstView.some((c) => /getOrganisationCharges .*"pbp":-2/.test(c)));
      const view2 = await get(page);
      assert.equal(view2.status, 200);
      const html2 = await view2.text();
      assert.equal(productCalls(), afterFirst, "the second view reuses the compared table");
      const card = (h: string) =>
        /<section class="card" id="change">[\s\S]*?<\/section>/.exec(h)?.[0];
      assert.equal(card(html2), card(html));
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name: "a previous period that does not reconcile: the page says not compared, with no numbers",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { sandbox, orgId } = await sandboxOnce();
    // The server's own total of every product in pbp -2 disagrees with its rows.
    const { api, productCalls } = countingApi(
      sandbox,
      (pbp, coins) => pbp === -2 ? "999999.99" : coins,
    );
    const app = createReportServer({
      api,
      tokens: tokenSource(sandbox),
      sourceUrl: sandbox.asUrl,
      sandbox: true,
      now: () => new Date(NOW),
      auth: { tokens: [SECRET] },
      log: () => {},
    });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    try {
      const res = await fetch(
        `http://127.0.0.1:${server.addr.port}/organisations/${encodeURIComponent(orgId)}?pbp=-1`,
        { headers: { authorization: `Bearer ${SECRET}` } },
      );
      const page = await res.text();
      assert.equal(res.status, 200, page);
      const card = /<section class="card" id="change">([\s\S]*?)<\/section>/.exec(page);
      assert.ok(card, "the page has the change card");
      assert.match(
        card[1],
        /Not compared:<\/strong> the previous period&#39;s totals \(.*\) do not reconcile/,
      );
      assert.doesNotMatch(card[1], /<table/);

      // The XLSX download of the period is not stopped: its Change sheet says why it
      // could not compare, shows no lines, and the file is not kept in the render cache.
      const path = `/reports/charges/organisation/${orgId}.xlsx?pbp=-1`;
      for (let i = 0; i < 2; i++) {
        const download = await fetch(`http://127.0.0.1:${server.addr.port}${path}`, {
          headers: { authorization: `Bearer ${SECRET}` },
        });
        assert.equal(download.status, 200);
        assert.equal(download.headers.get("x-report-cache"), null, `download ${i + 1}`);
        const sheet = await readChangeSheet(new Uint8Array(await download.arrayBuffer()));
        assert.match(sheet.status, /^COULD NOT BE COMPARED: the previous period's totals/);
        assert.equal(sheet.products.size, 0);
        assert.equal(sheet.units.size, 0);
      }
      // The page's "not compared" table is not kept either: a second view collects again.
      const calls = productCalls();
      await (await fetch(
        `http://127.0.0.1:${server.addr.port}/organisations/${encodeURIComponent(orgId)}?pbp=-1`,
        { headers: { authorization: `Bearer ${SECRET}` } },
      )).text();
      assert.ok(productCalls() > calls, "collected again");
    } finally {
      await server.shutdown();
    }
  },
});

// Closes the shared sandbox after the file's tests.
Deno.test({
  name: "change e2e: close the sandbox",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    if (shared) await (await shared).sandbox.close();
  },
});

/**
 * Acceptance: the report server over loopback (the app served on port 0, the sandbox on
 * port 0) when the Account Server's answers are spoiled by the sandbox's fault rules.
 *
 * - Every malformed answer (an empty 200, a field of the wrong type, an HTML page) ends as
 *   502: an HTML page for browsers, JSON for API callers; never 500, never a file, and no
 *   `Content-Disposition` or `X-Report-*` header.
 * - A well-formed but wrong coin value, which only reconciliation can catch, ends as 502
 *   with a page naming the difference.
 * - A clean download is 200 with its headers, and its total equals a big.js sum of the
 *   sandbox's own answers (fetched raw, not through the client).
 * - The pages that list organisations, units and products, and the chart, give 502 too.
 */

import assert from "node:assert/strict";
import Big from "big.js";
import type { FaultRule } from "../sandbox/faults_config.ts";
import type { RunningSandbox } from "../sandbox/mod.ts";
import { parseCsvDownload, SECRET, startFixture } from "./server_fixture_test.ts";

const BROWSER = {
  authorization: `Bearer ${SECRET}`,
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
};
const API = { authorization: `Bearer ${SECRET}`, accept: "application/json" };

/** The fixture's app served over loopback on a free port. */
async function serveFixture() {
  const fx = await startFixture();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    fx.app.fetch,
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    fx,
    get: (path: string, headers: Record<string, string> = BROWSER) =>
      fetch(base + path, { headers }),
    async close() {
      await server.shutdown();
      await fx.close();
    },
  };
}

/** An organisation of the sandbox (not the Default one) with units that have products. */
function pickOrganisation(sandbox: RunningSandbox) {
  for (const org of sandbox.state.orgs.values()) {
    if (org.isDefault) continue;
    const units = sandbox.state.unitsOf(org.id);
    const products = units.flatMap((u) => sandbox.state.productsOf(u.id));
    if (products.length >= 2) return { org, units, products };
  }
  throw new Error("no organisation with products in the sandbox");
}

interface RawProductCharges {
  product_id: string;
  coins: string;
  processing_charges: { charge: { coins: string } }[];
  storage_charges: { items: { coins: string }[] };
}

/** The sandbox's answer for a product's charges, fetched raw (no client code involved). */
async function rawProductCharges(
  sandbox: RunningSandbox,
  token: string,
  productId: string,
): Promise<RawProductCharges> {
  const res = await fetch(`${sandbox.asUrl}/charges/product/${productId}?pbp=-1`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200);
  return await res.json();
}

function itemCoins(body: RawProductCharges): string[] {
  return [
    ...body.processing_charges.map((p) => p.charge.coins),
    ...body.storage_charges.items.map((i) => i.coins),
  ];
}

/** Asserts that `res` is a 502 error answer and nothing of a download. */
function assertNoFile(res: Response, what: string) {
  assert.equal(res.status, 502, what);
  assert.equal(res.headers.get("content-disposition"), null, what);
  for (const [name] of res.headers) assert.ok(!name.startsWith("x-report-"), `${what}: ${name}`);
  assert.equal(res.headers.get("cache-control"), "no-store", what);
}

const MALFORMED: [string, FaultRule][] = [
  ["empty 200", { kind: "empty-body", path: "/charges/product/*" }],
  ["wrong type", { kind: "wrong-type", path: "/charges/product/*", field: "storage_charges" }],
  ["HTML page", { kind: "html", path: "/charges/product/*" }],
  ["products: 42", { kind: "wrong-type", path: "/product/organisation/*", field: "products" }],
];

Deno.test("a download from any malformed answer is a 502 page (or JSON), never a file", async () => {
  const s = await serveFixture();
  try {
    const { org } = pickOrganisation(s.fx.sandbox);
    const url = `/reports/charges/organisation/${org.id}.xlsx?pbp=-1`;
    for (const [what, rule] of MALFORMED) {
      s.fx.sandbox.setFaults({ rules: [rule] });
      const page = await s.get(url);
      assertNoFile(page, what);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/, what);
      const html = await page.text();
      assert.match(html, /<h1>Unreadable answer from the Account Server<\/h1>/, what);
      assert.match(html, /nothing was made from it: no report, no partial numbers/, what);
      // The technical detail, small: the redacted endpoint and what was wrong.
      const detail = /<p class="detail"><small>Technical detail: ([^<]+)<\/small><\/p>/.exec(html);
      assert.ok(detail, `${what}: technical detail shown`);
      assert.match(detail[1], /AS answered GET \/(charges\/product|product\/organisation)\//, what);
      assert.ok(!html.includes(SECRET) && !/eyJ[A-Za-z0-9_-]{8,}\./.test(html), what);

      const json = await s.get(url, API);
      assertNoFile(json, `${what} (JSON)`);
      const body = await json.json();
      assert.equal(body.status, 502);
      assert.match(body.error, /Account Server sent an answer that is not in the form/);
      assert.match(body.detail, /with a body that is not /, what);

      // HEAD is refused the same way, before any header of a file.
      const head = await fetch(page.url, { method: "HEAD", headers: BROWSER });
      assertNoFile(head, `${what} (HEAD)`);
      await head.body?.cancel();
    }
  } finally {
    await s.close();
  }
});

Deno.test("a coin value that breaks reconciliation is a 502 page naming the difference", async () => {
  const s = await serveFixture();
  try {
    const { org, products } = pickOrganisation(s.fx.sandbox);
    const token = await s.fx.tokens.getToken();
    let victim: { id: string; name: string; body: RawProductCharges } | undefined;
    for (const p of products) {
      const body = await rawProductCharges(s.fx.sandbox, token, p.id);
      if (body.processing_charges.length > 0) {
        victim = { id: p.id, name: p.name, body };
        break;
      }
    }
    assert.ok(victim, "a product with processing charges last period");
    const original = victim.body.processing_charges[0].charge.coins;
    const spoiled = new Big(original).plus("0.5").toFixed();
    s.fx.sandbox.setFaults({
      rules: [{
        kind: "wrong-type",
        path: `/charges/product/${victim.id}`,
        field: "processing_charges.0.charge.coins",
        value: spoiled,
      }],
    });
    // Hand-worked: the rows now add up to the product's total plus 0.5.
    const computed = new Big(victim.body.coins).plus("0.5");

    const page = await s.get(`/reports/charges/organisation/${org.id}.csv?pbp=-1`);
    assertNoFile(page, "mismatch");
    const html = await page.text();
    assert.match(html, /<h1>Totals do not match the Account Server<\/h1>/);
    assert.match(html, /was not produced/);
    assert.match(html, /cannot be used for billing/);
    assert.ok(html.includes(`Product “${victim.name}”: all charges`), "names the product");
    // Its row: the sum of the charges, the AS's total and the difference, in coins.
    const cell = `\\s*<td class="num"[^>]*>([^<]+)</td>`;
    const row = new RegExp(
      `Product “${victim.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}”: all charges</td>` +
        cell + cell + cell,
    ).exec(html);
    assert.ok(row, "a table row for the product's total");
    assert.ok(new Big(row[1]).eq(computed), `computed ${row[1]}`);
    assert.ok(new Big(row[2]).eq(victim.body.coins), `server ${row[2]}`);
    assert.ok(row[3].startsWith("+") && new Big(row[3].slice(1)).eq("0.5"), row[3]);
    assert.match(html, /<small>Technical detail: \d+ of \d+ checks disagree/);
    assert.ok(html.includes(victim.id), "the id is in the technical detail");

    const json = await s.get(`/reports/charges/product/${victim.id}.xlsx?pbp=-1`, API);
    assertNoFile(json, "mismatch (JSON)");
    const body = await json.json();
    assert.equal(body.reconciliation.ok, false);
    const total = body.reconciliation.mismatches.find((m: { where: string }) =>
      m.where.startsWith(`product ${victim.id}`) && m.where.endsWith(" total")
    );
    assert.ok(total, JSON.stringify(body.reconciliation.mismatches));
    assert.ok(new Big(total.computed).eq(computed));
    assert.ok(new Big(total.server).eq(victim.body.coins));
  } finally {
    await s.close();
  }
});

Deno.test("a clean download is 200 with headers whose total is the sandbox's own sum", async () => {
  const s = await serveFixture();
  try {
    const { org, products } = pickOrganisation(s.fx.sandbox);
    const token = await s.fx.tokens.getToken();
    const coins: string[] = [];
    for (const p of products) {
      coins.push(...itemCoins(await rawProductCharges(s.fx.sandbox, token, p.id)));
    }
    let expected = new Big(0);
    for (const c of coins) expected = expected.plus(c);
    assert.ok(expected.gt(0), "the organisation has charges last period");

    const res = await s.get(`/reports/charges/organisation/${org.id}.csv?pbp=-1`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename=/);
    const headerTotal = res.headers.get("x-report-total-coins");
    assert.ok(headerTotal, "X-Report-Total-Coins");
    assert.ok(new Big(headerTotal).eq(expected), `${headerTotal} vs ${expected.toFixed()}`);
    assert.equal(res.headers.get("x-report-rows"), String(coins.length));
    const rows = await parseCsvDownload(res);
    assert.equal(rows.length, coins.length);
    let sum = new Big(0);
    for (const r of rows) sum = sum.plus(r.coins);
    assert.ok(sum.eq(expected), "the file's rows add up to the same total");
  } finally {
    await s.close();
  }
});

Deno.test("pages listing organisations, units and products, and the chart, give 502 on malformed answers", async () => {
  const s = await serveFixture();
  try {
    const { org } = pickOrganisation(s.fx.sandbox);
    const cases: [string, string, FaultRule][] = [
      ["index, empty organisations", "/", { kind: "empty-body", path: "/organisation" }],
      ["index, units of wrong type", "/", { kind: "wrong-type", path: "/unit", field: "units" }],
      ["index, HTML products", "/", { kind: "html", path: "/product" }],
      [
        "organisation page, products: 42",
        `/organisations/${org.id}`,
        { kind: "wrong-type", path: `/product/organisation/${org.id}`, field: "products" },
      ],
      [
        "organisation page, HTML organisation",
        `/organisations/${org.id}`,
        { kind: "html", path: `/organisation/${org.id}` },
      ],
      [
        "chart, empty organisation charges",
        `/charts/organisation/${org.id}.svg`,
        { kind: "empty-body", path: `/charges/organisation/${org.id}` },
      ],
      [
        "organisation page, unit_charges of wrong type",
        `/organisations/${org.id}`,
        { kind: "wrong-type", path: `/charges/organisation/${org.id}`, field: "unit_charges" },
      ],
    ];
    for (const [what, path, rule] of cases) {
      s.fx.sandbox.setFaults({ rules: [rule] });
      const page = await s.get(path);
      assert.equal(page.status, 502, what);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/, what);
      assert.match(await page.text(), /Unreadable answer from the Account Server/, what);
      const json = await s.get(path, API);
      assert.equal(json.status, 502, `${what} (JSON)`);
      assert.match((await json.json()).detail, /with a body that is not /, what);
    }
    // /healthz stays 503 (its documented answer) and says why.
    s.fx.sandbox.setFaults({ rules: [{ kind: "html", path: "/version" }] });
    const health = await s.get("/healthz", API);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), {
      status: "unavailable",
      accountServer: { ok: false, reason: "malformed answer" },
    });
    const anonymous = await s.get("/healthz", {});
    assert.equal(anonymous.status, 503);
    assert.deepEqual(await anonymous.json(), { status: "unavailable" });
    // And without a fault, the same pages work.
    s.fx.sandbox.setFaults({});
    for (const path of ["/", `/organisations/${org.id}`, `/charts/organisation/${org.id}.svg`]) {
      const res = await s.get(path);
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
    }
  } finally {
    await s.close();
  }
});

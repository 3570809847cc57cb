import assert from "node:assert/strict";
import { oracleSum, sameAmount } from "./fixtures/coin_oracle.ts";
import type { ProductDmStorage } from "../client/types.ts";
import {
  basic,
  bearer,
  parseCsvDownload,
  SECRET,
  startFixture,
  userToken,
  xlsxCoins,
} from "./server_fixture_test.ts";

Deno.test("healthz answers without credentials; the AS version only with them", async () => {
  const fx = await startFixture();
  try {
    const anonymous = await fx.app.request("/healthz");
    assert.equal(anonymous.status, 200);
    assert.match(anonymous.headers.get("content-type") ?? "", /application\/json/);
    assert.deepEqual(await anonymous.json(), { status: "ok" });
    const res = await fx.app.request("/healthz", { headers: bearer });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, "ok");
    assert.equal(typeof body.accountServer.version, "string");
  } finally {
    await fx.close();
  }
});

async function asToken(fx: Awaited<ReturnType<typeof startFixture>>) {
  return await fx.tokens.getToken();
}

async function firstIds(fx: Awaited<ReturnType<typeof startFixture>>) {
  const token = await asToken(fx);
  const orgs = await fx.api.getOrganisations(token);
  const products = await fx.api.getAvailableProducts(token);
  assert.ok(orgs.success && products.success);
  // An organisation with products (the Default organisation may have none).
  const product = products.msg.products[0] as ProductDmStorage;
  return { orgId: product.organisation.id, unitId: product.unit.id, productId: product.product.id };
}

Deno.test("every route needs credentials: 401 without or with wrong ones, 200 with each kind", async () => {
  const fx = await startFixture();
  try {
    const { orgId } = await firstIds(fx);
    const routes = [
      "/",
      "/?pbp=-3",
      "/archive",
      "/assets/style.css",
      `/organisations/${orgId}`,
      `/charts/organisation/${orgId}.svg`,
      `/reports/charges/organisation/${orgId}.csv?pbp=-1`,
      "/archive/charges_unit_x_2026-10-03_to_2026-11-02.csv",
      "/no/such/page",
    ];
    const wrong: Record<string, string>[] = [
      {},
      { authorization: "Bearer nope" },
      { authorization: basic("finance", "nope") },
      { authorization: `Basic ${btoa(SECRET)}` },
      { authorization: `Bearer ${SECRET}x` },
    ];
    for (const path of routes) {
      for (const headers of wrong) {
        const res = await fx.app.request(path, { headers });
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(res.headers.get("www-authenticate"), 'Basic realm="squonk2 reports"');
        const text = await res.text();
        assert.ok(!text.includes(SECRET));
      }
    }
    const adminToken = await userToken(fx.sandbox, "sandbox-admin");
    const adaToken = await userToken(fx.sandbox, "ada.lovelace");
    for (
      const authorization of [
        `Bearer ${SECRET}`,
        "Bearer second-secret-abcdefgh",
        basic("anyone", SECRET),
        `Bearer ${adminToken}`,
      ]
    ) {
      const res = await fx.app.request("/", { headers: { authorization } });
      assert.equal(res.status, 200, authorization.slice(0, 12));
      assert.match(await res.text(), /<h1>Charges reports<\/h1>/);
    }
    // A valid Keycloak token without the required realm role is refused.
    const res = await fx.app.request("/", { headers: { authorization: `Bearer ${adaToken}` } });
    assert.equal(res.status, 401);
    await res.body?.cancel();
  } finally {
    await fx.close();
  }
});

Deno.test("pages carry secure headers, list every level and offer the last 12 periods", async () => {
  const fx = await startFixture();
  try {
    const { orgId, unitId, productId } = await firstIds(fx);
    const res = await fx.app.request("/?pbp=-2", { headers: bearer });
    assert.equal(res.status, 200);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.ok(!/script-src[^;]*unsafe-inline/.test(csp));
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    const page = await res.text();
    assert.ok(!page.includes("<script"));
    assert.match(page, /SANDBOX DATA/);
    // 12 billing periods and 13 calendar months (the sandbox clock is 2026-11-20).
    assert.equal((page.match(/<option /g) ?? []).length, 12 + 13);
    assert.match(page, /<optgroup label="Calendar months">/);
    assert.match(page, /November 2026 so far · 2026-11-01 to 2026-12-01 excl\./);
    assert.ok(!/pbp/i.test(page.replace(/href="[^"]*"/g, "")), "no API words on the page");
    for (
      const href of [
        `/reports/charges/organisation/${orgId}.xlsx?pbp=-2`,
        `/reports/charges/unit/${unitId}.csv?pbp=-2`,
        `/reports/charges/product/${productId}.xlsx?pbp=-2`,
      ]
    ) assert.ok(page.includes(`href="${href}"`), href);
    const css = await fx.app.request("/assets/style.css", { headers: bearer });
    assert.match(css.headers.get("content-type") ?? "", /text\/css/);
    await css.body?.cancel();

    const org = await fx.app.request(`/organisations/${orgId}?pbp=-1`, { headers: bearer });
    assert.equal(org.status, 200);
    const orgPage = await org.text();
    assert.match(orgPage, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(orgPage, /<title>[^<]+: [0-9.]+ coins, \d{4}-\d\d-\d\d \(incl\.\)/);
    const svg = await fx.app.request(`/charts/organisation/${orgId}.svg`, { headers: bearer });
    assert.match(svg.headers.get("content-type") ?? "", /image\/svg\+xml/);
    assert.match(await svg.text(), /^<svg/);

    const bad = await fx.app.request("/?pbp=3", {
      headers: { ...bearer, accept: "application/json" },
    });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /billing period that is in the future/);

    // A calendar month: the page says which, with dates, and its links ask for the month.
    const month = await fx.app.request(`/organisations/${orgId}?period=2026-10`, {
      headers: bearer,
    });
    assert.equal(month.status, 200);
    const monthPage = (await month.text()).replace(/\s+/g, " ");
    assert.match(monthPage, /October 2026 \(calendar month, 2026-10-01 to 2026-11-01 excl\.\)/);
    assert.ok(
      monthPage.includes(`href="/reports/charges/organisation/${orgId}.xlsx?month=2026-10"`),
    );
    assert.match(monthPage, /<option value="2026-10" selected>/);
    assert.ok(!/pbp/i.test(monthPage.replace(/href="[^"]*"/g, "")), "no API words on the page");
    const byMonth = await fx.app.request(`/?month=2026-09`, { headers: bearer });
    assert.equal(byMonth.status, 200);
    assert.match(await byMonth.text(), /value="2026-09"\s+selected/);
  } finally {
    await fx.close();
  }
});

Deno.test("downloads stream CSV and XLSX that parse back with the sandbox's totals", async () => {
  const fx = await startFixture();
  try {
    const { orgId, unitId, productId } = await firstIds(fx);
    const token = await asToken(fx);
    const orgCharges = await fx.api.getOrganisationCharges(token, { orgId, pbp: -1 });
    const unitCharges = await fx.api.getUnitCharges(token, { unitId, pbp: -2 });
    const productCharges = await fx.api.getProductCharges(token, { productId, pbp: -1 });
    assert.ok(orgCharges.success && unitCharges.success && productCharges.success);

    const csv = await fx.app.request(`/reports/charges/organisation/${orgId}.csv?pbp=-1`, {
      headers: bearer,
    });
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    const disposition = csv.headers.get("content-disposition") ?? "";
    assert.match(
      disposition,
      /^attachment; filename="charges_organisation_[a-z0-9-]+_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d_sandbox\.csv"; filename\*=UTF-8''/,
    );
    assert.equal(csv.headers.get("transfer-encoding") ?? "chunked", "chunked");
    const rows = await parseCsvDownload(csv);
    assert.ok(rows.length > 0);
    assert.ok(oracleSum(rows.map((r) => r.coins)).eq(orgCharges.msg.coins));

    const xlsx = await fx.app.request(`/reports/charges/unit/${unitId}.xlsx?pbp=-2`, {
      headers: bearer,
    });
    assert.equal(xlsx.status, 200);
    assert.equal(
      xlsx.headers.get("content-type"),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const book = await xlsxCoins(new Uint8Array(await xlsx.arrayBuffer()));
    assert.ok(book.sheets.includes("Detail"));
    assert.ok(oracleSum(book.coins).eq(unitCharges.msg.coins));

    const product = await fx.app.request(`/reports/charges/product/${productId}.csv?pbp=-1`, {
      headers: bearer,
    });
    assert.ok(
      oracleSum((await parseCsvDownload(product)).map((r) => r.coins)).eq(
        productCharges.msg.coins,
      ),
    );

    // HEAD: the headers of the download, no body.
    const head = await fx.app.request(`/reports/charges/organisation/${orgId}.xlsx?pbp=-1`, {
      method: "HEAD",
      headers: bearer,
    });
    assert.equal(head.status, 200);
    assert.match(head.headers.get("content-disposition") ?? "", /\.xlsx"/);
    assert.ok(sameAmount(head.headers.get("x-report-total-coins")!, orgCharges.msg.coins));
    assert.equal(head.body, null);

    // A client that goes away after the first chunk cancels the rendering.
    const gone = await fx.app.request(`/reports/charges/organisation/${orgId}.xlsx?pbp=-1`, {
      headers: bearer,
    });
    const reader = gone.body!.getReader();
    assert.equal((await reader.read()).done, false);
    await reader.cancel();

    // A calendar month: the AS's own total for the same dates, and the month in the name.
    const octCharges = await fx.api.getUnitCharges(token, {
      unitId,
      from: "2026-10-01",
      until: "2026-11-01",
    });
    assert.ok(octCharges.success);
    const october = await fx.app.request(`/reports/charges/unit/${unitId}.csv?month=2026-10`, {
      headers: bearer,
    });
    assert.equal(october.status, 200);
    assert.match(october.headers.get("content-disposition") ?? "", /_2026-10_sandbox\.csv"/);
    assert.ok(
      oracleSum((await parseCsvDownload(october)).map((r) => r.coins)).eq(octCharges.msg.coins),
    );

    // By dates instead of pbp.
    const from = orgCharges.msg.unit_charges[0].from.slice(0, 10);
    const ranged = await fx.app.request(
      `/reports/charges/unit/${unitId}.csv?from=${from}&until=2026-11-20`,
      { headers: bearer },
    );
    assert.equal(ranged.status, 200);
    assert.match(
      ranged.headers.get("content-disposition") ?? "",
      new RegExp(`_${from}_2026-11-20_sandbox\\.csv"`),
    );
    await ranged.body?.cancel();
  } finally {
    await fx.close();
  }
});

Deno.test("bad ids, periods and injection attempts on the download route are refused", async () => {
  const fx = await startFixture();
  try {
    const { orgId } = await firstIds(fx);
    const json = { ...bearer, accept: "application/json" };
    const cases: [string, number][] = [
      [`/reports/charges/organisation/org-00000000-0000-0000-0000-000000000000.csv`, 404],
      [`/reports/charges/unit/org-00000000-0000-0000-0000-000000000000.csv`, 404],
      [`/reports/charges/team/${orgId}.csv`, 404],
      [`/reports/charges/organisation/${orgId}.pdf`, 404],
      [`/reports/charges/organisation/${orgId}%22%0D%0ASet-Cookie:%20x=1.csv`, 404],
      [`/reports/charges/organisation/..%2F..%2Fetc%2Fpasswd.csv`, 404],
      [`/reports/charges/organisation/${orgId}.csv?pbp=1`, 400],
      [`/reports/charges/organisation/${orgId}.csv?pbp=-1&from=2026-01-01&until=2026-02-01`, 400],
      [`/reports/charges/organisation/${orgId}.csv?from=2026-02-01&until=2026-01-01`, 400],
      [`/reports/charges/organisation/${orgId}.csv?month=2026-13`, 400],
      [`/reports/charges/organisation/${orgId}.csv?month=2026-12`, 400],
      [`/reports/charges/organisation/${orgId}.csv?month=2026-10&pbp=-1`, 400],
      [`/organisations/not-an-id`, 404],
    ];
    for (const [path, status] of cases) {
      const res = await fx.app.request(path, { headers: json });
      assert.equal(res.status, status, path);
      assert.ok(!res.headers.has("set-cookie"));
      assert.ok(!res.headers.has("content-disposition"));
      const body = await res.json();
      assert.equal(typeof body.error, "string");
      assert.ok(!/at \w+ \(|file:\/\//.test(body.error), "no internals");
    }
    const html = await fx.app.request("/reports/charges/team/x.csv", { headers: bearer });
    assert.equal(html.status, 404);
    assert.match(html.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await html.text(), /<h1>Not found<\/h1>/);
    // Error pages speak to finance: no endpoints, no parameter names, and what to do.
    for (
      const path of [
        `/reports/charges/organisation/org-00000000-0000-0000-0000-000000000000.csv`,
        `/reports/charges/organisation/${orgId}.csv?pbp=-40`,
        `/reports/charges/organisation/${orgId}.csv?month=2026-12`,
        `/organisations/${orgId}?period=soon`,
        "/no/such/page",
      ]
    ) {
      const res = await fx.app.request(path, { headers: bearer });
      const text = (await res.text()).replace(/<[^>]+>/g, " ");
      assert.ok(res.status === 400 || res.status === 404, path);
      assert.ok(!/GET \/|pbp|[?&](from|until|month|period)=/i.test(text), `${path}: ${text}`);
      assert.match(text, /pick|Start from/, path);
    }
  } finally {
    await fx.close();
  }
});

Deno.test("an Account Server failure becomes 502 and healthz 503", async () => {
  const fx = await startFixture();
  try {
    const { orgId } = await firstIds(fx);
    fx.sandbox.setFaults({ rules: [{ target: "as", kind: "status", status: 503 }] });
    const page = await fx.app.request("/", { headers: { ...bearer, accept: "application/json" } });
    assert.equal(page.status, 502);
    assert.match((await page.json()).error, /Account Server failed \(HTTP 503\)/);
    const dl = await fx.app.request(`/reports/charges/organisation/${orgId}.xlsx`, {
      headers: bearer,
    });
    assert.equal(dl.status, 502);
    assert.match(await dl.text(), /Account Server problem/);
    const health = await fx.app.request("/healthz", { headers: bearer });
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), {
      status: "unavailable",
      accountServer: { ok: false, reason: "HTTP 503" },
    });
  } finally {
    await fx.close();
  }
});

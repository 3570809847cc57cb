import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type OpenReportStore,
  openReportStore,
  type StoredReportInput,
} from "../reports/store/open.ts";
import { bearer, startFixture } from "./server_fixture_test.ts";
import { listLooseReports } from "../reports/server/archive_files.ts";

function meta(overrides: Partial<StoredReportInput> = {}): StoredReportInput {
  return {
    scope: "organisation",
    scopeId: "org-11111111-1111-1111-1111-111111111111",
    scopeName: 'Acme "Labs"',
    period: { from: "2026-10-03", until: "2026-11-03", pbp: -1 },
    format: "csv",
    rowCount: 1,
    totalCoins: "12.50",
    sandbox: true,
    ...overrides,
  };
}

const encoder = new TextEncoder();

async function checkArchive(store: OpenReportStore, extraAttacks: string[] = []) {
  const csvBytes = encoder.encode("\ufeffcoins\r\n12.50\r\n");
  const xlsxBytes = new Uint8Array(150_000).map((_, i) => (i * 31 + 7) % 251);
  const csv = await store.put(meta(), csvBytes);
  const xlsx = await store.put(
    meta({ format: "xlsx", scope: "unit", scopeId: "unit-2" }),
    xlsxBytes,
  );
  const fx = await startFixture({ store });
  try {
    const page = await fx.app.request("/archive", { headers: bearer });
    assert.equal(page.status, 200);
    const html = await page.text();
    for (const r of [csv, xlsx]) {
      assert.ok(html.includes(`href="/archive/${r.name}"`), r.name);
    }
    assert.match(html, /Acme &quot;Labs&quot;/);
    assert.match(html, />12\.50</);

    const listing = await fx.app.request("/archive", {
      headers: { ...bearer, accept: "application/json" },
    });
    const names = (await listing.json()).reports.map((r: { name: string }) => r.name).sort();
    assert.deepEqual(names, [csv.name, xlsx.name].sort());

    const one = await fx.app.request(`/archive/${csv.name}`, { headers: bearer });
    assert.equal(one.status, 200);
    assert.equal(one.headers.get("content-type"), "text/csv; charset=utf-8");
    // Downloaded under the export name rule, whose end date is the period's excluded end,
    // the same date the page shows (not the store name's inclusive last day).
    const exportName = "charges_organisation_acme-labs_2026-10-03_2026-11-03_sandbox.csv";
    assert.equal(
      one.headers.get("content-disposition"),
      `attachment; filename="${exportName}"; filename*=UTF-8''${exportName}`,
    );
    assert.deepEqual(new Uint8Array(await one.arrayBuffer()), csvBytes);
    const two = await fx.app.request(`/archive/${encodeURIComponent(xlsx.name)}`, {
      headers: bearer,
    });
    assert.equal(
      two.headers.get("content-type"),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    assert.deepEqual(new Uint8Array(await two.arrayBuffer()), xlsxBytes);

    const attacks = [
      "/archive/..%2F..%2F..%2Fetc%2Fpasswd",
      "/archive/%2Fetc%2Fpasswd",
      "/archive/../../../etc/passwd",
      "/archive/...",
      "/archive/.env",
      "/archive/%2e%2e%2fdeno.json",
      "/archive/%252e%252e%252fdeno.json",
      `/archive/${csv.name}%00`,
      `/archive/${csv.name}%00.csv`,
      `/archive/${csv.name}.meta.json`,
      `/archive/${csv.name}%2F..%2F${csv.name}`,
      `/archive/${csv.name}%0D%0ASet-Cookie:%20a=b`,
      "/archive/charges_unit_nothing_2026-10-03_to_2026-11-02.csv",
      ...extraAttacks,
    ];
    for (const path of attacks) {
      const res = await fx.app.request(path, { headers: bearer });
      assert.equal(res.status, 404, path);
      assert.ok(!res.headers.has("content-disposition"), path);
      assert.ok(!res.headers.has("set-cookie"), path);
      const text = await res.text();
      assert.ok(!text.includes("root:"), path);
    }
  } finally {
    await fx.close();
  }
}

Deno.test("the archive lists and serves reports from a directory store, and nothing else", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openReportStore(join(dir, "store"));
  try {
    // Files that exist in the directory but are not complete reports of the store.
    await Deno.writeTextFile(join(dir, "store", "stray.csv"), "secret,data\r\n");
    await Deno.writeTextFile(join(dir, "outside.csv"), "outside\r\n");
    // A link with a charges file's name, pointing out of the store: never listed or served.
    const link = "charges_organisation_link_2026-10-01_2026-11-01.csv";
    await Deno.symlink(join(dir, "outside.csv"), join(dir, "store", link));
    await checkArchive(store, [
      "/archive/stray.csv",
      "/archive/..%2Foutside.csv",
      `/archive/${link}`,
    ]);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the archive lists and serves reports from a Deno KV store", async () => {
  const store = await openReportStore("kv::memory:");
  try {
    await checkArchive(store);
  } finally {
    store.close();
  }
});

Deno.test("the archive says when no store is configured", async () => {
  const fx = await startFixture();
  try {
    const page = await fx.app.request("/archive", { headers: bearer });
    assert.match(await page.text(), /No report store is configured/);
    const one = await fx.app.request("/archive/x.csv", { headers: bearer });
    assert.equal(one.status, 404);
    await one.body?.cancel();
  } finally {
    await fx.close();
  }
});

/** The page's visible text, white space collapsed. */
function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");
}

Deno.test("the archive groups reports by organisation and period under human titles, and lists the charges files written into its folder", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openReportStore(dir);
  try {
    const acme = {
      organisationId: "org-a",
      organisationName: "Acme",
      sandbox: false,
    } as const;
    // Acme: the billing period (CSV and XLSX of one report), a unit of it, and September.
    const orgOct = meta({ ...acme, scopeId: "org-a", scopeName: "Acme", totalCoins: "10.5" });
    await store.put(orgOct, encoder.encode("coins\r\n10.5\r\n"));
    await store.put({ ...orgOct, format: "xlsx" }, new Uint8Array(2048));
    await store.put(
      meta({ ...acme, scope: "unit", scopeId: "unit-x", scopeName: "Chemistry", totalCoins: "4" }),
      encoder.encode("coins\r\n4\r\n"),
    );
    await store.put(
      meta({
        ...acme,
        scopeId: "org-a",
        scopeName: "Acme",
        period: { from: "2026-09-01", until: "2026-10-01" },
        totalCoins: "7",
        created: "2026-10-02T06:00:00.000Z",
      }),
      encoder.encode("coins\r\n7\r\n"),
    );
    await store.put(
      meta({ scopeId: "org-b", scopeName: "Beta", organisationName: "Beta", sandbox: false }),
      encoder.encode("coins\r\n1\r\n"),
    );
    // What `deno task demo` and `charges` write: plain files, no store metadata. Coins
    // 1.5 + 2.25 = 3.75 over 2 rows (worked by hand).
    const plain = "charges_organisation_gamma-ltd_2026-10-01_2026-11-01_sandbox";
    await Deno.writeTextFile(
      join(dir, `${plain}.csv`),
      "\ufefforganisation_id,organisation_name,unit_name,coins\r\n" +
        "org-g,Gamma Ltd,Lab,1.5\r\norg-g,Gamma Ltd,Lab,2.25\r\n",
    );
    await Deno.writeFile(join(dir, `${plain}.xlsx`), new Uint8Array(3000));
    await Deno.writeTextFile(join(dir, `${plain}_focus.csv`), "BilledCost\r\n1.5\r\n2.25\r\n");
    await Deno.writeTextFile(join(dir, "notes.csv"), "not,a,report\r\n");

    const fx = await startFixture({ store });
    try {
      const res = await fx.app.request("/archive", { headers: bearer });
      const html = await res.text();
      const text = visibleText(html);
      // Grouped by organisation (by name), then by period, newest first.
      const headings = [...html.matchAll(/<h[23]>([^<]+)<\/h[23]>/g)].map((m) =>
        m[1].replace(/\s+/g, " ").trim()
      );
      assert.deepEqual(headings, [
        "Acme",
        "Billing period, 2026-10-03 to 2026-11-03 excl.",
        "September 2026 (calendar month, 2026-09-01 to 2026-10-01 excl.)",
        "Beta",
        "Billing period, 2026-10-03 to 2026-11-03 excl.",
        "Gamma Ltd",
        "October 2026 (calendar month, 2026-10-01 to 2026-11-01 excl.)",
      ]);
      // Human titles; the CSV and XLSX of one report share a row.
      assert.match(text, /Whole organisation org-a 10\.5 1 XLSX 2\.0 KiB CSV 13 B/);
      assert.match(text, /Unit “Chemistry” unit-x 4 1 CSV/);
      assert.match(
        text,
        /Whole organisation sandbox 3\.75 2 XLSX 2\.9 KiB CSV \d+ B FOCUS CSV 23 B/,
      );
      // One set of dates: the store's inclusive last day (2026-11-02) is never shown.
      assert.ok(!text.includes("2026-11-02"), text);
      assert.ok(!/pbp/i.test(text), text);
      assert.ok(!text.includes("notes.csv"));
      assert.ok(html.includes(`href="/archive/${plain}.csv"`));

      const got = await fx.app.request(`/archive/${plain}.csv`, { headers: bearer });
      assert.equal(got.status, 200);
      assert.match(await got.text(), /Gamma Ltd,Lab,2\.25/);
      const stray = await fx.app.request("/archive/notes.csv", { headers: bearer });
      assert.equal(stray.status, 404);
      await stray.body?.cancel();
      const json = await fx.app.request("/archive", {
        headers: { ...bearer, accept: "application/json" },
      });
      const body = await json.json();
      assert.deepEqual(body.files.map((f: { name: string }) => f.name).sort(), [
        `${plain}.csv`,
        `${plain}.xlsx`,
        `${plain}_focus.csv`,
      ]);
    } finally {
      await fx.close();
    }
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serving one plain file of the store's folder reads no CSV; the listing reads their totals", async () => {
  const dir = await Deno.makeTempDir({ prefix: "archive_loose_" });
  try {
    const name = "charges_organisation_plain_2026-10-01_2026-11-01.csv";
    await Deno.writeTextFile(join(dir, name), "organisation_name,coins\nPlain,1.5\nPlain,2.25\n");
    const listed = await listLooseReports(dir, new Set());
    assert.equal(listed.length, 1);
    assert.equal(listed[0].rowCount, 2);
    assert.equal(listed[0].totalCoins, "3.75"); // 1.5 + 2.25, by hand
    const named = await listLooseReports(dir, new Set(), { readTotals: false });
    assert.deepEqual(named.map((r) => [r.name, r.size, r.rowCount]), [[name, 45, undefined]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

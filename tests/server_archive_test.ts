import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type OpenReportStore,
  openReportStore,
  type StoredReportInput,
} from "../reports/store/open.ts";
import { bearer, startFixture } from "./server_fixture_test.ts";

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
    assert.equal(
      one.headers.get("content-disposition"),
      `attachment; filename="${csv.name}"; filename*=UTF-8''${csv.name}`,
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
    await checkArchive(store, ["/archive/stray.csv", "/archive/..%2Foutside.csv"]);
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

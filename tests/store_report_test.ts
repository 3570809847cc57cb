import assert from "node:assert/strict";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import type { ChargeReport, ChargeRow } from "../reports/charges/model.ts";
import { openReportStore } from "../reports/store/open.ts";
import { storedInputOf, storedNameOf, storeReport, storeReports } from "../reports/store/report.ts";
import { syntheticReport } from "./fixtures/synthetic_rows.ts";
import { parseCsvDownload, xlsxCoins } from "./server_fixture_test.ts";

Deno.test("storeReport renders CSV and XLSX into both stores and they read back with the report's totals", async () => {
  const report = syntheticReport(2_000, {
    scope: "unit",
    scopeId: "unit-9",
    scopeName: "Chemistry",
  });
  const dir = await Deno.makeTempDir();
  for (const spec of [dir, "kv::memory:"]) {
    const store = await openReportStore(spec);
    try {
      const csv = await storeReport(store, report, { format: "csv", bom: true });
      const xlsx = await storeReport(store, report, { format: "xlsx" });
      assert.equal(csv.name, storedNameOf(report, "csv"));
      assert.equal(csv.name, "charges_unit_unit-9_2026-10-03_to_2026-11-27_sandbox.csv");
      assert.equal(xlsx.rowCount, 2_000);
      assert.equal(csv.totalCoins, report.totals.grand.coins);
      assert.equal(csv.created, report.generatedAt);
      assert.equal(csv.period.pbp, -1);
      assert.equal(await store.has(xlsx.name), true);
      const rows = await parseCsvDownload(new Response((await store.get(csv.name))!.body));
      assert.equal(rows.length, 2_000);
      assert.ok(oracleSum(rows.map((r) => r.coins)).eq(report.totals.grand.coins));
      const book = await xlsxCoins(
        new Uint8Array(await new Response((await store.get(xlsx.name))!.body).arrayBuffer()),
      );
      assert.ok(oracleSum(book.coins).eq(report.totals.grand.coins));
      assert.deepEqual(
        (await store.list()).map((r) => r.name).sort(),
        [csv.name, xlsx.name].sort(),
      );
    } finally {
      store.close();
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a report whose rendering fails midway is never listed", async () => {
  const good = syntheticReport(3_000, {
    scope: "organisation",
    scopeId: "org-1",
    scopeName: "Acme",
  });
  const rows = good.rows as Iterable<ChargeRow>;
  const broken: ChargeReport = {
    ...good,
    rows: {
      *[Symbol.iterator]() {
        let n = 0;
        for (const row of rows) {
          if (++n === 2_500) throw new Error("Row source broke");
          yield row;
        }
      },
    },
  };
  for (const spec of [await Deno.makeTempDir(), "kv::memory:"]) {
    const store = await openReportStore(spec);
    try {
      for (const format of ["csv", "xlsx"] as const) {
        await assert.rejects(storeReport(store, broken, { format }), /Row source broke/);
        assert.equal(await store.has(storedNameOf(broken, format)), false);
      }
      assert.deepEqual(await store.list(), []);
    } finally {
      store.close();
      if (spec !== "kv::memory:") await Deno.remove(spec, { recursive: true });
    }
  }
  assert.equal(storedInputOf(good, "csv").organisationId, undefined, "several organisations");
});

Deno.test("openReportStore refuses an empty spec", async () => {
  await assert.rejects(openReportStore(" "), (e: Error) => e.name === "UsageError");
  await assert.rejects(openReportStore("kv:"), /add a path after "kv:"/);
});

Deno.test("storeReports stores each report in each format and describes them like files", async () => {
  const dir = await Deno.makeTempDir();
  const reports = [-2, -1].map((pbp) =>
    syntheticReport(50, {
      scope: "unit",
      scopeId: "unit-9",
      scopeName: "Chemistry",
      period: {
        pbp,
        from: pbp === -1 ? "2026-10-03" : "2026-09-03",
        until: pbp === -1 ? "2026-11-03" : "2026-10-03",
        label: `pbp ${pbp}`,
      },
    })
  );
  try {
    const files = await storeReports(dir, reports, { formats: ["xlsx", "csv"] });
    assert.deepEqual(files.map((f) => [f.path.slice(dir.length + 1), f.format]), [
      ["charges_unit_unit-9_2026-09-03_to_2026-10-02_sandbox.xlsx", "xlsx"],
      ["charges_unit_unit-9_2026-09-03_to_2026-10-02_sandbox.csv", "csv"],
      ["charges_unit_unit-9_2026-10-03_to_2026-11-02_sandbox.xlsx", "xlsx"],
      ["charges_unit_unit-9_2026-10-03_to_2026-11-02_sandbox.csv", "csv"],
    ]);
    for (const f of files) assert.equal((await Deno.stat(f.path)).size, f.bytes);
    const store = await openReportStore(dir);
    assert.equal((await store.list()).length, 4);
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

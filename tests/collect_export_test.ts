// Export of a collected sandbox report: the CSV parses back to the same rows, the XLSX read
// back with exceljs has the same rows, numeric coin cells and the summary totals, the
// organisation name starting with "=" is plain text in both, and failures leave no file.
import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { basename, join } from "node:path";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { UsageError } from "../client/errors.ts";
import { collectCharges } from "../reports/charges/collect.ts";
import { exportReportsToFiles, exportToFiles, renderToBytes } from "../reports/writers/export.ts";
import { CHARGE_COLUMNS, type ChargeReport, type ChargeRow } from "../reports/charges/model.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import { entries } from "./fixtures/script_run.ts";

const FORMULA_START = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

async function sandboxReport(orgName: string, pbp = -1): Promise<ChargeReport> {
  const sandbox = await startSandbox({
    port: 0,
    seed: 3,
    now: "2026-06-20T08:00:00Z",
    quiet: true,
  });
  const conn = sandboxConnection(sandbox);
  try {
    const ctx = { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: true };
    const { report } = await collectCharges(ctx, {
      scope: { kind: "organisation", ref: orgName },
      period: { pbp },
    });
    return report;
  } finally {
    await conn.close();
  }
}

function expectedCsvRecord(row: ChargeRow): string[] {
  return [...CHARGE_COLUMNS.map(({ key }) => String(row[key])), "SANDBOX"];
}

Deno.test("CSV and XLSX read back to the collected rows and totals", async () => {
  const report = await sandboxReport("=SUM(A1) Labs");
  const rows = [...report.rows as ChargeRow[]];
  assert.ok(rows.length > 20);
  const dir = await Deno.makeTempDir();
  try {
    const files = await exportToFiles(report, { formats: ["xlsx", "csv"], outDir: dir, bom: true });
    assert.deepEqual(files.map((f) => f.format), ["xlsx", "csv"]);
    for (const f of files) assert.equal(f.bytes, (await Deno.stat(f.path)).size);
    assert.match(files[1].path, /charges_organisation_sum-a1-labs_\d{4}-\d{2}-\d{2}_\d{4}.*\.csv$/);

    // CSV: BOM, header, one record per row; text escaped against formulas, coins exact.
    const bytes = await Deno.readFile(files[1].path);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(new TextDecoder().decode(bytes), { bom: true });
    assert.deepEqual(records[0], [...CHARGE_COLUMNS.map((c) => c.header), "data_source"]);
    const back = records.slice(1).map((r) =>
      r.map((cell) => FORMULA_START.test(cell) ? cell.slice(1) : cell)
    );
    assert.deepEqual(back, rows.map(expectedCsvRecord));
    assert.ok(records.slice(1).every((r) => r[1] === "'=SUM(A1) Labs"), "org name is text");
    assert.ok(
      oracleSum(records.slice(1).map((r) => r[CHARGE_COLUMNS.length - 1])).eq(
        report.totals.grand.coins,
      ),
    );

    // XLSX: same rows on Detail, numeric coin cells, text cells never formulas.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(files[0].path);
    const detail = wb.getWorksheet("Detail")!;
    assert.equal(detail.rowCount, rows.length + 1);
    const col = (key: keyof ChargeRow) => CHARGE_COLUMNS.findIndex((c) => c.key === key) + 1;
    rows.forEach((row, i) => {
      const r = detail.getRow(i + 2);
      const coins = r.getCell(col("coins"));
      assert.equal(typeof coins.value, "number");
      assert.equal(coins.value, Number(row.coins));
      assert.equal(r.getCell(col("chargeId")).value, row.chargeId);
      assert.equal(r.getCell(col("organisationName")).text, row.organisationName);
      assert.equal(r.getCell(col("unitName")).text, row.unitName);
      assert.equal(r.getCell(col("productName")).text, row.productName);
      assert.equal(r.getCell(col("chargeType")).text, row.chargeType);
      assert.notEqual(r.getCell(col("organisationName")).type, ExcelJS.ValueType.Formula);
    });
    assert.equal(detail.getRow(2).getCell(col("organisationName")).text, "=SUM(A1) Labs");

    // Summary: the grand total, exact, and per organisation.
    const summary = wb.getWorksheet("Summary")!;
    const texts: string[][] = [];
    summary.eachRow((r) => texts.push((r.values as unknown[]).slice(1).map((v) => cellText(v))));
    const grand = texts.find((t) => t[0] === "Grand total");
    assert.ok(grand, "grand total row");
    assert.ok(grand.includes(report.totals.grand.coins), grand.join("|"));
    assert.ok(texts.some((t) => t.join(" ").includes("SANDBOX DATA")));
    assert.ok(texts.some((t) => t.includes(report.totals.byChargeType.STORAGE.coins)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && v && "richText" in v) {
    return (v as { richText: { text: string }[] }).richText.map((r) => r.text).join("");
  }
  return String(v);
}

Deno.test("export is all or nothing: a failing file leaves no file, not even a temporary one", async () => {
  const report = await sandboxReport("Acme Chemistry, Ltd.");
  const dir = await Deno.makeTempDir();
  try {
    let calls = 0;
    await assert.rejects(
      exportReportsToFiles([report, {
        ...report,
        period: { ...report.period, from: "2020-01-01" },
      }], {
        formats: ["csv", "xlsx"],
        outDir: dir,
        encode: (bytes) => {
          if (++calls === 3) return Promise.reject(new Error("Sealing failed"));
          return Promise.resolve({ bytes });
        },
      }),
      /Sealing failed/,
    );
    assert.equal(calls, 3);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no file, not even a temporary one");

    // --out with several files is refused before anything is written.
    await assert.rejects(
      exportToFiles(report, { formats: ["csv", "xlsx"], outFile: join(dir, "x.csv") }),
      (e: unknown) => e instanceof UsageError && /--out-dir/.test(e.message),
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);

    // The encode hook sees the rendered bytes and may rename the file.
    const files = await exportToFiles(report, {
      formats: ["csv"],
      outDir: dir,
      encode: (bytes, file) => Promise.resolve({ bytes, name: `${file.name}.sealed` }),
    });
    assert.match(files[0].path, /\.csv\.sealed$/);
    assert.deepEqual(await Deno.readFile(files[0].path), await renderToBytes(report, "csv"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("no good file lost: a failed re-export keeps every previous file as it was", async () => {
  const report = await sandboxReport("Acme Chemistry, Ltd.");
  const dir = await Deno.makeTempDir();
  try {
    const first = await exportToFiles(report, { formats: ["xlsx", "csv"], outDir: dir });
    const [xlsx, csv] = first.map((f) => f.path);
    const goodXlsx = await Deno.readFile(xlsx);

    // The CSV's name is taken by a directory: the re-export fails before any rename, and the
    // older XLSX (which the old code had already replaced, then removed) is still there.
    await Deno.remove(csv);
    await Deno.mkdir(csv);
    await Deno.writeTextFile(join(csv, "inside.txt"), "not ours");
    await assert.rejects(
      exportToFiles(report, { formats: ["xlsx", "csv"], outDir: dir }),
      /Cannot write ".*\.csv": it is a directory/,
    );
    assert.deepEqual(await Deno.readFile(xlsx), goodXlsx);
    assert.deepEqual((await entries(dir)).sort(), [basename(csv), basename(xlsx)].sort());
    await Deno.remove(csv, { recursive: true });

    // A later file failing to render: the earlier ones of the set are not moved in either.
    await Deno.writeTextFile(csv, "previous good csv");
    let calls = 0;
    await assert.rejects(
      exportToFiles(report, {
        formats: ["xlsx", "csv"],
        outDir: dir,
        encode: (bytes) =>
          ++calls === 2 ? Promise.reject(new Error("disk full")) : Promise.resolve({ bytes }),
      }),
      /disk full/,
    );
    assert.deepEqual(await Deno.readFile(xlsx), goodXlsx);
    assert.equal(await Deno.readTextFile(csv), "previous good csv");
    assert.deepEqual((await entries(dir)).sort(), [basename(csv), basename(xlsx)].sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the next export removes temporary files a killed run left, and only those", async () => {
  const report = await sandboxReport("Acme Chemistry, Ltd.");
  const dir = await Deno.makeTempDir();
  try {
    const old = new Date(Date.now() - 10 * 60_000);
    // pid 2^31-2 cannot run (Linux pids stay below 2^22); elsewhere age alone decides.
    const left = ".charges_organisation_x.csv.tmp-2147483646-0a1b2c3d";
    const fresh = ".charges_organisation_x.csv.tmp-2147483646-0a1b2c3e";
    const foreign = ".keep-me.tmp";
    for (const name of [left, fresh, foreign]) await Deno.writeTextFile(join(dir, name), "x");
    for (const name of [left, foreign]) await Deno.utime(join(dir, name), old, old);
    const files = await exportToFiles(report, { formats: ["csv"], outDir: dir });
    assert.deepEqual(
      (await entries(dir)).sort(),
      [basename(files[0].path), fresh, foreign].sort(),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unreconciled report is written only under an _unreconciled name, stating it", async () => {
  const report = await sandboxReport("Acme Chemistry, Ltd.");
  const bad: ChargeReport = {
    ...report,
    reconciliation: {
      ok: false,
      checked: 18,
      mismatches: [{ where: "grand total", computed: "1.5", server: "999.99", ok: false }],
    },
  };
  const dir = await Deno.makeTempDir();
  try {
    const good = await exportToFiles(report, { formats: ["csv"], outDir: dir });
    const goodText = await Deno.readTextFile(good[0].path);
    const files = await exportToFiles(bad, { formats: ["csv"], outDir: dir });
    assert.match(files[0].path, /_unreconciled_sandbox\.csv$/);
    assert.equal(await Deno.readTextFile(good[0].path), goodText, "the good file is not replaced");
    const records: string[][] = parse(await Deno.readTextFile(files[0].path));
    assert.equal(records[0].at(-1), "reconciliation_warning");
    assert.ok(
      records.slice(1).every((r) =>
        r.at(-1) ===
          "UNRECONCILED: 1 of 18 checks disagree with the server's totals: grand total: computed 1.5, server 999.99"
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

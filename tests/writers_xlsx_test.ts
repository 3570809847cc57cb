import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { UsageError } from "../client/errors.ts";
import { CHARGE_COLUMNS, type ChargeReport, type ChargeRow } from "../reports/charges/model.ts";
import { reportFromRows, syntheticChargeRows, syntheticReport } from "./fixtures/synthetic_rows.ts";
import { writeChargesXlsx } from "../reports/writers/xlsx.ts";
import { UNRECONCILED_MARKER } from "../reports/writers/xlsx_summary.ts";
import { memorySink } from "./fixtures/memory_sink.ts";
import {
  assertAbortsOnFailingSource,
  assertBackpressure,
  assertStopsOnFailingSink,
} from "./fixtures/writer_checks.ts";

function row(overrides: Partial<ChargeRow>): ChargeRow {
  return {
    organisationId: "org-1",
    organisationName: "Acme",
    unitId: "unit-1",
    unitName: "Chemistry",
    billingDay: 3,
    periodFrom: "2026-10-03",
    periodUntil: "2026-11-03",
    productId: "product-1",
    productName: "Project Tier",
    productType: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
    productFlavour: "GOLD",
    chargeType: "PROCESSING",
    chargeId: 1,
    timestamp: "2026-10-05T12:34:56.789Z",
    username: "alice",
    merchant: "Data Manager",
    jobCollection: "im-test",
    jobJob: "run",
    jobVersion: "1.0.0",
    closed: "2026-10-05T13:00:00Z",
    final: true,
    coins: "1.25",
    ...overrides,
  };
}

const EDGE_ROWS: ChargeRow[] = [
  row({ organisationName: "=SUM(A1:A9)", coins: "-1.25" }),
  row({ organisationName: '+44, "quoted"', unitName: "Line\nBreak", chargeId: 2, coins: "0.0001" }),
  row({
    organisationName: "@cmd",
    unitName: "\rCR and \ttab",
    chargeId: 3,
    final: false,
    closed: "",
  }),
  row({ organisationName: "北京化学 Café", unitName: "ctrl\u0001char _x0041_", chargeId: 4 }),
  row({
    chargeType: "STORAGE",
    productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    productFlavour: "",
    timestamp: "2026-10-06",
    closed: "2026-10-06",
    username: "",
    merchant: "",
    jobCollection: "",
    jobJob: "",
    jobVersion: "",
    final: false,
    chargeId: 5,
    coins: "12345.6789",
  }),
  row({ timestamp: "2026-10-07T08:00:00.123456+02:00", chargeId: 6, coins: "3" }),
];

async function xlsxOf(report: ChargeReport, maxRowsPerSheet?: number) {
  const { sink, state, bytes } = memorySink();
  const result = await writeChargesXlsx(report, sink, { maxRowsPerSheet });
  assert.equal(state.closed, true, "the sink is closed on success");
  assert.equal(result.bytes, bytes().length);
  const workbook = new ExcelJS.Workbook();
  // deno-lint-ignore no-explicit-any
  await workbook.xlsx.load(bytes() as any);
  return { result, workbook, bytes: bytes() };
}

/** The text of a cell written as an inline string (or plain string). */
function text(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && "richText" in value) {
    return value.richText.map((r) => r.text).join("");
  }
  if (typeof value === "string") return value;
  return String(value);
}

/** Summary rows as [column A text, row] for lookups by label. */
function summaryRows(sheet: ExcelJS.Worksheet): Map<string, ExcelJS.Row[]> {
  const rows = new Map<string, ExcelJS.Row[]>();
  sheet.eachRow((r) => {
    const key = text(r.getCell(1));
    rows.set(key, [...(rows.get(key) ?? []), r]);
  });
  return rows;
}

/** Reads one entry of a zip (central directory + raw deflate), for checking the XML itself. */
async function zipEntry(zip: Uint8Array, name: string): Promise<string> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let at = view.getUint32(eocd + 16, true);
  const entries = view.getUint16(eocd + 10, true);
  for (let i = 0; i < entries; i++) {
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const entryName = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    if (entryName.replace(/^\//, "") === name) {
      const start = local + 30 + view.getUint16(local + 26, true) +
        view.getUint16(local + 28, true);
      const data = zip.subarray(start, start + size);
      if (method === 0) return new TextDecoder().decode(data);
      const stream = new Blob([data.slice()]).stream().pipeThrough(
        new DecompressionStream("deflate-raw"),
      );
      return await new Response(stream).text();
    }
    at += 46 + skip;
  }
  throw new Error(`No ${name} in the zip`);
}

Deno.test("XLSX: Summary first, then Detail with the same rows as typed cells", async () => {
  const report = reportFromRows(EDGE_ROWS, { sandbox: false });
  const { result, workbook } = await xlsxOf(report);
  assert.deepEqual(result, { rows: EDGE_ROWS.length, bytes: result.bytes, sheets: 2 });
  assert.deepEqual(workbook.worksheets.map((s) => s.name), ["Summary", "Detail"]);
  assert.equal(workbook.creator, "squonk2-billing");
  assert.equal(workbook.created.toISOString(), report.generatedAt);
  const detail = workbook.getWorksheet("Detail")!;
  const headers = CHARGE_COLUMNS.map((c) => c.header).concat("coins_exact");
  assert.deepEqual(headers.map((_, i) => text(detail.getRow(1).getCell(i + 1))), headers);
  EDGE_ROWS.forEach((expected, i) => {
    const cells = detail.getRow(i + 2);
    CHARGE_COLUMNS.forEach(({ key, header }, j) => {
      const cell = cells.getCell(j + 1);
      const value = expected[key];
      if (header === "coins") {
        assert.equal(cell.type, ExcelJS.ValueType.Number, `row ${i + 1} coins is a number`);
        assert.equal(cell.value, Number(value));
        assert.equal(cell.numFmt, "#,##0.00##");
      } else if (
        ["period_from", "period_until_exclusive", "timestamp_utc", "closed_utc"].includes(header)
      ) {
        if (value === "") return assert.equal(cell.value, null);
        assert.ok(cell.value instanceof Date, `row ${i + 1} ${header} is a date cell`);
        assert.equal(
          (cell.value as Date).getTime(),
          Date.parse(String(value).replace(/(\.\d{3})\d+/, "$1")),
        );
      } else if (typeof value === "number" || typeof value === "boolean") {
        assert.equal(cell.value, value, `row ${i + 1} ${header}`);
      } else {
        assert.equal(text(cell), value, `row ${i + 1} ${header}`);
        if (value !== "") {
          assert.equal(cell.type, ExcelJS.ValueType.RichText, `${header} is a string cell`);
        }
      }
    });
    assert.equal(
      text(cells.getCell(headers.length)),
      expected.coins,
      "coins_exact keeps the decimal",
    );
  });
  assert.equal(detail.getRow(2).getCell(14).numFmt, "yyyy-mm-dd hh:mm:ss");
  assert.equal(detail.getRow(6).getCell(14).numFmt, "yyyy-mm-dd", "storage dates are date-only");
});

Deno.test("XLSX: a string starting with = is an inline string, never a formula", async () => {
  const { workbook, bytes } = await xlsxOf(reportFromRows(EDGE_ROWS));
  const cell = workbook.getWorksheet("Detail")!.getRow(2).getCell(2);
  assert.equal(text(cell), "=SUM(A1:A9)");
  assert.equal(cell.formula, undefined);
  assert.notEqual(cell.type, ExcelJS.ValueType.Formula);
  const xml = await zipEntry(bytes, "xl/worksheets/sheet2.xml");
  assert.ok(!xml.includes("<f>") && !xml.includes("<f "), "no formula element in the detail sheet");
  assert.match(xml, /<c r="B2"[^>]* t="inlineStr"><is><r><t>=SUM\(A1:A9\)<\/t><\/r><\/is><\/c>/);
  const summary = await zipEntry(bytes, "xl/worksheets/sheet1.xml");
  assert.ok(!summary.includes("<f>"), "no formula in the summary either");
});

Deno.test("XLSX: bold frozen header with an autofilter over the table", async () => {
  const { workbook } = await xlsxOf(reportFromRows(EDGE_ROWS));
  const detail = workbook.getWorksheet("Detail")!;
  assert.equal(detail.getRow(1).getCell(1).font?.bold, true);
  assert.equal(detail.getRow(1).getCell(23).font?.bold, true);
  assert.notEqual(detail.getRow(2).getCell(1).font?.bold, true);
  assert.equal(detail.views[0].state, "frozen");
  assert.equal((detail.views[0] as ExcelJS.WorksheetViewFrozen).ySplit, 1);
  assert.equal(detail.autoFilter, `A1:W${EDGE_ROWS.length + 1}`);
  assert.ok((detail.getColumn(2).width ?? 0) >= 20, "name columns are wide enough");
});

Deno.test("XLSX: SANDBOX marker on the Summary if and only if the data is from the sandbox", async () => {
  for (const sandbox of [true, false]) {
    const { workbook } = await xlsxOf(reportFromRows(EDGE_ROWS, { sandbox }));
    const summary = workbook.getWorksheet("Summary")!;
    const top = [1, 2, 3].map((n) => text(summary.getRow(n).getCell(1)));
    assert.equal(
      top.includes("SANDBOX DATA — not real billing data"),
      sandbox,
      `sandbox ${sandbox}`,
    );
    let anywhere = false;
    summary.eachRow((r) => r.eachCell((c) => anywhere ||= text(c).includes("SANDBOX")));
    assert.equal(anywhere, sandbox);
    if (sandbox) assert.equal(summary.getRow(2).getCell(1).font?.bold, true);
  }
});

Deno.test("XLSX: Summary states the period and totals equal to report.totals", async () => {
  const report = syntheticReport(300, { seed: 11 });
  const { workbook } = await xlsxOf(report);
  const rows = summaryRows(workbook.getWorksheet("Summary")!);
  const value = (label: string) => text(rows.get(label)![0].getCell(2));
  assert.equal(
    text(workbook.getWorksheet("Summary")!.getRow(1).getCell(1)),
    "Squonk2 charges: all organisations",
  );
  assert.equal(value("Dates"), "from 2026-10-03 (inclusive) to 2026-11-28 (exclusive)");
  assert.equal(value("Period"), report.period.label);
  assert.equal(value("Generated at (UTC)"), report.generatedAt);
  assert.equal(value("Source"), report.sourceUrl);
  assert.equal(rows.get("Detail rows")![0].getCell(2).value, 300);
  assert.match(value("Reconciliation"), /^OK: all \d+ checks agree/);
  const grand = rows.get("Grand total")![0];
  assert.equal(grand.getCell(4).value, report.totals.grand.items);
  assert.equal(grand.getCell(5).value, Number(report.totals.grand.coins));
  assert.equal(text(grand.getCell(6)), report.totals.grand.coins);
  const groups = [
    report.totals.byChargeType,
    report.totals.byOrganisation,
    report.totals.byUnit,
    report.totals.byProduct,
  ];
  for (const group of groups) {
    for (const [id, total] of Object.entries(group)) {
      const found = rows.get(id);
      assert.ok(found, `a totals row for ${id}`);
      assert.equal(found.length, 1, `one totals row for ${id}`);
      assert.equal(text(found[0].getCell(6)), total.coins, `exact total of ${id}`);
      assert.equal(found[0].getCell(5).value, Number(total.coins));
      assert.equal(found[0].getCell(4).value, total.items);
    }
  }
});

Deno.test("XLSX: an unreconciled report says so in red under the title and per mismatch", async () => {
  const report = reportFromRows(EDGE_ROWS, {
    scope: "unit",
    scopeId: "unit-1",
    scopeName: "Chemistry",
    reconciliation: {
      ok: false,
      checked: 4,
      mismatches: [{
        where: "unit unit-1 (Chemistry) PROCESSING",
        computed: "10.50",
        server: "10.75",
        ok: false,
      }, {
        where: "unit unit-1 (Chemistry) total",
        computed: "12.00",
        server: "999.99",
        ok: false,
      }],
    },
  });
  const { workbook } = await xlsxOf(report);
  const sheet = workbook.getWorksheet("Summary")!;
  const rows = summaryRows(sheet);
  const red = (cell: ExcelJS.Cell) => cell.font?.color?.argb === "FFC00000";
  // Second line, under the title, in red.
  assert.equal(text(sheet.getRow(2).getCell(1)), UNRECONCILED_MARKER);
  assert.ok(red(sheet.getRow(2).getCell(1)));
  const verdict = rows.get("Reconciliation")![0].getCell(2);
  assert.match(text(verdict), /^MISMATCH: 2 of 4 checks disagree/);
  assert.ok(red(verdict));
  assert.ok(rows.has("Squonk2 charges: unit Chemistry (unit-1)"));
  for (
    const [where, computed, server] of [
      ["unit unit-1 (Chemistry) PROCESSING", "10.50", "10.75"],
      ["unit unit-1 (Chemistry) total", "12.00", "999.99"],
    ]
  ) {
    const mismatch = rows.get(where)![0];
    assert.equal(text(mismatch.getCell(2)), computed);
    assert.equal(text(mismatch.getCell(3)), server);
    for (const i of [1, 2, 3]) assert.ok(red(mismatch.getCell(i)), `${where} cell ${i} in red`);
    // Listed above the totals, where a reader starts.
    assert.ok(mismatch.number < rows.get("Totals by charge type")![0].number);
  }
});

Deno.test("XLSX: a report nothing could be compared for is NOT RECONCILED, in red", async () => {
  const why =
    'organisation org-9 ("Default"): unit and organisation totals not available (HTTP 403)';
  const report = reportFromRows([], {
    scope: "organisation",
    scopeId: "org-9",
    scopeName: "Default",
    reconciliation: { ok: false, checked: 0, mismatches: [], unchecked: [why] },
  });
  const { workbook } = await xlsxOf(report);
  const sheet = workbook.getWorksheet("Summary")!;
  const rows = summaryRows(sheet);
  assert.equal(text(sheet.getRow(2).getCell(1)), UNRECONCILED_MARKER);
  const verdict = rows.get("Reconciliation")![0].getCell(2);
  assert.match(text(verdict), /^NOT RECONCILED: no total could be compared/);
  assert.equal(verdict.font?.color?.argb, "FFC00000");
  const note = rows.get("Not checked")![0].getCell(2);
  assert.equal(text(note), why);
  assert.equal(note.font?.color?.argb, "FFC00000");
});

Deno.test("XLSX: a partly reconciled report is OK and lists what was not checked", async () => {
  const why =
    'organisation org-9 ("Default"): unit and organisation totals not available (HTTP 403)';
  const report = reportFromRows(EDGE_ROWS, {
    reconciliation: { ok: true, checked: 3, mismatches: [], unchecked: [why] },
  });
  const { workbook } = await xlsxOf(report);
  const sheet = workbook.getWorksheet("Summary")!;
  const rows = summaryRows(sheet);
  assert.equal(rows.has(UNRECONCILED_MARKER), false);
  assert.match(
    text(rows.get("Reconciliation")![0].getCell(2)),
    /^OK: all 3 checks agree .*some totals could not be read/,
  );
  assert.equal(text(rows.get("Not checked")![0].getCell(2)), why);
});

Deno.test("XLSX: rows continue on Detail (2), (3) past maxRowsPerSheet, each with its header", async () => {
  const report = syntheticReport(12, { seed: 5 });
  const expected = [...syntheticChargeRows(12, { seed: 5 })];
  const { result, workbook } = await xlsxOf(report, 5);
  assert.equal(result.sheets, 4);
  assert.deepEqual(workbook.worksheets.map((s) => s.name), [
    "Summary",
    "Detail",
    "Detail (2)",
    "Detail (3)",
  ]);
  const seen: number[] = [];
  for (const [i, name] of ["Detail", "Detail (2)", "Detail (3)"].entries()) {
    const sheet = workbook.getWorksheet(name)!;
    assert.equal(text(sheet.getRow(1).getCell(1)), "organisation_id");
    assert.equal(sheet.getRow(1).getCell(1).font?.bold, true);
    assert.equal(sheet.views[0].state, "frozen");
    assert.equal(sheet.rowCount, [6, 6, 3][i]);
    assert.equal(sheet.autoFilter, `A1:W${[6, 6, 3][i]}`);
    sheet.eachRow((r, n) => n > 1 && seen.push(r.getCell(13).value as number));
  }
  assert.deepEqual(seen, expected.map((r) => r.chargeId));
});

Deno.test("XLSX: an empty report still has a Detail sheet with its header", async () => {
  const { result, workbook } = await xlsxOf(reportFromRows([]));
  assert.equal(result.rows, 0);
  assert.deepEqual(workbook.worksheets.map((s) => s.name), ["Summary", "Detail"]);
  assert.equal(text(workbook.getWorksheet("Detail")!.getRow(1).getCell(22)), "coins");
});

Deno.test("XLSX: a failing row source aborts the sink with its error", async () => {
  await assertAbortsOnFailingSource(writeChargesXlsx, { rows: 3000, failAt: 2500, async: true });
});

Deno.test("XLSX: a wrong rowCount or rows-per-sheet is refused and the sink aborted", async () => {
  const report = reportFromRows(EDGE_ROWS);
  const first = memorySink();
  await assert.rejects(
    writeChargesXlsx({ ...report, rowCount: 2 }, first.sink),
    /announced 2 rows/,
  );
  assert.ok(first.state.aborted instanceof Error);
  const second = memorySink();
  await assert.rejects(
    writeChargesXlsx(report, second.sink, { maxRowsPerSheet: 0 }),
    (e) => e instanceof UsageError && /"0" rows per sheet/.test(e.message),
  );
  assert.ok(second.state.aborted instanceof UsageError);
});

Deno.test("XLSX: a failing sink stops the writer", async () => {
  await assertStopsOnFailingSink(writeChargesXlsx, {
    rows: 12_000,
    maxPulled: 8_000,
    message: "connection reset",
  });
});

Deno.test("XLSX: a stalled sink holds the writer back (backpressure)", async () => {
  await assertBackpressure(writeChargesXlsx, {
    rows: 12_000,
    maxPulled: 8_000,
    polls: 100,
    pollMs: 20,
  });
});

Deno.test("XLSX: coins that are not plain decimals stay text instead of becoming numbers", async () => {
  const base = reportFromRows([row({})]);
  const rows = [row({ coins: "0x10" }), row({ coins: "NaN", chargeId: 2 })];
  const { workbook } = await xlsxOf({ ...base, rows, rowCount: 2 });
  const detail = workbook.getWorksheet("Detail")!;
  assert.equal(text(detail.getRow(2).getCell(22)), "0x10");
  assert.equal(detail.getRow(2).getCell(22).type, ExcelJS.ValueType.RichText);
  assert.equal(text(detail.getRow(3).getCell(22)), "NaN");
});

import assert from "node:assert/strict";
import { PRINT_SKIP_REASON, printXlsx } from "./fixtures/print_pdf.ts";
import ExcelJS from "exceljs";
import { UsageError } from "../client/errors.ts";
import {
  CHARGE_COLUMNS,
  type ChargeReport,
  type ChargeRow,
  type Total,
} from "../reports/charges/model.ts";
import { reportFromRows, syntheticChargeRows, syntheticReport } from "./fixtures/synthetic_rows.ts";
import { writeChargesXlsx } from "../reports/writers/xlsx.ts";
import { UNRECONCILED_MARKER } from "../reports/writers/xlsx_summary.ts";
import { memorySink } from "./fixtures/memory_sink.ts";
import { parseRates, priceReport } from "../reports/pricing/mod.ts";
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
  const sheet = workbook.getWorksheet("Summary")!;
  const rows = summaryRows(sheet);
  const value = (label: string) => text(rows.get(label)![0].getCell(2));
  assert.equal(text(sheet.getRow(1).getCell(1)), "Squonk2 charges: all organisations");
  assert.equal(value("Dates"), "from 2026-10-03 (inclusive) to 2026-11-28 (exclusive)");
  assert.equal(value("Period"), report.period.label);
  // A real date-time cell, shown as a date and time.
  const generated = rows.get("Generated at (UTC)")![0].getCell(2);
  assert.ok(generated.value instanceof Date, "Generated at is a date cell");
  assert.equal((generated.value as Date).toISOString(), "2026-11-28T06:00:00.000Z");
  assert.equal(generated.numFmt, "yyyy-mm-dd hh:mm:ss");
  assert.equal(value("Source"), report.sourceUrl);
  assert.equal(rows.get("Detail rows")![0].getCell(2).value, 300);
  assert.match(value("Reconciliation"), /^OK: all \d+ checks agree/);
  const grand = rows.get("Grand total")![0];
  assert.equal(grand.getCell(5).value, report.totals.grand.items);
  assert.equal(grand.getCell(6).value, Number(report.totals.grand.coins));
  assert.equal(text(grand.getCell(7)), report.totals.grand.coins);
  // Totals rows by id (column B); charge types have no id and are found by name (column A).
  const byId = new Map<string, ExcelJS.Row[]>();
  sheet.eachRow((r) => {
    const id = text(r.getCell(2));
    if (id !== "") byId.set(id, [...(byId.get(id) ?? []), r]);
  });
  const check = (found: ExcelJS.Row[] | undefined, what: string, total: Total) => {
    assert.ok(found, `a totals row for ${what}`);
    assert.equal(found.length, 1, `one totals row for ${what}`);
    assert.equal(text(found[0].getCell(7)), total.coins, `exact total of ${what}`);
    assert.equal(found[0].getCell(6).value, Number(total.coins));
    assert.equal(found[0].getCell(5).value, total.items);
  };
  for (const [type, total] of Object.entries(report.totals.byChargeType)) {
    check(rows.get(type), type, total);
  }
  const t = report.totals;
  for (const [id, total] of Object.entries(t.byOrganisation)) {
    check(byId.get(id), id, total);
    assert.equal(text(byId.get(id)![0].getCell(1)), total.name, "the name comes first");
  }
  for (const [id, total] of Object.entries(t.byUnit)) {
    check(byId.get(id), id, total);
    const cells = [1, 3, 4].map((i) => text(byId.get(id)![0].getCell(i)));
    assert.deepEqual(cells, [
      total.name,
      t.byOrganisation[total.organisationId].name,
      total.organisationId,
    ]);
  }
  for (const [id, total] of Object.entries(t.byProduct)) {
    check(byId.get(id), id, total);
    const cells = [1, 3, 4].map((i) => text(byId.get(id)![0].getCell(i)));
    assert.deepEqual(cells, [total.name, t.byUnit[total.unitId].name, total.unitId]);
  }
  const headers = rows.get("name")!;
  assert.equal(headers.length, 4, "one header row per totals table");
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((i) => text(headers[0].getCell(i))),
    ["name", "id", "parent", "parent id", "items", "coins", "coins (exact)"],
  );
});

Deno.test("XLSX: id columns fit a whole id, and booleans are TRUE/FALSE cells", async () => {
  const { workbook } = await xlsxOf(reportFromRows(EDGE_ROWS));
  const summary = workbook.getWorksheet("Summary")!;
  const detail = workbook.getWorksheet("Detail")!;
  // "product-" and a UUID: 44 characters, the longest id.
  const longest = "product-" + crypto.randomUUID();
  assert.ok((summary.getColumn(2).width ?? 0) >= longest.length, "Summary id column");
  assert.ok((summary.getColumn(4).width ?? 0) >= longest.length, "Summary parent id column");
  assert.ok((summary.getColumn(1).width ?? 0) >= 30, "Summary name column");
  for (const header of ["organisation_id", "unit_id", "product_id"]) {
    const i = 1 + CHARGE_COLUMNS.findIndex((c) => c.header === header);
    assert.ok((detail.getColumn(i).width ?? 0) >= longest.length, `Detail ${header} column`);
  }
  const final = 1 + CHARGE_COLUMNS.findIndex((c) => c.header === "final");
  const first = detail.getRow(2).getCell(final);
  assert.equal(first.type, ExcelJS.ValueType.Boolean);
  assert.equal(first.value, true);
  assert.equal(first.numFmt, '"TRUE";"TRUE";"FALSE"', "shown TRUE/FALSE in LibreOffice too");
  assert.equal(detail.getRow(4).getCell(final).value, false);
});

Deno.test("XLSX: every sheet prints landscape, one page wide, header repeated, print area set", async () => {
  const report = reportFromRows(EDGE_ROWS, { sandbox: true });
  const { workbook, bytes } = await xlsxOf(report);
  const summary = workbook.getWorksheet("Summary")!;
  const detail = workbook.getWorksheet("Detail")!;
  for (const sheet of [summary, detail]) {
    const setup = sheet.pageSetup;
    assert.equal(setup.orientation, "landscape", sheet.name);
    assert.equal(setup.fitToPage, true, `${sheet.name}: the fit-to-page flag`);
    assert.equal(setup.fitToWidth, 1, sheet.name);
    assert.equal(setup.fitToHeight, 0, sheet.name);
  }
  // Title and SANDBOX line on every Summary page; the header row on every Detail page.
  assert.equal(summary.pageSetup.printTitlesRow, "1:2");
  assert.equal(detail.pageSetup.printTitlesRow, "1:1");
  assert.equal(summary.pageSetup.printArea, `A1:G${summary.rowCount}`);
  assert.equal(detail.pageSetup.printArea, `A1:W${EDGE_ROWS.length + 1}`);
  // The flag itself, in each sheet's XML, and the defined names in the workbook's.
  for (const part of ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]) {
    const xml = await zipEntry(bytes, part);
    assert.match(xml, /<sheetPr><pageSetUpPr fitToPage="1"\/><\/sheetPr>/, part);
    assert.match(xml, /<pageSetup [^>]*orientation="landscape"[^>]*fitToWidth="1" fitToHeight="0"/);
  }
  const book = await zipEntry(bytes, "xl/workbook.xml");
  const q = "(?:'|&apos;)";
  const name = (id: number, kind: string, range: string) =>
    new RegExp(`<definedName name="_xlnm.${kind}" localSheetId="${id}">${range}</definedName>`);
  assert.match(book, name(0, "Print_Titles", `${q}Summary${q}!\\$1:\\$2`));
  assert.match(book, name(1, "Print_Titles", `${q}Detail${q}!\\$1:\\$1`));
  const lastSummaryRow = summary.rowCount;
  assert.match(book, name(0, "Print_Area", `${q}Summary${q}!\\$A\\$1:\\$G\\$${lastSummaryRow}`));
  assert.match(
    book,
    name(1, "Print_Area", `${q}Detail${q}!\\$A\\$1:\\$W\\$${EDGE_ROWS.length + 1}`),
  );
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

if (PRINT_SKIP_REASON) console.warn(`Skipping the LibreOffice print check: ${PRINT_SKIP_REASON}`);

Deno.test({
  name:
    "XLSX: LibreOffice prints the Summary and Detail one page wide, landscape, titles on every page",
  ignore: PRINT_SKIP_REASON !== "",
  async fn() {
    const report = syntheticReport(300, { seed: 11 });
    const { bytes } = await xlsxOf(report);
    const printed = await printXlsx(bytes, "charges");
    try {
      const pages = printed.pages;
      const sizes = await printed.sizes(1, pages.length);
      assert.equal(sizes.length, pages.length);
      for (const { width, height } of sizes) assert.ok(width > height, "landscape pages");

      // Every page is either a Summary page (its title repeated at the top) or a Detail page
      // (its header row repeated, first and last column): a sheet split across pages wide
      // would leave pages with neither.
      const title = "Squonk2 charges: all organisations";
      const kinds = pages.map((page) =>
        page.includes(title)
          ? "summary"
          : page.includes("organisation_id") && page.includes("coins_exact")
          ? "detail"
          : "other"
      );
      const summaryPages = kinds.filter((k) => k === "summary").length;
      assert.ok(summaryPages >= 2, `the Summary of 300 rows takes a few pages (${kinds})`);
      assert.deepEqual(kinds, [
        ...Array(summaryPages).fill("summary"),
        ...Array(pages.length - summaryPages).fill("detail"),
      ]);
      assert.ok(pages[0].includes("SANDBOX DATA"), "the warning on page 1");
      // All seven column headers of the totals tables on the first page that has a table.
      const headed = pages.find((page) => page.includes("Totals by charge type"))!;
      const headerLine = headed.split("\n").find((line) => /^\s*name\s+id\s/.test(line));
      assert.ok(headerLine, "a totals header line");
      assert.match(headerLine, /name\s+id\s+parent\s+parent id\s+items\s+coins\s+coins \(exact\)/);
      // Each product's id and exact coins (columns B and G) on the same page.
      for (const [id, total] of Object.entries(report.totals.byProduct)) {
        const page = pages.slice(0, summaryPages).find((p) => new RegExp(`\\b${id}\\b`).test(p));
        assert.ok(page, `a Summary page lists ${id}`);
        assert.ok(page.includes(total.coins), `${id}: its exact coins on the same page`);
      }
    } finally {
      await printed.close();
    }
  },
});

Deno.test("XLSX: thousands of rows, cell for cell (remembered and unremembered values)", async () => {
  // More rows than a column tries remembering (4,096) and than it remembers (1,024). Read
  // from the sheet's XML (exceljs's reader takes seconds for this many rows).
  const count = 4500;
  const report = syntheticReport(count, { seed: 23 });
  const expected = [...syntheticChargeRows(count, { seed: 23 })];
  const { sink, bytes } = memorySink();
  await writeChargesXlsx(report, sink);
  const xml = await zipEntry(bytes(), "xl/worksheets/sheet2.xml");
  const rows = [...xml.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/gs)];
  assert.equal(rows.length, count + 1);
  const letter = (header: string) =>
    String.fromCharCode(65 + CHARGE_COLUMNS.findIndex((c) => c.header === header));
  const unescape = (t: string) =>
    t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  expected.forEach((row, i) => {
    const [, number, cells] = rows[i + 1];
    const n = i + 2;
    assert.equal(number, String(n));
    const cell = (l: string) => new RegExp(`<c r="${l}${n}"([^>]*)>(.*?)</c>`, "s").exec(cells);
    const textOf = (l: string) => unescape(/<t[^>]*>(.*)<\/t>/s.exec(cell(l)![2])![1]);
    assert.equal(cell(letter("charge_id"))![2], `<v>${row.chargeId}</v>`);
    assert.equal(textOf(letter("product_id")), row.productId);
    assert.equal(textOf("W"), row.coins, `row ${n} coins_exact`);
    assert.equal(cell(letter("final"))![2], `<v>${row.final ? 1 : 0}</v>`);
    const serial = Number(/<v>(.*)<\/v>/.exec(cell(letter("timestamp_utc"))![2])![1]);
    const expectedSerial = 25569 + Date.parse(row.timestamp) / 86_400_000;
    assert.ok(Math.abs(serial - expectedSerial) < 1e-9, `row ${n} timestamp`);
  });
});

Deno.test("XLSX: a row larger than the encoder's buffer is written whole", async () => {
  // Five cells of 32,767 two-byte characters: ~320 KB of XML in one row.
  const long = "é".repeat(40_000);
  const big = row({
    organisationName: long,
    unitName: long,
    productName: long,
    username: long,
    merchant: long,
  });
  const { workbook } = await xlsxOf(reportFromRows([row({}), big, row({ chargeId: 3 })]));
  const detail = workbook.getWorksheet("Detail")!;
  const cut = "é".repeat(32_767 - " …[truncated]".length) + " …[truncated]";
  assert.equal(text(detail.getRow(3).getCell(2)), cut);
  assert.equal(text(detail.getRow(3).getCell(16)), cut);
  assert.equal(detail.getRow(4).getCell(13).value, 3);
});

Deno.test("XLSX: a priced report's Detail has the money columns as numbers, before coins_exact", async () => {
  // Worked example: 0.5 coins at 0.25 EUR = 0.125, rounded half-even to 0.12.
  const plain = reportFromRows([row({ organisationName: "Acme", coins: "0.5" })]);
  const rates = parseRates(
    "subject,currency,price_per_coin,effective_from\nAcme,EUR,0.25,2026-01-01\n",
    "rates.csv",
  );
  const priced = await priceReport(plain, rates);
  const { workbook } = await xlsxOf(priced);
  const detail = workbook.getWorksheet("Detail")!;
  const headers = CHARGE_COLUMNS.map((c) => c.header).concat(
    "price_per_coin",
    "amount",
    "currency",
    "coins_exact",
  );
  assert.deepEqual(headers.map((_, i) => text(detail.getRow(1).getCell(i + 1))), headers);
  const cells = detail.getRow(2);
  const at = (header: string) => cells.getCell(1 + headers.indexOf(header));
  assert.equal(at("price_per_coin").value, 0.25);
  assert.equal(at("price_per_coin").numFmt, "#,##0.00######");
  assert.equal(at("amount").value, 0.12);
  assert.equal(at("amount").numFmt, "#,##0.00");
  assert.equal(text(at("currency")), "EUR");
  assert.equal(text(at("coins_exact")), "0.5");
  assert.equal(detail.autoFilter, "A1:Z2");
  // Unpriced: unchanged, coins_exact in column W.
  const { workbook: unpriced } = await xlsxOf(plain);
  assert.equal(text(unpriced.getWorksheet("Detail")!.getRow(1).getCell(23)), "coins_exact");
});

// The XLSX "Change" sheet (reports/writers/xlsx_change.ts), read back with exceljs: its
// place (after Summary, before Detail), names before ids, numeric and percent cells,
// flagged lines marked, new and vanished products, money columns, exact text columns only
// when a number cell would not show an amount exactly, widths that fit names and ids,
// landscape fit-to-width (and, when LibreOffice is installed, printed one page wide), and
// the sheet of a comparison that could not be made (no numbers, a red status).
import assert from "node:assert/strict";
import { PRINT_SKIP_REASON, printXlsx } from "./fixtures/print_pdf.ts";
import ExcelJS from "exceljs";
import type { ChangeLine, ChangeTable } from "../reports/charges/change_types.ts";
import type { ChargeReport } from "../reports/charges/model.ts";
import { writeChargesXlsx } from "../reports/writers/xlsx.ts";
import { formatted, showsExactly } from "../reports/writers/xlsx_change.ts";
import { headerColumns, readChangeSheet } from "./fixtures/change_sheet.ts";
import { memorySink } from "./fixtures/memory_sink.ts";
import { syntheticReport } from "./fixtures/synthetic_rows.ts";

// Ids as the Account Server makes them: 40 (org), 41 (unit) and 44 (product) characters.
const ORG = "org-371efe31-cef4-4442-963c-098c3de23256";
const UNIT_A = "unit-267bd552-6ac5-4c7e-a3ce-7e5153b15699";
const UNIT_B = "unit-6d0ea905-6fd4-42da-bf27-a8d7954aabae";
const FRESH = "product-92966ccf-a685-449e-826d-98b8a59c8433";
const GONE = "product-d414d85c-df9e-4a4e-bae5-5998ba72617b";

function line(overrides: Partial<ChangeLine> & Pick<ChangeLine, "id">): ChangeLine {
  return {
    name: overrides.id,
    parentId: UNIT_A,
    parentName: "Alpha",
    previous: "0",
    current: "0",
    difference: "0",
    percentText: "—",
    kind: "unchanged",
    flagged: false,
    ...overrides,
  };
}

/** A compared table written by hand (the values need not come from change.ts). */
function comparedTable(money = false): ChangeTable {
  const eur = (previous: string, current: string, difference: string) =>
    money ? { money: { currency: "EUR", previous, current, difference } } : {};
  const units = [
    line({
      id: UNIT_A,
      name: "Alpha",
      parentId: ORG,
      parentName: "Acme",
      previous: "12.00",
      current: "16.00",
      difference: "4.00",
      percent: "33.3",
      percentText: "+33.3 %",
      kind: "changed",
      flagged: true,
      ...eur("1.20", "1.60", "0.40"),
    }),
    line({
      id: UNIT_B,
      name: "Beta",
      parentId: ORG,
      parentName: "Acme",
      previous: "100",
      current: "125",
      difference: "25",
      percent: "25.0",
      percentText: "+25.0 %",
      kind: "changed",
      ...eur("10.00", "12.50", "2.50"),
    }),
  ];
  const fresh = line({
    id: FRESH,
    name: "Fresh",
    previous: "0",
    current: "6.00",
    difference: "6.00",
    percentText: "new",
    kind: "new",
    flagged: true,
    ...eur("0.00", "0.60", "0.60"),
  });
  const gone = line({
    id: GONE,
    name: "Gone",
    previous: "-3.5",
    current: "0",
    difference: "3.5",
    percent: "100.0",
    percentText: "+100.0 %",
    kind: "vanished",
    flagged: true,
    ...eur("-0.35", "0.00", "0.35"),
  });
  return {
    status: "compared",
    current: { label: "October 2026", from: "2026-10-01", until: "2026-11-01" },
    previous: { label: "September 2026", from: "2026-09-01", until: "2026-10-01" },
    basis: "the calendar month before",
    threshold: "25",
    ...(money ? { currency: "EUR" } : {}),
    units,
    products: [fresh, gone],
    newProducts: [fresh],
    vanishedProducts: [gone],
    flagged: 3,
  };
}

async function writeAndRead(report: ChargeReport) {
  const sink = memorySink();
  const result = await writeChargesXlsx(report, sink.sink);
  const bytes = sink.bytes();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return { result, workbook, bytes };
}

/** Rows of a sheet, blank ones included (row n at index n - 1). */
function rowsOf(sheet: ExcelJS.Worksheet): ExcelJS.Row[] {
  const out: ExcelJS.Row[] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => out.push(row));
  return out;
}

function text(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
  return String(v);
}

function rowStarting(rows: ExcelJS.Row[], label: string, after = 0): number {
  const i = rows.findIndex((r, k) => k >= after && text(r.getCell(1)) === label);
  assert.ok(i >= 0, `no row starting with "${label}"`);
  return i;
}

/** Header texts of a row, columns 1 to `count`. */
function headers(row: ExcelJS.Row, count: number): string[] {
  return Array.from({ length: count }, (_, i) => text(row.getCell(i + 1)));
}

const UNIT_HEADERS = [
  "name",
  "id",
  "organisation",
  "organisation id",
  "previous\ncoins",
  "this period\ncoins",
  "difference\ncoins",
  "change",
  "flag",
];
const PRODUCT_HEADERS = ["name", "id", "unit", "unit id", ...UNIT_HEADERS.slice(4)];

Deno.test("the Change sheet sits between Summary and Detail: names before ids, numbers, percent cells and flags", async () => {
  const report = { ...syntheticReport(3), change: comparedTable() };
  const { result, workbook } = await writeAndRead(report);
  assert.deepEqual(workbook.worksheets.map((s) => s.name), ["Summary", "Change", "Detail"]);
  assert.equal(result.sheets, 3);
  const sheet = workbook.getWorksheet("Change")!;
  assert.equal(sheet.pageSetup.orientation, "landscape");
  assert.equal(sheet.pageSetup.fitToPage, true);
  assert.equal(sheet.pageSetup.fitToWidth, 1);
  // Printed: the written cells (9 columns: every amount shows exactly, so no "(exact)"
  // copies), every row, the title and SANDBOX lines on top of every page.
  assert.equal(sheet.pageSetup.printArea, `A1:I${sheet.rowCount}`);
  assert.equal(sheet.pageSetup.printTitlesRow, "1:2");
  const rows = rowsOf(sheet);
  assert.match(text(rows[0].getCell(1)), /change since the previous period/);
  assert.equal(text(rows[rowStarting(rows, "This period")].getCell(2)), "October 2026");
  assert.equal(text(rows[rowStarting(rows, "Previous period")].getCell(2)), "September 2026");
  assert.match(
    text(rows[rowStarting(rows, "Flag threshold")].getCell(2)),
    /above 25 % either way.*exactly 25 % is not/,
  );
  assert.match(text(rows[rowStarting(rows, "Status")].getCell(2)), /^Compared: 3 of 4 lines/);
  assert.match(text(rows[rowStarting(rows, "Amounts")].getCell(2)), /shown exactly/);

  const units = rowStarting(rows, "By unit");
  const header = rows[units + 1];
  assert.deepEqual(headers(header, 10), [...UNIT_HEADERS, ""]);
  // Number headers right-aligned over their numbers (two lines, wrapped), text headers not.
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map((c) => header.getCell(c).alignment?.horizontal),
    [undefined, undefined, undefined, undefined, "right", "right", "right", "right"],
  );
  assert.equal(header.getCell(5).alignment?.wrapText, true);
  assert.equal(header.getCell(5).font?.bold, true);
  assert.equal(header.height, 30);
  const alpha = rows[units + 2];
  assert.deepEqual(
    [1, 2, 3, 4].map((c) => text(alpha.getCell(c))),
    ["Alpha", UNIT_A, "Acme", ORG],
  );
  assert.deepEqual([5, 6, 7].map((c) => alpha.getCell(c).value), [12, 16, 4]);
  assert.equal(alpha.getCell(5).numFmt, "#,##0.00##");
  // The percent cell is a number (0.333) shown as +33.3%.
  assert.equal(alpha.getCell(8).value, 0.333);
  assert.equal(alpha.getCell(8).numFmt, "+0.0%;-0.0%;0.0%");
  assert.equal(text(alpha.getCell(9)), "FLAG");
  assert.equal(alpha.getCell(9).font?.bold, true);
  assert.equal(alpha.getCell(9).font?.color?.argb, "FFC00000");
  assert.equal((alpha.getCell(1).fill as ExcelJS.FillPattern)?.pattern, "solid");
  assert.equal((alpha.getCell(7).fill as ExcelJS.FillPattern)?.pattern, "solid");
  assert.equal(text(alpha.getCell(10)), "", "no exact copy");
  const beta = rows[units + 3];
  assert.equal(text(beta.getCell(2)), UNIT_B);
  assert.equal(beta.getCell(8).value, 0.25);
  assert.equal(text(beta.getCell(9)), "");
  assert.equal(beta.getCell(1).fill, undefined);

  const products = rowStarting(rows, "By product", units);
  assert.deepEqual(headers(rows[products + 1], 9), PRODUCT_HEADERS);
  const fresh = rows[products + 2];
  assert.deepEqual([1, 2, 3, 4].map((c) => text(fresh.getCell(c))), [
    "Fresh",
    FRESH,
    "Alpha",
    UNIT_A,
  ]);
  // "new" is text, right-aligned in the column of percentages.
  assert.equal(text(fresh.getCell(8)), "new");
  assert.equal(fresh.getCell(8).alignment?.horizontal, "right");
  const gone = rows[products + 3];
  assert.equal(gone.getCell(5).value, -3.5);
  assert.equal(gone.getCell(6).value, 0);
  assert.equal(gone.getCell(8).value, 1);

  // The new and vanished products: the same columns, one line each.
  const added = rowStarting(rows, "New products", products);
  assert.deepEqual(headers(rows[added + 1], 9), PRODUCT_HEADERS);
  assert.deepEqual(
    [1, 2, 3, 5, 6, 7].map((c) => rows[added + 2].getCell(c).value ?? ""),
    [...["Fresh", FRESH, "Alpha"].map((t) => ({ richText: [{ text: t }] })), 0, 6, 6],
  );
  assert.equal(text(rows[added + 3].getCell(1)), "");
  const vanished = rowStarting(rows, "Vanished products", added);
  assert.deepEqual(headers(rows[vanished + 1], 9), PRODUCT_HEADERS);
  assert.equal(text(rows[vanished + 2].getCell(2)), GONE);
  assert.equal(rows[vanished + 2].getCell(5).value, -3.5);
  assert.equal(rows[vanished + 2].getCell(7).value, 3.5);
  assert.equal(text(rows[vanished + 2].getCell(9)), "FLAG");

  // Widths fit the names and whole ids (44-character product ids, 41-character unit ids).
  const width = (c: number) => sheet.getColumn(c).width ?? 0;
  assert.ok(width(2) >= FRESH.length + 1, `id column ${width(2)}`);
  assert.ok(width(4) >= UNIT_A.length + 1, `parent id column ${width(4)}`);
  assert.ok(width(1) >= "Previous period chosen as".length, `name column ${width(1)}`);
  // Number columns fit their longest header line ("this period"), not the two lines joined.
  assert.ok(width(6) >= "this period".length + 1 && width(6) < "this period coins".length);

  // The fixture the end-to-end tests use reads the same values.
  const read = await readChangeSheet((await writeAndRead(report)).bytes);
  assert.deepEqual(read.units.get(UNIT_A), {
    id: UNIT_A,
    name: "Alpha",
    parentId: ORG,
    previous: "12",
    current: "16",
    difference: "4",
    flagged: true,
  });
  assert.deepEqual([...read.products.keys()], [FRESH, GONE]);
});

Deno.test("a priced change table gets money columns, the currency in their headers", async () => {
  const report = { ...syntheticReport(1), change: comparedTable(true) };
  const { workbook } = await writeAndRead(report);
  const sheet = workbook.getWorksheet("Change")!;
  const rows = rowsOf(sheet);
  const units = rowStarting(rows, "By unit");
  assert.deepEqual(headers(rows[units + 1], 13), [
    ...UNIT_HEADERS,
    "previous\nEUR",
    "this period\nEUR",
    "difference\nEUR",
    "",
  ]);
  assert.deepEqual([10, 11, 12].map((c) => rows[units + 2].getCell(c).value), [1.2, 1.6, 0.4]);
  assert.equal(rows[units + 2].getCell(10).numFmt, "#,##0.00");
  assert.equal(rows[units + 1].getCell(10).alignment?.horizontal, "right");
  // The new product's money too.
  const added = rowStarting(rows, "New products");
  assert.deepEqual([10, 11, 12].map((c) => rows[added + 2].getCell(c).value), [0, 0.6, 0.6]);
  assert.equal(sheet.pageSetup.printArea, `A1:L${sheet.rowCount}`);
});

Deno.test("amounts a number cell would not show exactly get '(exact)' text columns at the right", async () => {
  const table = comparedTable(true);
  // 5 decimals (the coins format shows 4) and 17 significant digits (a double keeps 15).
  table.units[1] = {
    ...table.units[1],
    previous: "100.00001",
    current: "12345678901234.567",
    difference: "12345678901134.56699",
  };
  // A currency with three minor digits (the money format shows 2).
  table.products[0] = {
    ...table.products[0],
    money: { currency: "EUR", previous: "0", current: "0.605", difference: "0.605" },
  };
  const { workbook, bytes } = await writeAndRead({ ...syntheticReport(1), change: table });
  const sheet = workbook.getWorksheet("Change")!;
  const rows = rowsOf(sheet);
  const units = rowStarting(rows, "By unit");
  assert.deepEqual(headers(rows[units + 1], 19).slice(12), [
    "previous coins\n(exact)",
    "this period coins\n(exact)",
    "difference coins\n(exact)",
    "previous EUR\n(exact)",
    "this period EUR\n(exact)",
    "difference EUR\n(exact)",
    "",
  ]);
  // Every line carries them, as text, right-aligned.
  const beta = rows[units + 3];
  assert.deepEqual([13, 14, 15].map((c) => text(beta.getCell(c))), [
    "100.00001",
    "12345678901234.567",
    "12345678901134.56699",
  ]);
  assert.equal(beta.getCell(14).type, ExcelJS.ValueType.RichText);
  assert.equal(beta.getCell(14).alignment?.horizontal, "right");
  assert.deepEqual([13, 16].map((c) => text(rows[units + 2].getCell(c))), ["12.00", "1.20"]);
  const products = rowStarting(rows, "By product");
  assert.equal(text(rows[products + 2].getCell(17)), "0.605");
  assert.match(text(rows[rowStarting(rows, "Amounts")].getCell(2)), /"\(exact\)" columns/);
  assert.equal(sheet.pageSetup.printArea, `A1:R${sheet.rowCount}`);
  // The fixture reads the exact text, not the rounded number.
  const read = await readChangeSheet(bytes);
  assert.equal(read.units.get(UNIT_B)?.current, "12345678901234.567");
});

Deno.test("showsExactly and formatted: worked examples", () => {
  for (
    const [text, decimals, expected] of [
      ["12.00", 4, true],
      ["0.1234", 4, true],
      ["0.12345", 4, false],
      ["0.123400000", 4, true],
      ["-3.5", 2, true],
      ["0.605", 2, false],
      ["123456789012345", 4, true],
      ["1234567890123456", 4, false],
      ["1000000000000000000000", 4, true],
      ["12345678901.2345", 4, true],
      ["123456789012.3456", 4, false],
      ["0.0001", 4, true],
      ["1e5", 4, false],
    ] as const
  ) {
    assert.equal(showsExactly(text, decimals), expected, `${text} with ${decimals} decimals`);
  }
  for (
    const [text, min, max, expected] of [
      ["1250.8175", 2, 4, "1,250.8175"],
      ["-1234567.5", 2, 4, "-1,234,567.50"],
      ["0", 2, 4, "0.00"],
      ["100", 2, 2, "100.00"],
      ["999.123456", 2, 4, "999.1234"],
      ["+7", 0, 2, "7"],
    ] as const
  ) {
    assert.equal(formatted(text, min, max), expected, text);
  }
});

Deno.test("a comparison that could not be made shows the reason in red and no numbers", async () => {
  const change: ChangeTable = {
    ...comparedTable(),
    status: "not-compared",
    note: "the previous period's totals do not reconcile",
    units: [],
    products: [],
    newProducts: [],
    vanishedProducts: [],
    flagged: 0,
  };
  const { workbook } = await writeAndRead({ ...syntheticReport(1), change });
  const sheet = workbook.getWorksheet("Change")!;
  const rows = rowsOf(sheet);
  const status = rows[rowStarting(rows, "Status")];
  assert.match(text(status.getCell(2)), /^COULD NOT BE COMPARED: .*do not reconcile/);
  assert.equal(status.getCell(2).font?.color?.argb, "FFC00000");
  assert.ok(!rows.some((r) => text(r.getCell(1)) === "By unit"));
  // The report is sandbox data: the sheet says so too.
  assert.ok(rows.some((r) => /SANDBOX DATA/.test(text(r.getCell(1)))));
  // The status text runs over the (empty) table columns, which are printed.
  assert.equal(sheet.pageSetup.printArea, `A1:I${sheet.rowCount}`);
});

Deno.test("without a change table the workbook is unchanged: Summary then Detail", async () => {
  const { result, workbook } = await writeAndRead(syntheticReport(2));
  assert.deepEqual(workbook.worksheets.map((s) => s.name), ["Summary", "Detail"]);
  assert.equal(result.sheets, 2);
});

Deno.test("the fixture finds columns by header, line breaks read as spaces", () => {
  const workbook = new ExcelJS.Workbook();
  const row = workbook.addWorksheet("x").addRow(["name", "id", "previous\ncoins", "change"]);
  assert.deepEqual(
    [...headerColumns(row)],
    [["name", 1], ["id", 2], ["previous coins", 3], ["change", 4]],
  );
});

Deno.test({
  name: "LibreOffice prints the Change sheet one page wide, landscape, headers apart" +
    (PRINT_SKIP_REASON ? ` (skipped: ${PRINT_SKIP_REASON})` : ""),
  ignore: PRINT_SKIP_REASON !== "",
  async fn() {
    const report = { ...syntheticReport(3), change: comparedTable(true) };
    const { bytes } = await writeAndRead(report);
    const printed = await printXlsx(bytes, "change");
    try {
      const pages = printed.pages;
      const change = pages.flatMap((page, i) =>
        page.includes("change since the previous period") ? [i + 1] : []
      );
      // One page: the whole sheet, every column, on a single landscape page.
      assert.equal(change.length, 1, `Change pages: ${change}`);
      const [{ width, height }] = await printed.sizes(change[0], change[0]);
      assert.ok(width > height, "landscape");
      const lines = pages[change[0] - 1].split("\n");
      // Each table's second header line, words apart (no header runs into the next).
      const units = lines.filter((l) =>
        /^\s*name\s+id\s+organisation\s+organisation id\s+coins\s+coins\s+coins\s+change\s+flag\s+EUR\s+EUR\s+EUR\s*$/
          .test(l)
      );
      assert.equal(units.length, 1, "the unit table's header");
      const products = lines.filter((l) =>
        /^\s*name\s+id\s+unit\s+unit id\s+coins\s+coins\s+coins\s+change\s+flag\s+EUR\s+EUR\s+EUR\s*$/
          .test(l)
      );
      assert.equal(products.length, 3, "By product, New products, Vanished products headers");
      // Each line whole on one printed line: name, id, parent, parent id ... money.
      for (
        const pattern of [
          /Alpha\s+unit-267bd552\S+\s+Acme\s+org-371efe31\S+\s+12\.00\s+16\.00\s+4\.00\s+\+33\.3%\s+FLAG\s+1\.20\s+1\.60\s+0\.40/,
          /Fresh\s+product-92966ccf-a685-449e-826d-98b8a59c8433\s+Alpha\s+unit-267bd552-6ac5-4c7e-a3ce-7e5153b15699\s+0\.00\s+6\.00\s+6\.00\s+new\s+FLAG\s+0\.00\s+0\.60\s+0\.60/,
          /Gone\s+product-d414d85c\S+\s+Alpha\s+unit-267bd552\S+\s+-3\.50\s+0\.00\s+3\.50\s+\+100\.0%\s+FLAG/,
        ]
      ) {
        assert.ok(lines.some((l) => pattern.test(l)), `a printed line matches ${pattern}`);
      }
    } finally {
      await printed.close();
    }
  },
});

import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { csvReconciliationWarning, writeChargesCsv } from "../reports/writers/csv.ts";
import { CHARGE_COLUMNS, type ChargeReport, type ChargeRow } from "../reports/charges/model.ts";
import { reportFromRows, syntheticChargeRows, syntheticReport } from "./fixtures/synthetic_rows.ts";
import { memorySink } from "./fixtures/memory_sink.ts";
import {
  assertAbortsOnFailingSource,
  assertBackpressure,
  assertStopsOnFailingSink,
} from "./fixtures/writer_checks.ts";

function baseRow(overrides: Partial<ChargeRow>): ChargeRow {
  return {
    organisationId: "org-1",
    organisationName: "Acme",
    unitId: "unit-1",
    unitName: "Chemistry",
    billingDay: 3,
    periodFrom: "2026-10-03",
    periodUntil: "2026-11-03",
    productId: "product-1",
    productName: "DM Storage",
    productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    productFlavour: "",
    chargeType: "PROCESSING",
    chargeId: 1,
    timestamp: "2026-10-05T12:00:00.000Z",
    username: "alice",
    merchant: "Data Manager",
    jobCollection: "",
    jobJob: "",
    jobVersion: "",
    closed: "",
    final: false,
    coins: "1.25",
    ...overrides,
  };
}

/** Rows with every awkward value the writers must survive. */
const EDGE_ROWS: ChargeRow[] = [
  baseRow({ organisationName: "=SUM(A1:A9)", coins: "-1.25", final: true }),
  baseRow({ organisationName: "+44 formula", unitName: "-minus", coins: "0.0001", chargeId: 2 }),
  baseRow({ organisationName: "@cmd", unitName: "\tTab", productName: "\rCR", chargeId: 3 }),
  baseRow({ organisationName: "Café Müller, Ltd.", unitName: 'Say "hi"', chargeId: 4 }),
  baseRow({ organisationName: "Line\nBreak", unitName: "Two\r\nLines", chargeId: 5 }),
  baseRow({
    organisationName: "北京化学",
    unitName: "\uFF1Dfull-width",
    username: "\uFF0Bplus",
    chargeId: 6,
  }),
  baseRow({ coins: "12345678901234567890.123456789", chargeId: 7, chargeType: "STORAGE" }),
  baseRow({ coins: "-0.50", chargeId: 8, timestamp: "2026-10-06" }),
];

const FORMULA_START = ["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];
const NUMERIC = new Set(["billing_day", "charge_id", "coins"]);

/** What a reader gets back for a text field: the original, prefixed with ' when it is a formula. */
function expectedText(value: string): string {
  return FORMULA_START.some((c) => value.startsWith(c)) ? `'${value}` : value;
}

async function csvOf(report: ChargeReport, bom = false): Promise<Uint8Array> {
  const { sink, state, bytes } = memorySink();
  const result = await writeChargesCsv(report, sink, { bom });
  assert.equal(state.closed, true, "the sink is closed on success");
  assert.equal(result.rows, report.rowCount);
  assert.equal(result.bytes, bytes().length);
  return bytes();
}

function parseCsv(bytes: Uint8Array): string[][] {
  return parse(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), { bom: true });
}

Deno.test("CSV parses back to exactly the rows, with formula text escaped", async () => {
  const report = reportFromRows(EDGE_ROWS);
  const records = parseCsv(await csvOf(report));
  assert.deepEqual(records[0], [...CHARGE_COLUMNS.map((c) => c.header), "data_source"]);
  assert.equal(records.length, EDGE_ROWS.length + 1);
  EDGE_ROWS.forEach((row, i) => {
    const record = records[i + 1];
    CHARGE_COLUMNS.forEach(({ key, header }, j) => {
      const value = row[key];
      const expected = typeof value === "boolean"
        ? String(value)
        : NUMERIC.has(header)
        ? String(value)
        : expectedText(String(value));
      assert.equal(record[j], expected, `row ${i + 1} ${header}`);
    });
  });
  // Spot checks against hand-written expectations.
  assert.equal(records[1][1], "'=SUM(A1:A9)");
  assert.equal(records[1][21], "-1.25", "a negative coin stays a number");
  assert.equal(records[1][20], "true");
  assert.equal(records[2][20], "false");
  assert.equal(records[3][3], "'\tTab");
  assert.equal(records[3][8], "'\rCR");
  assert.equal(records[5][1], "Line\nBreak");
  assert.equal(records[5][3], "Two\r\nLines");
  assert.equal(records[6][3], "'\uFF1Dfull-width");
  assert.equal(records[7][21], "12345678901234567890.123456789", "coins exactly as sent");
  assert.equal(records[8][21], "-0.50", "trailing zeros kept");
});

Deno.test("CSV of an unreconciled report: a last column states it on every row", async () => {
  const mismatch = {
    where: "product product-1 (DM Storage) total",
    computed: "1.25",
    server: "999.99",
    ok: false,
  };
  const report = reportFromRows(EDGE_ROWS, {
    reconciliation: { ok: false, checked: 7, mismatches: [mismatch] },
  });
  const records = parseCsv(await csvOf(report));
  assert.deepEqual(records[0], [
    ...CHARGE_COLUMNS.map((c) => c.header),
    "data_source",
    "reconciliation_warning",
  ]);
  assert.equal(records.length, EDGE_ROWS.length + 1);
  const expected = "UNRECONCILED: 1 of 7 checks disagree with the server's totals: " +
    "product product-1 (DM Storage) total: computed 1.25, server 999.99";
  for (const record of records.slice(1)) {
    assert.equal(record.length, CHARGE_COLUMNS.length + 2);
    assert.equal(record[CHARGE_COLUMNS.length], "SANDBOX");
    assert.equal(record[CHARGE_COLUMNS.length + 1], expected);
    assert.equal(record[CHARGE_COLUMNS.length - 1], EDGE_ROWS[records.indexOf(record) - 1].coins);
  }

  // Nothing compared at all: not reconciled either, with the reason.
  const none = reportFromRows([], {
    reconciliation: {
      ok: false,
      checked: 0,
      mismatches: [],
      unchecked: ["organisation org-9: HTTP 403"],
    },
  });
  const header = parseCsv(await csvOf(none));
  assert.deepEqual(header, [[
    ...CHARGE_COLUMNS.map((c) => c.header),
    "data_source",
    "reconciliation_warning",
  ]]);
  assert.equal(
    csvReconciliationWarning(none),
    "UNRECONCILED: no total could be compared with the server's (organisation org-9: HTTP 403)",
  );

  // Reconciled, even partly: the usual columns only.
  const partly = reportFromRows(EDGE_ROWS, {
    reconciliation: { ok: true, checked: 3, mismatches: [], unchecked: ["org-9: HTTP 403"] },
  });
  assert.deepEqual(parseCsv(await csvOf(partly))[0], [
    ...CHARGE_COLUMNS.map((c) => c.header),
    "data_source",
  ]);
});

Deno.test("CSV: every row says where its data came from, sandbox or Account Server", async () => {
  const fromSandbox = parseCsv(await csvOf(reportFromRows(EDGE_ROWS.slice(0, 3))));
  const real = parseCsv(
    await csvOf(reportFromRows(EDGE_ROWS.slice(0, 3), { sandbox: false })),
  );
  for (const [records, value] of [[fromSandbox, "SANDBOX"], [real, "ACCOUNT_SERVER"]] as const) {
    assert.equal(records[0].at(-1), "data_source");
    assert.deepEqual(records.slice(1).map((r) => r.at(-1)), [value, value, value]);
  }
});

Deno.test("CSV uses CRLF between records and quotes only what needs quoting", async () => {
  const text = new TextDecoder().decode(await csvOf(reportFromRows(EDGE_ROWS.slice(3, 5))));
  const lines = text.split("\r\n");
  assert.equal(lines.at(-1), "", "the last record ends with CRLF");
  assert.ok(lines[0].startsWith("organisation_id,organisation_name,"));
  assert.ok(lines[1].includes(',"Café Müller, Ltd.",unit-1,"Say ""hi""",'));
  assert.ok(text.includes('"Line\nBreak"'), "a bare LF inside a field is quoted");
  assert.ok(!/^[^"]*\n/.test(text.replaceAll("\r\n", "")), "no unquoted line break");
});

Deno.test("CSV starts with a UTF-8 BOM only when asked", async () => {
  const report = reportFromRows(EDGE_ROWS.slice(0, 2));
  const plain = await csvOf(report);
  const withBom = await csvOf(report, true);
  assert.deepEqual([...plain.subarray(0, 3)], [0x6f, 0x72, 0x67], "starts with 'org'");
  assert.deepEqual([...withBom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.deepEqual(withBom.subarray(3), plain);
});

Deno.test("CSV of synthetic rows round-trips and has no unescaped formula in any text field", async () => {
  const report = syntheticReport(500, { seed: 7 });
  const records = parseCsv(await csvOf(report, true));
  const rows = [...syntheticChargeRows(500, { seed: 7 })];
  assert.equal(records.length, 501);
  rows.forEach((row, i) => {
    const record = records[i + 1];
    assert.equal(record[21], row.coins);
    assert.equal(record[12], String(row.chargeId));
    assert.equal(record[1], expectedText(row.organisationName));
    assert.equal(record[3], expectedText(row.unitName));
    for (const [j, field] of record.entries()) {
      if (NUMERIC.has(records[0][j])) continue;
      assert.ok(
        !FORMULA_START.includes(field[0]),
        `row ${i + 1} field ${records[0][j]} is escaped`,
      );
    }
  });
  assert.ok(rows.some((r) => r.coins.startsWith("-")), "the sample includes refunds");
});

Deno.test("CSV reads async row sources", async () => {
  const report = syntheticReport(30, { seed: 3 });
  const sync = report.rows as Iterable<ChargeRow>;
  async function* rows() {
    for (const row of sync) yield row;
  }
  const fromAsync = await csvOf({ ...report, rows: rows() });
  assert.deepEqual(fromAsync, await csvOf(report));
});

Deno.test("CSV aborts the sink with the row source's error", async () => {
  await assertAbortsOnFailingSource(writeChargesCsv, { rows: 10, failAt: 4 });
});

Deno.test("CSV refuses a report whose rowCount disagrees with its rows", async () => {
  const report = reportFromRows(EDGE_ROWS);
  const { sink, state } = memorySink();
  await assert.rejects(
    writeChargesCsv({ ...report, rowCount: 99 }, sink),
    /announced 99 rows but its row source yielded 8/,
  );
  assert.ok(state.aborted instanceof Error);
});

Deno.test("CSV stops reading rows when the sink fails", async () => {
  await assertStopsOnFailingSink(writeChargesCsv, {
    rows: 50_000,
    maxPulled: 5_000,
    message: "disk full",
  });
});

Deno.test("CSV respects a slow sink's backpressure", async () => {
  await assertBackpressure(writeChargesCsv, {
    rows: 20_000,
    maxPulled: 5_000,
    polls: 50,
    pollMs: 10,
  });
});

Deno.test("CSV escapes coins that are not plain numbers like text", async () => {
  const base = reportFromRows([baseRow({})]);
  const rows = [baseRow({ coins: "-Infinity" }), baseRow({ coins: "NaN", chargeId: 2 })];
  const records = parseCsv(await csvOf({ ...base, rows, rowCount: 2 }));
  assert.equal(records[1][21], "'-Infinity");
  assert.equal(records[2][21], "NaN");
});

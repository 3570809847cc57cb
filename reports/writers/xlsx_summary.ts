/**
 * The Summary sheet of the charges workbook, written first: what the report covers (scope,
 * period in words and dates, when and from where), a SANDBOX DATA warning when the data is
 * not real, the result of reconciling the totals with the server's own, and the totals by
 * charge type, organisation, unit and product.
 *
 * A report that is not reconciled (written only when the user allowed it) says so in red
 * under the title, and lists right under "Reconciliation" each mismatch in red (where,
 * computed, server), or, when nothing could be compared, each total that could not be read.
 * Totals that could not be read in a report that is otherwise reconciled are listed as
 * "Not checked" rows, not in red.
 *
 * Every total is written twice: as a number cell (to sum, chart and compare) and as the exact
 * decimal text (column "coins (exact)"), because a double cannot hold every decimal.
 *
 * Layout: label rows use columns A (label) and B (value); the totals tables use A name,
 * B id, C parent (name), D parent id, E items, F coins, G coins (exact): names first, as a
 * reader looks for them, ids in columns wide enough for a whole id. Tests and readers find
 * rows by the text in column A (the name; charge types and "Grand total" are names too).
 * "Generated at (UTC)" is a date-time cell.
 *
 * Printing: landscape, one page wide, the title lines repeated at the top of every page, and
 * the print area set to the written rows (see xlsx_print.ts).
 *
 * @module
 */

import type { Cell, Row, Style, Workbook, Worksheet } from "exceljs";
import { redactUrl } from "../../client/redact.ts";
import type { ChargeReport, Total } from "../charges/model.ts";
import { pbpInWords, periodDatesInWords, perUnitPeriodNote } from "../charges/periods.ts";
import { parseUtcTimestamp, STYLES, textValue } from "./xlsx_cells.ts";
import { PRINT_HEADER_FOOTER, printPageSetup, setPrintArea } from "./xlsx_print.ts";
import { writeMoneySection } from "./xlsx_money.ts";

/** The line shown near the top of the Summary of every sandbox report. */
export const SANDBOX_MARKER = "SANDBOX DATA — not real billing data";
/** The red line under the title of the Summary of a report that is not reconciled. */
export const UNRECONCILED_MARKER =
  "UNRECONCILED — these totals do not agree with the Account Server's";
/** Label of the grand-total row in the Summary. */
export const GRAND_TOTAL_LABEL = "Grand total";
/** Headers of the totals tables, columns A to G. */
export const TOTALS_HEADERS = [
  "name",
  "id",
  "parent",
  "parent id",
  "items",
  "coins",
  "coins (exact)",
];
/** Widths of columns A to G: names, then ids (40 to 44 characters) in full. */
const WIDTHS = [36, 46, 30, 46, 9, 16, 20];

type Value = string | number | Date | null;

/** Adds the Summary sheet to `workbook`, fills it and commits it. */
export function writeSummarySheet(
  workbook: Workbook,
  report: ChargeReport,
  detailSheets: readonly string[],
): void {
  // The title and its warnings are repeated at the top of every printed page.
  const titleLines = 1 + (report.reconciliation.ok ? 0 : 1) + (report.sandbox ? 1 : 0);
  const sheet = workbook.addWorksheet("Summary", {
    pageSetup: printPageSetup(titleLines),
    headerFooter: PRINT_HEADER_FOOTER,
  });
  WIDTHS.forEach((width, i) => sheet.getColumn(i + 1).width = width);
  // The print area covers every row and column written (other sections may be wider).
  let lastRow = 0;
  let lastColumn = TOTALS_HEADERS.length;
  const put = (values: Value[], styles: (Partial<Style> | undefined)[] = []) => {
    lastRow = writeRow(sheet, values, styles).number;
    lastColumn = Math.max(lastColumn, values.length);
  };

  put([summaryTitle(report)], [STYLES.title]);
  if (!report.reconciliation.ok) put([UNRECONCILED_MARKER], [STYLES.warning]);
  if (report.sandbox) put([SANDBOX_MARKER], [STYLES.warning]);
  put([]);
  const label = (name: string, value: Value, style?: Partial<Style>) =>
    put([name, value], [
      STYLES.label,
      style ?? (typeof value === "number" ? STYLES.leftInteger : undefined),
    ]);
  label("Scope", report.scope);
  label("Scope id", report.scopeId);
  label("Scope name", report.scopeName);
  label("Period", report.period.label);
  label("Dates", periodDatesInWords(report.period));
  const pbp = pbpInWords(report.period.pbp);
  if (pbp) label("Prior billing period", pbp);
  const note = perUnitPeriodNote(report.period);
  if (note) label("Billing days", note);
  const generated = parseUtcTimestamp(report.generatedAt);
  if (generated) label("Generated at (UTC)", generated.date, STYLES.leftDateTime);
  else label("Generated at (UTC)", report.generatedAt);
  label("Source", redactUrl(report.sourceUrl));
  label("Detail rows", report.rowCount);
  label("Detail sheets", detailSheets.join(", "));
  writeReconciliation(put, report.reconciliation);
  label(
    "Coins",
    'Coins cells are numbers shown with 2 to 4 decimals; "coins (exact)" and ' +
      '"coins_exact" hold them exactly as the server sent them',
  );

  const t = report.totals;
  section(put, "Totals by charge type");
  for (const [type, total] of Object.entries(t.byChargeType)) {
    put(totalRow(type, "", "", "", total), TOTAL_STYLES);
  }
  put(totalRow(GRAND_TOTAL_LABEL, "", "", "", t.grand), BOLD_TOTAL_STYLES);
  section(put, "Totals by organisation");
  for (const [id, total] of Object.entries(t.byOrganisation)) {
    put(totalRow(total.name, id, "", "", total), TOTAL_STYLES);
  }
  section(put, "Totals by unit");
  for (const [id, total] of Object.entries(t.byUnit)) {
    const parent = t.byOrganisation[total.organisationId]?.name ?? "";
    put(totalRow(total.name, id, parent, total.organisationId, total), TOTAL_STYLES);
  }
  section(put, "Totals by product");
  for (const [id, total] of Object.entries(t.byProduct)) {
    const parent = t.byUnit[total.unitId]?.name ?? "";
    put(totalRow(total.name, id, parent, total.unitId, total), TOTAL_STYLES);
  }
  if (report.pricing) writeMoneySection(put, report.pricing); // priced reports (--rates)
  setPrintArea(sheet, lastColumn, lastRow);
  sheet.commit();
}

type Put = (values: Value[], styles?: (Partial<Style> | undefined)[]) => void;

/** The "Reconciliation" row, then each mismatch (red), then what could not be checked. */
function writeReconciliation(put: Put, rec: ChargeReport["reconciliation"]): void {
  const unchecked = rec.unchecked === undefined ? [] : rec.unchecked;
  let verdict: string;
  if (rec.mismatches.length > 0) {
    verdict = `MISMATCH: ${rec.mismatches.length} of ${rec.checked} checks disagree with the ` +
      `server's totals (each listed below)`;
  } else if (!rec.ok) {
    verdict = `NOT RECONCILED: no total could be compared with the server's (see "Not checked")`;
  } else {
    verdict = `OK: all ${rec.checked} checks agree with the server's totals` +
      (unchecked.length > 0 ? `; some totals could not be read (see "Not checked")` : "");
  }
  put(["Reconciliation", verdict], [STYLES.label, rec.ok ? undefined : STYLES.alert]);
  if (rec.mismatches.length > 0) {
    put(["Mismatch: where", "computed (exact)", "server (exact)"], [
      STYLES.alert,
      STYLES.alert,
      STYLES.alert,
    ]);
    for (const m of rec.mismatches) {
      put([m.where, m.computed, m.server], [STYLES.alert, STYLES.alert, STYLES.alert]);
    }
  }
  const style = rec.ok ? undefined : STYLES.alert;
  for (const why of unchecked) put(["Not checked", why], [STYLES.label, style]);
}

/** "Squonk2 charges: unit Chemistry (unit-…)", or "Squonk2 charges: all organisations". */
export function summaryTitle(
  report: Pick<ChargeReport, "scope" | "scopeId" | "scopeName">,
): string {
  if (report.scope === "all") return `Squonk2 charges: ${report.scopeName || "all organisations"}`;
  const id = report.scopeId ? ` (${report.scopeId})` : "";
  return `Squonk2 charges: ${report.scope} ${report.scopeName}${id}`;
}

const TOTAL_STYLES = [
  undefined,
  undefined,
  undefined,
  undefined,
  STYLES.integer,
  STYLES.coins,
  STYLES.exact,
];
const BOLD_TOTAL_STYLES = [
  STYLES.label,
  undefined,
  undefined,
  undefined,
  STYLES.boldInteger,
  STYLES.boldCoins,
  STYLES.boldExact,
];
/** Header styles: bold, the number columns' headers right-aligned over their numbers. */
const HEADER_STYLES = TOTALS_HEADERS.map((_, i) => i >= 4 ? STYLES.rightHeader : STYLES.header);

function section(
  put: (values: Value[], styles?: (Partial<Style> | undefined)[]) => void,
  title: string,
): void {
  put([]);
  put([title], [STYLES.title]);
  put(TOTALS_HEADERS, HEADER_STYLES);
}

function totalRow(
  name: string,
  id: string,
  parent: string,
  parentId: string,
  total: Total,
): Value[] {
  const amount = Number(total.coins);
  return [
    name,
    id,
    parent,
    parentId,
    total.items,
    Number.isFinite(amount) ? amount : null,
    total.coins,
  ];
}

function writeRow(sheet: Worksheet, values: Value[], styles: (Partial<Style> | undefined)[]): Row {
  const row = sheet.addRow([]);
  values.forEach((value, i) => setValue(row.getCell(i + 1), value, styles[i]));
  row.commit();
  return row;
}

function setValue(cell: Cell, value: Value, style: Partial<Style> | undefined): void {
  cell.value = typeof value === "string" ? textValue(value) : value;
  if (style) cell.style = style;
}

/**
 * The XLSX baseline of the writer benchmark: exceljs's document mode, the way most code
 * writes a workbook (`new ExcelJS.Workbook()`, every row in memory, then
 * `workbook.xlsx.writeBuffer()`). It uses the project's own sheet functions, so the cells,
 * styles and Summary sheet are the same as the streaming writer's; only the mode differs.
 *
 * @module
 */

import ExcelJS from "exceljs";
import type { ChargeReport } from "../../reports/charges/model.ts";
import {
  detailColumns,
  detailSheetOptions,
  writeDetailHeader,
  writeDetailRow,
} from "../../reports/writers/xlsx_detail.ts";
import { writeSummarySheet } from "../../reports/writers/xlsx_summary.ts";

/** Builds the whole workbook in memory, then writes its bytes into `sink` and closes it. */
export async function writeDocumentXlsx(
  report: ChargeReport,
  sink: WritableStream<Uint8Array>,
): Promise<{ rows: number; bytes: number }> {
  const workbook = new ExcelJS.Workbook();
  // The sheet functions commit sheets as the streaming writer needs; a document-mode sheet
  // has no commit (it is written as a whole at the end), so give it one that does nothing.
  const addWorksheet = workbook.addWorksheet.bind(workbook);
  workbook.addWorksheet = (...args: Parameters<typeof addWorksheet>) =>
    Object.assign(addWorksheet(...args), { commit() {} });
  writeSummarySheet(workbook, report, ["Detail"]);
  const columns = detailColumns(report);
  const sheet = workbook.addWorksheet(
    "Detail",
    detailSheetOptions({ rows: report.rowCount, columns }),
  );
  writeDetailHeader(sheet, columns);
  let rows = 0;
  for await (const row of report.rows) {
    writeDetailRow(sheet, row, columns);
    rows++;
  }
  const buffer = await workbook.xlsx.writeBuffer();
  const bytes = new Uint8Array(buffer as ArrayBuffer);
  const writer = sink.getWriter();
  await writer.write(bytes);
  await writer.close();
  return { rows, bytes: bytes.byteLength };
}

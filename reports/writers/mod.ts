/**
 * Writers: a charge report as CSV, XLSX or FOCUS 1.2 CSV, streamed to a sink or written to files
 * atomically under conventional file names.
 *
 * @module
 */

export {
  contentType,
  DEFAULT_OUT_DIR,
  type ExportOptions,
  exportReportsToFiles,
  exportToFiles,
  formatExtension,
  parseFormats,
  type RenderOptions,
  renderReport,
  renderToBytes,
  REPORT_FORMATS,
  reportFileName,
  type ReportFormat,
  type WrittenFile,
} from "./export.ts";
export { FOCUS_WARNING_HEADER, type FocusWriteOptions, writeChargesFocus } from "./focus.ts";
export {
  FOCUS_COLUMNS,
  FOCUS_VERSION,
  type FocusColumn,
  type FocusContext,
} from "./focus_columns.ts";
export { type CsvWriteOptions, writeChargesCsv } from "./csv.ts";
export { writeChargesXlsx, type XlsxWriteOptions } from "./xlsx.ts";
export { chargesFileName } from "./file_name.ts";
export { writeFileAtomically } from "./atomic_file.ts";

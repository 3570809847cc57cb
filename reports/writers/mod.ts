/**
 * Writers: a charge report as CSV or XLSX, streamed to a sink or written to files
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
  parseFormats,
  type RenderOptions,
  renderReport,
  renderToBytes,
  REPORT_FORMATS,
  type ReportFormat,
  type WrittenFile,
} from "./export.ts";
export { type CsvWriteOptions, writeChargesCsv } from "./csv.ts";
export { writeChargesXlsx, type XlsxWriteOptions } from "./xlsx.ts";
export { chargesFileName } from "./file_name.ts";
export { writeFileAtomically } from "./atomic_file.ts";

/**
 * The report store: where generated reports are kept (a directory, or Deno KV on Deno
 * Deploy), and how a report is stored under its conventional name.
 *
 * @module
 */

export {
  isSafeReportName,
  type OpenReportStore,
  type ReportStore,
  STALE_TEMPORARY_MS,
  type StoreCleanUpOptions,
  type StoredFormat,
  type StoredReport,
  type StoredReportBody,
  type StoredReportInput,
  storedReportName,
  type StorePutOptions,
} from "./types.ts";
export { openReportStore } from "./open.ts";
export { openDirectoryStore } from "./dir.ts";
export {
  createKvStore,
  type KvReportStore,
  type KvStoreMarker,
  type KvStoreOptions,
} from "./kv.ts";
export { ASSIGN_KV_HINT, type DurabilityOptions, verifyDurableStore } from "./durable.ts";
export { storedInputOf, storedNameOf, storeReport, storeReports } from "./report.ts";

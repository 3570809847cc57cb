/**
 * The report store: where generated reports are kept (a directory, or Deno KV on Deno
 * Deploy), and how a report is stored under its conventional name.
 *
 * @module
 */

export * from "./open.ts";
export { storedInputOf, storedNameOf, storeReport, storeReports } from "./report.ts";

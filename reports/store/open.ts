/**
 * The report store: where `deno task charges --store`, the scheduled job and the report
 * server keep generated reports. One interface ({@link ReportStore}), two implementations:
 * a directory (default for scripts and local servers) and Deno KV (for Deno Deploy).
 *
 * @example Store a report unless it is there already, then list the store
 * ```ts
 * import {
 *   type ChargeReport,
 *   openReportStore,
 *   storedNameOf,
 *   storeReport,
 * } from "@squonk2/billing/reports";
 *
 * declare const report: ChargeReport; // e.g. from collectCharges
 * const store = await openReportStore("reports-out"); // or "kv" on Deno Deploy
 * try {
 *   if (!(await store.has(storedNameOf(report, "xlsx")))) {
 *     await storeReport(store, report, { format: "xlsx" });
 *   }
 *   for (const r of await store.list()) console.log(r.name, r.totalCoins);
 * } finally {
 *   store.close();
 * }
 * ```
 *
 * @module
 */

import { UsageError } from "../../client/errors.ts";
import { openDirectoryStore } from "./dir.ts";
import { createKvStore } from "./kv.ts";
import type { OpenReportStore } from "./types.ts";

export * from "./types.ts";
export { openDirectoryStore } from "./dir.ts";
export { createKvStore, KV_CHUNK_SIZE, type KvReportStore, type KvStoreOptions } from "./kv.ts";

/**
 * Opens a report store from a spec: `"kv"` (the default Deno KV database, as on Deno
 * Deploy), `"kv:PATH"` (a KV database file; `"kv::memory:"` for an in-memory one), or a
 * directory path (created when missing).
 *
 * @throws {UsageError} when the spec is empty.
 */
export async function openReportStore(spec: string): Promise<OpenReportStore> {
  const text = spec.trim();
  if (!text) throw new UsageError(`Cannot open report store "${spec}": give a directory or "kv"`);
  if (text === "kv" || text.startsWith("kv:")) {
    const path = text === "kv" ? undefined : text.slice(3);
    if (path === "") {
      throw new UsageError(`Cannot open report store "${spec}": add a path after "kv:"`);
    }
    if (typeof Deno.openKv !== "function") {
      throw new UsageError(
        `Cannot open report store "${spec}": Deno KV is unavailable, run with --unstable-kv`,
      );
    }
    let kv: Deno.Kv;
    try {
      kv = await Deno.openKv(path);
    } catch (error) {
      // Deno's own text ("unable to open database file") names neither the setting nor the fix.
      throw new UsageError(
        `Cannot open report store "${spec}": ${
          error instanceof Error ? error.message : String(error)
        }; check that the folder of the database file exists and is writable`,
        { cause: error },
      );
    }
    return createKvStore(kv, { location: text });
  }
  return await openDirectoryStore(text);
}

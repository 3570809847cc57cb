/**
 * Putting a collected {@link ChargeReport} into a report store: its metadata, and its bytes
 * rendered straight into the store (nothing holds the whole file). Used by
 * `deno task charges --store` and by the scheduled job.
 *
 * @module
 */

import { StoreError } from "../../client/errors.ts";
import { join } from "node:path";
import { renderReport, type ReportFormat, type WrittenFile } from "../writers/export.ts";
import type { ChargeReport } from "../charges/model.ts";
import { openReportStore } from "./open.ts";
import {
  type ReportStore,
  type StoredReport,
  type StoredReportInput,
  storedReportName,
} from "./types.ts";

/**
 * The store metadata of `report` rendered as `format`. The organisation is named when the
 * report covers exactly one.
 */
export function storedInputOf(report: ChargeReport, format: ReportFormat): StoredReportInput {
  const orgs = Object.entries(report.totals.byOrganisation);
  const org = orgs.length === 1 ? { id: orgs[0][0], name: orgs[0][1].name } : undefined;
  return {
    scope: report.scope,
    scopeId: report.scopeId,
    scopeName: report.scopeName,
    organisationId: org?.id,
    organisationName: org?.name,
    period: {
      from: report.period.from,
      until: report.period.until,
      ...(report.period.pbp === undefined ? {} : { pbp: report.period.pbp }),
      ...(report.period.month === undefined ? {} : { month: report.period.month }),
      label: report.period.label,
    },
    format,
    rowCount: report.rowCount,
    totalCoins: report.totals.grand.coins,
    sandbox: report.sandbox,
    reconciled: report.reconciliation.ok,
    created: report.generatedAt,
  };
}

/** The store name `report` gets as `format` (for `has()` before collecting again). */
export function storedNameOf(report: ChargeReport, format: ReportFormat): string {
  return storedReportName(storedInputOf(report, format));
}

/**
 * Renders `report` as `format` into `store`. A rendering failure aborts the put, so the
 * report is never listed half-written.
 *
 * @throws {StoreError} when the store fails; the rendering error when rendering fails.
 */
export async function storeReport(
  store: ReportStore,
  report: ChargeReport,
  options: {
    format: ReportFormat;
    bom?: boolean;
    /** Abandons the put: the store removes what it took so far, nothing is listed. */
    signal?: AbortSignal;
  },
): Promise<StoredReport> {
  const { readable: output, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const rendering = renderReport(report, options.format, writable, { bom: options.bom });
  // Through a pipe that the signal can abort: the store's read then fails and it cleans up.
  const readable = options.signal
    ? output.pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), {
      signal: options.signal,
    })
    : output;
  const putting = store.put(storedInputOf(report, options.format), readable);
  // A put that fails before reading everything must not leave the renderer blocked on a
  // full stream: cancel it, so the rendering fails too and both settle.
  putting.catch((error) => readable.cancel(error).catch(() => {}));
  const [rendered, put] = await Promise.allSettled([rendering, putting]);
  if (rendered.status === "rejected") {
    // The put failed too (its stream errored); the rendering error says why.
    await putting.catch(() => {});
    throw rendered.reason;
  }
  if (put.status === "rejected") {
    throw put.reason instanceof StoreError
      ? put.reason
      : new StoreError(`Cannot store report: ${String(put.reason)}`, { cause: put.reason });
  }
  return put.value;
}

/**
 * Opens the store `spec` (a directory, `kv` or `kv:PATH`), stores every report in every
 * format, closes the store, and describes each stored report like a written file (report
 * by report, one per format), so scripts print them as they print files. `path` is the
 * file's path for a directory store, `<spec>#<name>` for KV.
 */
export async function storeReports(
  spec: string,
  reports: readonly ChargeReport[],
  options: { formats: readonly ReportFormat[]; bom?: boolean },
): Promise<WrittenFile[]> {
  const store = await openReportStore(spec);
  try {
    const out: WrittenFile[] = [];
    const kv = store.location === "kv" || store.location.startsWith("kv:");
    for (const report of reports) {
      for (const format of options.formats) {
        const stored = await storeReport(store, report, { format, bom: options.bom });
        const path = kv ? `${store.location}#${stored.name}` : join(store.location, stored.name);
        out.push({ path, format, bytes: stored.size });
      }
    }
    return out;
  } finally {
    store.close();
  }
}

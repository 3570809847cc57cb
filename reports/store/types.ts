/**
 * The report store's contract: what a stored report says about itself, how it is named,
 * and the one interface both stores (a directory, Deno KV) implement.
 *
 * @module
 */

import { addDays } from "../../client/dates.ts";
import { StoreError } from "../../client/errors.ts";
import type { ScopeKind } from "../charges/model.ts";

/**
 * The file formats a stored report can have (`focus`: a FOCUS 1.2 CSV, stored as
 * `..._focus.csv`).
 */
export type StoredFormat = "csv" | "xlsx" | "focus";

/** What the writer of a report knows about it before it is stored. */
export interface StoredReportInput {
  /** What the report covers. */
  scope: ScopeKind;
  /** Id of the organisation, unit or product; empty for `all`. */
  scopeId: string;
  /** Name of the organisation, unit or product. */
  scopeName: string;
  /** The organisation the scope belongs to, when known. */
  organisationId?: string;
  /** Its name, when known. */
  organisationName?: string;
  /**
   * The period: `from` inclusive, `until` exclusive (UTC `YYYY-MM-DD`), `pbp` when used,
   * `month` (`YYYY-MM`) for a calendar month.
   */
  period: { from: string; until: string; pbp?: number; label?: string; month?: string };
  /** File format. */
  format: StoredFormat;
  /** Number of detail rows. */
  rowCount: number;
  /** Grand total of coins, an exact decimal string. */
  totalCoins: string;
  /** True when the data came from the sandbox. */
  sandbox: boolean;
  /**
   * Whether the report's totals agreed with the Account Server's own. `false` only for a
   * report stored on purpose with a stated mismatch (`charges --store --allow-mismatch`):
   * the scheduled job does not count it as stored and replaces it once the totals agree.
   * Absent in reports stored before this field existed.
   */
  reconciled?: boolean;
  /** When the report was generated (ISO 8601 UTC); defaults to the time of `put`. */
  created?: string;
  /**
   * The file name offered when the report is downloaded, when it differs from its store
   * name (the report server's render cache stores files under names made from cache keys).
   */
  downloadName?: string;
}

/** A report as listed by a store: its input metadata plus what the store measured. */
export interface StoredReport extends StoredReportInput {
  /** The report's file name in the store (see {@link storedReportName}). */
  name: string;
  /** ISO 8601 UTC. */
  created: string;
  /** Size in bytes. */
  size: number;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
}

/** A stored report's metadata and a stream of its bytes. */
export interface StoredReportBody {
  /** The report's metadata, as listed. */
  meta: StoredReport;
  /** Its bytes; read to the end or cancel it. */
  body: ReadableStream<Uint8Array>;
}

/**
 * One interface, two stores. A report appears in {@link ReportStore.list} only once it was
 * written completely: its metadata is committed last.
 */
export interface ReportStore {
  /**
   * Stores a report under {@link storedReportName}`(meta)` (or `options.name`, which must
   * pass {@link isSafeReportName}), replacing one of the same name.
   */
  put(
    meta: StoredReportInput,
    bytes: Uint8Array | ReadableStream<Uint8Array>,
    options?: StorePutOptions,
  ): Promise<StoredReport>;
  /** Every complete report, newest first. */
  list(): Promise<StoredReport[]>;
  /** A report and its bytes, or `null` when no complete report has that name. */
  get(name: string): Promise<StoredReportBody | null>;
  /** True when a complete report of that name exists. */
  has(name: string): Promise<boolean>;
  /** Removes temporary data left by killed runs; see {@link OpenReportStore.cleanUp}. */
  cleanUp?(): Promise<number>;
  /**
   * True when `get` streams the bytes straight from a file (the directory store): Deno
   * serves such a stream natively, measured about 3 times faster than the same bytes held
   * in memory, so a cache in front of this store need not keep them in memory.
   */
  readonly fileBacked?: boolean;
  /**
   * A separate store in the same place, never listed with this one: a hidden
   * subdirectory `.<area>` of a directory store, or the key prefix `<prefix>:<area>` of a
   * KV store. The report server keeps its render cache in the area `render-cache`. The
   * caller closes it (for KV the database stays open until this store is closed).
   */
  area?(area: string): Promise<OpenReportStore>;
}

/** Options of {@link ReportStore.put}. */
export interface StorePutOptions {
  /** Store under this name instead of {@link storedReportName}`(meta)`. */
  name?: string;
}

/** The names {@link ReportStore.area} accepts: lower-case letters, digits and `-`. */
export const STORE_AREA = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * How long a store's temporary data may go untouched before a later run removes it, in
 * milliseconds: one hour.
 *
 * A live `put` touches its temporary data all the time (it renders from rows already in
 * memory: the directory store writes its temporary file chunk by chunk, the KV store
 * refreshes its upload record with every batch of chunks), so anything untouched for an
 * hour was left by a run that was killed or crashed. The margin is wide on purpose: another
 * process (the scheduled job beside `charges --store`, or a second Deno Deploy isolate) may
 * be writing into the same store, on a slow disk or a busy KV, and removing its data
 * mid-write would fail that put. The cost is that a leftover stays up to an hour longer.
 */
export const STALE_TEMPORARY_MS = 60 * 60_000;

/** Options of the clean-up of temporaries, shared by both stores. */
export interface StoreCleanUpOptions {
  /** Temporaries untouched for longer are removed. @default STALE_TEMPORARY_MS */
  staleAfterMs?: number;
  /** The clock, in epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** A store opened by `openReportStore`, to be closed when done. */
export interface OpenReportStore extends ReportStore {
  /** Where the store lives, for messages (a directory path, or `kv` / `kv:PATH`). */
  readonly location: string;
  /**
   * Removes this store's own temporary data left by killed runs (untouched for longer than
   * {@link STALE_TEMPORARY_MS}) and resolves to how many pieces it removed (files, or KV
   * chunks). Each store also runs it once by itself, before its first `put`.
   */
  cleanUp(): Promise<number>;
  /** Releases the store (closes the KV database; no-op for a directory). */
  close(): void;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}\.(csv|xlsx)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True when `name` is a name this project's stores could have produced (no paths, no tricks). */
export function isSafeReportName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes("..");
}

/** Keeps letters, digits, `-` and `_`; everything else becomes `_`. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80) || "all";
}

/**
 * The deterministic store name of a report:
 * `charges_<scope>_<id>_<from>_to_<last day>[_sandbox].<format>`, or, for a calendar month
 * (`period.month`), `charges_<scope>_<id>_month_<YYYY-MM>[_sandbox].<format>`.
 *
 * The name uses the period's inclusive last day, as finance reads file names (the metadata
 * keeps `until` exclusive). It does not contain `pbp`: the same period asked for by `pbp`
 * today and by dates later is the same report, so `has()` works as an idempotency check.
 *
 * @example
 * ```ts
 * import { storedReportName } from "@squonk2/billing/reports";
 *
 * storedReportName({
 *   scope: "unit",
 *   scopeId: "unit-1",
 *   period: { from: "2026-10-03", until: "2026-11-03" },
 *   format: "csv",
 *   sandbox: false,
 * });
 * // "charges_unit_unit-1_2026-10-03_to_2026-11-02.csv"
 * ```
 */
export function storedReportName(
  meta: Pick<StoredReportInput, "scope" | "scopeId" | "period" | "format" | "sandbox">,
): string {
  const { from, until } = meta.period;
  if (!DATE.test(from) || !DATE.test(until)) {
    throw new StoreError(
      `Cannot name a report for period "${from}" to "${until}": use YYYY-MM-DD dates`,
    );
  }
  if (meta.format !== "csv" && meta.format !== "xlsx" && meta.format !== "focus") {
    throw new StoreError(`Cannot store format "${meta.format}": use "csv", "xlsx" or "focus"`);
  }
  const id = meta.scope === "all" ? "all" : slug(meta.scopeId);
  const sandbox = meta.sandbox ? "_sandbox" : "";
  const ext = meta.format === "focus" ? "_focus.csv" : `.${meta.format}`;
  // A calendar month is named by its month, so that it is never taken for a billing period.
  const month = meta.period.month;
  if (month !== undefined && /^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    return `charges_${meta.scope}_${id}_month_${month}${sandbox}${ext}`;
  }
  return `charges_${meta.scope}_${id}_${from}_to_${addDays(until, -1)}${sandbox}${ext}`;
}

/**
 * The name a put stores under: `options.name` when given (it must pass
 * {@link isSafeReportName}), else {@link storedReportName}`(meta)`.
 *
 * @throws {StoreError} for an unsafe name or an unnameable report.
 */
export function putName(meta: StoredReportInput, options: StorePutOptions = {}): string {
  if (options.name === undefined) return storedReportName(meta);
  if (!isSafeReportName(options.name)) {
    throw new StoreError(
      `Cannot store a report as "${options.name}": use letters, digits, "_", "-" and "." ending in .csv or .xlsx`,
    );
  }
  return options.name;
}

/**
 * Checks the name of a store area ({@link ReportStore.area}).
 *
 * @throws {StoreError} when it is not lower-case letters, digits and `-`.
 */
export function checkArea(area: string): string {
  if (!STORE_AREA.test(area)) {
    throw new StoreError(
      `Cannot open store area "${area}": use lower-case letters, digits and "-"`,
    );
  }
  return area;
}

/** Content type of a stored format. */
export function contentTypeOf(format: StoredFormat): string {
  return format === "xlsx"
    ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    : "text/csv; charset=utf-8";
}

/**
 * Reads stored metadata back, or returns `null` when it is not a complete, well-formed
 * record for `name` (so a damaged sidecar never shows up as a report).
 */
export function parseStoredMeta(value: unknown, name: string): StoredReport | null {
  if (!value || typeof value !== "object") return null;
  const m = value as Partial<StoredReport>;
  const ok = m.name === name && isSafeReportName(name) &&
    typeof m.scope === "string" && typeof m.scopeId === "string" &&
    typeof m.scopeName === "string" &&
    (m.format === "csv" || m.format === "xlsx" || m.format === "focus") &&
    typeof m.size === "number" && typeof m.sha256 === "string" &&
    typeof m.created === "string" && typeof m.rowCount === "number" &&
    typeof m.totalCoins === "string" && typeof m.sandbox === "boolean" &&
    (m.reconciled === undefined || typeof m.reconciled === "boolean") &&
    (m.downloadName === undefined || typeof m.downloadName === "string") &&
    !!m.period && typeof m.period.from === "string" && typeof m.period.until === "string";
  return ok ? m as StoredReport : null;
}

/** Newest first, then by name. */
export function byNewest(a: StoredReport, b: StoredReport): number {
  return b.created.localeCompare(a.created) || a.name.localeCompare(b.name);
}

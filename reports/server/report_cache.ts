/**
 * The report server's cache of rendered reports: files of closed periods, rendered once
 * and answered from here afterwards. Two layers, both owned by one server instance:
 *
 * - memory: the most recently used files, bounded by bytes (a file larger than a quarter
 *   of the bound is never kept in memory);
 * - a store (optional): a report store area (`<store>/.render-cache`, or a KV prefix), so
 *   that files survive a restart and are shared by every instance using the same store.
 *   A directory store's files are answered straight from disk and not kept in memory:
 *   Deno sends a file stream natively, measured about 3 times faster than bytes held in
 *   memory (the OS keeps hot files in its page cache anyway).
 *
 * Entries are looked up by an opaque key (a SHA-256 of everything that changes the bytes;
 * see reports/server/download_cache.ts) and never change: a key is written once, and a
 * second render of the same key (two first requests at once) replaces it with the same
 * content. Saving never fails a download: a store error is logged and the file is simply
 * not cached.
 *
 * @module
 */

import { createHash } from "node:crypto";
import {
  contentTypeOf,
  type ReportStore,
  type StoredFormat,
  type StoredReportInput,
} from "../store/types.ts";

/** What a cached file says about itself, for the response headers. */
export interface CachedReportInfo {
  /** File name offered on download. */
  fileName: string;
  /** Content type. */
  contentType: string;
  /** The stored format (the file's extension). */
  format: StoredFormat;
  /** `X-Report-Rows`. */
  rows: number;
  /** `X-Report-Total-Coins`. */
  totalCoins: string;
  /** `X-Report-Sandbox`. */
  sandbox: boolean;
}

/** A cached file: its description, strong validator, size and bytes. */
export interface CachedReport extends CachedReportInfo {
  /** The strong `ETag`: the quoted SHA-256 of the bytes. */
  etag: string;
  /** Size in bytes (`Content-Length`). */
  size: number;
  /** The bytes, in memory or as a stream to read once. */
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
}

/** The metadata kept with a file in the store, beside what {@link CachedReportInfo} says. */
export type CacheStoreInput = Omit<StoredReportInput, "format" | "downloadName" | "sandbox">;

/** Options of {@link createReportCache}. */
export interface ReportCacheOptions {
  /** Bytes kept in memory; 0 keeps nothing in memory. */
  memoryBytes: number;
  /** The store layer, opened on first use; resolves to `undefined` for memory only. */
  store?: () => Promise<ReportStore | undefined>;
  /** Where a failure to read or save is logged. */
  log: (line: string) => void;
}

/** The cache of rendered reports; see the module documentation. */
export interface ReportCache {
  /**
   * The cached file of `key` (rendered as `format`), or `null`. Waits for a save of `key`
   * in progress first.
   */
  lookup(key: string, format: StoredFormat): Promise<CachedReport | null>;
  /**
   * Reads `body` to the end and keeps it under `key` (in memory when it fits, and in the
   * store). Never rejects; resolves to whether the file was kept anywhere.
   */
  save(
    key: string,
    info: CachedReportInfo,
    meta: CacheStoreInput,
    body: ReadableStream<Uint8Array>,
  ): Promise<boolean>;
  /** Bytes held in memory now. */
  readonly memoryBytes: number;
}

interface MemoryEntry extends CachedReportInfo {
  etag: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** The store name of a key: safe for both stores, and not a name the archive would list. */
export function cacheStoreName(key: string, format: StoredFormat): string {
  return `rc_${key.slice(0, 48)}${
    format === "xlsx" ? ".xlsx" : format === "csv" ? ".csv" : `_${format}.csv`
  }`;
}

/** Creates an empty cache; see {@link ReportCache}. */
export function createReportCache(options: ReportCacheOptions): ReportCache {
  const limit = Math.max(0, options.memoryBytes);
  const entryLimit = Math.floor(limit / 4);
  const memory = new Map<string, MemoryEntry>();
  const saving = new Map<string, Promise<boolean>>();
  let held = 0;
  let storePromise: Promise<ReportStore | undefined> | undefined;

  const store = (): Promise<ReportStore | undefined> => {
    storePromise ??= (options.store?.() ?? Promise.resolve(undefined)).catch((error) => {
      options.log(
        `serve: render cache store unavailable, caching in memory only: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return undefined;
    });
    return storePromise;
  };

  function remember(key: string, entry: MemoryEntry): void {
    if (entry.bytes.byteLength > entryLimit) return;
    forget(key);
    memory.set(key, entry);
    held += entry.bytes.byteLength;
    while (held > limit) {
      const oldest = memory.keys().next().value as string;
      forget(oldest);
    }
  }

  function forget(key: string): void {
    const old = memory.get(key);
    if (old) {
      memory.delete(key);
      held -= old.bytes.byteLength;
    }
  }

  async function fromStore(key: string, format: StoredFormat): Promise<CachedReport | null> {
    const s = await store();
    if (!s) return null;
    const keepInMemory = !s.fileBacked;
    const found = await s.get(cacheStoreName(key, format)).catch(() => null);
    if (!found) return null;
    const { meta, body } = found;
    if (meta.downloadName === undefined || meta.format !== format) {
      await body.cancel();
      return null;
    }
    const info: CachedReportInfo = {
      fileName: meta.downloadName,
      contentType: contentTypeOf(meta.format),
      format: meta.format,
      rows: meta.rowCount,
      totalCoins: meta.totalCoins,
      sandbox: meta.sandbox,
    };
    const etag = `"${meta.sha256}"`;
    if (!keepInMemory || meta.size > entryLimit) return { ...info, etag, size: meta.size, body };
    const bytes = await readAll(body, meta.size);
    if (!bytes) return null;
    remember(key, { ...info, etag, bytes });
    return { ...info, etag, size: bytes.byteLength, body: bytes };
  }

  async function lookup(key: string, format: StoredFormat): Promise<CachedReport | null> {
    const pending = saving.get(key);
    if (pending) await pending;
    const hit = memory.get(key);
    if (hit) {
      // Most recently used last.
      memory.delete(key);
      memory.set(key, hit);
      return { ...hit, size: hit.bytes.byteLength, body: hit.bytes };
    }
    return await fromStore(key, format);
  }

  async function keep(
    key: string,
    info: CachedReportInfo,
    meta: CacheStoreInput,
    body: ReadableStream<Uint8Array>,
  ): Promise<boolean> {
    const s = await store();
    // Collect the bytes for memory while they pass, unless they outgrow an entry (or the
    // store answers from files, which is faster than memory).
    const pieces: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    let collecting = entryLimit > 0 && !s?.fileBacked;
    const hash = createHash("sha256");
    const tap = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        hash.update(chunk);
        if (collecting) {
          if (size > entryLimit) {
            collecting = false;
            pieces.length = 0;
          } else pieces.push(chunk.slice()); // a copy: a writer may reuse its buffers
        }
        controller.enqueue(chunk);
      },
    });
    const passed = body.pipeThrough(tap);
    let etag: string;
    if (s) {
      const stored = await s.put(
        { ...meta, format: info.format, downloadName: info.fileName, sandbox: info.sandbox },
        passed,
        { name: cacheStoreName(key, info.format) },
      );
      etag = `"${stored.sha256}"`;
    } else {
      if (!collecting) {
        await body.cancel().catch(() => {});
        return false;
      }
      for await (const _ of passed) {
        if (!collecting) break;
      }
      if (!collecting) return false;
      etag = `"${hash.digest("hex")}"`;
    }
    if (collecting) remember(key, { ...info, etag, bytes: concat(pieces, size) });
    return true;
  }

  return {
    lookup,
    save(key, info, meta, body) {
      const running = keep(key, info, meta, body).catch((error) => {
        options.log(
          `serve: could not cache ${info.fileName}: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
        return false;
      }).finally(() => {
        if (saving.get(key) === running) saving.delete(key);
      });
      saving.set(key, running);
      return running;
    },
    get memoryBytes() {
      return held;
    },
  };
}

/** Reads `body` whole; `null` when it does not have `size` bytes. */
async function readAll(
  body: ReadableStream<Uint8Array>,
  size: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const out = new Uint8Array(size);
  let at = 0;
  try {
    for await (const chunk of body) {
      if (at + chunk.byteLength > size) return null;
      out.set(chunk, at);
      at += chunk.byteLength;
    }
  } catch {
    return null;
  }
  return at === size ? out : null;
}

function concat(
  pieces: readonly Uint8Array<ArrayBuffer>[],
  size: number,
): Uint8Array<ArrayBuffer> {
  if (pieces.length === 1 && pieces[0].byteLength === size) return pieces[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Charge rows kept in a temporary file instead of memory ({@link createRowSpool}), so that
 * an export's memory stays bounded whatever its row count: collection appends each
 * product's rows as its answer arrives (one compact segment each), and the writers read
 * the segments back, in report order, once per format.
 *
 * The file holds charge rows only (no token, no URL, no credential), is created readable
 * by its owner only, and is removed from its directory as soon as it is open (on POSIX
 * systems), so that nothing is left behind whatever ends the process: success, failure,
 * Ctrl-C or a kill. Where an open file cannot be removed (Windows), it is removed on
 * {@link RowSpool.close}.
 *
 * A segment is one line of JSON: the row keys, the values every row of the segment shares
 * (e.g. a product's ids and names, written once), and the other values row by row.
 *
 * @module
 */

import { BillingError } from "../../client/errors.ts";
import type { ChargeRow } from "./model.ts";

/** Where a segment lies in the spool file. */
export interface SpoolSegment {
  /** Byte offset of the segment. */
  offset: number;
  /** Its length in bytes (0 for no rows). */
  length: number;
  /** Rows in the segment. */
  rows: number;
}

/** Rows read back from a spool: iterable (synchronously or not) any number of times. */
export type SpooledRows = Iterable<ChargeRow> & AsyncIterable<ChargeRow>;

/** Charge rows in a temporary file; see the module documentation. */
export interface RowSpool extends AsyncDisposable {
  /**
   * Appends `rows` as one segment and resolves once they are in the file. Appends are
   * written in the order they are called.
   *
   * @throws {TypeError} when a row holds something other than text, a finite number or a
   * boolean (nothing else is a charge row's value).
   * @throws {BillingError} when the file cannot be written (e.g. the disk is full).
   */
  append(rows: readonly ChargeRow[]): Promise<SpoolSegment>;
  /** The rows of `segments`, in that order, read from the file on every iteration. */
  rows(segments: readonly SpoolSegment[]): SpooledRows;
  /** Bytes written so far. */
  bytes(): number;
  /** Closes and removes the file; iterating its rows afterwards throws. Safe to call twice. */
  close(): Promise<void>;
}

/** Options of {@link createRowSpool}. */
export interface RowSpoolOptions {
  /** Directory of the temporary file. @default the system's temporary directory */
  dir?: string;
}

/** A segment as written: keys, shared values (`null`: varies by row), varying values. */
interface Encoded {
  k: string[];
  c: (string | number | boolean | null)[];
  r: (string | number | boolean | null)[][];
}

/**
 * Creates a spool in a new temporary file. Close it (or `await using` it) when its rows
 * have been written out.
 *
 * @throws {BillingError} when the temporary file cannot be created.
 *
 * @example
 * ```ts
 * import { createRowSpool } from "./spool.ts";
 * import type { ChargeRow } from "./model.ts";
 *
 * declare const rowsOfA: ChargeRow[];
 * declare const rowsOfB: ChargeRow[];
 * await using spool = await createRowSpool();
 * const b = await spool.append(rowsOfB); // in the order answers arrive
 * const a = await spool.append(rowsOfA);
 * for await (const row of spool.rows([a, b])) console.log(row.coins); // report order
 * ```
 */
export async function createRowSpool(options: RowSpoolOptions = {}): Promise<RowSpool> {
  let path: string;
  let file: Deno.FsFile;
  try {
    path = await Deno.makeTempFile({ dir: options.dir, prefix: "squonk2-rows-", suffix: ".spool" });
    if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
    file = await Deno.open(path, { read: true, write: true });
  } catch (error) {
    throw new BillingError(
      `Cannot create a temporary file for the charge rows in "${
        options.dir ?? "the system's temporary directory"
      }": ${(error as Error).message}; set TMPDIR to a writable directory`,
      { cause: error },
    );
  }
  let unlinked = false;
  try {
    await Deno.remove(path);
    unlinked = true;
  } catch {
    // An open file cannot be removed on Windows: it is removed on close instead.
  }
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let size = 0;
  let closed = false;
  let failure: BillingError | undefined;

  const checkOpen = () => {
    if (closed) {
      throw new BillingError(
        "The charge rows' temporary file was closed before they were all read: read a " +
          "collection's rows before closing its result",
      );
    }
  };
  const writeAllSync = (bytes: Uint8Array) => {
    // Reads move the position: every write goes to the end.
    file.seekSync(size, Deno.SeekMode.Start);
    let done = 0;
    while (done < bytes.length) done += file.writeSync(bytes.subarray(done));
  };
  const readAllSync = (segment: SpoolSegment): Uint8Array => {
    const out = new Uint8Array(segment.length);
    file.seekSync(segment.offset, Deno.SeekMode.Start);
    let done = 0;
    while (done < out.length) {
      const n = file.readSync(out.subarray(done));
      if (n === null) throw truncated(segment);
      done += n;
    }
    return out;
  };
  const spool: RowSpool = {
    append(rows) {
      try {
        checkOpen();
        if (failure) throw failure;
        if (rows.length === 0) return Promise.resolve({ offset: size, length: 0, rows: 0 });
        const bytes = encoder.encode(JSON.stringify(encode(rows)) + "\n");
        // Written at once, synchronously: a few kilobytes per product, so nothing waits
        // in memory for the disk and the segments lie in the order they were appended.
        try {
          writeAllSync(bytes);
        } catch (error) {
          failure = new BillingError(
            `Cannot write the charge rows to their temporary file: ${
              (error as Error).message
            }; free some disk space or set TMPDIR to another directory`,
            { cause: error },
          );
          throw failure;
        }
        const segment = { offset: size, length: bytes.length, rows: rows.length };
        size += bytes.length;
        return Promise.resolve(segment);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    rows(segments) {
      const list = [...segments];
      return {
        *[Symbol.iterator]() {
          for (const segment of list) {
            if (segment.length === 0) continue;
            checkOpen();
            yield* decode(decoder.decode(readAllSync(segment)));
          }
        },
        async *[Symbol.asyncIterator]() {
          for (const segment of list) {
            if (segment.length === 0) continue;
            checkOpen();
            yield* decode(decoder.decode(readAllSync(segment)));
          }
        },
      };
    },
    bytes: () => size,
    async close() {
      if (closed) return;
      closed = true;
      try {
        file.close();
      } finally {
        if (!unlinked) await Deno.remove(path).catch(() => {});
      }
    },
    [Symbol.asyncDispose]() {
      return spool.close();
    },
  };
  return spool;
}

function truncated(segment: SpoolSegment): BillingError {
  return new BillingError(
    `The charge rows' temporary file ended early (segment at byte ${segment.offset}): ` +
      "something else changed it; run the export again",
  );
}

type Value = string | number | boolean;

function checkValue(row: ChargeRow, key: string, value: unknown): Value {
  if (
    typeof value === "string" || typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  ) return value;
  throw new TypeError(
    `Cannot keep charge row field "${key}" of product ${row.productId} in the temporary file: ` +
      `${typeof value} is not a charge row value (text, a finite number or a boolean)`,
  );
}

/** Encodes rows: keys in order of first appearance, shared values once, the rest per row. */
export function encode(rows: readonly ChargeRow[]): Encoded {
  const keys = Object.keys(rows[0]);
  const seen = new Set(keys);
  for (let i = 1; i < rows.length; i++) {
    // Own enumerable keys, as Object.keys gives them, without an array per row.
    for (const key in rows[i]) {
      if (Object.hasOwn(rows[i], key) && !seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const first = rows[0] as unknown as Record<string, unknown>;
  const common = keys.map((key) => {
    const value = first[key];
    if (!Object.hasOwn(first, key)) return null;
    const shared = rows.every((r) =>
      Object.hasOwn(r, key) && (r as unknown as Record<string, unknown>)[key] === value
    );
    return shared ? checkValue(rows[0], key, value) : null;
  });
  const varying = keys.flatMap((key, i) => common[i] === null ? [key] : []);
  return {
    k: keys,
    c: common,
    r: rows.map((row) => {
      const r = row as unknown as Record<string, unknown>;
      return varying.map((key) => Object.hasOwn(r, key) ? checkValue(row, key, r[key]) : null);
    }),
  };
}

/** Decodes one segment line back into rows (absent values stay absent). */
export function decode(text: string): ChargeRow[] {
  const { k: keys, c: common, r: rows } = JSON.parse(text) as Encoded;
  // Plain assignment is fastest; a key such as "__proto__" must be defined instead.
  const plain = !keys.includes("__proto__");
  return rows.map((values) => {
    const row: Record<string, Value> = {};
    let v = 0;
    for (let i = 0; i < keys.length; i++) {
      const value = common[i] === null ? values[v++] : common[i];
      if (value === null) continue;
      if (plain) row[keys[i]] = value;
      else {
        Object.defineProperty(row, keys[i], {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return row as unknown as ChargeRow;
  });
}

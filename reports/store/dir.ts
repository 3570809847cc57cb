/**
 * The directory report store: each report is a file `<dir>/<name>` plus a sidecar
 * `<dir>/<name>.meta.json` written last. Files are written to a temporary name and renamed,
 * and only files whose sidecar exists (and whose name is safe) are listed, so a report that
 * was not written completely never appears.
 *
 * Temporary files are named `.tmp-<uuid>`. A run that is killed mid-write leaves one
 * behind; the next run into the same directory removes it (`cleanUp`, run once before the
 * first `put`) once it has gone untouched for {@link STALE_TEMPORARY_MS}. Only files of
 * exactly that form are touched: nothing else in the directory is ever removed.
 *
 * An area (`area("render-cache")`) is a hidden subdirectory `.render-cache`: another
 * directory store, never listed with this one.
 *
 * @module
 */

import { join } from "node:path";
import { StoreError } from "../../client/errors.ts";
import { createTally, rechunk } from "./_bytes.ts";
import {
  byNewest,
  checkArea,
  isSafeReportName,
  type OpenReportStore,
  parseStoredMeta,
  putName,
  STALE_TEMPORARY_MS,
  type StoreCleanUpOptions,
  type StoredReport,
  type StoredReportBody,
  type StoredReportInput,
  type StorePutOptions,
} from "./types.ts";

const META_SUFFIX = ".meta.json";
const TMP_PREFIX = ".tmp-";
/** The names of this store's temporary files, and nothing else. */
const TMP_NAME = /^\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opens (creating it when missing) a directory store at `dir`. */
export async function openDirectoryStore(
  dir: string,
  options: StoreCleanUpOptions = {},
): Promise<OpenReportStore> {
  const staleAfterMs = options.staleAfterMs ?? STALE_TEMPORARY_MS;
  const now = options.now ?? Date.now;
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (error) {
    throw new StoreError(
      `Cannot create the report store directory "${dir}": check the path and permissions`,
      { cause: error },
    );
  }

  async function readMeta(name: string): Promise<StoredReport | null> {
    if (!isSafeReportName(name)) return null;
    try {
      const text = await Deno.readTextFile(join(dir, name + META_SUFFIX));
      const meta = parseStoredMeta(JSON.parse(text), name);
      if (!meta) return null;
      const info = await Deno.stat(join(dir, name));
      return info.isFile && info.size === meta.size ? meta : null;
    } catch {
      return null;
    }
  }

  async function writeAtomically(path: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const tmp = join(dir, `${TMP_PREFIX}${crypto.randomUUID()}`);
    try {
      const file = await Deno.open(tmp, { write: true, createNew: true });
      try {
        for await (const chunk of chunks) {
          let written = 0;
          while (written < chunk.length) written += await file.write(chunk.subarray(written));
        }
        await file.sync();
      } finally {
        file.close();
      }
      await Deno.rename(tmp, path);
    } catch (error) {
      await Deno.remove(tmp).catch(() => {});
      throw error;
    }
  }

  /** Removes our own temporaries untouched for longer than `staleAfterMs`. */
  async function sweep(): Promise<number> {
    const cutoff = now() - staleAfterMs;
    let removed = 0;
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !TMP_NAME.test(entry.name)) continue;
      const path = join(dir, entry.name);
      try {
        const info = await Deno.lstat(path);
        const touched = info.mtime?.getTime();
        if (!info.isFile || touched === undefined || touched > cutoff) continue;
        await Deno.remove(path);
        removed++;
      } catch (error) {
        // Renamed or removed by its writer (or another clean-up) meanwhile: nothing to do.
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    return removed;
  }

  let swept: Promise<number> | undefined;
  function cleanUp(): Promise<number> {
    swept = sweep().catch((error) => {
      throw new StoreError(
        `Cannot clean up temporary files in the report store "${dir}": ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    });
    return swept;
  }

  async function put(
    input: StoredReportInput,
    bytes: Uint8Array | ReadableStream<Uint8Array>,
    putOptions: StorePutOptions = {},
  ): Promise<StoredReport> {
    const name = putName(input, putOptions);
    // Once per opened store, before its first write; a failed clean-up never stops a put.
    await (swept ?? cleanUp()).catch(() => 0);
    const { tally, feed } = createTally();
    const metaPath = join(dir, name + META_SUFFIX);
    try {
      // Withdraw an older report of the same name first: from here until the new sidecar
      // lands, the name is simply not listed (never listed with mismatched bytes).
      await Deno.remove(metaPath).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
      await writeAtomically(join(dir, name), rechunk(bytes, { chunkSize: 65_536, tally: feed }));
      const meta: StoredReport = {
        ...input,
        name,
        created: input.created ?? new Date().toISOString(),
        size: tally.size,
        sha256: tally.digest(),
      };
      const json = new TextEncoder().encode(JSON.stringify(meta, null, 2) + "\n");
      await writeAtomically(
        metaPath,
        (async function* () {
          yield json;
        })(),
      );
      return meta;
    } catch (error) {
      throw new StoreError(
        `Cannot store report "${name}" in "${dir}": ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }

  async function list(): Promise<StoredReport[]> {
    const out: StoredReport[] = [];
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (!entry.isFile || !entry.name.endsWith(META_SUFFIX)) continue;
        const meta = await readMeta(entry.name.slice(0, -META_SUFFIX.length));
        if (meta) out.push(meta);
      }
    } catch (error) {
      throw new StoreError(`Cannot list the report store "${dir}": check that it exists`, {
        cause: error,
      });
    }
    return out.sort(byNewest);
  }

  async function get(name: string): Promise<StoredReportBody | null> {
    const meta = await readMeta(name);
    if (!meta) return null;
    try {
      const file = await Deno.open(join(dir, name), { read: true });
      return { meta, body: file.readable };
    } catch {
      return null;
    }
  }

  return {
    location: dir,
    put,
    list,
    get,
    async has(name: string) {
      return (await readMeta(name)) !== null;
    },
    cleanUp,
    fileBacked: true,
    area: (area) =>
      Promise.resolve().then(() => openDirectoryStore(join(dir, `.${checkArea(area)}`), options)),
    close() {},
  };
}

/**
 * The Deno KV report store, for Deno Deploy where the file system does not persist.
 *
 * KV values are at most 64 KiB, so a report is written as numbered chunks of 60 000 bytes
 * under a fresh upload id, and its metadata entry, which names that upload id, is committed
 * LAST in one atomic operation. `list` reads only metadata entries, so a report whose chunks
 * were not all written never appears.
 *
 * While a put runs, an upload record `[prefix, "upload", uploadId]` says which report it is
 * for and when it last made progress: it is written before the first chunk, refreshed with
 * every batch of chunks, and deleted in the same atomic operation that commits the metadata
 * (or by the put's own clean-up when it fails); replacing a report records the old upload
 * as abandoned in that same operation, until its chunks are deleted. A run that is killed
 * mid-put (or mid-replacement) leaves chunks and a record behind; the next run into the
 * same store removes them (`cleanUp`, run once before the first `put`) once the record has
 * gone untouched for {@link STALE_TEMPORARY_MS}. The clean-up reads only upload records
 * (normally none), never every chunk. {@link KvReportStore.prune} removes every
 * unreferenced chunk regardless of age (older versions of this store wrote no records),
 * for when no put can be running.
 *
 * An area (`area("render-cache")`) is another KV store in the same database under the
 * prefix `<prefix>:render-cache`, never listed with this one.
 *
 * Keys: `[prefix, "meta", name]`, `[prefix, "chunk", name, uploadId, index]` and
 * `[prefix, "upload", uploadId]`.
 *
 * @module
 */

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

/** Bytes per KV chunk: under the 64 KiB value limit with room to spare. */
export const KV_CHUNK_SIZE = 60_000;
/** Chunks written per atomic operation (10 × 60 000 B stays under the 800 KiB limit). */
const CHUNKS_PER_COMMIT = 10;
/** Chunks read per `getMany` (Deno KV reads at most 10 keys per call). */
const CHUNKS_PER_READ = 10;

/** What the metadata entry holds: the public metadata plus where its bytes are. */
interface KvMetaValue {
  meta: StoredReport;
  upload: { id: string; chunks: number };
}

/** An unfinished upload: which report it is for and when it last made progress. */
interface KvUploadRecord {
  name: string;
  /** Epoch milliseconds of the last batch of chunks (or of the start). */
  touched: number;
}

/**
 * The store's marker `[prefix, "marker"]`: which process first opened this KV database for
 * the job. Seeing a marker written by ANOTHER process shows that the database is shared
 * between instances, i.e. not a per-instance scratch database (see reports/store/durable.ts).
 */
export interface KvStoreMarker {
  /** The id of the process (instance) that wrote it. */
  instance: string;
  /** When it was written, ISO 8601 UTC. */
  created: string;
}

/** A KV store, with a clean-up of orphan chunks. */
export interface KvReportStore extends OpenReportStore {
  /**
   * Writes the store's marker with `instance` unless one exists, and resolves to the marker
   * now in the database (this instance's, or the one an earlier instance wrote).
   */
  claimMarker(instance: string): Promise<KvStoreMarker>;
  /**
   * Deletes chunks not referenced by any metadata entry (left by failed or replaced puts),
   * and every upload record, whatever their age; resolves to how many chunks it deleted.
   * Run it only when no `put` is in progress (the chunks of an unfinished put are not
   * referenced yet); `cleanUp` is the safe variant that leaves recent uploads alone.
   */
  prune(): Promise<number>;
}

/** Options of {@link createKvStore}. */
export interface KvStoreOptions {
  /** First key part of every entry. @default "squonk2-reports" */
  prefix?: string;
  /** Label for messages. @default "kv" */
  location?: string;
  /** Whether `close()` closes `kv`. @default true */
  ownsKv?: boolean;
  /** Upload records untouched for longer are stale. @default STALE_TEMPORARY_MS */
  staleAfterMs?: StoreCleanUpOptions["staleAfterMs"];
  /** The clock, in epoch milliseconds. @default Date.now */
  now?: StoreCleanUpOptions["now"];
}

/** Wraps an open `Deno.Kv` as a report store. */
export function createKvStore(kv: Deno.Kv, options: KvStoreOptions = {}): KvReportStore {
  const prefix = options.prefix ?? "squonk2-reports";
  const location = options.location ?? "kv";
  const staleAfterMs = options.staleAfterMs ?? STALE_TEMPORARY_MS;
  const now = options.now ?? Date.now;
  const uploadKey = (id: string): Deno.KvKey => [prefix, "upload", id];
  const metaKey = (name: string): Deno.KvKey => [prefix, "meta", name];
  const chunkKey = (name: string, id: string, i: number): Deno.KvKey => [
    prefix,
    "chunk",
    name,
    id,
    i,
  ];

  async function readValue(name: string): Promise<KvMetaValue | null> {
    if (!isSafeReportName(name)) return null;
    const entry = await kv.get<KvMetaValue>(metaKey(name));
    const value = entry.value;
    if (!value || !parseStoredMeta(value.meta, name) || !value.upload) return null;
    return value;
  }

  async function deleteUpload(name: string, id: string): Promise<number> {
    let n = 0;
    for await (const e of kv.list({ prefix: [prefix, "chunk", name, id] })) {
      await kv.delete(e.key);
      n++;
    }
    return n;
  }

  async function put(
    input: StoredReportInput,
    bytes: Uint8Array | ReadableStream<Uint8Array>,
    putOptions: StorePutOptions = {},
  ): Promise<StoredReport> {
    const name = putName(input, putOptions);
    // Once per opened store, before its first write; a failed clean-up never stops a put.
    await (swept ?? cleanUp()).catch(() => 0);
    const id = crypto.randomUUID();
    const { tally, feed } = createTally();
    const record = (): KvUploadRecord => ({ name, touched: now() });
    let chunks = 0;
    try {
      // The upload record first: from here on, a killed run leaves something to find.
      await commit(kv.atomic().set(uploadKey(id), record()));
      let op = kv.atomic();
      let pending = 0;
      for await (const chunk of rechunk(bytes, { chunkSize: KV_CHUNK_SIZE, tally: feed })) {
        // Copy: the chunk's buffer may be a view into a larger one.
        op.set(chunkKey(name, id, chunks++), chunk.slice());
        if (++pending === CHUNKS_PER_COMMIT) {
          await commit(op.set(uploadKey(id), record()));
          op = kv.atomic();
          pending = 0;
        }
      }
      if (pending > 0) await commit(op.set(uploadKey(id), record()));
      const previous = await kv.get<KvMetaValue>(metaKey(name));
      const meta: StoredReport = {
        ...input,
        name,
        created: input.created ?? new Date().toISOString(),
        size: tally.size,
        sha256: tally.digest(),
      };
      const value: KvMetaValue = { meta, upload: { id, chunks } };
      // The metadata lands last and atomically, and only if nobody replaced it meanwhile.
      // The same operation deletes this upload's record and, when a report is replaced,
      // records the old upload as abandoned (touched at 0), so that its chunks are removed
      // by the next clean-up should this run be killed before it deletes them itself.
      const old = previous.value?.upload?.id;
      const done = kv.atomic().check(previous).set(metaKey(name), value).delete(uploadKey(id));
      if (old && old !== id) done.set(uploadKey(old), { name, touched: 0 });
      await commit(done);
      if (old && old !== id) {
        await deleteUpload(name, old).then(() => kv.delete(uploadKey(old))).catch(() => {});
      }
      return meta;
    } catch (error) {
      await deleteUpload(name, id).catch(() => 0);
      await kv.delete(uploadKey(id)).catch(() => {});
      throw new StoreError(
        `Cannot store report "${name}" in ${location}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }

  /**
   * Removes the uploads whose record has gone untouched for longer than `staleAfterMs`
   * (chunks and record); resolves to the number of chunks removed. Reads only the upload
   * records (normally none) and the chunks of stale uploads, never every chunk.
   */
  async function sweep(): Promise<number> {
    const cutoff = now() - staleAfterMs;
    const stale: [string, string][] = [];
    for await (const e of kv.list<KvUploadRecord>({ prefix: [prefix, "upload"] })) {
      const id = e.key[2];
      if (typeof id !== "string") continue;
      const touched = e.value?.touched;
      if (typeof touched === "number" && touched > cutoff) continue;
      stale.push([id, typeof e.value?.name === "string" ? e.value.name : ""]);
    }
    let removed = 0;
    for (const [id, name] of stale) removed += await removeUpload(name, id, cutoff);
    return removed;
  }

  /**
   * Removes one abandoned upload: its chunks and its record. Every deletion checks that the
   * report's metadata and the upload record are unchanged since they were read, so an
   * upload that was committed or made progress meanwhile is left alone.
   */
  async function removeUpload(name: string, id: string, cutoff: number): Promise<number> {
    const [meta, record] = await Promise.all([
      kv.get<KvMetaValue>(metaKey(name)),
      kv.get<KvUploadRecord>(uploadKey(id)),
    ]);
    if (meta.value?.upload?.id === id) return 0;
    const touched = record.value?.touched;
    if (typeof touched === "number" && touched > cutoff) return 0;
    const keys: Deno.KvKey[] = [];
    if (name) {
      for await (const e of kv.list({ prefix: [prefix, "chunk", name, id] })) keys.push(e.key);
    }
    let removed = 0;
    for (let i = 0; i < keys.length; i += CHUNKS_PER_COMMIT) {
      const op = kv.atomic().check(meta).check(record);
      for (const key of keys.slice(i, i + CHUNKS_PER_COMMIT)) op.delete(key);
      if (!(await op.commit()).ok) return removed;
      removed += Math.min(CHUNKS_PER_COMMIT, keys.length - i);
    }
    if (record.value !== null) {
      await kv.atomic().check(meta).check(record).delete(record.key).commit();
    }
    return removed;
  }

  let swept: Promise<number> | undefined;
  function cleanUp(): Promise<number> {
    swept = sweep().catch((error) => {
      throw new StoreError(
        `Cannot clean up unfinished uploads in the report store ${location}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    });
    return swept;
  }

  async function list(): Promise<StoredReport[]> {
    const out: StoredReport[] = [];
    try {
      for await (const e of kv.list<KvMetaValue>({ prefix: [prefix, "meta"] })) {
        const name = e.key[2];
        if (typeof name !== "string") continue;
        const meta = parseStoredMeta(e.value?.meta, name);
        if (meta && e.value.upload) out.push(meta);
      }
    } catch (error) {
      throw new StoreError(`Cannot list the report store ${location}: check the KV database`, {
        cause: error,
      });
    }
    return out.sort(byNewest);
  }

  async function get(name: string): Promise<StoredReportBody | null> {
    const value = await readValue(name);
    if (!value) return null;
    const { id, chunks } = value.upload;
    let index = 0;
    // Read in batches of up to 10 chunks (one getMany, KV's limit per call), enqueued as
    // they come: a 20 MB report is 34 reads instead of 334, and never held whole.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (index >= chunks) {
          controller.close();
          return;
        }
        const keys: Deno.KvKey[] = [];
        for (let i = index; i < Math.min(chunks, index + CHUNKS_PER_READ); i++) {
          keys.push(chunkKey(name, id, i));
        }
        const entries = await kv.getMany<Uint8Array[]>(keys);
        for (const entry of entries) {
          if (!(entry.value instanceof Uint8Array)) {
            controller.error(
              new StoreError(`Report "${name}" is missing chunk ${index}: store it again`),
            );
            return;
          }
          index++;
          controller.enqueue(entry.value);
        }
      },
    }, { highWaterMark: 0 });
    return { meta: value.meta, body };
  }

  async function prune(): Promise<number> {
    const live = new Map<string, string>();
    for await (const e of kv.list<KvMetaValue>({ prefix: [prefix, "meta"] })) {
      if (typeof e.key[2] === "string" && e.value?.upload) live.set(e.key[2], e.value.upload.id);
    }
    let n = 0;
    for await (const e of kv.list({ prefix: [prefix, "chunk"] })) {
      if (live.get(String(e.key[2])) !== e.key[3]) {
        await kv.delete(e.key);
        n++;
      }
    }
    for await (const e of kv.list({ prefix: [prefix, "upload"] })) await kv.delete(e.key);
    return n;
  }

  async function claimMarker(instance: string): Promise<KvStoreMarker> {
    const key: Deno.KvKey = [prefix, "marker"];
    const mine: KvStoreMarker = { instance, created: new Date(now()).toISOString() };
    const res = await kv.atomic().check({ key, versionstamp: null }).set(key, mine).commit();
    if (res.ok) return mine;
    const found = (await kv.get<KvStoreMarker>(key, { consistency: "strong" })).value;
    if (!found || typeof found.instance !== "string") {
      throw new StoreError(`The report store ${location} has a damaged marker: delete key ${key}`);
    }
    return found;
  }

  return {
    location,
    claimMarker,
    put,
    list,
    get,
    async has(name) {
      return (await readValue(name)) !== null;
    },
    prune,
    cleanUp,
    area: (area) =>
      Promise.resolve().then(() =>
        createKvStore(kv, {
          ...options,
          prefix: `${prefix}:${checkArea(area)}`,
          location: `${location} (${area})`,
          ownsKv: false,
        })
      ),
    close() {
      if (options.ownsKv ?? true) kv.close();
    },
  };
}

async function commit(op: Deno.AtomicOperation): Promise<void> {
  const res = await op.commit();
  if (!res.ok) throw new StoreError("A concurrent write changed the report: try again");
}

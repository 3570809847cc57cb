/**
 * The Deno KV report store, for Deno Deploy where the file system does not persist.
 *
 * KV values are at most 64 KiB, so a report is written as numbered chunks of 60 000 bytes
 * under a fresh upload id, and its metadata entry, which names that upload id, is committed
 * LAST in one atomic operation. `list` reads only metadata entries, so a report whose chunks
 * were not all written never appears; orphan chunks are harmless and {@link KvReportStore.prune}
 * removes them.
 *
 * Keys: `[prefix, "meta", name]` and `[prefix, "chunk", name, uploadId, index]`.
 *
 * @module
 */

import { StoreError } from "../client/errors.ts";
import { createTally, rechunk } from "./store_bytes.ts";
import {
  byNewest,
  isSafeReportName,
  type OpenReportStore,
  parseStoredMeta,
  type StoredReport,
  type StoredReportBody,
  type StoredReportInput,
  storedReportName,
} from "./store_types.ts";

/** Bytes per KV chunk: under the 64 KiB value limit with room to spare. */
export const KV_CHUNK_SIZE = 60_000;
/** Chunks written per atomic operation (10 × 60 000 B stays under the 800 KiB limit). */
const CHUNKS_PER_COMMIT = 10;

/** What the metadata entry holds: the public metadata plus where its bytes are. */
interface KvMetaValue {
  meta: StoredReport;
  upload: { id: string; chunks: number };
}

/** A KV store, with a clean-up of orphan chunks. */
export interface KvReportStore extends OpenReportStore {
  /**
   * Deletes chunks not referenced by any metadata entry (left by failed or replaced puts);
   * resolves to how many it deleted. Run it when no `put` is in progress: the chunks of an
   * unfinished put are not referenced yet.
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
}

/** Wraps an open `Deno.Kv` as a report store. */
export function createKvStore(kv: Deno.Kv, options: KvStoreOptions = {}): KvReportStore {
  const prefix = options.prefix ?? "squonk2-reports";
  const location = options.location ?? "kv";
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
  ): Promise<StoredReport> {
    const name = storedReportName(input);
    const id = crypto.randomUUID();
    const { tally, feed } = createTally();
    let chunks = 0;
    try {
      let op = kv.atomic();
      let pending = 0;
      for await (const chunk of rechunk(bytes, { chunkSize: KV_CHUNK_SIZE, tally: feed })) {
        // Copy: the chunk's buffer may be a view into a larger one.
        op.set(chunkKey(name, id, chunks++), chunk.slice());
        if (++pending === CHUNKS_PER_COMMIT) {
          await commit(op);
          op = kv.atomic();
          pending = 0;
        }
      }
      if (pending > 0) await commit(op);
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
      await commit(kv.atomic().check(previous).set(metaKey(name), value));
      const old = previous.value?.upload?.id;
      if (old && old !== id) await deleteUpload(name, old).catch(() => 0);
      return meta;
    } catch (error) {
      await deleteUpload(name, id).catch(() => 0);
      throw new StoreError(
        `Cannot store report "${name}" in ${location}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
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
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (index >= chunks) {
          controller.close();
          return;
        }
        const entry = await kv.get<Uint8Array>(chunkKey(name, id, index));
        if (!(entry.value instanceof Uint8Array)) {
          controller.error(
            new StoreError(`Report "${name}" is missing chunk ${index}: store it again`),
          );
          return;
        }
        index++;
        controller.enqueue(entry.value);
      },
    });
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
    return n;
  }

  return {
    location,
    put,
    list,
    get,
    async has(name) {
      return (await readValue(name)) !== null;
    },
    prune,
    close() {
      if (options.ownsKv ?? true) kv.close();
    },
  };
}

async function commit(op: Deno.AtomicOperation): Promise<void> {
  const res = await op.commit();
  if (!res.ok) throw new StoreError("A concurrent write changed the report: try again");
}

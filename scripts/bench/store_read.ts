/**
 * Reading a stored report back from the Deno KV report store: a report of `bytes` is put
 * into an in-memory KV database once, then read back (metadata, then its chunks in
 * `getMany` batches, streamed) `runs` times; the median is reported. In-memory KV leaves
 * out the network of a hosted database, so the figure is the store's own cost.
 *
 * @module
 */

import { createKvStore, KV_CHUNK_SIZE } from "../../reports/store/kv.ts";
import { median } from "./stats.ts";

/** What {@link benchStoreRead} measured. */
export interface StoreReadFigures {
  /** Size of the stored report in bytes. */
  bytes: number;
  /** Chunks it is stored in. */
  chunks: number;
  /** KV reads one read-back makes (one `get` for the metadata, one `getMany` per batch). */
  reads: number;
  /** Median time to read the whole report back, in milliseconds. */
  ms: number;
}

/** Puts a report of `bytes` (default 20 MB) into an in-memory KV store and times reading it. */
export async function benchStoreRead(
  bytes = 20_000_000,
  runs = 5,
): Promise<StoreReadFigures> {
  const kv = await Deno.openKv(":memory:");
  let reads = 0;
  const counted = new Proxy(kv, {
    get(target, prop) {
      if (prop === "get" || prop === "getMany") reads++;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const store = createKvStore(counted, { location: "kv::memory:" });
  try {
    const data = new Uint8Array(bytes).map((_, i) => i % 251);
    const meta = await store.put({
      scope: "unit",
      scopeId: "unit-bench",
      scopeName: "Bench",
      period: { from: "2026-10-03", until: "2026-11-03" },
      format: "csv",
      rowCount: 1,
      totalCoins: "1",
      sandbox: true,
    }, data);
    const times: number[] = [];
    let readsPerRun = 0;
    for (let i = 0; i < Math.max(1, runs); i++) {
      reads = 0;
      const started = performance.now();
      const found = await store.get(meta.name);
      if (!found) throw new Error("Bench: the stored report was not found");
      let length = 0;
      for await (const chunk of found.body) length += chunk.length;
      times.push(performance.now() - started);
      if (length !== bytes) throw new Error(`Bench: read ${length} of ${bytes} bytes back`);
      readsPerRun = reads;
    }
    return {
      bytes,
      chunks: Math.ceil(bytes / KV_CHUNK_SIZE),
      reads: readsPerRun,
      ms: median(times),
    };
  } finally {
    store.close();
  }
}

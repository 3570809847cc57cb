/**
 * Stored reports are read back from Deno KV in batches: one `getMany` of up to 10 chunks per
 * pull (a 20 MB report: 34 reads, not 334), streamed, byte-identical to what was stored.
 */

import assert from "node:assert/strict";
import { createKvStore, KV_CHUNK_SIZE } from "../reports/store/kv.ts";

Deno.test("a 20 MB report is read back in getMany batches of 10 chunks, byte for byte", async () => {
  const kv = await Deno.openKv(":memory:");
  let gets = 0;
  const batches: number[] = [];
  const counted = new Proxy(kv, {
    get(target, prop) {
      if (prop === "get") gets++;
      const value = Reflect.get(target, prop, target);
      if (prop === "getMany") {
        return (keys: Deno.KvKey[], ...rest: unknown[]) => {
          batches.push(keys.length);
          return (value as (...a: unknown[]) => unknown).call(target, keys, ...rest);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const store = createKvStore(counted, { location: "kv::memory:" });
  try {
    const size = 20_000_000;
    const bytes = new Uint8Array(size).map((_, i) => i % 251);
    await store.put({
      scope: "unit",
      scopeId: "unit-big",
      scopeName: "Big",
      period: { from: "2026-10-03", until: "2026-11-03" },
      format: "csv",
      rowCount: 1,
      totalCoins: "1",
      sandbox: true,
    }, bytes);
    gets = 0;
    const found = await store.get("charges_unit_unit-big_2026-10-03_to_2026-11-02_sandbox.csv");
    assert.ok(found);
    const back = new Uint8Array(await new Response(found.body).arrayBuffer());
    const chunks = Math.ceil(size / KV_CHUNK_SIZE);
    assert.equal(back.length, size);
    assert.ok(back.every((b, i) => b === i % 251));
    assert.equal(batches.length, Math.ceil(chunks / 10));
    assert.ok(batches.every((n) => n <= 10));
    assert.equal(batches.reduce((a, b) => a + b, 0), chunks);
    assert.equal(gets, 1, "one get: the metadata");
    // The read time is a figure of `deno task bench --only store`, not of a test.
  } finally {
    store.close();
  }
});

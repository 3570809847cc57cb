import assert from "node:assert/strict";
import { UsageError } from "../client/errors.ts";
import {
  createKvStore,
  KV_CHUNK_SIZE,
  openReportStore,
  type StoredReportInput,
} from "../reports/store/open.ts";

function meta(overrides: Partial<StoredReportInput> = {}): StoredReportInput {
  return {
    scope: "organisation",
    scopeId: "org-1",
    scopeName: 'Acme "Labs"',
    period: { from: "2026-10-03", until: "2026-11-03", pbp: -1 },
    format: "xlsx",
    rowCount: 42,
    totalCoins: "1234.50",
    sandbox: true,
    ...overrides,
  };
}

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) {
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  }
  return out;
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function streamOf(
  bytes: Uint8Array,
  piece: number,
  failAfter?: number,
): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(c) {
      if (failAfter !== undefined && offset >= failAfter) {
        c.error(new Error("Upstream broke"));
        return;
      }
      if (offset >= bytes.length) return c.close();
      c.enqueue(bytes.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("kv store round-trips a report larger than 1 MiB byte for byte", async () => {
  const store = await openReportStore("kv::memory:");
  try {
    const bytes = randomBytes(1_300_007);
    const stored = await store.put(meta(), streamOf(bytes, 12_345));
    assert.equal(stored.name, "charges_organisation_org-1_2026-10-03_to_2026-11-02_sandbox.xlsx");
    assert.equal(stored.size, bytes.length);
    assert.equal(stored.sha256, await sha256Hex(bytes));
    assert.equal(await store.has(stored.name), true);
    const got = await store.get(stored.name);
    assert.ok(got);
    assert.deepEqual(got.meta, stored);
    const back = await readAll(got.body);
    assert.equal(back.length, bytes.length);
    assert.ok(back.every((b, i) => b === bytes[i]), "bytes differ");
    const listed = await store.list();
    assert.deepEqual(listed.map((m) => m.name), [stored.name]);
    assert.equal(listed[0].totalCoins, "1234.50");
    assert.equal(listed[0].period.pbp, -1);
  } finally {
    store.close();
  }
});

Deno.test("kv store writes chunks under the 64 KiB value limit and accepts a Uint8Array", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = createKvStore(kv);
  try {
    const bytes = randomBytes(KV_CHUNK_SIZE * 3 + 7);
    const stored = await store.put(meta({ format: "csv" }), bytes);
    let chunks = 0;
    for await (const e of kv.list<Uint8Array>({ prefix: ["squonk2-reports", "chunk"] })) {
      assert.ok(e.value.length <= 65_536);
      chunks++;
    }
    assert.equal(chunks, 4);
    const got = await store.get(stored.name);
    assert.deepEqual(await readAll(got!.body), bytes);
  } finally {
    store.close();
  }
});

Deno.test("kv store: a put that fails midway leaves no listed entry and prune clears its chunks", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = createKvStore(kv);
  try {
    const bytes = randomBytes(700_000);
    await assert.rejects(
      store.put(meta(), streamOf(bytes, 50_000, 400_000)),
      (e: Error) => e.name === "StoreError" && /Upstream broke/.test(e.message),
    );
    assert.deepEqual(await store.list(), []);
    assert.equal(
      await store.has("charges_organisation_org-1_2026-10-03_to_2026-11-02_sandbox.xlsx"),
      false,
    );
    // The failed put removed its own chunks and upload record.
    assert.deepEqual(await Array.fromAsync(kv.list({ prefix: ["squonk2-reports"] })), []);
    // Simulate a crash that left orphan chunks behind (no clean-up ran): prune removes them.
    await kv.set(["squonk2-reports", "chunk", "x.csv", "dead", 0], new Uint8Array(3));
    assert.equal(await store.prune(), 1);
    assert.deepEqual(await store.list(), []);
  } finally {
    store.close();
  }
});

Deno.test("kv store: replacing a report keeps one listing and drops the old chunks", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = createKvStore(kv);
  try {
    await store.put(meta(), randomBytes(130_000));
    const second = randomBytes(70_000);
    const stored = await store.put(meta({ rowCount: 7 }), second);
    const listed = await store.list();
    assert.equal(listed.length, 1);
    assert.equal(listed[0].rowCount, 7);
    assert.deepEqual(await readAll((await store.get(stored.name))!.body), second);
    // No upload record is left (the new one went with the metadata, the old one with its
    // chunks), so a clean-up has nothing to do.
    assert.deepEqual(await Array.fromAsync(kv.list({ prefix: ["squonk2-reports", "upload"] })), []);
    assert.equal(await store.cleanUp(), 0);
    assert.equal(await store.prune(), 0);
  } finally {
    store.close();
  }
});

Deno.test("kv store refuses unsafe names and unknown reports", async () => {
  const store = await openReportStore("kv::memory:");
  try {
    for (
      const name of ["../x.csv", "a/b.csv", "/etc/passwd", "x.csv\0", "..%2Fx.csv", "nothing.csv"]
    ) {
      assert.equal(await store.get(name), null, name);
      assert.equal(await store.has(name), false, name);
    }
  } finally {
    store.close();
  }
});

Deno.test("openReportStore: a kv: path in a missing folder is a usage error naming the store", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spec = `kv:${dir}/missing/reports.db`;
    await assert.rejects(
      openReportStore(spec),
      (e: unknown) =>
        e instanceof UsageError && e.message.startsWith(`Cannot open report store "${spec}"`) &&
        /folder of the database file exists/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  openReportStore,
  type StoredReportInput,
  storedReportName,
} from "../reports/store/open.ts";

function meta(overrides: Partial<StoredReportInput> = {}): StoredReportInput {
  return {
    scope: "unit",
    scopeId: "unit-1",
    scopeName: "Chemistry",
    period: { from: "2026-10-03", until: "2026-11-03" },
    format: "csv",
    rowCount: 2,
    totalCoins: "3.25",
    sandbox: false,
    ...overrides,
  };
}

const encoder = new TextEncoder();

function failingStream(): ReadableStream<Uint8Array> {
  let n = 0;
  return new ReadableStream({
    pull(c) {
      if (n++ < 3) c.enqueue(encoder.encode("a,b,c\r\n".repeat(10_000)));
      else c.error(new Error("Render failed"));
    },
  });
}

Deno.test("directory store round-trips a report and lists it with its metadata", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openReportStore(join(dir, "store"));
  try {
    const bytes = encoder.encode("\ufeffh1,h2\r\n1,2\r\n");
    const stored = await store.put(meta({ created: "2026-11-03T01:00:00.000Z" }), bytes);
    assert.equal(stored.name, "charges_unit_unit-1_2026-10-03_to_2026-11-02.csv");
    assert.equal(stored.size, bytes.length);
    assert.match(stored.sha256, /^[0-9a-f]{64}$/);
    const got = await store.get(stored.name);
    assert.ok(got);
    assert.deepEqual(new Uint8Array(await new Response(got.body).arrayBuffer()), bytes);
    const older = await store.put(
      meta({ scopeId: "unit-2", created: "2026-10-03T01:00:00.000Z" }),
      new ReadableStream({
        start(c) {
          c.enqueue(encoder.encode("x"));
          c.close();
        },
      }),
    );
    assert.deepEqual((await store.list()).map((m) => m.name), [stored.name, older.name]);
    const files = [...Deno.readDirSync(join(dir, "store"))].map((e) => e.name).sort();
    assert.deepEqual(
      files,
      [
        older.name,
        older.name + ".meta.json",
        stored.name,
        stored.name + ".meta.json",
      ].sort(),
    );
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("directory store: a put that fails midway leaves nothing listed and no temp file", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openReportStore(dir);
  try {
    await assert.rejects(store.put(meta(), failingStream()), /Render failed/);
    assert.deepEqual(await store.list(), []);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
    assert.equal(await store.has(storedReportName(meta())), false);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("directory store lists only complete, safely named reports", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openReportStore(dir);
  try {
    const ok = await store.put(meta(), encoder.encode("ok"));
    // A file without metadata, metadata without a file, a truncated file, bad JSON, a bad name.
    await Deno.writeTextFile(join(dir, "stray.csv"), "x");
    await Deno.writeTextFile(
      join(dir, "gone.csv.meta.json"),
      JSON.stringify({ ...ok, name: "gone.csv" }),
    );
    await Deno.writeTextFile(join(dir, "bad.csv.meta.json"), "{");
    await Deno.writeTextFile(join(dir, "short.csv"), "o");
    await Deno.writeTextFile(
      join(dir, "short.csv.meta.json"),
      JSON.stringify({ ...ok, name: "short.csv" }),
    );
    await Deno.writeTextFile(
      join(dir, "..x.csv.meta.json"),
      JSON.stringify({ ...ok, name: "..x.csv" }),
    );
    assert.deepEqual((await store.list()).map((m) => m.name), [ok.name]);
    for (
      const name of [
        "stray.csv",
        "gone.csv",
        "short.csv",
        "../" + ok.name,
        "/etc/passwd",
        ok.name + "\0",
      ]
    ) {
      assert.equal(await store.get(name), null, name);
    }
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("store names are deterministic and refuse bad periods and formats", () => {
  assert.equal(
    storedReportName(meta()),
    storedReportName(meta({ period: { from: "2026-10-03", until: "2026-11-03", pbp: -1 } })),
  );
  assert.equal(
    storedReportName(
      meta({ scope: "organisation", scopeId: 'org/../1"\r\n', sandbox: true, format: "xlsx" }),
    ),
    "charges_organisation_org_1_2026-10-03_to_2026-11-02_sandbox.xlsx",
  );
  assert.throws(
    () => storedReportName(meta({ period: { from: "last month", until: "2026-11-03" } })),
    /YYYY-MM-DD/,
  );
  assert.throws(() => storedReportName(meta({ format: "pdf" as "csv" })), /"pdf"/);
});

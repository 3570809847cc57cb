/**
 * A run killed mid-put (SIGKILL of a subprocess, as a crash or a platform restart would)
 * leaves temporary data in the store; the next run into the same store removes it once it
 * is older than the threshold (STALE_TEMPORARY_MS), never earlier (another process may be
 * writing it), and never touches anything that is not the store's own temporary data.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { createKvStore, openDirectoryStore, openReportStore } from "../reports/store/open.ts";
import { STALE_TEMPORARY_MS, type StoredReportInput } from "../reports/store/types.ts";
import { runAt, startCronSandbox } from "./fixtures/cron_helpers.ts";
import { cleanEnv, entries } from "./fixtures/script_run.ts";

const CHILD = new URL("./fixtures/store_killed_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const LATER = () => Date.now() + STALE_TEMPORARY_MS + 60_000;

/** Runs the child against `spec`, waits until it has handed `pieces` to the store, kills it. */
async function killMidPut(spec: string, pieces: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CHILD, spec, String(pieces)],
    env: cleanEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let out = "";
  try {
    while (!out.includes("STALLED")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += decoder.decode(value, { stream: true });
    }
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone: the assertion above says why */ }
    await child.status;
    await reader.cancel().catch(() => {});
  }
  // Read only now: the child's stderr ends when it does.
  assert.match(out, /STALLED/, await stderr.catch(() => ""));
}

function meta(overrides: Partial<StoredReportInput> = {}): StoredReportInput {
  return {
    scope: "unit",
    scopeId: "unit-good",
    scopeName: "Good",
    period: { from: "2026-10-03", until: "2026-11-03" },
    format: "csv",
    rowCount: 1,
    totalCoins: "2.5",
    sandbox: true,
    ...overrides,
  };
}

Deno.test("directory store: a killed put's temporary file is removed by a later run, and only it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_cleanup_dir_" });
  try {
    const good = await (await openReportStore(dir)).put(meta(), new TextEncoder().encode("a\n"));
    // Files that look alike but are not this store's temporaries.
    const foreign = [".tmp-notes", ".tmp-1234", "notes.txt", ".charges.csv.abcd1234.tmp"];
    for (const name of foreign) await Deno.writeTextFile(join(dir, name), "keep me");
    const before = new Set(await entries(dir));

    await killMidPut(dir, 3);
    const leftovers = (await entries(dir)).filter((n) => !before.has(n));
    assert.equal(leftovers.length, 1, `one temporary file: ${leftovers}`);
    assert.match(leftovers[0], /^\.tmp-[0-9a-f-]{36}$/);
    assert.ok((await Deno.stat(join(dir, leftovers[0]))).size > 0, "it holds the partial bytes");

    // Fresh: another process could still be writing it, so it stays.
    const now = await openDirectoryStore(dir);
    assert.equal(await now.cleanUp(), 0);
    assert.ok((await entries(dir)).includes(leftovers[0]));

    // Past the threshold, the next put into the store removes it first.
    const later = await openDirectoryStore(dir, { now: LATER });
    await later.put(meta({ scopeId: "unit-next" }), new TextEncoder().encode("b\n"));
    const after = await entries(dir);
    assert.ok(!after.includes(leftovers[0]), "the temporary file is gone");
    for (const name of foreign) assert.ok(after.includes(name), `${name} is not ours: kept`);
    assert.deepEqual(
      (await later.list()).map((r) => r.name).sort(),
      [good.name, "charges_unit_unit-next_2026-10-03_to_2026-11-02_sandbox.csv"].sort(),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KV store: a killed put's chunks and upload record are removed by a later run, and only they", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_cleanup_kv_" });
  const path = join(dir, "reports.kv");
  try {
    const first = await openReportStore(`kv:${path}`);
    const good = await first.put(meta(), new Uint8Array(130_000).fill(7));
    first.close();

    await killMidPut(`kv:${path}`, 12);
    const kv = await Deno.openKv(path);
    try {
      const keys = async (part: string) =>
        (await Array.fromAsync(kv.list({ prefix: ["squonk2-reports", part] }))).map((e) => e.key);
      const killedChunks = (await keys("chunk")).filter((k) => k[2] !== good.name);
      assert.ok(
        killedChunks.length >= 10,
        `the killed put committed chunks: ${killedChunks.length}`,
      );
      assert.equal((await keys("upload")).length, 1, "and left its upload record");

      // Fresh: it might be another process's upload in progress, so it stays.
      const now = createKvStore(kv, { ownsKv: false });
      assert.equal(await now.cleanUp(), 0);
      assert.equal((await keys("chunk")).length, killedChunks.length + 3);

      // Past the threshold, the clean-up removes exactly the killed put's data.
      const later = createKvStore(kv, { ownsKv: false, now: LATER });
      assert.equal(await later.cleanUp(), killedChunks.length);
      assert.deepEqual(await keys("upload"), []);
      const left = await keys("chunk");
      assert.equal(left.length, 3, "the good report's chunks");
      assert.ok(left.every((k) => k[2] === good.name));
      const got = await later.get(good.name);
      assert.ok(got);
      const back = new Uint8Array(await new Response(got.body).arrayBuffer());
      assert.equal(back.length, 130_000);
      assert.ok(back.every((b) => b === 7));
      assert.equal(await later.prune(), 0, "no unreferenced chunk is left");
    } finally {
      kv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the scheduled job's next run into the store cleans up before exporting", async () => {
  const env = await startCronSandbox({ port: 0, now: "2026-11-08T12:00:00Z" });
  const dir = await Deno.makeTempDir({ prefix: "store_cleanup_cron_" });
  try {
    await killMidPut(dir, 2);
    const [tmp] = await entries(dir);
    assert.match(tmp, /^\.tmp-/);
    // As if the killed run was more than an hour ago.
    const old = new Date(Date.now() - STALE_TEMPORARY_MS - 60_000);
    await Deno.utime(join(dir, tmp), old, old);
    const store = await openReportStore(dir);
    const result = await runExportCycle(env.ctx, {
      at: runAt("2026-10-27"),
      store,
      lookBackDays: 1,
      formats: ["csv"],
      log: () => {},
    });
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.warnings, []);
    const names = await entries(dir);
    assert.ok(!names.includes(tmp), "the stale temporary file is gone");
    assert.ok(names.every((n) => !n.startsWith(".tmp-")));
    assert.equal(names.length, 2 * result.exported.length, "only reports and their sidecars");
  } finally {
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KV store: old chunks of a replaced report that could not be deleted are removed by the next clean-up", async () => {
  const kv = await Deno.openKv(":memory:");
  let failDeletes = false;
  // A KV whose single deletes fail for a while, as if the run died right after replacing.
  const flaky = new Proxy(kv, {
    get(target, prop) {
      if (prop === "delete" && failDeletes) return () => Promise.reject(new Error("gone"));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const store = createKvStore(flaky, { ownsKv: false });
  try {
    const keys = async (part: string) =>
      (await Array.fromAsync(kv.list({ prefix: ["squonk2-reports", part] }))).map((e) => e.key);
    await store.put(meta(), new Uint8Array(130_000).fill(1));
    failDeletes = true;
    const second = await store.put(meta({ rowCount: 2 }), new Uint8Array(70_000).fill(2));
    failDeletes = false;
    assert.equal((await keys("chunk")).length, 3 + 2, "the old chunks are still there");
    assert.equal((await keys("upload")).length, 1, "recorded as abandoned");
    // Abandoned at once (not a put in progress): removed without waiting for the threshold.
    assert.equal(await store.cleanUp(), 3);
    assert.deepEqual(await keys("upload"), []);
    assert.equal((await keys("chunk")).length, 2);
    const got = await store.get(second.name);
    const back = new Uint8Array(await new Response(got!.body).arrayBuffer());
    assert.ok(back.length === 70_000 && back.every((b) => b === 2));
  } finally {
    kv.close();
  }
});

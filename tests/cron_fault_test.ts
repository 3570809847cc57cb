/**
 * Acceptance: a fault mid-run (a permanent 500 on one product's charges, or a store write
 * that breaks half-way) leaves no partial entry in either store, logs one redacted line per
 * failed report, and the next run, fault cleared, completes exactly what is missing.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { openReportStore } from "../reports/store/open.ts";
import { StoreError } from "../client/errors.ts";
import { createKvStore } from "../reports/store/kv.ts";
import { type ReportStore, storedReportName } from "../reports/store/types.ts";
import { recordingStore, runAt, startCronSandbox } from "./fixtures/cron_helpers.ts";

Deno.test("a permanent 500 on one product's charges leaves no entry; the next run completes it", async () => {
  const env = await startCronSandbox({ now: "2026-11-08T12:00:00Z" });
  const dir = await Deno.makeTempDir({ prefix: "cron_fault_" });
  const kv = await Deno.openKv(join(dir, "reports.kv"));
  const store = createKvStore(kv, { location: "kv:test" });
  try {
    const unit = [...env.sandbox.state.units.values()].find((u) => u.billingDay === 27);
    assert.ok(unit);
    const product = env.sandbox.state.productsOf(unit.id)[1];
    assert.ok(product, "the unit has a second product");
    env.sandbox.setFaults({
      rules: [{ kind: "status", status: 500, path: `/charges/product/${product.id}` }],
    });
    const logged: string[] = [];
    // 2026-10-28 with a three-day window: units on days 27 and 28 and three organisation
    // cycles are due; the faulted product's unit (day 27) is in the middle of the run.
    const first = await runExportCycle(env.ctx, {
      at: runAt("2026-10-28"),
      store,
      lookBackDays: 3,
      formats: ["xlsx", "csv"],
      log: (line) => logged.push(line),
      secrets: [env.sandbox.clientSecret],
    });
    // The unit's period and its organisation's cycle (which includes the unit) fail; the
    // rest of the run is exported.
    assert.deepEqual(
      first.failed.map((f) => `${f.scope} ${f.scope === "unit" ? f.scopeId : f.organisationId}`)
        .sort(),
      [`organisation ${unit.orgId}`, `unit ${unit.id}`],
    );
    assert.ok(first.exported.length >= 3, "other units and organisations were exported");
    assert.ok(first.exported.every((e) => e.organisationId !== unit.orgId));
    assert.equal(logged.length, 2, "one line per failed report");
    for (const line of logged) {
      assert.match(line, /^cron: Failed to export (unit|organisation) "/);
      assert.match(line, /500/);
      assert.ok(!line.includes("\n"), "one line");
      assert.ok(!line.includes(env.sandbox.clientSecret));
      assert.ok(!/eyJ[A-Za-z0-9_-]{5,}\./.test(line), "no token");
    }
    assert.match(logged.join("\n"), new RegExp(product.id));
    const storedFirst = (await store.list()).map((r) => r.name).sort();
    assert.deepEqual(storedFirst, first.exported.flatMap((e) => e.files).sort());
    for (const f of first.failed) {
      for (const name of f.files) assert.equal(await store.has(name), false);
    }
    assert.equal(await store.prune(), 0, "no orphan chunks either");

    env.sandbox.setFaults({});
    const second = await runExportCycle(env.ctx, {
      at: runAt("2026-10-28"),
      store,
      lookBackDays: 3,
      formats: ["xlsx", "csv"],
      log: (line) => logged.push(line),
    });
    assert.deepEqual(second.failed, []);
    assert.deepEqual(
      second.exported.map((e) => e.files).flat().sort(),
      first.failed.map((f) => f.files).flat().sort(),
      "the next run exports exactly what failed",
    );
    assert.equal(second.skipped.length, first.exported.length);
    assert.equal(
      (await store.list()).length,
      2 * (first.exported.length + first.failed.length),
    );
    assert.equal(logged.length, 2, "a clean run logs nothing");
  } finally {
    store.close();
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A store whose `put` of `victim` passes the first chunk of the report's bytes into the real
 * store and then breaks, as a disk or KV failure half-way through would.
 */
function breakingStore(inner: ReportStore, victim: (name: string) => boolean) {
  const base = recordingStore(inner);
  let armed = true;
  return {
    ...base,
    disarm: () => (armed = false),
    async put(
      meta: Parameters<ReportStore["put"]>[0],
      bytes: Uint8Array | ReadableStream<Uint8Array>,
    ) {
      if (!armed || !victim(storedReportName(meta))) return await base.put(meta, bytes);
      const source = bytes instanceof Uint8Array ? new Blob([bytes.slice()]).stream() : bytes;
      const reader = source.getReader();
      const broken = new Error("Disk went away half-way");
      let sent = false;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (!sent && !done) {
            sent = true;
            controller.enqueue(value);
            return;
          }
          await reader.cancel(broken);
          controller.error(broken);
        },
      });
      return await inner.put(meta, stream);
    },
  };
}

Deno.test("a store write that breaks half-way leaves no entry in a directory store; the next run writes it", async () => {
  const env = await startCronSandbox({ now: "2026-11-08T12:00:00Z" });
  const dir = await Deno.makeTempDir({ prefix: "cron_fault_dir_" });
  const opened = await openReportStore(dir);
  try {
    const store = breakingStore(opened, (name) => name.startsWith("charges_organisation_"));
    const logged: string[] = [];
    const first = await runExportCycle(env.ctx, {
      at: runAt("2026-10-27"),
      store,
      lookBackDays: 1,
      log: (line) => logged.push(line),
    });
    assert.deepEqual(first.exported.map((e) => e.scope), ["unit"]);
    assert.deepEqual(first.failed.map((e) => e.scope), ["organisation"]);
    assert.match(first.failed[0].error, /Disk went away half-way/);
    assert.equal(logged.length, 1);
    const names = (await opened.list()).map((r) => r.name);
    assert.deepEqual(names, first.exported[0].files);
    const leftovers: string[] = [];
    for await (const e of Deno.readDir(dir)) leftovers.push(e.name);
    // Only the unit's complete file and its sidecar: no partial file, no temporary file.
    const unitFile = first.exported[0].files[0];
    assert.deepEqual(leftovers.sort(), [unitFile, `${unitFile}.meta.json`]);

    store.disarm();
    const second = await runExportCycle(env.ctx, {
      at: runAt("2026-10-27"),
      store,
      lookBackDays: 1,
    });
    assert.deepEqual(second.exported.map((e) => e.scope), ["organisation"]);
    assert.deepEqual(second.skipped.map((e) => e.scope), ["unit"]);
    assert.equal((await opened.list()).length, 2);
  } finally {
    opened.close();
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a store that refuses every write fails each report without hanging the run", async () => {
  const env = await startCronSandbox({ now: "2026-11-08T12:00:00Z" });
  const inner = await openReportStore("kv::memory:");
  try {
    const store: ReportStore = {
      // Fails before reading a byte, as a read-only directory does.
      put: () => Promise.reject(new StoreError("Cannot store report: the disk is read-only")),
      list: () => inner.list(),
      get: (name) => inner.get(name),
      has: (name) => inner.has(name),
    };
    const logged: string[] = [];
    const result = await runExportCycle(env.ctx, {
      at: runAt("2026-10-27"),
      store,
      lookBackDays: 1,
      log: (line) => logged.push(line),
    });
    assert.deepEqual(result.exported, []);
    assert.equal(result.failed.length, 2);
    assert.equal(logged.length, 2);
    assert.ok(result.failed.every((f) => /read-only/.test(f.error)), result.failed[0]?.error);
  } finally {
    inner.close();
    await env.close();
  }
});

/**
 * The report server lists and serves what the scheduled job stored, from a directory store
 * and from a Deno KV store: the archive JSON names every exported report, downloads are
 * byte-identical to what the store measured, and a CSV cycle file parses back to its rows.
 */

import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { createReportServer } from "../reports/server/app.ts";
import { openReportStore } from "../reports/store/open.ts";
import type { OpenReportStore, StoredReport } from "../reports/store/types.ts";
import { runAt, startCronSandbox } from "./fixtures/cron_helpers.ts";

const SECRET = "cron-server-test-secret";

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function checkStore(kind: string, open: () => Promise<OpenReportStore>) {
  const env = await startCronSandbox({ now: "2026-11-08T12:00:00Z" });
  const store = await open();
  try {
    const result = await runExportCycle(env.ctx, {
      at: runAt("2026-10-28"),
      store,
      lookBackDays: 2,
      formats: ["csv", "xlsx"],
    });
    assert.deepEqual(result.failed, []);
    const exported = result.exported.flatMap((e) => e.stored);
    assert.ok(exported.some((r) => r.scope === "organisation"), kind);
    const app = createReportServer({
      api: env.ctx.api,
      tokens: env.ctx.tokens,
      sourceUrl: env.ctx.sourceUrl,
      sandbox: true,
      store,
      auth: { tokens: [SECRET] },
      log: () => {},
    });
    const auth = { Authorization: `Bearer ${SECRET}` };

    const denied = await app.request("/archive", { headers: { Accept: "application/json" } });
    assert.equal(denied.status, 401, kind);
    await denied.body?.cancel();

    const res = await app.request("/archive", {
      headers: { ...auth, Accept: "application/json" },
    });
    assert.equal(res.status, 200, kind);
    const listed = (await res.json()).reports as StoredReport[];
    assert.deepEqual(
      listed.map((r) => r.name).sort(),
      exported.map((r) => r.name).sort(),
      kind,
    );

    const page = await app.request("/archive", { headers: auth });
    const html = await page.text();
    for (const r of exported) assert.ok(html.includes(r.name), `${kind}: page lists ${r.name}`);

    for (const r of exported) {
      const dl = await app.request(`/archive/${encodeURIComponent(r.name)}`, { headers: auth });
      assert.equal(dl.status, 200, `${kind}: ${r.name}`);
      const bytes = new Uint8Array(await dl.arrayBuffer());
      assert.equal(bytes.length, r.size);
      assert.equal(await sha256(bytes), r.sha256);
      if (r.format === "csv" && r.scope === "organisation") {
        const rows: Record<string, string>[] = parse(new TextDecoder().decode(bytes), {
          columns: true,
          bom: true,
        });
        assert.equal(rows.length, r.rowCount);
        assert.ok(new Set(rows.map((x) => x.unit_id)).size >= 2, "a cycle file spans units");
      }
    }
    const missing = await app.request("/archive/charges_unit_nope_2026-01-01_to_2026-01-31.csv", {
      headers: auth,
    });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    store.close();
    await env.close();
  }
}

Deno.test("the server lists and serves the job's reports from a directory store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cron_server_" });
  try {
    await checkStore("directory", () => openReportStore(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the server lists and serves the job's reports from a Deno KV store", async () => {
  await checkStore("kv", () => openReportStore("kv::memory:"));
});

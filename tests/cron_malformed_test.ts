/**
 * Acceptance: `deno task cron --once` as a subprocess, configured from the environment
 * against a sandbox this test starts (port 0, loopback), with answers spoiled by the
 * sandbox's fault rules. A report built from a malformed answer, or whose totals do not
 * reconcile with the AS's, is never stored: the run exits 1 naming each such report and why,
 * the store holds nothing of it (neither a directory store nor a KV store), and the next run
 * without the fault stores the good report, whose total is checked against a big.js sum of
 * the sandbox's own answers.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import Big from "big.js";
import { openReportStore } from "../reports/store/open.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import type { RunningSandbox } from "../sandbox/mod.ts";
import { startCronSandbox } from "./fixtures/cron_helpers.ts";
import { entries, runScript, sandboxEnv, type ScriptRun } from "./fixtures/script_run.ts";

const SCRIPT = new URL("../scripts/cron.ts", import.meta.url).pathname;
/** On this day (look-back 1) one unit period (billing day 27) and its organisation's cycle close. */
const AT = "2026-10-27T02:15:00Z";
const UNIT_FROM = "2026-09-27";
const UNIT_UNTIL = "2026-10-27";

function envOf(sandbox: RunningSandbox): Record<string, string> {
  return {
    ...sandboxEnv(sandbox),
    CRON_LOOK_BACK_DAYS: "1",
    CRON_FORMATS: "csv,xlsx",
  };
}

function cron(sandbox: RunningSandbox, store: string, json = false): Promise<ScriptRun> {
  const args = ["--once", "--at", AT, "--store", store, ...(json ? ["--json"] : [])];
  return runScript(SCRIPT, args, envOf(sandbox));
}

/** A product's charges as the sandbox sends them (only what the oracle reads). */
interface RawProductCharges {
  coins: string;
  processing_charges: { charge: { coins: string } }[];
  storage_charges: { items: { coins: string }[] };
}

/** The sandbox's raw answer (plain `fetch`, no client code) for a product's charges. */
async function rawProductCharges(
  sandbox: RunningSandbox,
  productId: string,
): Promise<RawProductCharges> {
  const token = await sandboxConnection(sandbox).tokens.getToken();
  const url = `${sandbox.asUrl}/charges/product/${productId}?from=${UNIT_FROM}&until=${UNIT_UNTIL}`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return await res.json();
}

/** Oracle: big.js sum of every item's coins in the sandbox's answers for `productIds`. */
async function oracleTotal(sandbox: RunningSandbox, productIds: string[]): Promise<Big> {
  let total = new Big(0);
  for (const id of productIds) {
    const body = await rawProductCharges(sandbox, id);
    for (const p of body.processing_charges) total = total.plus(p.charge.coins);
    for (const s of body.storage_charges.items) total = total.plus(s.coins);
  }
  return total;
}

function unitOnDay27(sandbox: RunningSandbox) {
  const unit = [...sandbox.state.units.values()].find((u) => u.billingDay === 27);
  assert.ok(unit, "the sandbox has a unit billed on the 27th");
  return unit;
}

Deno.test("cron --once: an empty 200 on product charges stores nothing and exits 1; the next run stores the good report", async () => {
  const env = await startCronSandbox({ port: 0, now: "2026-11-08T12:00:00Z" });
  const dir = await Deno.makeTempDir({ prefix: "cron_malformed_" });
  const store = join(dir, "store");
  try {
    const unit = unitOnDay27(env.sandbox);
    env.sandbox.setFaults({ rules: [{ kind: "empty-body", path: "/charges/product/*" }] });
    const bad = await cron(env.sandbox, store, true);
    assert.equal(bad.code, 1, bad.stderr);
    const result = JSON.parse(bad.stdout);
    assert.deepEqual(result.exported, []);
    assert.deepEqual(
      result.failed.map((f: { scope: string; kind: string }) => `${f.scope} ${f.kind}`).sort(),
      ["organisation malformed-answer", "unit malformed-answer"],
    );
    for (const f of result.failed) {
      assert.match(f.error, /\/charges\/product\/product-/, "names the endpoint");
      assert.match(f.error, /empty body/, "says what was wrong");
    }
    // One stderr line per report, naming it and why; nothing secret.
    const lines = bad.stderr.split("\n").filter((l) => l.startsWith("cron: Failed to export"));
    assert.equal(lines.length, 2, bad.stderr);
    assert.ok(lines.some((l) => l.includes(`unit "${unit.name}" (${unit.id})`)), bad.stderr);
    assert.ok(lines.every((l) => /not stored; the next run tries again/.test(l)));
    assert.ok(!bad.stderr.includes(env.sandbox.clientSecret));
    // Nothing in the store: no report, no sidecar, no temporary file.
    assert.deepEqual(await entries(store), []);

    // The fault is gone: the same day's run stores both reports (none is "already stored").
    env.sandbox.setFaults({});
    const good = await cron(env.sandbox, store);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /Exported 2, already stored 0, failed 0/);
    const opened = await openReportStore(store);
    try {
      const listed = await opened.list();
      assert.equal(listed.length, 4, "csv and xlsx of the unit and of the cycle");
      const unitCsv = listed.find((r) => r.scope === "unit" && r.format === "csv");
      assert.ok(unitCsv);
      assert.equal(unitCsv.scopeId, unit.id);
      assert.equal(unitCsv.reconciled, true);
      const products = env.sandbox.state.productsOf(unit.id).map((p) => p.id);
      const expected = await oracleTotal(env.sandbox, products);
      assert.ok(expected.gt(0), "the unit has charges in the period");
      assert.ok(
        new Big(unitCsv.totalCoins).eq(expected),
        `stored ${unitCsv.totalCoins}, sandbox ${expected.toFixed()}`,
      );
    } finally {
      opened.close();
    }
    // A third run finds everything stored.
    const again = await cron(env.sandbox, store);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Exported 0, already stored 2, failed 0/);
  } finally {
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cron --once: a spoiled coin value that breaks reconciliation stores nothing in a KV store and exits 1", async () => {
  const env = await startCronSandbox({ port: 0, now: "2026-11-08T12:00:00Z" });
  const dir = await Deno.makeTempDir({ prefix: "cron_mismatch_" });
  const kvPath = join(dir, "reports.kv");
  try {
    const unit = unitOnDay27(env.sandbox);
    // A product of the unit with a processing charge in the period: its first charge's
    // coins get one coin more, a well-formed decimal string, so only the totals can tell.
    let victim: { id: string; coins: string } | undefined;
    for (const p of env.sandbox.state.productsOf(unit.id)) {
      const body = await rawProductCharges(env.sandbox, p.id);
      if (body.processing_charges.length > 0) {
        victim = { id: p.id, coins: body.processing_charges[0].charge.coins };
        break;
      }
    }
    assert.ok(victim, "a product of the unit has processing charges in the period");
    const spoiled = new Big(victim.coins).plus(1).toFixed();
    env.sandbox.setFaults({
      rules: [{
        kind: "wrong-type",
        path: `/charges/product/${victim.id}`,
        field: "processing_charges.0.charge.coins",
        value: spoiled,
      }],
    });
    const bad = await cron(env.sandbox, `kv:${kvPath}`);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /Exported 0, already stored 0, failed 2/);
    assert.match(bad.stdout, /not stored: totals differ from the Account Server's/);
    assert.match(bad.stdout, /Not stored \(the next run tries again\):/);
    const lines = bad.stderr.split("\n").filter((l) => l.startsWith("cron: Failed to export"));
    assert.equal(lines.length, 2, bad.stderr);
    for (const line of lines) {
      assert.match(line, /not reconciled with the Account Server/);
      assert.ok(line.includes(victim.id), "names the product whose totals differ");
    }
    // Nothing at all under the store's prefix: no metadata, no chunk, no upload record.
    const kv = await Deno.openKv(kvPath);
    try {
      const keys = await Array.fromAsync(kv.list({ prefix: ["squonk2-reports"] }));
      assert.deepEqual(keys.map((e) => e.key), []);
    } finally {
      kv.close();
    }

    env.sandbox.setFaults({});
    const good = await cron(env.sandbox, `kv:${kvPath}`);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /Exported 2, already stored 0, failed 0/);
  } finally {
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

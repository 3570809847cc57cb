// Running totals fed as answers arrive (reports/charges/tally.ts) against a big.js oracle,
// and rows spooled to a temporary file (reports/charges/spool.ts): round trip, nothing left
// open or on disk after success or failure, and a collection through real HTTP that gives
// the same report either way.
import assert from "node:assert/strict";
import { collectCharges } from "../reports/charges/collect.ts";
import type { ChargeRow } from "../reports/charges/model.ts";
import { reconcileTally } from "../reports/charges/reconcile.ts";
import { createRowSpool } from "../reports/charges/spool.ts";
import { ChargeTally } from "../reports/charges/tally.ts";
import { totalsFromTally } from "../reports/charges/totals.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import { oracleSumText } from "./fixtures/coin_oracle.ts";
import { syntheticChargeRows } from "./fixtures/synthetic_rows.ts";

/** Rows grouped by product, in the order each product's first row is listed. */
function byProduct(rows: readonly ChargeRow[]): ChargeRow[][] {
  const groups = new Map<string, ChargeRow[]>();
  for (const row of rows) {
    const g = groups.get(row.productId);
    if (g) g.push(row);
    else groups.set(row.productId, [row]);
  }
  return [...groups.values()];
}

/** A fixed shuffle (answers arrive in any order). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function oracleBy(rows: readonly ChargeRow[], key: (r: ChargeRow) => string) {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r.coins);
    else out.set(k, [r.coins]);
  }
  return new Map(
    [...out].map(([k, coins]) => [k, { coins: oracleSumText(coins), items: coins.length }]),
  );
}

Deno.test("running totals fed product by product, in any order, equal the big.js sums of the rows", () => {
  // Listed product by product (as a report lists them), fed in a shuffled order.
  const listed = byProduct([...syntheticChargeRows(3_000, { seed: 11 })]).flat();
  const groups = byProduct(listed);
  const tally = new ChargeTally();
  for (const i of shuffled(groups.map((_, i) => i), 5)) tally.add(groups[i], i);
  const totals = totalsFromTally(tally);

  const grand = oracleSumText(listed.map((r) => r.coins));
  assert.deepEqual(totals.grand, { coins: grand, items: 3_000 });
  for (const [type, want] of oracleBy(listed, (r) => r.chargeType)) {
    assert.deepEqual(totals.byChargeType[type], want, type);
  }
  const levels = [
    [totals.byOrganisation, oracleBy(listed, (r) => r.organisationId)],
    [totals.byUnit, oracleBy(listed, (r) => r.unitId)],
    [totals.byProduct, oracleBy(listed, (r) => r.productId)],
  ] as const;
  for (const [got, want] of levels) {
    // Same keys, in the order of their first listed row, and the same exact sums.
    assert.deepEqual(Object.keys(got), [...want.keys()]);
    for (const [id, w] of want) {
      assert.equal(got[id].coins, w.coins, id);
      assert.equal(got[id].items, w.items, id);
    }
  }
  // Names are those of the first listed row.
  const first = listed.find((r) => r.unitId === Object.keys(totals.byUnit)[0])!;
  assert.equal(Object.values(totals.byUnit)[0].name, first.unitName);
});

Deno.test("running totals reconcile against the server's totals like the rows do", () => {
  const listed = byProduct([...syntheticChargeRows(400, { seed: 3 })]).flat();
  const groups = byProduct(listed);
  const tally = new ChargeTally();
  for (const i of shuffled(groups.map((_, i) => i), 9)) tally.add(groups[i], i);
  const units = oracleBy(listed, (r) => r.unitId);
  const [firstUnit] = units.keys();
  const server = {
    units: new Map([...units].map(([id, t]) => [id, { name: id, coins: t.coins }])),
    grand: { name: "all", coins: oracleSumText(listed.map((r) => r.coins)) },
  };
  const ok = reconcileTally(tally, server);
  assert.equal(ok.ok, true);
  assert.equal(ok.checked, units.size + 1);
  // One cent more on one unit is one mismatch, named.
  const wrong = { ...server, units: new Map(server.units) };
  const bumped = oracleSumText([units.get(firstUnit)!.coins, "0.01"]);
  wrong.units.set(firstUnit, { name: firstUnit, coins: bumped });
  const bad = reconcileTally(tally, wrong);
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.mismatches.map((m) => [m.where.split(" ")[1], m.server]), [[
    firstUnit,
    bumped,
  ]]);
});

/** Open descriptors of this process that point into `dir` (Linux only; [] elsewhere). */
function openIn(dir: string): string[] {
  if (Deno.build.os !== "linux") return [];
  const out: string[] = [];
  for (const e of Deno.readDirSync("/proc/self/fd")) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${e.name}`);
      if (target.startsWith(dir)) out.push(target);
    } catch { /* closed meanwhile */ }
  }
  return out;
}

Deno.test("spooled rows read back exactly, in report order, sync and async, again and again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "spool-test-" });
  try {
    const rows = [...syntheticChargeRows(500, { seed: 4 })];
    // Optional fields on some rows only, and awkward text.
    rows[3] = { ...rows[3], pricePerCoin: "0.125", amount: "1.00", currency: "EUR" };
    rows[4] = { ...rows[4], username: 'line\nbreak, "quoted" \u2028 北京', final: true };
    const segments = [rows.slice(0, 7), [], rows.slice(7, 300), rows.slice(300)];
    const spool = await createRowSpool({ dir });
    // Nothing named in the directory, even while open (POSIX).
    if (Deno.build.os !== "windows") assert.deepEqual([...Deno.readDirSync(dir)], []);
    const handles = new Array(segments.length);
    await Promise.all(
      shuffled([0, 1, 2, 3], 2).map(async (i) => handles[i] = await spool.append(segments[i])),
    );
    const read = spool.rows(handles);
    assert.deepEqual([...read], rows);
    const again: ChargeRow[] = [];
    for await (const row of read) again.push(row);
    assert.deepEqual(again, rows);
    assert.deepEqual([...read], rows);
    await assert.rejects(
      () => spool.append([{ ...rows[0], coins: undefined as unknown as string }]),
      TypeError,
    );
    await spool.close();
    assert.deepEqual(openIn(dir), []);
    assert.throws(() => [...read], /closed before they were all read/);
    await spool.close(); // twice is fine
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collection with spooled rows: same report through real HTTP, file gone on success and on failure", async () => {
  const dir = await Deno.makeTempDir({ prefix: "spool-collect-" });
  const sandbox = await startSandbox({
    port: 0,
    seed: 5,
    now: "2026-03-15T12:00:00Z",
    quiet: true,
    sizes: { organisations: 2, unitsPerOrganisation: 2, productsPerUnit: 3 },
  });
  const conn = sandboxConnection(sandbox);
  try {
    const ctx = { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: true };
    const request = { scope: { kind: "all" as const }, period: { pbp: -1 } };
    const memory = await collectCharges(ctx, request);
    const spooled = await collectCharges(ctx, request, { spool: { dir } });
    assert.ok(Array.isArray(memory.report.rows));
    assert.ok(!Array.isArray(spooled.report.rows));
    const rows: ChargeRow[] = [];
    for await (const row of spooled.report.rows) rows.push(row);
    assert.ok(rows.length > 50);
    assert.deepEqual(rows, memory.report.rows);
    assert.equal(spooled.report.rowCount, rows.length);
    assert.deepEqual(spooled.report.totals, memory.report.totals);
    assert.deepEqual(spooled.report.reconciliation, memory.report.reconciliation);
    assert.equal(spooled.report.reconciliation.ok, true);
    // The grand total is the big.js sum of the rows read back.
    assert.equal(spooled.report.totals.grand.coins, oracleSumText(rows.map((r) => r.coins)));
    assert.ok(openIn(dir).length > 0 || Deno.build.os !== "linux");
    await spooled.close();
    assert.deepEqual(openIn(dir), []);

    // A failing product request: the collection fails, and its spool is closed.
    sandbox.setFaults({ rules: [{ path: "/charges/product/*", kind: "status", status: 403 }] });
    await assert.rejects(() => collectCharges(ctx, request, { spool: { dir } }));
    assert.deepEqual(openIn(dir), []);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await conn.close();
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});

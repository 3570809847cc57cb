/**
 * Acceptance: simulated daily runs across a month end against the sandbox, with units on
 * several billing days. Each closed unit period is exported exactly once, on the day it
 * closes; a skipped day is caught up by the next run; organisation cycle files appear once
 * every unit of the cycle has closed; a re-run exports nothing.
 */

import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import Big from "big.js";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { readChangeSheet } from "./fixtures/change_sheet.ts";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { openReportStore } from "../reports/store/open.ts";
import {
  closingUnitPeriods,
  plusDays,
  recordingStore,
  runAt,
  startCronSandbox,
} from "./fixtures/cron_helpers.ts";

/** Oracle: `orgId|cycle` of every organisation cycle whose last unit period ends in (after, upTo]. */
function closingCycles(
  units: Iterable<{ orgId: string; billingDay: number }>,
  after: string,
  upTo: string,
): Set<string> {
  const byOrg = new Map<string, number[]>();
  for (const u of units) byOrg.set(u.orgId, [...(byOrg.get(u.orgId) ?? []), u.billingDay]);
  const out = new Set<string>();
  for (const [orgId, days] of byOrg) {
    for (let m = 0; m < 24; m++) {
      const y = 2025 + Math.floor(m / 12);
      const month = m % 12; // cycle month (0-based); its periods end in the month after
      const lastEnd = Math.max(...days);
      const end = new Date(Date.UTC(y, month + 1, lastEnd)).toISOString().slice(0, 10);
      if (end > after && end <= upTo) {
        out.add(`${orgId}|${y}-${String(month + 1).padStart(2, "0")}`);
      }
    }
  }
  return out;
}

Deno.test("daily runs across a month end export each closed period once and catch up a skipped day", async () => {
  const env = await startCronSandbox({ now: "2026-11-08T12:00:00Z" });
  const dir = await Deno.makeTempDir({ prefix: "cron_cycle_" });
  const opened = await openReportStore(dir);
  const store = recordingStore(opened);
  const logged: string[] = [];
  try {
    const units = [...env.sandbox.state.units.values()];
    assert.ok(new Set(units.map((u) => u.billingDay)).size >= 6, "units on several billing days");
    // 2026-10-28 (two units and two organisation cycles close) and 2026-11-02 are skipped.
    const days = ["2026-10-25", "2026-10-26", "2026-10-27", "2026-10-29", "2026-10-30"]
      .concat(["2026-10-31", "2026-11-01", "2026-11-03", "2026-11-04", "2026-11-05"]);
    let previous = "";
    for (const day of days) {
      const result = await runExportCycle(env.ctx, {
        at: runAt(day),
        store,
        log: (line) => logged.push(line),
      });
      assert.equal(result.day, day);
      assert.deepEqual(result.failed, []);
      assert.deepEqual(result.warnings, [], "every report reconciles with the AS totals");
      const after = previous || plusDays(result.windowFrom, -1);
      const unitKeys = new Set(
        result.exported.filter((e) => e.scope === "unit").map((e) =>
          `${e.scopeId}|${e.period.until}`
        ),
      );
      assert.deepEqual(unitKeys, closingUnitPeriods(env.sandbox, after, day), day);
      const orgKeys = new Set(
        result.exported.filter((e) => e.scope === "organisation").map((e) =>
          `${e.scopeId}|${e.cycle}`
        ),
      );
      assert.deepEqual(orgKeys, closingCycles(units, after, day), `cycles of ${day}`);
      for (const e of result.exported) assert.deepEqual(e.stored.map((s) => s.name), e.files);
      if (previous) {
        // Everything still in the window from earlier runs is recognised, not redone.
        assert.ok(result.skipped.length > 0);
        assert.ok(result.skipped.every((s) => s.period.until <= previous));
      }
      previous = day;
    }
    assert.deepEqual(logged, []);
    // Exactly once: no name was ever written twice.
    assert.equal(new Set(store.puts).size, store.puts.length);
    const listed = await store.list();
    assert.deepEqual(listed.map((r) => r.name).sort(), [...store.puts].sort());

    // The skipped 2026-10-28: its unit periods and cycles were exported on 2026-10-29.
    const late = listed.filter((r) => r.period.until === "2026-10-28");
    assert.ok(late.some((r) => r.scope === "unit"));
    assert.ok(late.some((r) => r.scope === "organisation"));
    for (const r of listed) {
      assert.ok(r.sandbox && r.name.endsWith("_sandbox.xlsx"), r.name);
      assert.match(r.period.label ?? "", /\(incl\.\) to .* \(excl\.\)/);
    }
    const cycle = listed.find((r) => r.scope === "organisation" && r.period.until === "2026-10-27");
    assert.ok(cycle, "the cycle of the organisation on days 3, 27, 10 closed on 2026-10-27");
    assert.equal(cycle.period.from, "2026-09-03");
    assert.match(cycle.period.label ?? "", /^billing cycle 2026-09 /);

    // A re-run of the last day (e.g. a retry) exports nothing.
    const again = await runExportCycle(env.ctx, { at: runAt("2026-11-05"), store });
    assert.deepEqual(again.exported, []);
    assert.deepEqual(again.failed, []);
    assert.equal(new Set(store.puts).size, store.puts.length);
  } finally {
    opened.close();
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the organisation cycle file holds each unit over its own period, totals exact; its XLSX has the Change sheet", async () => {
  const env = await startCronSandbox({ now: "2026-11-08T12:00:00Z" });
  const opened = await openReportStore("kv::memory:");
  try {
    const result = await runExportCycle(env.ctx, {
      at: runAt("2026-10-27"),
      store: opened,
      lookBackDays: 1,
      formats: ["csv", "xlsx"],
      // What REPORTS_FLAG_CHANGE=10 sets (reports/schedule/job.ts).
      flagChange: "10",
    });
    const units = result.exported.filter((e) => e.scope === "unit");
    const orgs = result.exported.filter((e) => e.scope === "organisation");
    assert.deepEqual(units.map((u) => u.billingDay), [27]);
    assert.equal(orgs.length, 1);
    const org = orgs[0];
    assert.equal(org.cycle, "2026-09");
    assert.deepEqual(org.files.map((f) => f.slice(-4)), [".csv", "xlsx"]);
    const csv = await opened.get(org.files[0]);
    assert.ok(csv);
    const text = await new Response(csv.body).text();
    // Each row states its own unit's period: three units, three periods.
    const rows: Record<string, string>[] = parse(text, { columns: true, bom: true });
    assert.equal(rows.length, org.stored[0].rowCount);
    const periods = new Set(rows.map((r) => `${r.period_from}..${r.period_until_exclusive}`));
    assert.deepEqual(
      [...periods].sort(),
      ["2026-09-03..2026-10-03", "2026-09-10..2026-10-10", "2026-09-27..2026-10-27"],
    );
    // The file's total is the sum of the AS's own totals of each unit over its period.
    const token = await env.ctx.tokens.getToken();
    const totals: string[] = [];
    for (const p of periods) {
      const [from, until] = p.split("..");
      const unit = [...env.sandbox.state.units.values()].find((u) =>
        u.orgId === org.scopeId && from.endsWith(`-${String(u.billingDay).padStart(2, "0")}`)
      );
      assert.ok(unit);
      const rv = await env.ctx.api.getUnitCharges(token, { unitId: unit.id, from, until });
      assert.ok(rv.success);
      totals.push(rv.msg.coins);
    }
    assert.ok(oracleSum(totals).eq(org.stored[0].totalCoins));
    assert.ok(oracleSum(rows.map((r) => r.coins)).eq(org.stored[0].totalCoins));

    // The stored XLSX carries the Change sheet: each unit over its own period against its
    // billing period before (a month earlier, same billing day), totals from the AS's own
    // unit totals (big.js), flagged above REPORTS_FLAG_CHANGE (here 10 %).
    const xlsx = await opened.get(org.files[1]);
    assert.ok(xlsx);
    const sheet = await readChangeSheet(
      new Uint8Array(await new Response(xlsx.body).arrayBuffer()),
    );
    assert.deepEqual(sheet.sheets.slice(0, 3), ["Summary", "Change", "Detail"]);
    assert.match(sheet.status, /^Compared: /);
    assert.match(sheet.previousPeriod, /^billing cycle 2026-08 /);
    assert.equal(sheet.units.size, 3);
    for (const p of periods) {
      const [from, until] = p.split("..");
      const unit = [...env.sandbox.state.units.values()].find((u) =>
        u.orgId === org.scopeId && from.endsWith(`-${String(u.billingDay).padStart(2, "0")}`)
      )!;
      const line = sheet.units.get(unit.id);
      assert.ok(line, unit.id);
      const monthBefore = (day: string) => {
        const [y, m, d] = day.split("-").map(Number);
        return new Date(Date.UTC(y, m - 2, d)).toISOString().slice(0, 10);
      };
      const unitCoins = async (f: string, u: string) => {
        const rv = await env.ctx.api.getUnitCharges(token, { unitId: unit.id, from: f, until: u });
        assert.ok(rv.success);
        return new Big(rv.msg.coins);
      };
      const current = await unitCoins(from, until);
      const previous = await unitCoins(monthBefore(from), monthBefore(until));
      assert.ok(new Big(line.current).eq(current), `${unit.id} current`);
      assert.ok(new Big(line.previous).eq(previous), `${unit.id} previous`);
      assert.ok(new Big(line.difference).eq(current.minus(previous)), `${unit.id} difference`);
      const flag = previous.eq(0)
        ? !current.eq(0)
        : current.minus(previous).abs().times(100).gt(previous.abs().times(10));
      assert.equal(line.flagged, flag, `${unit.id} flag`);
    }
    // The unit file of the period too.
    const unitXlsx = await opened.get(units[0].files[1]);
    assert.ok(unitXlsx);
    const unitSheet = await readChangeSheet(
      new Uint8Array(await new Response(unitXlsx.body).arrayBuffer()),
    );
    assert.match(unitSheet.status, /^Compared: /);
    assert.match(unitSheet.previousPeriod, /2026-08-27 \(incl\.\) to 2026-09-27 \(excl\.\)/);

    // A previous period that does not reconcile (the AS's own product totals of August
    // spoiled) does not stop the reports: they are stored, their Change sheet says it could
    // not compare, and the run warns.
    const real = env.ctx.api;
    const api = new Proxy(real, {
      get(target, name) {
        if (name === "getProductCharges") {
          const spoiled: typeof real.getProductCharges = async (t, o) => {
            const rv = await real.getProductCharges(t, o);
            return rv.success && String(o.from).startsWith("2026-08")
              ? { ...rv, msg: { ...rv.msg, coins: "999999.99" } }
              : rv;
          };
          return spoiled;
        }
        const value = Reflect.get(target, name, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const other = await openReportStore("kv::memory:");
    try {
      const spoiledRun = await runExportCycle({ ...env.ctx, api }, {
        at: runAt("2026-10-27"),
        store: other,
        lookBackDays: 1,
      });
      assert.deepEqual(spoiledRun.failed, []);
      assert.deepEqual(
        spoiledRun.exported.map((e) => e.files),
        result.exported.map((e) => [e.files[1]]),
      );
      assert.equal(spoiledRun.warnings.length, spoiledRun.exported.length);
      assert.ok(spoiledRun.warnings.every((w) => /Change sheet could not compare/.test(w)));
      const stored = await other.get(spoiledRun.exported[0].files[0]);
      assert.ok(stored);
      const notCompared = await readChangeSheet(
        new Uint8Array(await new Response(stored.body).arrayBuffer()),
      );
      assert.match(notCompared.status, /^COULD NOT BE COMPARED: /);
      assert.equal(notCompared.units.size, 0);
    } finally {
      other.close();
    }
  } finally {
    opened.close();
    await env.close();
  }
});

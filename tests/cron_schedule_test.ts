/**
 * The scheduled job's pure parts: cron schedules and their last due minute, the periods and
 * organisation cycles due on a day, the settings from the environment, and the cron handler
 * deriving its period from the scheduled time rather than the wall clock.
 */

import assert from "node:assert/strict";
import { ConfigError, UsageError } from "../client/errors.ts";
import type { CollectContext } from "../reports/charges/collect_types.ts";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { DEFAULT_CRON_SCHEDULE, lastDueTime, parseCronSchedule } from "../reports/schedule/cron.ts";
import { duePeriods, type ScheduleUnit } from "../reports/schedule/due.ts";
import {
  createScheduledRun,
  CRON_BACKOFF_SCHEDULE,
  cronConfigFromEnv,
  ScheduledRunError,
} from "../reports/schedule/job.ts";
import { openReportStore } from "../reports/store/open.ts";

const due = (schedule: string, time: string) =>
  lastDueTime(parseCronSchedule(schedule), new Date(time)).toISOString();

Deno.test("lastDueTime truncates a start time to the schedule's last due minute", () => {
  assert.equal(due("15 2 * * *", "2026-11-26T02:15:00Z"), "2026-11-26T02:15:00.000Z");
  assert.equal(due("15 2 * * *", "2026-11-26T02:15:59.999Z"), "2026-11-26T02:15:00.000Z");
  // A retry hours later still belongs to the same run.
  assert.equal(due("15 2 * * *", "2026-11-26T04:51:07Z"), "2026-11-26T02:15:00.000Z");
  // Before today's run time: yesterday's run (across a month and a year end too).
  assert.equal(due("15 2 * * *", "2026-12-01T02:14:59Z"), "2026-11-30T02:15:00.000Z");
  assert.equal(due("15 2 * * *", "2027-01-01T00:00:00Z"), "2026-12-31T02:15:00.000Z");
  // Lists, ranges and steps.
  assert.equal(due("*/20 9-17 * * *", "2026-11-26T18:30:00Z"), "2026-11-26T17:40:00.000Z");
  assert.equal(due("0,30 * * * *", "2026-11-26T10:29:00Z"), "2026-11-26T10:00:00.000Z");
  // Monthly, and weekly (2026-11-26 is a Thursday). Day-of-week as Deno.cron numbers it:
  // 1 is Sunday, 2 Monday, 7 Saturday; names too.
  assert.equal(due("0 3 1 * *", "2026-11-26T00:00:00Z"), "2026-11-01T03:00:00.000Z");
  assert.equal(due("0 3 * * 2", "2026-11-26T00:00:00Z"), "2026-11-23T03:00:00.000Z");
  assert.equal(due("0 3 * * MON", "2026-11-26T00:00:00Z"), "2026-11-23T03:00:00.000Z");
  assert.equal(due("0 3 * * 1", "2026-11-26T00:00:00Z"), "2026-11-22T03:00:00.000Z");
  assert.equal(due("0 3 * * 7", "2026-11-26T00:00:00Z"), "2026-11-21T03:00:00.000Z");
  assert.equal(due("0 3 * * mon-fri", "2026-11-22T00:00:00Z"), "2026-11-20T03:00:00.000Z");
  // Both day fields restricted: either matches (the 1st, or any Monday).
  assert.equal(due("0 3 1 * 2", "2026-11-26T00:00:00Z"), "2026-11-23T03:00:00.000Z");
  // February 29th only: leap years.
  assert.equal(due("0 0 29 2 *", "2027-06-01T00:00:00Z"), "2024-02-29T00:00:00.000Z");
  assert.equal(parseCronSchedule(` ${DEFAULT_CRON_SCHEDULE} `).text, "15 2 * * *");
});

Deno.test("parseCronSchedule refuses what it cannot read, naming the field", () => {
  for (
    const [text, field] of [
      ["15 2 * *", "five fields"],
      ["60 2 * * *", "minute"],
      ["15 24 * * *", "hour"],
      ["15 2 0 * *", "day-of-month"],
      ["15 2 * 13 *", "month"],
      ["15 2 * * 0", "day-of-week"],
      ["15 2 * * 0,7", "day-of-week"],
      ["15 2 * * L", "day-of-week"],
      ["15 2 * * 5-1", "day-of-week"],
      ["1-59/60 2 * * *", "minute"],
      ["*/0 2 * * *", "minute"],
      ["15 5-2 * * *", "hour"],
    ]
  ) {
    assert.throws(() => parseCronSchedule(text), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.ok(e.message.includes(field), e.message);
      assert.ok(e.message.includes(`"${text}"`), e.message);
      return true;
    });
  }
  assert.throws(() => lastDueTime(parseCronSchedule("0 0 31 2 *"), new Date()), ConfigError);
});

const ORG_A = { organisationId: "org-a", organisationName: "A" };
const UNITS: ScheduleUnit[] = [
  { id: "u1", name: "One", billingDay: 1, ...ORG_A },
  { id: "u28", name: "Twenty-eight", billingDay: 28, ...ORG_A },
  { id: "u15", name: "Fifteen", billingDay: 15, ...ORG_A },
  {
    id: "u3",
    name: "Three",
    billingDay: 3,
    created: "2026-10-20T09:00:00Z",
    organisationId: "org-b",
    organisationName: "B",
  },
];

Deno.test("duePeriods: unit periods closing in the window, from the scheduled day", () => {
  const one = duePeriods(UNITS, { at: new Date("2026-11-01T02:15:00Z"), lookBackDays: 1 });
  assert.equal(one.day, "2026-11-01");
  assert.equal(one.windowFrom, "2026-11-01");
  assert.deepEqual(one.units.map((u) => [u.unit.id, u.from, u.until]), [
    ["u1", "2026-10-01", "2026-11-01"],
  ]);
  // A run on the 29th catches up the 28th (window of two days).
  const two = duePeriods(UNITS, { at: new Date("2026-10-29T02:15:00Z"), lookBackDays: 2 });
  assert.deepEqual(two.units.map((u) => [u.unit.id, u.from, u.until]), [
    ["u28", "2026-09-28", "2026-10-28"],
  ]);
  // Across a year end.
  const jan = duePeriods(UNITS, { at: new Date("2027-01-01T00:00:00Z"), lookBackDays: 1 });
  assert.deepEqual(jan.units.map((u) => [u.unit.id, u.from, u.until]), [
    ["u1", "2026-12-01", "2027-01-01"],
  ]);
  // The default window (40 days) reaches back more than a month; a unit created on
  // 2026-10-20 owes no period ending before that.
  const wide = duePeriods(UNITS, { at: new Date("2026-11-10T02:15:00Z") });
  assert.equal(wide.windowFrom, "2026-10-02");
  assert.deepEqual(wide.units.map((u) => `${u.unit.id}:${u.until}`), [
    "u15:2026-10-15",
    "u28:2026-10-28",
    "u1:2026-11-01",
    "u3:2026-11-03",
  ]);
  assert.ok(!wide.units.some((u) => u.unit.id === "u3" && u.until === "2026-10-03"));
  assert.throws(() => duePeriods(UNITS, { at: new Date(), lookBackDays: 0 }), UsageError);
});

Deno.test("duePeriods: an organisation cycle is due once every unit period of it closed", () => {
  // Cycle 2026-10 of org A: [10-01, 11-01), [10-15, 11-15), [10-28, 11-28): closes 11-28.
  for (const day of ["2026-11-01", "2026-11-15", "2026-11-27"]) {
    const d = duePeriods(UNITS, { at: new Date(`${day}T02:15:00Z`), lookBackDays: 1 });
    assert.deepEqual(d.organisations, [], day);
  }
  const closed = duePeriods(UNITS, { at: new Date("2026-11-28T02:15:00Z"), lookBackDays: 1 });
  assert.equal(closed.organisations.length, 1);
  const cycle = closed.organisations[0];
  assert.equal(cycle.cycle, "2026-10");
  assert.equal(cycle.organisationId, "org-a");
  assert.deepEqual([cycle.from, cycle.until], ["2026-10-01", "2026-11-28"]);
  assert.deepEqual(cycle.units.map((u) => [u.unit.id, u.from, u.until]), [
    ["u1", "2026-10-01", "2026-11-01"],
    ["u28", "2026-10-28", "2026-11-28"],
    ["u15", "2026-10-15", "2026-11-15"],
  ]);
  // Org B's only unit was created on 2026-10-20: its cycle 2026-10 is [10-03, 11-03).
  const b = duePeriods(UNITS, { at: new Date("2026-11-03T02:15:00Z"), lookBackDays: 1 });
  assert.deepEqual(b.organisations.map((o) => [o.organisationId, o.cycle, o.from, o.until]), [
    ["org-b", "2026-10", "2026-10-03", "2026-11-03"],
  ]);
});

Deno.test("cronConfigFromEnv reads the job's settings with documented defaults", () => {
  const none = cronConfigFromEnv(() => undefined, { defaultStore: "kv" });
  assert.equal(none.schedule.text, "15 2 * * *");
  assert.equal(none.lookBackDays, 40);
  assert.deepEqual(none.formats, ["xlsx"]);
  assert.equal(none.store, "kv");
  assert.equal(none.flagChange, "25");
  const env: Record<string, string> = {
    CRON_SCHEDULE: "0 5 * * *",
    CRON_LOOK_BACK_DAYS: "10",
    CRON_FORMATS: "csv, xlsx,csv",
    REPORTS_STORE: "kv:/tmp/x.kv",
    REPORTS_FLAG_CHANGE: " 12.5% ",
  };
  const set = cronConfigFromEnv((n) => env[n], { defaultStore: "kv" });
  assert.deepEqual(
    [set.schedule.text, set.lookBackDays, set.formats, set.store, set.flagChange],
    ["0 5 * * *", 10, ["csv", "xlsx"], "kv:/tmp/x.kv", "12.5"],
  );
  for (
    const [name, value] of [
      ["CRON_LOOK_BACK_DAYS", "0"],
      ["CRON_FORMATS", "pdf"],
      ["REPORTS_FLAG_CHANGE", "lots"],
      ["REPORTS_FLAG_CHANGE", "-5"],
    ]
  ) {
    assert.throws(
      () => cronConfigFromEnv((n) => (n === name ? value : undefined), { defaultStore: "kv" }),
      (e: Error) => e instanceof ConfigError && e.message.includes(`${name} "${value}"`),
    );
  }
  assert.ok(CRON_BACKOFF_SCHEDULE.length <= 5);
  assert.ok(CRON_BACKOFF_SCHEDULE.every((ms) => ms > 0 && ms <= 3_600_000));
});

/** A fake AS with one unit (billing day 3, no products) that records the periods asked for. */
function fakeContext(
  asked: string[],
  options: { failUnits?: boolean; serverCoins?: string } = {},
): CollectContext {
  const ok = <T>(msg: T) => Promise.resolve({ success: true as const, msg, httpStatusCode: 200 });
  const org = { id: "org-1", name: "Org", caller_is_member: true, private: false, created: "" };
  const unit = {
    id: "unit-1",
    name: "Unit",
    billing_day: 3,
    created: "2025-01-01",
    owner_id: "x",
    caller_is_member: true,
    private: false,
    default_product_privacy: "PRIVATE",
    users: [],
  };
  const api = {
    getUnits: () =>
      options.failUnits
        ? Promise.resolve({
          success: false as const,
          msg: { error: "Bearer abc.def.ghi broke" },
          httpStatusCode: 503,
        })
        : ok({ units: [{ organisation: { ...org, users: [] }, units: [unit] }] }),
    getProductsForUnit: () => ok({ products: [] }),
    getUnitCharges: (_t: string, q: { from?: string; until?: string }) => {
      asked.push(`${q.from}..${q.until}`);
      const coins = options.serverCoins ?? "0";
      return ok({
        caller_is_member: true,
        unit_id: "unit-1",
        name: "Unit",
        owner_id: "x",
        private: false,
        created: "2025-01-01",
        coins,
        count: 0,
        billing_day: 3,
        from: q.from,
        until: q.until,
        summary: { charges: [] },
        products: [],
      });
    },
  };
  return {
    api: api as unknown as CollectContext["api"],
    tokens: { getToken: () => Promise.resolve("tok") },
    sourceUrl: "https://as.example/account-server-api",
    sandbox: false,
  };
}

Deno.test("the cron handler derives the period from the scheduled time, not the wall clock", async () => {
  const store = await openReportStore("kv::memory:");
  const asked: string[] = [];
  const logged: string[] = [];
  try {
    // A retry at 04:40 on the 3rd, and a late start just after midnight on the 4th of a run
    // scheduled for 23:50: both work for the day the run was due.
    const late = createScheduledRun({
      config: { schedule: parseCronSchedule("50 23 * * *"), lookBackDays: 1, formats: ["csv"] },
      connect: () => Promise.resolve(fakeContext(asked)),
      store,
      log: (line) => logged.push(line),
      now: () => new Date("2026-11-04T00:20:00Z"),
    });
    const result = await late();
    assert.equal(result.at, "2026-11-03T23:50:00.000Z");
    assert.deepEqual(asked, ["2026-10-03..2026-11-03"]);
    assert.deepEqual(result.exported.map((e) => e.scope), ["unit", "organisation"]);
    assert.deepEqual(logged, [
      "cron: run for 2026-11-03 (scheduled 2026-11-03T23:50:00.000Z): exported 2, already stored 0, failed 0",
    ]);
    // The retry finds everything stored: nothing is asked or written again.
    const again = await late();
    assert.equal(again.exported.length, 0);
    assert.equal(again.skipped.length, 2);
  } finally {
    store.close();
  }
});

Deno.test("a failing run logs one redacted line and throws so that Deno.cron retries it", async () => {
  const store = await openReportStore("kv::memory:");
  const logged: string[] = [];
  try {
    const run = createScheduledRun({
      config: { schedule: parseCronSchedule("15 2 * * *"), lookBackDays: 1, formats: ["csv"] },
      connect: () => Promise.resolve(fakeContext([], { failUnits: true })),
      store,
      log: (line) => logged.push(line),
      now: () => new Date("2026-11-03T02:15:04Z"),
    });
    await assert.rejects(run(), (e: Error) => {
      assert.ok(e instanceof ScheduledRunError);
      assert.equal(e.stack, `ScheduledRunError: ${e.message}`);
      assert.ok(!e.message.includes("abc.def.ghi"));
      return true;
    });
    assert.equal(logged.length, 1);
    assert.match(logged[0], /^cron: Run for 2026-11-03T02:15:00.000Z failed before exporting/);
    assert.match(logged[0], /503/);
    assert.ok(!logged[0].includes("abc.def.ghi"), logged[0]);
    assert.deepEqual(await store.list(), []);
  } finally {
    store.close();
  }
});

Deno.test("totals that differ from the AS's are not stored: the run fails them, the next run stores them", async () => {
  const store = await openReportStore("kv::memory:");
  const logged: string[] = [];
  const progress: number[][] = [];
  try {
    const at = new Date("2026-11-03T02:15:00Z");
    const result = await runExportCycle(fakeContext([], { serverCoins: "5.25" }), {
      at,
      store,
      lookBackDays: 1,
      formats: ["csv"],
      log: (line) => logged.push(line),
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.deepEqual(progress, [[0, 2], [1, 2], [2, 2]]);
    assert.deepEqual(result.exported, []);
    assert.deepEqual(result.failed.map((f) => [f.scope, f.kind]), [
      ["unit", "unreconciled"],
      ["organisation", "unreconciled"],
    ]);
    assert.deepEqual(result.warnings, []);
    // One line per report, naming it, the unreconciled total and the server's 5.25.
    assert.equal(logged.length, 2);
    assert.match(logged[0], /^cron: Failed to export unit "Unit" \(unit-1\) .*not stored.*5\.25/);
    assert.match(logged[1], /^cron: Failed to export organisation "Org" \(org-1\) .*5\.25/);
    assert.deepEqual(await store.list(), [], "nothing stored");

    // The AS's totals agree now: the same day's run stores both, nothing is "already stored".
    const again = await runExportCycle(fakeContext([]), {
      at,
      store,
      lookBackDays: 1,
      formats: ["csv"],
      log: (line) => logged.push(line),
    });
    assert.deepEqual(again.failed, []);
    assert.equal(again.skipped.length, 0);
    assert.deepEqual(again.exported.map((e) => e.scope), ["unit", "organisation"]);
    assert.equal((await store.list()).length, 2);
    assert.ok((await store.list()).every((r) => r.reconciled === true));
  } finally {
    store.close();
  }
});

Deno.test("a stored report marked unreconciled does not count as stored and is replaced", async () => {
  const store = await openReportStore("kv::memory:");
  try {
    const at = new Date("2026-11-03T02:15:00Z");
    const first = await runExportCycle(fakeContext([]), {
      at,
      store,
      lookBackDays: 1,
      formats: ["csv"],
      log: () => {},
    });
    const unitFile = first.exported[0].files[0];
    // As `charges --store --allow-mismatch` would leave it: the same name, reconciled false.
    const old = (await store.list()).find((r) => r.name === unitFile)!;
    await store.put({ ...old, reconciled: false, rowCount: 99 }, new Uint8Array([1, 2, 3]));
    const second = await runExportCycle(fakeContext([]), {
      at,
      store,
      lookBackDays: 1,
      formats: ["csv"],
      log: () => {},
    });
    assert.deepEqual(second.exported.map((e) => e.files[0]), [unitFile]);
    assert.equal(second.skipped.length, 1, "the organisation file stays");
    const now = (await store.list()).find((r) => r.name === unitFile)!;
    assert.equal(now.reconciled, true);
    assert.equal(now.rowCount, 0);
  } finally {
    store.close();
  }
});

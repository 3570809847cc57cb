import assert from "node:assert/strict";
import { UsageError } from "../client/errors.ts";
import {
  describePeriod,
  isOpenPeriod,
  monthLabel,
  monthRange,
  parseMonth,
  parseMonths,
  parsePeriodFlags,
  previousMonth,
} from "../reports/charges/periods.ts";

const NOW = new Date("2026-12-02T05:40:00Z");

Deno.test("months: monthRange is [first day, first day of next month)", () => {
  assert.deepEqual(monthRange("2026-11"), {
    from: "2026-11-01",
    until: "2026-12-01",
    month: "2026-11",
  });
  assert.deepEqual(monthRange("2026-12"), {
    from: "2026-12-01",
    until: "2027-01-01",
    month: "2026-12",
  });
  assert.deepEqual(monthRange("2024-02"), {
    from: "2024-02-01",
    until: "2024-03-01",
    month: "2024-02",
  });
  assert.equal(previousMonth("2026-01"), "2025-12");
  assert.equal(previousMonth("2026-11"), "2026-10");
});

Deno.test("months: labels in words, the open one 'so far'", () => {
  assert.equal(
    monthLabel("2026-11"),
    "November 2026 (calendar month, 2026-11-01 to 2026-12-01 excl.)",
  );
  assert.equal(
    monthLabel("2026-12", { open: true }),
    "December 2026 so far (calendar month, 2026-12-01 to 2027-01-01 excl.)",
  );
  assert.equal(
    describePeriod({ from: "2026-01-01", until: "2026-02-01", month: "2026-01" }, {
      from: "2026-01-01",
      until: "2026-02-01",
    }),
    "January 2026 (calendar month, 2026-01-01 to 2026-02-01 excl.)",
  );
  assert.equal(
    describePeriod({ pbp: 0 }, { from: "2026-11-03", until: "2026-12-03" }, { open: true }),
    "current billing period (0) so far: 2026-11-03 (incl.) to 2026-12-03 (excl.)",
  );
  assert.equal(isOpenPeriod("2026-12-03", NOW), true);
  assert.equal(isOpenPeriod("2026-12-02", NOW), false);
});

Deno.test("months: parseMonth refuses what is not YYYY-MM", () => {
  assert.equal(parseMonth("2026-11"), "2026-11");
  for (const bad of ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "", "2026-11-01"]) {
    assert.throws(
      () => parseMonth(bad),
      (e) => e instanceof UsageError && /YYYY-MM/.test(e.message),
    );
  }
});

Deno.test("months: --month ranges oldest first, either order; the future is refused", () => {
  assert.deepEqual(parseMonths("2026-10..2027-01", new Date("2027-02-01T00:00:00Z")), [
    "2026-10",
    "2026-11",
    "2026-12",
    "2027-01",
  ]);
  assert.deepEqual(parseMonths("2026-11..2026-09", NOW), ["2026-09", "2026-10", "2026-11"]);
  // The current month is allowed (so far); the next one is not.
  assert.deepEqual(parseMonths("2026-12", NOW), ["2026-12"]);
  assert.throws(
    () => parseMonths("2027-01", NOW),
    (e) => e instanceof UsageError && /in the future.*2026-12/.test(e.message),
  );
  assert.throws(
    () => parseMonths("2026-11..2027-01", NOW),
    (e) => e instanceof UsageError && /in the future/.test(e.message),
  );
  assert.throws(
    () => parseMonths("2026-11..2026-1x", NOW),
    (e) => e instanceof UsageError && /"2026-11\.\.2026-1x"/.test(e.message),
  );
  assert.throws(() => parseMonths("2000-01..2026-11", NOW), /more than 120 months/);
});

Deno.test("months: --month makes month requests and combines with no other period flag", () => {
  assert.deepEqual(parsePeriodFlags({ month: "2026-10..2026-11" }, NOW), [
    { from: "2026-10-01", until: "2026-11-01", month: "2026-10" },
    { from: "2026-11-01", until: "2026-12-01", month: "2026-11" },
  ]);
  for (const other of [{ pbp: "-1" }, { from: "2026-01-01" }, { until: "2026-02-01" }]) {
    assert.throws(
      () => parsePeriodFlags({ month: "2026-11", ...other }, NOW),
      (e) => e instanceof UsageError && /Cannot combine --month/.test(e.message),
    );
  }
});

import assert from "node:assert/strict";
import { UsageError } from "../client/errors.ts";
import { addDays, isIsoDate } from "../client/dates.ts";
import {
  billingPeriodFor,
  describePeriod,
  normaliseServerDate,
  parsePbp,
  parsePeriodFlags,
  periodForPbp,
  priorPeriods,
} from "../reports/charges/periods.ts";

Deno.test("parsePeriodFlags defaults to the last closed period", () => {
  assert.deepEqual(parsePeriodFlags({}), [{ pbp: -1 }]);
});

Deno.test("parsePeriodFlags reads one pbp and a range, oldest first", () => {
  assert.deepEqual(parsePeriodFlags({ pbp: "0" }), [{ pbp: 0 }]);
  assert.deepEqual(parsePeriodFlags({ pbp: "-23" }), [{ pbp: -23 }]);
  assert.deepEqual(parsePeriodFlags({ pbp: "-3..-1" }), [{ pbp: -3 }, { pbp: -2 }, { pbp: -1 }]);
  assert.deepEqual(parsePbp("-1..-3"), [-3, -2, -1]);
  assert.equal(parsePbp("-11..-1").length, 11);
  assert.equal(Object.is(parsePbp("-0")[0], 0), true);
});

Deno.test("parsePeriodFlags rejects pbp outside -23..0 and garbage, naming the fix", () => {
  for (const bad of ["1", "-24", "-24..-1", "-1..1", "x", "-1.5", "", "-3..", "..-1"]) {
    assert.throws(
      () => parsePeriodFlags({ pbp: bad }),
      (e: unknown) => e instanceof UsageError && /-23/.test(e.message),
      `pbp ${JSON.stringify(bad)}`,
    );
  }
});

Deno.test("parsePeriodFlags reads a date range and rejects bad ones", () => {
  assert.deepEqual(parsePeriodFlags({ from: "2026-10-01", until: "2026-11-01" }), [
    { from: "2026-10-01", until: "2026-11-01" },
  ]);
  const cases: [Record<string, string>, RegExp][] = [
    [{ from: "2026-11-01", until: "2026-11-01" }, /not before.*--until 2026-11-02/],
    [{ from: "2026-12-01", until: "2026-11-01" }, /not before/],
    [{ from: "2026-13-01", until: "2027-01-01" }, /Cannot read --from "2026-13-01".*YYYY-MM-DD/],
    [{ from: "2026-02-30", until: "2026-03-05" }, /Cannot read --from/],
    [{ from: "2026-10-01", until: "1/11/2026" }, /Cannot read --until "1\/11\/2026"/],
    [{ from: "2026-10-01" }, /Missing --until/],
    [{ until: "2026-10-01" }, /Missing --from/],
    [{ pbp: "-1", from: "2026-10-01", until: "2026-11-01" }, /Cannot combine/],
  ];
  for (const [flags, pattern] of cases) {
    assert.throws(
      () => parsePeriodFlags(flags),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
      JSON.stringify(flags),
    );
  }
});

Deno.test("isIsoDate accepts only real calendar dates", () => {
  assert.equal(isIsoDate("2024-02-29"), true);
  assert.equal(isIsoDate("2025-02-29"), false);
  assert.equal(isIsoDate("2025-2-01"), false);
  assert.equal(isIsoDate("2025-02-01T00:00:00Z"), false);
});

Deno.test("billingPeriodFor finds the period containing a date", () => {
  const at = (s: string) => new Date(s);
  assert.deepEqual(billingPeriodFor(3, at("2026-11-26T10:00:00Z")), {
    from: "2026-11-03",
    until: "2026-12-03",
  });
  assert.deepEqual(billingPeriodFor(3, at("2026-11-02T23:59:59Z")), {
    from: "2026-10-03",
    until: "2026-11-03",
  });
  assert.deepEqual(billingPeriodFor(3, at("2026-11-03T00:00:00Z")), {
    from: "2026-11-03",
    until: "2026-12-03",
  });
  // Across the year end, both ways.
  assert.deepEqual(billingPeriodFor(28, at("2027-01-05T00:00:00Z")), {
    from: "2026-12-28",
    until: "2027-01-28",
  });
  assert.deepEqual(billingPeriodFor(1, at("2026-12-31T12:00:00Z")), {
    from: "2026-12-01",
    until: "2027-01-01",
  });
  assert.throws(() => billingPeriodFor(29, at("2026-01-01T00:00:00Z")), UsageError);
  assert.throws(() => billingPeriodFor(0, at("2026-01-01T00:00:00Z")), UsageError);
});

Deno.test("periodForPbp and priorPeriods step back whole months", () => {
  const now = new Date("2026-11-26T10:00:00Z");
  assert.deepEqual(periodForPbp(3, now, 0), { from: "2026-11-03", until: "2026-12-03" });
  assert.deepEqual(periodForPbp(3, now, -1), { from: "2026-10-03", until: "2026-11-03" });
  assert.deepEqual(periodForPbp(3, now, -11), { from: "2025-12-03", until: "2026-01-03" });
  assert.deepEqual(periodForPbp(3, now, -23), { from: "2024-12-03", until: "2025-01-03" });
  assert.throws(() => periodForPbp(3, now, 1), UsageError);
  const prior = priorPeriods(27, now, 3);
  assert.deepEqual(prior, [
    { pbp: -1, from: "2026-09-27", until: "2026-10-27" },
    { pbp: -2, from: "2026-08-27", until: "2026-09-27" },
    { pbp: -3, from: "2026-07-27", until: "2026-08-27" },
  ]);
  // Consecutive periods tile without gaps.
  for (let i = 1; i < prior.length; i++) assert.equal(prior[i].until, prior[i - 1].from);
});

Deno.test("describePeriod states the period in words and dates", () => {
  const range = { from: "2026-10-03", until: "2026-11-03" };
  assert.equal(
    describePeriod({ pbp: -1 }, range),
    "prior billing period -1: 2026-10-03 (incl.) to 2026-11-03 (excl.)",
  );
  assert.match(describePeriod({ pbp: 0 }, range), /^current billing period/);
  assert.match(describePeriod({ pbp: -2 }, range, { perUnit: true }), /own billing day/);
  assert.equal(
    describePeriod({ from: "2026-10-03", until: "2026-11-03" }, range),
    "2026-10-03 (incl.) to 2026-11-03 (excl.)",
  );
});

Deno.test("date helpers", () => {
  assert.equal(addDays("2026-12-31", 1), "2027-01-01");
  assert.equal(normaliseServerDate("2026-10-03"), "2026-10-03");
  assert.equal(normaliseServerDate("2026-10-03T00:00:00Z"), "2026-10-03");
  assert.equal(normaliseServerDate("not a date"), "not a date");
});

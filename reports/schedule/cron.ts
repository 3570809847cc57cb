/**
 * Five-field cron schedules (`minute hour day-of-month month day-of-week`, UTC, as
 * `Deno.cron` reads them) and the one question the scheduled job asks of them: when was the
 * run that is executing now due?
 *
 * `Deno.cron` does not pass its handler the scheduled time, and a run may start late or be
 * retried (its `backoffSchedule`) an hour or more after it was due. The job therefore never
 * derives its period from the wall clock: it truncates the start time to the schedule's last
 * due minute ({@link lastDueTime}), so a retry of the 02:15 run at 04:20 still works for the
 * same day.
 *
 * Syntax: the rules `Deno.cron` itself applies (checked against Deno 2.9 by
 * tests/cron_deno_rules_test.ts), so that a schedule this module accepts never makes the
 * top-level `Deno.cron` call throw: `*`, numbers, ranges `a-b`, lists `a,b`, steps `*\/n`,
 * `a/n` and `a-b/n` (a step from 1 to the field's largest value), and the names `JAN`..`DEC`
 * and `SUN`..`SAT` (any case). Day-of-week is numbered as `Deno.cron` numbers it, **1
 * (Sunday) to 7 (Saturday)**: 0 is refused, as `Deno.cron` refuses it, and `1` is Sunday, not
 * Monday as in Vixie cron. When both day fields are restricted, a day matches either one.
 * Refused although `Deno.cron` takes them: `L`, `W`, `#` and ranges that wrap around (`5-1`),
 * whose due times this module does not compute; `@daily` shortcuts and six fields are refused
 * by both.
 *
 * @module
 */

import { ConfigError } from "../../client/errors.ts";

/** The default schedule of the job: daily at 02:15 UTC. */
export const DEFAULT_CRON_SCHEDULE = "15 2 * * *";

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  /** The schedule as written. */
  text: string;
  /** 0..59. */
  minutes: ReadonlySet<number>;
  /** 0..23 (UTC). */
  hours: ReadonlySet<number>;
  /** 1..31. */
  daysOfMonth: ReadonlySet<number>;
  /** 1..12. */
  months: ReadonlySet<number>;
  /** 0..6 as `Date.getUTCDay()` numbers them (Sunday = 0), converted from the schedule's 1..7. */
  daysOfWeek: ReadonlySet<number>;
  /** True when day-of-month is not `*`. */
  domRestricted: boolean;
  /** True when day-of-week is not `*`. */
  dowRestricted: boolean;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day-of-week", min: 1, max: 7 },
] as const;

const MONTH_NAMES = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** How far back {@link lastDueTime} looks for a due day (covers any yearly schedule). */
const MAX_DAYS_BACK = 366 * 5;
const DAY_MS = 86_400_000;

/**
 * Parses a five-field cron schedule.
 *
 * @throws {ConfigError} naming the field that cannot be read.
 *
 * @example
 * ```ts
 * import { parseCronSchedule } from "@squonk2/billing/reports";
 *
 * parseCronSchedule("15 2 * * *").hours; // Set {2}
 * ```
 */
export function parseCronSchedule(text: string): CronSchedule {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new ConfigError(
      `Cannot read cron schedule "${text}": give five fields "minute hour day-of-month month day-of-week" in UTC, e.g. "${DEFAULT_CRON_SCHEDULE}"`,
    );
  }
  const sets = parts.map((part, i) => parseField(part, FIELDS[i], text));
  // Deno.cron's 1 (Sunday) .. 7 (Saturday) to getUTCDay()'s 0 .. 6.
  const dow = new Set([...sets[4]].map((d) => d - 1));
  return {
    text: parts.join(" "),
    minutes: sets[0],
    hours: sets[1],
    daysOfMonth: sets[2],
    months: sets[3],
    daysOfWeek: dow,
    domRestricted: parts[2] !== "*",
    dowRestricted: parts[4] !== "*",
  };
}

function parseField(
  part: string,
  field: { name: string; min: number; max: number },
  text: string,
): Set<number> {
  const out = new Set<number>();
  const bad = (why: string) =>
    new ConfigError(
      `Cannot read the ${field.name} field "${part}" of cron schedule "${text}": ${why}`,
    );
  const names = field.name === "month"
    ? MONTH_NAMES
    : field.name === "day-of-week"
    ? DAY_NAMES
    : [];
  for (const written of part.split(",")) {
    // Names become numbers: JAN = 1, SUN = 1 (as Deno.cron numbers them).
    const item = written.replace(/[A-Za-z]{3}/g, (name) => {
      const i = names.indexOf(name.toUpperCase());
      return i < 0 ? name : String(i + 1);
    });
    if (/[LW#?]/i.test(item)) {
      throw bad(`L, W, # and ? are not supported: use numbers, ranges a-b, lists a,b or steps */n`);
    }
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw bad(`use numbers, ranges a-b, lists a,b or steps */n`);
    let lo = field.min;
    let hi = field.max;
    if (m[1] !== "*") {
      lo = Number(m[2]);
      hi = m[3] === undefined ? (m[4] === undefined ? lo : field.max) : Number(m[3]);
    }
    const step = m[4] === undefined ? 1 : Number(m[4]);
    if (lo < field.min || hi > field.max || lo > hi) {
      throw bad(
        `values must run from ${field.min} to ${field.max}, low before high${
          field.name === "day-of-week"
            ? " (1 is Sunday, 7 Saturday, as Deno.cron numbers them)"
            : ""
        }`,
      );
    }
    if (step < 1 || step > field.max) throw bad(`a step must run from 1 to ${field.max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** True when the UTC day of `date` is a day the schedule runs on. */
function dayMatches(schedule: CronSchedule, date: Date): boolean {
  if (!schedule.months.has(date.getUTCMonth() + 1)) return false;
  const dom = schedule.daysOfMonth.has(date.getUTCDate());
  const dow = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.domRestricted && schedule.dowRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The latest minute at or before `time` at which `schedule` was due (UTC, seconds zeroed).
 *
 * @throws {ConfigError} when the schedule has not been due in the last five years (e.g.
 * "0 0 31 2 *").
 *
 * @example
 * ```ts
 * import { lastDueTime, parseCronSchedule } from "@squonk2/billing/reports";
 *
 * lastDueTime(parseCronSchedule("15 2 * * *"), new Date("2026-11-26T04:20:31Z"));
 * // 2026-11-26T02:15:00.000Z
 * lastDueTime(parseCronSchedule("15 2 * * *"), new Date("2026-11-26T01:00:00Z"));
 * // 2026-11-25T02:15:00.000Z
 * ```
 */
export function lastDueTime(schedule: CronSchedule, time: Date): Date {
  const limitMinute = Math.floor(time.getTime() / 60_000) * 60_000;
  const hours = [...schedule.hours].sort((a, b) => b - a);
  const minutes = [...schedule.minutes].sort((a, b) => b - a);
  const firstDay = Math.floor(limitMinute / DAY_MS) * DAY_MS;
  for (let i = 0; i <= MAX_DAYS_BACK; i++) {
    const day = firstDay - i * DAY_MS;
    if (!dayMatches(schedule, new Date(day))) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const t = day + h * 3_600_000 + m * 60_000;
        if (t <= limitMinute) return new Date(t);
      }
    }
  }
  throw new ConfigError(
    `Cron schedule "${schedule.text}" was never due in the five years before ${time.toISOString()}: check its day and month fields`,
  );
}

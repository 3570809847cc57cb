/**
 * The `from`, `until` and `pbp` query parameters of the four charges endpoints (reference
 * §2.6, §3.6, §4), turned into a window that each unit resolves to its own date range.
 *
 * Choices where the reference is silent (documented for users of the sandbox):
 * - `pbp` must be an integer from -23 to 0 (0 = current period); anything else is a 400.
 * - `from`/`until` accept `YYYY-MM-DD`, ISO-8601 date-times (UTC when no zone) and English
 *   dates like `1 December 2021` (see `parseDateParam` in `sandbox/periods.ts`); anything
 *   else is a 400. `from` is inclusive, `until` exclusive, and `from` must be before `until`.
 * - Giving `pbp` together with `from` or `until` is a 400: the two ways of choosing a period
 *   would contradict each other, and silently preferring one would hide the caller's mistake.
 * - Only `from`: up to the end of today. Only `until`: from the start of the unit's oldest
 *   period (pbp -23). Neither, nor `pbp`: the unit's current period.
 * - Responses give `from`/`until` as `YYYY-MM-DD` (the UTC day of each bound).
 *
 * @module
 */

import {
  addDays,
  billingPeriod,
  formatDay,
  MIN_PBP,
  parseDateParam,
  type Period,
  startOfDay,
} from "../periods.ts";
import { badRequest } from "./http.ts";

/** Which charges a request asks for. */
export type ChargeWindow =
  | { kind: "pbp"; pbp: number }
  | { kind: "range"; from?: Date; until?: Date };

/** Reads `pbp`, `from` and `until` from the query, answering 400 for bad values. */
export function readChargeWindow(query: (name: string) => string | undefined): ChargeWindow {
  const pbpText = query("pbp");
  const fromText = query("from");
  const untilText = query("until");
  if (pbpText !== undefined) {
    if (fromText !== undefined || untilText !== undefined) {
      throw badRequest(
        `Give either pbp ("${pbpText}") or from/until, not both: drop pbp to use dates, or drop the dates`,
      );
    }
    if (!/^\s*[+-]?\d+\s*$/.test(pbpText)) {
      throw badRequest(
        `The pbp "${pbpText}" is not an integer: use 0 (current period) down to ${MIN_PBP}`,
      );
    }
    const pbp = Number(pbpText);
    if (pbp > 0 || pbp < MIN_PBP) {
      throw badRequest(
        `The pbp "${pbpText}" is out of range: use 0 (current period) down to ${MIN_PBP}`,
      );
    }
    return { kind: "pbp", pbp: pbp === 0 ? 0 : pbp };
  }
  if (fromText === undefined && untilText === undefined) return { kind: "pbp", pbp: 0 };
  const from = fromText === undefined ? undefined : readDate(fromText, "from");
  const until = untilText === undefined ? undefined : readDate(untilText, "until");
  if (from && until && from.getTime() >= until.getTime()) {
    throw badRequest(
      `The from date "${fromText}" is not before the until date "${untilText}": until is exclusive, so use a later until`,
    );
  }
  return { kind: "range", from, until };
}

/** One date parameter, or a 400 naming it. */
function readDate(text: string, name: string): Date {
  const date = parseDateParam(text);
  if (!date) {
    throw badRequest(
      `The ${name} date "${text}" cannot be read: use YYYY-MM-DD (e.g. 2026-03-01) or an ISO-8601 date-time`,
    );
  }
  return date;
}

/** The date range a unit with `billingDay` covers for `window` at `now`. */
export function resolveWindow(
  window: ChargeWindow,
  options: { billingDay: number; now: Date },
): Period {
  if (window.kind === "pbp") {
    return billingPeriod(options.billingDay, options.now, { pbp: window.pbp });
  }
  const from = window.from ?? billingPeriod(options.billingDay, options.now, { pbp: MIN_PBP }).from;
  const until = window.until ?? addDays(startOfDay(options.now), 1);
  if (from.getTime() < until.getTime()) return { from, until };
  if (window.from) {
    throw badRequest(
      `The from date "${formatDay(from)}" is after today: use a date up to ${
        formatDay(options.now)
      }`,
    );
  }
  throw badRequest(
    `The until date "${formatDay(until)}" is before the oldest billing period (from ${
      formatDay(from)
    }): give a later until, or a from date as well`,
  );
}

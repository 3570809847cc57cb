/**
 * Reads the period of a download from its query string: `?pbp=N` (-23..0) or
 * `?from=YYYY-MM-DD&until=YYYY-MM-DD` (until exclusive). Without either, the last closed
 * period (`pbp=-1`), like the charges script.
 *
 * @module
 */

import { isIsoDate } from "../../client/dates.ts";
import { MAX_PBP, MIN_PBP } from "../../client/as/periods.ts";
import { UsageError } from "../../client/errors.ts";
import { DEFAULT_PBP, type PeriodRequest } from "../charges/periods.ts";

/**
 * Parses the period query parameters.
 *
 * @throws {UsageError} (400) for a malformed pbp or date, `from` not before `until`, half a
 * range, or pbp together with dates.
 */
export function periodFromQuery(
  query: { pbp?: string; from?: string; until?: string },
  options: { minPbp?: number } = {},
): PeriodRequest {
  const min = options.minPbp ?? MIN_PBP;
  const { pbp, from, until } = query;
  if (pbp !== undefined && (from !== undefined || until !== undefined)) {
    throw new UsageError(`Cannot combine pbp "${pbp}" with from/until: give one or the other`);
  }
  if (from !== undefined || until !== undefined) {
    if (!from || !until || !isIsoDate(from) || !isIsoDate(until)) {
      throw new UsageError(
        `Cannot read the period from "${from ?? ""}" until "${
          until ?? ""
        }": give both as YYYY-MM-DD (until exclusive)`,
      );
    }
    if (from >= until) {
      throw new UsageError(
        `Period from "${from}" is not before until "${until}": until is exclusive`,
      );
    }
    return { from, until };
  }
  if (pbp === undefined || pbp === "") return { pbp: DEFAULT_PBP };
  const n = /^-?\d{1,3}$/.test(pbp) ? Number(pbp) : NaN;
  if (!(n >= min && n <= MAX_PBP)) {
    throw new UsageError(`Cannot read pbp "${pbp}": give an integer from ${min} to ${MAX_PBP}`);
  }
  return { pbp: n === 0 ? 0 : n };
}

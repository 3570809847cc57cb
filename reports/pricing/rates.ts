/**
 * Rates files: what a coin costs, per organisation or unit, from a date on.
 *
 * ```csv
 * subject,currency,price_per_coin,effective_from
 * "Acme Chemistry, Ltd.",EUR,0.125,2026-01-01
 * unit-267bd552-6ac5-4c7e-a3ce-7e5153b15699,EUR,0.135,2026-06-01
 * ```
 *
 * `subject` is an organisation or unit, by id (`org-…`, `unit-…`) or by exact name;
 * `currency` an ISO 4217 code with known minor units (see currencies.ts); `price_per_coin` a
 * plain decimal ≥ 0; `effective_from` a `YYYY-MM-DD` date (UTC) from which the rate applies,
 * until the subject's next rate. Columns may come in any order; blank lines are skipped.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { Coins } from "../../client/coins.ts";
import { isIsoDate } from "../../client/dates.ts";
import { UsageError } from "../../client/errors.ts";
import { minorUnits } from "./currencies.ts";

/** One line of a rates file. */
export interface Rate {
  /** Organisation or unit id, or its exact name. */
  subject: string;
  /** ISO 4217 code, upper case. */
  currency: string;
  /** Price of one coin in `currency`, a plain decimal string (`.5` in the file is `0.5`). */
  pricePerCoin: string;
  /** First day (UTC, `YYYY-MM-DD`) the rate applies. */
  effectiveFrom: string;
  /** Line number in the file (for messages). */
  line: number;
}

/** A parsed rates file. */
export interface RateTable {
  /** Where the rates came from (the file name), for messages and reports. */
  source: string;
  /** Every rate, in file order. */
  rates: readonly Rate[];
}

/** The columns of a rates file. */
export const RATE_COLUMNS = ["subject", "currency", "price_per_coin", "effective_from"] as const;

/**
 * Parses the text of a rates file (see the module documentation).
 *
 * @throws {UsageError} naming `source`, the line and the fix for any bad line, a missing or
 *   unknown column, an unknown currency, or two rates of one subject on the same date.
 */
export function parseRates(text: string, source: string): RateTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new UsageError(
      `Cannot read rates file ${source}: ${(error as Error).message}; ` +
        `it must be CSV with the columns ${RATE_COLUMNS.join(",")}`,
    );
  }
  const header = records[0]?.record;
  const body = records.slice(1);
  if (header === undefined) {
    throw new UsageError(
      `Rates file ${source} is empty: its first line must be ${RATE_COLUMNS.join(",")}`,
    );
  }
  const names = header.map((h) => h.toLowerCase());
  for (const name of names) {
    if (!(RATE_COLUMNS as readonly string[]).includes(name)) {
      throw new UsageError(
        `Rates file ${source} has an unknown column "${name}": the columns are ` +
          RATE_COLUMNS.join(","),
      );
    }
  }
  const index = Object.fromEntries(RATE_COLUMNS.map((c) => [c, names.indexOf(c)]));
  const missing = RATE_COLUMNS.filter((c) => index[c] < 0);
  if (missing.length > 0) {
    throw new UsageError(
      `Rates file ${source} lacks the column(s) ${missing.join(", ")}: its first line must be ` +
        RATE_COLUMNS.join(","),
    );
  }
  const rates: Rate[] = [];
  const seen = new Map<string, number>();
  body.forEach(({ record, info }) => {
    const line = info.lines;
    const where = `rates file ${source} line ${line}`;
    if (record.length !== header.length) {
      throw new UsageError(
        `In ${where}: ${record.length} fields where the header has ${header.length}; ` +
          `quote a name that holds a comma`,
      );
    }
    const field = (c: (typeof RATE_COLUMNS)[number]) => record[index[c]];
    const rate = readRate(field, line, where);
    const key = `${rate.subject}\u0000${rate.effectiveFrom}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new UsageError(
        `In ${where}: "${rate.subject}" already has a rate from ${rate.effectiveFrom} ` +
          `(line ${earlier}): keep one of them`,
      );
    }
    seen.set(key, line);
    rates.push(rate);
  });
  if (rates.length === 0) {
    throw new UsageError(`Rates file ${source} has no rates: add lines below the header`);
  }
  return { source, rates };
}

function readRate(
  field: (c: (typeof RATE_COLUMNS)[number]) => string,
  line: number,
  where: string,
): Rate {
  const subject = field("subject");
  if (subject === "") {
    throw new UsageError(`In ${where}: subject is empty: give an organisation or unit id or name`);
  }
  const currency = field("currency").toUpperCase();
  try {
    minorUnits(currency);
  } catch (error) {
    throw new UsageError(`In ${where}: ${(error as Error).message}`);
  }
  const price = field("price_per_coin");
  let parsed: Coins;
  try {
    parsed = Coins.parse(price);
  } catch {
    throw new UsageError(
      `In ${where}: price_per_coin "${price}" is not a plain decimal: write e.g. 0.125 ` +
        `(a point, no thousands separators, no exponent)`,
    );
  }
  if (parsed.units < 0n || /^[+-]/.test(price)) {
    throw new UsageError(`In ${where}: price_per_coin "${price}" must be 0 or more, unsigned`);
  }
  const effectiveFrom = field("effective_from");
  if (!isIsoDate(effectiveFrom)) {
    throw new UsageError(
      `In ${where}: effective_from "${effectiveFrom}" is not a date: write YYYY-MM-DD (UTC)`,
    );
  }
  // As a plain decimal: ".5" → "0.5" (trailing zeros are kept: "0.10" stays "0.10").
  return { subject, currency, pricePerCoin: parsed.toString(), effectiveFrom, line };
}

/**
 * Reads and parses the rates file at `path`.
 *
 * @throws {UsageError} when the file cannot be read or is not a valid rates file.
 */
export async function readRatesFile(path: string): Promise<RateTable> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new UsageError(`Cannot read the rates file "${path}": ${why}; check --rates`);
  }
  return parseRates(text, path);
}

/**
 * Pricing a collected report: every row gets the rate in force on its day (a unit's rate
 * beats its organisation's; the latest `effective_from` on or before the row's date wins),
 * an exact amount rounded half-to-even to the currency's minor unit, and the report gets
 * money totals per currency, both as the sum of the rounded rows and as the rounded exact
 * sum.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import { UsageError } from "../../client/errors.ts";
import type { ChargeReport, ChargeRow } from "../charges/model.ts";
import { multiply, roundHalfEven } from "./decimal.ts";
import { minorUnits } from "./currencies.ts";
import type { Rate, RateTable } from "./rates.ts";
import type { CurrencyTotal, ReportPricing, UnitMoney } from "./types.ts";

/** Options of {@link priceReport}. */
export interface PriceOptions {
  /**
   * Leave rows without a rate unpriced (empty price, amount and currency) instead of
   * failing. @default false
   */
  allowUnpriced?: boolean;
}

/** The rate chosen for one row, with its exact and rounded amount. */
export interface RowPrice {
  /** The rate in force. */
  rate: Rate;
  /** coins × price, exact. */
  exact: Coins;
  /** `exact` rounded half-to-even to the currency's minor unit. */
  rounded: Coins;
}

/**
 * The UTC day of a row: the date of a storage item, the day of a processing charge's
 * timestamp.
 */
export function rowDate(row: Pick<ChargeRow, "timestamp" | "periodFrom">): string {
  const ts = row.timestamp;
  if (/^\d{4}-\d{2}-\d{2}$/.test(ts)) return ts;
  // A timestamp without an offset is UTC (the Account Server sends UTC).
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(ts) ? ts : `${ts}Z`;
  const ms = Date.parse(withZone);
  if (!Number.isNaN(ms)) return new Date(ms).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(ts) ? ts.slice(0, 10) : row.periodFrom;
}

/**
 * The rate in force for `row` on `date`: among the rates naming the row's unit (id or
 * name), the one with the latest `effective_from` ≤ `date`; when none, the same among the
 * rates naming its organisation; `undefined` when neither has one. At equal dates a rate
 * naming the id beats one naming the name.
 */
export function rateFor(
  rates: readonly Rate[],
  row: Pick<ChargeRow, "unitId" | "unitName" | "organisationId" | "organisationName">,
  date: string,
): Rate | undefined {
  return latest(rates, [row.unitId, row.unitName], date) ??
    latest(rates, [row.organisationId, row.organisationName], date);
}

function latest(rates: readonly Rate[], keys: [string, string], date: string) {
  let best: Rate | undefined;
  let bestById = false;
  for (const r of rates) {
    if (r.effectiveFrom > date) continue;
    const byId = r.subject === keys[0];
    if (!byId && r.subject !== keys[1]) continue;
    if (
      best === undefined || r.effectiveFrom > best.effectiveFrom ||
      (r.effectiveFrom === best.effectiveFrom && byId && !bestById)
    ) {
      best = r;
      bestById = byId;
    }
  }
  return best;
}

/** Prices one row's coins at `rate`. */
export function priceCoins(coins: string, rate: Rate): RowPrice {
  const exact = multiply(Coins.parse(coins), Coins.parse(rate.pricePerCoin));
  return { rate, exact, rounded: roundHalfEven(exact, minorUnits(rate.currency)) };
}

/**
 * A copy of `report` whose rows carry `pricePerCoin`, `amount` and `currency`, with
 * `pricing` totals. An in-memory report (rows in an array) gets its priced rows in an
 * array; a report whose rows are read back from a spool keeps its memory bounded: the totals
 * are made in one pass and the rows are priced again, one by one, on every later pass
 * (pricing is a pure function of the row and the rates, so every pass agrees).
 *
 * @throws {UsageError} (exit 2) naming every unit without a rate on a row's day and the
 *   fix, unless `allowUnpriced`.
 */
export async function priceReport(
  report: ChargeReport,
  table: RateTable,
  options: PriceOptions = {},
): Promise<ChargeReport> {
  const keep = Array.isArray(report.rows);
  const rows: ChargeRow[] = [];
  let rowCount = 0;
  const totals = new Map<string, { rows: number; coins: Coins; rounded: Coins; exact: Coins }>();
  const units = new Map<string, UnitMoney & { c: Coins; a: Coins }>();
  const missing = new Map<string, { row: ChargeRow; date: string }>();
  const byName = new Map<Rate, Map<string, string>>();
  let unpricedRows = 0;
  let unpricedCoins = Coins.zero();
  for await (const row of report.rows) {
    rowCount++;
    const date = rowDate(row);
    const rate = rateFor(table.rates, row, date);
    if (rate === undefined) {
      const seen = missing.get(row.unitId);
      if (seen === undefined || date < seen.date) missing.set(row.unitId, { row, date });
      unpricedRows++;
      unpricedCoins = unpricedCoins.plus(row.coins);
      if (keep) rows.push(pricedRow(row, undefined));
      continue;
    }
    noteNamedSubject(byName, rate, row);
    const { exact, rounded } = priceCoins(row.coins, rate);
    if (keep) rows.push(pricedRow(row, { rate, exact, rounded }));
    const t = totals.get(rate.currency) ??
      { rows: 0, coins: Coins.zero(), rounded: Coins.zero(), exact: Coins.zero() };
    totals.set(rate.currency, {
      rows: t.rows + 1,
      coins: t.coins.plus(row.coins),
      rounded: t.rounded.plus(rounded),
      exact: t.exact.plus(exact),
    });
    const key = `${row.unitId}\u0000${rate.currency}`;
    const u = units.get(key) ?? {
      unitId: row.unitId,
      unitName: row.unitName,
      organisationName: row.organisationName,
      currency: rate.currency,
      coins: "0",
      amount: "0",
      c: Coins.zero(),
      a: Coins.zero(),
    };
    u.c = u.c.plus(row.coins);
    u.a = u.a.plus(rounded);
    units.set(key, u);
  }
  const ambiguous = [...byName.entries()].filter(([, matched]) => matched.size > 1);
  if (ambiguous.length > 0) throw new UsageError(ambiguousMessage(ambiguous, table.source));
  if (missing.size > 0 && options.allowUnpriced !== true) {
    throw new UsageError(unpricedMessage([...missing.values()], table.source));
  }
  const currencies: CurrencyTotal[] = [...totals.entries()]
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([currency, t]) => {
      const digits = minorUnits(currency);
      const sumOfRounded = t.rounded.withScale(digits);
      const roundedExact = roundHalfEven(t.exact, digits);
      return {
        currency,
        minorUnits: digits,
        rows: t.rows,
        coins: t.coins.toString(),
        sumOfRoundedRows: sumOfRounded.toString(),
        exactSum: t.exact.toString(),
        roundedExactSum: roundedExact.toString(),
        difference: roundHalfEven(sumOfRounded.minus(roundedExact), digits).toString(),
      };
    });
  const byUnit: UnitMoney[] = [...units.values()]
    .map(({ c, a, ...u }) => ({
      ...u,
      coins: c.toString(),
      amount: a.withScale(minorUnits(u.currency)).toString(),
    }))
    .sort((x, y) =>
      x.organisationName.localeCompare(y.organisationName) ||
      x.unitName.localeCompare(y.unitName) || x.unitId.localeCompare(y.unitId) ||
      x.currency.localeCompare(y.currency)
    );
  const pricing: ReportPricing = {
    source: table.source,
    currencies,
    byUnit,
    unpricedRows,
    unpricedCoins: unpricedCoins.toString(),
    unpricedUnits: [...missing.values()].map(({ row }) => `${row.unitName} (${row.unitId})`),
  };
  return { ...report, rows: keep ? rows : repriced(report.rows, table), rowCount, pricing };
}

/**
 * `source` priced row by row on every pass, iterable the same ways as `source` (a spool
 * reads back both synchronously and asynchronously).
 */
function repriced(source: ChargeReport["rows"], table: RateTable): ChargeReport["rows"] {
  const price = (row: ChargeRow) => {
    const rate = rateFor(table.rates, row, rowDate(row));
    return pricedRow(row, rate === undefined ? undefined : priceCoins(row.coins, rate));
  };
  const asyncRows: AsyncIterable<ChargeRow> = {
    async *[Symbol.asyncIterator]() {
      for await (const row of source) yield price(row);
    },
  };
  if (!(Symbol.iterator in source)) return asyncRows;
  const syncSource = source as Iterable<ChargeRow>;
  return Object.assign(asyncRows, {
    *[Symbol.iterator]() {
      for (const row of syncSource) yield price(row);
    },
  });
}

/** `row` with its price, amount and currency; empty strings when it has no rate. */
function pricedRow(row: ChargeRow, price: RowPrice | undefined): ChargeRow {
  if (price === undefined) return { ...row, pricePerCoin: "", amount: "", currency: "" };
  return {
    ...row,
    pricePerCoin: price.rate.pricePerCoin,
    amount: price.rounded.toString(),
    currency: price.rate.currency,
  };
}

/**
 * Records which unit or organisation a rate given by name (not id) priced: a name must name
 * one of them only (two units, or an organisation and a unit, can share a name).
 */
function noteNamedSubject(byName: Map<Rate, Map<string, string>>, rate: Rate, row: ChargeRow) {
  if (rate.subject === row.unitId || rate.subject === row.organisationId) return;
  const [key, label] = rate.subject === row.unitName
    ? [row.unitId, `unit ${row.unitId} of organisation "${row.organisationName}"`]
    : [row.organisationId, `organisation ${row.organisationId}`];
  const matched = byName.get(rate) ?? new Map<string, string>();
  matched.set(key, label);
  byName.set(rate, matched);
}

function ambiguousMessage(ambiguous: [Rate, Map<string, string>][], source: string): string {
  const lines = ambiguous.map(([rate, matched]) =>
    `line ${rate.line} ("${rate.subject}") names ${[...matched.values()].join(" and ")}`
  );
  return `Ambiguous names in ${source}: ${lines.join("; ")}. Give the unit or organisation ` +
    `id (unit-…, org-…) instead of the name`;
}

function unpricedMessage(missing: { row: ChargeRow; date: string }[], source: string): string {
  const shown = missing.slice(0, 5).map(({ row, date }) =>
    `unit "${row.unitName}" (${row.unitId}) of organisation "${row.organisationName}" ` +
    `(${row.organisationId}) on ${date}`
  );
  const more = missing.length > 5 ? ` and ${missing.length - 5} more unit(s)` : "";
  return `No rate in ${source} for ${shown.join("; ")}${more}. Add a line for the unit or ` +
    `its organisation (by id or exact name) with effective_from on or before that date, ` +
    `or pass --allow-unpriced to leave such rows unpriced`;
}

/** True when a row's coins were priced (it has a currency). */
export function isPriced(row: ChargeRow): boolean {
  return row.currency !== undefined && row.currency !== "";
}

/**
 * Exact totals of charge rows (grand, by charge type, organisation, unit and product) for
 * synthetic reports. {@link exactTotals} adds decimal strings with {@link Coins};
 * {@link fastTotals} adds integer sub-units as plain numbers, which is exact while the sum
 * stays below 2^53 sub-units and lets benchmark reports of a million rows build quickly.
 *
 * @module
 */

import { Coins } from "../client/coins.ts";
import type { ChargeRow, ReportTotals } from "./model.ts";

/** Exact totals of `rows`, adding their coins as decimals. */
export function exactTotals(rows: Iterable<ChargeRow>): ReportTotals {
  return buildTotals<Coins>((add) => {
    for (const row of rows) add(row, Coins.parse(row.coins));
  }, { zero: Coins.zero(), sum: (a, b) => a.plus(b), show: (a) => a.toString() });
}

/**
 * Exact totals of rows whose coins are given as integer `units` of `10^-scale` coin.
 *
 * @throws {RangeError} when a sum leaves the range where doubles hold integers exactly.
 */
export function fastTotals(
  entries: Iterable<{ row: ChargeRow; units: number }>,
  scale: number,
): ReportTotals {
  return buildTotals<number>((add) => {
    for (const { row, units } of entries) add(row, units);
  }, {
    zero: 0,
    sum: (a, b) => {
      const total = a + b;
      if (!Number.isSafeInteger(total)) throw new RangeError(`Total ${total} is not exact`);
      return total;
    },
    show: (units) => new Coins(BigInt(units), scale).toString(),
  });
}

interface Arithmetic<T> {
  zero: T;
  sum: (a: T, b: T) => T;
  show: (amount: T) => string;
}

interface Bucket<T> {
  amount: T;
  items: number;
}

function buildTotals<T>(
  feed: (add: (row: ChargeRow, amount: T) => void) => void,
  math: Arithmetic<T>,
): ReportTotals {
  const grand: Bucket<T> = { amount: math.zero, items: 0 };
  const byType = new Map<string, Bucket<T>>();
  const byOrg = new Map<string, Bucket<T> & { name: string }>();
  const byUnit = new Map<string, Bucket<T> & { name: string; organisationId: string }>();
  const byProduct = new Map<string, Bucket<T> & { name: string; unitId: string }>();
  const bump = (bucket: Bucket<T>, amount: T) => {
    bucket.amount = math.sum(bucket.amount, amount);
    bucket.items++;
  };
  // Buckets are looked up and created inline: this runs once per row of million-row reports.
  feed((row, amount) => {
    bump(grand, amount);
    let type = byType.get(row.chargeType);
    if (!type) byType.set(row.chargeType, type = { amount: math.zero, items: 0 });
    bump(type, amount);
    let org = byOrg.get(row.organisationId);
    if (!org) {
      org = { amount: math.zero, items: 0, name: row.organisationName };
      byOrg.set(row.organisationId, org);
    }
    bump(org, amount);
    let unit = byUnit.get(row.unitId);
    if (!unit) {
      unit = {
        amount: math.zero,
        items: 0,
        name: row.unitName,
        organisationId: row.organisationId,
      };
      byUnit.set(row.unitId, unit);
    }
    bump(unit, amount);
    let product = byProduct.get(row.productId);
    if (!product) {
      product = { amount: math.zero, items: 0, name: row.productName, unitId: row.unitId };
      byProduct.set(row.productId, product);
    }
    bump(product, amount);
  });
  const out = <B extends Bucket<T>>(map: Map<string, B>) =>
    Object.fromEntries(
      [...map].map(([key, { amount, ...rest }]) => [key, { ...rest, coins: math.show(amount) }]),
    );
  return {
    grand: { coins: math.show(grand.amount), items: grand.items },
    byChargeType: out(byType),
    byOrganisation: out(byOrg),
    byUnit: out(byUnit),
    byProduct: out(byProduct),
  };
}

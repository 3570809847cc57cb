/**
 * Exact totals of a report's rows by organisation, unit, product and charge type, and the
 * grand total, summed as scaled integers from the servers' decimal strings (never floats).
 *
 * @module
 */

import type { AnyProduct, ChargeType } from "../../client/types.ts";
import { productName } from "./rows.ts";
import type { ChargeRow, ReportTotals, Total } from "./model.ts";
import { ChargeTally, CoinSum } from "./tally.ts";

/** The charge types, in report order. */
export const CHARGE_TYPES: readonly ChargeType[] = ["PROCESSING", "STORAGE"];

/** Options of {@link computeTotals}. */
export interface ComputeTotalsOptions {
  /**
   * Products in scope: each gets a (possibly zero) total, as do their units and
   * organisations, so that a product without charges still shows in the summary.
   */
  products?: readonly AnyProduct[];
}

/**
 * Sums `rows` exactly. Every charge type appears in `byChargeType`, with `"0"` when it has
 * no items.
 *
 * @example
 * ```ts
 * import { type ChargeRow, computeTotals } from "@squonk2/billing/reports";
 *
 * declare const rows: ChargeRow[]; // e.g. the rows of a collected report
 * const totals = computeTotals(rows);
 * totals.grand; // e.g. { coins: "12.345", items: 7 }
 * totals.byChargeType.STORAGE; // always present: { coins: "0", items: 0 } without storage
 * ```
 */
export function computeTotals(
  rows: Iterable<ChargeRow>,
  options: ComputeTotalsOptions = {},
): ReportTotals {
  const tally = new ChargeTally();
  let index = 0;
  for (const row of rows) tally.add([row], index++);
  return totalsFromTally(tally, options);
}

/**
 * The totals of the rows fed to `tally` (see {@link computeTotals}, which it equals for the
 * same rows): a collection adds each product's rows as its answer arrives, and only this
 * roll-up of a few hundred groups is left after the last answer.
 */
export function totalsFromTally(
  tally: ChargeTally,
  options: ComputeTotalsOptions = {},
): ReportTotals {
  const groups = tally.groups();
  const types = tally.level("all").get("")?.byType ?? new Map<string, CoinSum>();
  const grand = new CoinSum();
  const byType = new Map<string, Total>(CHARGE_TYPES.map((t) => [t, total(undefined)]));
  for (const [t, sum] of types) {
    byType.set(t, total(sum));
    grand.add(sum, sum.items);
  }
  // Products in scope first (in their order), so that one without charges still shows;
  // then anything only the rows name, in the order of its first row.
  const seeds: {
    organisationId: string;
    organisationName: string;
    unitId: string;
    unitName: string;
    productId: string;
    productName: string;
  }[] = (options.products ?? []).map((p) => ({
    organisationId: p.organisation.id,
    organisationName: p.organisation.name,
    unitId: p.unit.id,
    unitName: p.unit.name,
    productId: p.product.id,
    productName: productName(p),
  }));
  const orgs = tally.level("organisation");
  const units = tally.level("unit");
  const products = tally.level("product");
  // Maps, then entries: an id such as "__proto__" stays a key like any other.
  const byOrganisation = new Map<string, Total & { name: string }>();
  const byUnit = new Map<string, Total & { name: string; organisationId: string }>();
  const byProduct = new Map<string, Total & { name: string; unitId: string }>();
  for (const s of [...seeds, ...groups]) {
    if (!byOrganisation.has(s.organisationId)) {
      byOrganisation.set(s.organisationId, {
        ...total(orgs.get(s.organisationId)?.sum),
        name: s.organisationName,
      });
    }
    if (!byUnit.has(s.unitId)) {
      byUnit.set(s.unitId, {
        ...total(units.get(s.unitId)?.sum),
        name: s.unitName,
        organisationId: s.organisationId,
      });
    }
    if (!byProduct.has(s.productId)) {
      byProduct.set(s.productId, {
        ...total(products.get(s.productId)?.sum),
        name: s.productName,
        unitId: s.unitId,
      });
    }
  }
  return {
    grand: total(grand),
    byChargeType: Object.fromEntries(byType),
    byOrganisation: Object.fromEntries(byOrganisation),
    byUnit: Object.fromEntries(byUnit),
    byProduct: Object.fromEntries(byProduct),
  };
}

function total(sum: CoinSum | undefined): Total {
  return sum === undefined
    ? { coins: "0", items: 0 }
    : { coins: sum.coins.toString(), items: sum.items };
}

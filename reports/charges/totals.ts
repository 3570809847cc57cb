/**
 * Exact totals of a report's rows by organisation, unit, product and charge type, and the
 * grand total, summed as scaled integers from the servers' decimal strings (never floats).
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import type { AnyProduct, ChargeType } from "../../client/types.ts";
import { productName } from "./rows.ts";
import type { ChargeRow, ReportTotals, Total } from "./model.ts";

/** The charge types, in report order. */
export const CHARGE_TYPES: readonly ChargeType[] = ["PROCESSING", "STORAGE"];

interface Acc {
  coins: Coins;
  items: number;
}

function acc(): Acc {
  return { coins: Coins.zero(), items: 0 };
}

function total(a: Acc): Total {
  return { coins: a.coins.toString(), items: a.items };
}

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
  const grand = acc();
  const byType = new Map<string, Acc>(CHARGE_TYPES.map((t) => [t, acc()]));
  const orgs = new Map<string, Acc & { name: string }>();
  const units = new Map<string, Acc & { name: string; organisationId: string }>();
  const products = new Map<string, Acc & { name: string; unitId: string }>();
  const seed = (
    org: { id: string; name: string },
    unit: { id: string; name: string },
    product: { id: string; name: string },
  ) => {
    if (!orgs.has(org.id)) orgs.set(org.id, { ...acc(), name: org.name });
    if (!units.has(unit.id)) {
      units.set(unit.id, { ...acc(), name: unit.name, organisationId: org.id });
    }
    if (!products.has(product.id)) {
      products.set(product.id, { ...acc(), name: product.name, unitId: unit.id });
    }
  };
  for (const p of options.products ?? []) {
    seed(p.organisation, p.unit, { id: p.product.id, name: productName(p) });
  }
  for (const row of rows) {
    seed(
      { id: row.organisationId, name: row.organisationName },
      { id: row.unitId, name: row.unitName },
      { id: row.productId, name: row.productName },
    );
    const coins = Coins.parse(row.coins);
    if (!byType.has(row.chargeType)) byType.set(row.chargeType, acc());
    for (
      const a of [
        grand,
        byType.get(row.chargeType)!,
        orgs.get(row.organisationId)!,
        units.get(row.unitId)!,
        products.get(row.productId)!,
      ]
    ) {
      a.coins = a.coins.plus(coins);
      a.items++;
    }
  }
  return {
    grand: total(grand),
    byChargeType: Object.fromEntries([...byType].map(([k, a]) => [k, total(a)])),
    byOrganisation: Object.fromEntries(
      [...orgs].map(([k, a]) => [k, { ...total(a), name: a.name }]),
    ),
    byUnit: Object.fromEntries(
      [...units].map((
        [k, a],
      ) => [k, { ...total(a), name: a.name, organisationId: a.organisationId }]),
    ),
    byProduct: Object.fromEntries(
      [...products].map(([k, a]) => [k, { ...total(a), name: a.name, unitId: a.unitId }]),
    ),
  };
}

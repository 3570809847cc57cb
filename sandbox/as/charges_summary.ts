/**
 * The bodies of the four charges endpoints, built from the generated charge items so that
 * totals agree to the last digit: a product's `coins` is the exact sum of its processing and
 * storage items; a unit's is the sum of its products; an organisation's the sum of its units
 * (each over its own period when `pbp` is used); `/charges` the sum of all organisations,
 * including the Default one (personal units). Totals are exact decimals written with four
 * places (e.g. `"12.3400"`); item coins keep the precision they were "sent" with.
 *
 * `count` (the reference does not define it): the number of charge items in the response's
 * scope, processing charges plus storage items; a unit's is the sum of its products', and the
 * `/charges` count the sum over all units.
 *
 * @module
 */

import type {
  ChargesGetResponse,
  ChargeSummary,
  OrganisationChargesGetResponse,
  ProductChargesGetResponse,
  UnitChargesGetResponse,
} from "../../client/types.ts";
import { tenKText } from "../data/ten_k.ts";
import { formatDay, type Period } from "../periods.ts";
import type { OrgRecord, ProductRecord, UnitRecord } from "../state.ts";
import type { Access } from "./access.ts";
import { type ChargeWindow, resolveWindow } from "./charges_query.ts";

/** Processing and storage totals of a scope (ten-thousandths of a coin), plus its item count. */
interface Totals {
  processing: bigint;
  storage: bigint;
  count: number;
}

/** Ten-thousandths as a total with four decimals. */
function text(tenK: bigint): string {
  return tenKText(tenK, 4);
}

/** The two-entry summary (both types always present). */
function summaryOf(t: Totals): ChargeSummary[] {
  return [
    { type: "PROCESSING", coins: text(t.processing) },
    { type: "STORAGE", coins: text(t.storage) },
  ];
}

/** Adds `b` into a copy of `a`. */
function add(a: Totals, b: Totals): Totals {
  return {
    processing: a.processing + b.processing,
    storage: a.storage + b.storage,
    count: a.count + b.count,
  };
}

/** Zero totals. */
function zero(): Totals {
  return { processing: 0n, storage: 0n, count: 0 };
}

/** The unit's date range for the window. */
function unitRange(unit: UnitRecord, window: ChargeWindow, access: Access): Period {
  return resolveWindow(window, { billingDay: unit.billingDay, now: access.state.now() });
}

/** A product's totals over `range`. */
function productTotals(product: ProductRecord, range: Period, access: Access): Totals {
  const c = access.state.productCharges(product.id, range, { totalsOnly: true });
  return {
    processing: c.processingTenK,
    storage: c.storageTenK,
    count: c.processingCount + c.storageCount,
  };
}

/** A unit's totals over `range`, with each product's. */
function unitTotals(unit: UnitRecord, range: Period, access: Access) {
  let total = zero();
  const products = access.state.productsOf(unit.id).map((product) => {
    const t = productTotals(product, range, access);
    total = add(total, t);
    return { product, totals: t };
  });
  return { total, products };
}

/** `GET /charges/product/{id}`. */
export function productChargesBody(
  product: ProductRecord,
  ctx: { window: ChargeWindow; access: Access },
): ProductChargesGetResponse {
  const unit = ctx.access.state.units.get(product.unitId)!;
  const range = unitRange(unit, ctx.window, ctx.access);
  const c = ctx.access.state.productCharges(product.id, range);
  const body: ProductChargesGetResponse = {
    product_id: product.id,
    product_type: product.type,
    billing_day: unit.billingDay,
    claimable: product.type === "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
    count: c.processing.length + c.storage.length,
    from: formatDay(range.from),
    until: formatDay(range.until),
    coins: text(c.processingTenK + c.storageTenK),
    processing_charges: c.processing,
    storage_charges: { num_items: c.storage.length, items: c.storage },
  };
  if (product.claim) body.claim = { ...product.claim };
  return body;
}

/** `GET /charges/unit/{id}`. */
export function unitChargesBody(
  unit: UnitRecord,
  ctx: { window: ChargeWindow; access: Access },
): UnitChargesGetResponse {
  const range = unitRange(unit, ctx.window, ctx.access);
  const { total, products } = unitTotals(unit, range, ctx.access);
  return {
    caller_is_member: ctx.access.isUnitMember(unit),
    unit_id: unit.id,
    name: unit.name,
    owner_id: unit.ownerId,
    private: unit.private,
    created: unit.created,
    coins: text(total.processing + total.storage),
    count: total.count,
    billing_day: unit.billingDay,
    from: formatDay(range.from),
    until: formatDay(range.until),
    summary: { charges: summaryOf(total) },
    products: products.map(({ product, totals }) => ({
      product_id: product.id,
      product_type: product.type,
      charges: summaryOf(totals),
    })),
  };
}

/** An organisation's totals and per-unit summaries. */
function orgTotals(org: OrgRecord, ctx: { window: ChargeWindow; access: Access }) {
  let total = zero();
  const units = ctx.access.state.unitsOf(org.id).map((unit) => {
    const range = unitRange(unit, ctx.window, ctx.access);
    const t = unitTotals(unit, range, ctx.access).total;
    total = add(total, t);
    return {
      unit_id: unit.id,
      name: unit.name,
      billing_day: unit.billingDay,
      from: formatDay(range.from),
      until: formatDay(range.until),
      summary: summaryOf(t),
    };
  });
  return { total, units };
}

/** `GET /charges/organisation/{id}`. */
export function orgChargesBody(
  org: OrgRecord,
  ctx: { window: ChargeWindow; access: Access },
): OrganisationChargesGetResponse {
  const { total, units } = orgTotals(org, ctx);
  return {
    organisation_id: org.id,
    name: org.name,
    coins: text(total.processing + total.storage),
    summary: summaryOf(total),
    unit_charges: units,
  };
}

/** `GET /charges` (admin): every organisation, the Default one included. */
export function allChargesBody(ctx: { window: ChargeWindow; access: Access }): ChargesGetResponse {
  let total = zero();
  const orgs = [...ctx.access.state.orgs.values()].map((org) => {
    const t = orgTotals(org, ctx).total;
    total = add(total, t);
    return { organisation_id: org.id, name: org.name, summary: summaryOf(t) };
  });
  return {
    coins: text(total.processing + total.storage),
    count: total.count,
    summary: summaryOf(total),
    organisation_charges: orgs,
  };
}

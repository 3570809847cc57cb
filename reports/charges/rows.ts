/**
 * Flattening one product's charges (`GET /charges/product/{id}`) into detail rows, one per
 * processing charge and one per daily storage item.
 *
 * The answer has been validated against its schema by the client (a body that does not fit
 * is a `ProtocolError`, never reaching here), so required fields are used as they are; the
 * few the AS 4.4 schema marks optional are handled where they are read, each saying what
 * its absence means.
 *
 * @module
 */

import type {
  AnyProduct,
  ChargeAdditionalData,
  ProductChargesGetResponse,
} from "../../client/types.ts";
import type { ChargeRow } from "./model.ts";
import { normaliseServerDate } from "./periods.ts";

/** A field of the free-form `additional_data` (optional in the schema) as text; "" if absent. */
function text(data: ChargeAdditionalData | undefined, key: string): string {
  if (data === undefined) return "";
  const value = data[key];
  return value === undefined || value === null ? "" : String(value);
}

/**
 * The detail rows of one product's charges, processing charges first (by timestamp, then
 * record id), then storage items (by date, then item number). Coins stay the server's
 * decimal strings.
 */
export function rowsFromProductCharges(
  product: AnyProduct,
  charges: ProductChargesGetResponse,
): ChargeRow[] {
  const base = {
    organisationId: product.organisation.id,
    organisationName: product.organisation.name,
    unitId: product.unit.id,
    unitName: product.unit.name,
    billingDay: charges.billing_day,
    periodFrom: normaliseServerDate(charges.from),
    periodUntil: normaliseServerDate(charges.until),
    productId: product.product.id,
    productName: productName(product),
    productType: charges.product_type,
    // `flavour?`: "not all products have flavours" (storage subscriptions have none).
    productFlavour: product.product.flavour === undefined ? "" : product.product.flavour,
  };
  const processing = [...charges.processing_charges].sort((a, b) =>
    compareText(a.charge.timestamp, b.charge.timestamp) || a.charge.id - b.charge.id
  );
  const storage = [...charges.storage_charges.items].sort((a, b) =>
    compareText(a.date, b.date) || a.item_number - b.item_number
  );
  const rows: ChargeRow[] = [];
  for (const p of processing) {
    const data = p.charge.additional_data;
    rows.push({
      ...base,
      chargeType: "PROCESSING",
      chargeId: p.charge.id,
      timestamp: p.charge.timestamp,
      username: p.charge.username,
      merchant: p.merchant_name,
      jobCollection: text(data, "job_collection"),
      jobJob: text(data, "job_job"),
      jobVersion: text(data, "job_version"),
      // `closed?`: "when the process stopped"; absent while it still runs (written empty).
      closed: p.closed === undefined ? "" : p.closed,
      final: p.final,
      coins: p.charge.coins,
    });
  }
  for (const s of storage) {
    rows.push({
      ...base,
      chargeType: "STORAGE",
      chargeId: s.item_number,
      timestamp: s.date,
      username: "",
      merchant: "",
      jobCollection: "",
      jobJob: "",
      jobVersion: "",
      // `closed?`: when the day's storage charge concluded; absent while open (written empty).
      closed: s.closed === undefined ? "" : s.closed,
      final: false,
      coins: s.coins,
    });
  }
  return rows;
}

/**
 * A product's name for reports. `name?` is optional in the AS 4.4 `ProductDetail` (the
 * reference gives no meaning to its absence): a product without one is written with an
 * empty name, and is still identified by its id in every row.
 */
export function productName(product: AnyProduct): string {
  return product.product.name === undefined ? "" : product.product.name;
}

function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders products for a report: by organisation, unit, then product name, then id. */
export function compareProducts(a: AnyProduct, b: AnyProduct): number {
  return compareText(a.organisation.name, b.organisation.name) ||
    compareText(a.organisation.id, b.organisation.id) ||
    compareText(a.unit.name, b.unit.name) ||
    compareText(a.unit.id, b.unit.id) ||
    compareText(a.product.name, b.product.name) ||
    compareText(a.product.id, b.product.id);
}

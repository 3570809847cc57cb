/**
 * What the server's AS credentials can see, gathered for the pages: organisations with
 * their units and products.
 *
 * @module
 */

import { unwrap } from "../../client/as/api_rv.ts";
import type { AnyProduct, UnitAllDetail } from "../../client/types.ts";
import type { ServerContext } from "./context.ts";

/** A unit as the pages show it. */
export interface CatalogUnit {
  id: string;
  name: string;
  billingDay: number;
}

/** A product as the pages show it. */
export interface CatalogProduct {
  id: string;
  name: string;
  type: string;
  flavour: string;
  unitId: string;
  unitName: string;
}

/** An organisation with its units and products. */
export interface CatalogOrganisation {
  id: string;
  name: string;
  units: CatalogUnit[];
  products: CatalogProduct[];
}

function toUnit(u: UnitAllDetail): CatalogUnit {
  return { id: u.id, name: u.name, billingDay: u.billing_day };
}

function toProduct(p: AnyProduct): CatalogProduct {
  return {
    id: p.product.id,
    name: p.product.name ?? "",
    type: p.product.type,
    flavour: p.product.flavour ?? "",
    unitId: p.unit?.id ?? "",
    unitName: p.unit?.name ?? "",
  };
}

const byName = <T extends { name: string; id: string }>(a: T, b: T) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** Loads every organisation, unit and product visible to the server (three AS calls). */
export async function loadCatalog(ctx: ServerContext): Promise<CatalogOrganisation[]> {
  const token = await ctx.tokens.getToken();
  const [orgs, units, products] = await Promise.all([
    ctx.api.getOrganisations(token).then((rv) => unwrap(rv, "List organisations")),
    ctx.api.getUnits(token).then((rv) => unwrap(rv, "List units")),
    ctx.api.getAvailableProducts(token).then((rv) => unwrap(rv, "List products")),
  ]);
  const out = new Map<string, CatalogOrganisation>();
  for (const o of orgs.organisations) {
    out.set(o.id, { id: o.id, name: o.name, units: [], products: [] });
  }
  for (const group of units.units) {
    const org = out.get(group.organisation.id);
    if (org) org.units.push(...group.units.map(toUnit));
  }
  for (const p of products.products) {
    const org = p.organisation ? out.get(p.organisation.id) : undefined;
    if (org) org.products.push(toProduct(p));
  }
  const list = [...out.values()].sort(byName);
  for (const o of list) {
    o.units.sort(byName);
    o.products.sort((a, b) => a.unitName.localeCompare(b.unitName) || byName(a, b));
  }
  return list;
}

/** Loads one organisation with its units and products (404 from the AS when unknown). */
export async function loadOrganisation(
  ctx: ServerContext,
  orgId: string,
): Promise<CatalogOrganisation> {
  const token = await ctx.tokens.getToken();
  const [org, units, products] = await Promise.all([
    ctx.api.getOrganisation(token, { orgId }).then((rv) => unwrap(rv, `Get organisation ${orgId}`)),
    ctx.api.getUnits(token).then((rv) => unwrap(rv, "List units")),
    ctx.api.getProductsForOrganisation(token, { orgId }).then((rv) =>
      unwrap(rv, `List products of organisation ${orgId}`)
    ),
  ]);
  // An organisation without units has no group in `GET /unit`: that, not a missing field,
  // is the only reason for an empty list here.
  const group = units.units.find((g) => g.organisation.id === org.id);
  return {
    id: org.id,
    name: org.name,
    units: group === undefined ? [] : group.units.map(toUnit).sort(byName),
    products: products.products.map(toProduct).sort((a, b) =>
      a.unitName.localeCompare(b.unitName) || byName(a, b)
    ),
  };
}

/**
 * What the server's AS credentials can see, gathered for the pages: organisations with
 * their units and products. The listings are reused per AS account for a short time
 * (`ReportServerOptions.cache.listingTtlMs`, 30 s by default) with one request in flight
 * per key (reports/server/caches.ts); a failed listing is not kept.
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

/** Everything the server's AS account can see: the catalog, and the ids by kind. */
export interface CatalogIndex {
  /** Organisations with their units and products, sorted by name. */
  organisations: CatalogOrganisation[];
  /** Every id the listings named, by kind (units and products of any organisation). */
  visible: {
    /** Organisation ids. */
    organisation: ReadonlySet<string>;
    /** Unit ids. */
    unit: ReadonlySet<string>;
    /** Product ids. */
    product: ReadonlySet<string>;
  };
}

/**
 * Every organisation, unit and product visible to the server (three AS calls, reused for
 * the listing TTL per AS account). The result is shared between requests: do not change it.
 */
export async function loadCatalog(ctx: ServerContext): Promise<CatalogOrganisation[]> {
  return (await loadCatalogIndex(ctx)).organisations;
}

/** The catalog with its visible ids, reused for the listing TTL per AS account. */
export async function loadCatalogIndex(ctx: ServerContext): Promise<CatalogIndex> {
  const token = await ctx.tokens.getToken();
  const key = ctx.caches.identityOf(token);
  return await ctx.caches.catalogs.get(key, () => fetchCatalog(ctx, token));
}

/**
 * True when the server's AS account can see the organisation, unit or product `id` in its
 * (cached) listings. A `false` is no refusal: the caller asks the Account Server itself.
 */
export async function listedAsVisible(
  ctx: ServerContext,
  kind: "organisation" | "unit" | "product",
  id: string,
): Promise<boolean> {
  return (await loadCatalogIndex(ctx)).visible[kind].has(id);
}

async function fetchCatalog(ctx: ServerContext, token: string): Promise<CatalogIndex> {
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
  return {
    organisations: list,
    visible: {
      organisation: new Set(orgs.organisations.map((o) => o.id)),
      unit: new Set(units.units.flatMap((g) => g.units.map((u) => u.id))),
      product: new Set(products.products.map((p) => p.product.id)),
    },
  };
}

/**
 * Loads one organisation with its units and products (404 from the AS when unknown),
 * reused for the listing TTL per AS account. The result is shared: do not change it.
 */
export async function loadOrganisation(
  ctx: ServerContext,
  orgId: string,
): Promise<CatalogOrganisation> {
  const token = await ctx.tokens.getToken();
  const key = `${ctx.caches.identityOf(token)}\n${orgId}`;
  return await ctx.caches.organisations.get(key, () => fetchOrganisation(ctx, token, orgId));
}

async function fetchOrganisation(
  ctx: ServerContext,
  token: string,
  orgId: string,
): Promise<CatalogOrganisation> {
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

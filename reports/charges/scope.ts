/**
 * Scopes of a charges export: parsing the scope word of the scripts, and resolving an
 * organisation, unit or product given by id or exact name, together with the products in
 * scope, in as few AS requests as possible (one listing call gives each product with its
 * unit and organisation).
 *
 * @module
 */

import { ApiError, UsageError } from "../../client/errors.ts";
import { rankByName } from "../_names.ts";
import type { AnyProduct, OrganisationDetail, UnitDetail } from "../../client/types.ts";
import type { ApiCaller } from "./calls.ts";
import { productName } from "./rows.ts";
import type { ChargesApi, ScopeRequest } from "./collect_types.ts";
import type { ScopeKind } from "./model.ts";

/** A scope resolved to ids and names, with the products it covers. */
export interface ResolvedScope {
  kind: ScopeKind;
  /** Id of the organisation, unit or product; empty for `all`. */
  id: string;
  /** Its name; "all organisations" for `all`. */
  name: string;
  /** The organisation in scope (organisation, unit and product scopes). */
  organisation?: { id: string; name: string };
  /** The unit in scope (unit and product scopes). */
  unit?: { id: string; name: string; billingDay: number };
  /** Every product in scope, each with its unit and organisation. */
  products: AnyProduct[];
}

const KINDS: Record<string, ScopeKind> = {
  org: "organisation",
  organisation: "organisation",
  organization: "organisation",
  unit: "unit",
  product: "product",
  all: "all",
};

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const MAX_CANDIDATES = 12;

/**
 * Reads the scope word of a script (`org`, `organisation`, `unit`, `product` or `all`) and
 * its id-or-name argument into a {@link ScopeRequest}.
 *
 * @throws {UsageError} for an unknown word, a missing ref, or a ref given with `all`.
 */
export function parseScope(word: string | undefined, ref: string | undefined): ScopeRequest {
  const kind = word === undefined ? undefined : KINDS[word.toLowerCase()];
  if (!kind) {
    throw new UsageError(
      `Unknown scope "${
        word ?? ""
      }": use org, unit, product (each followed by an id or exact name) or all`,
    );
  }
  if (kind === "all") {
    if (ref !== undefined) {
      throw new UsageError(`Scope "all" takes no id or name, got "${ref}": drop it or use org`);
    }
    return { kind };
  }
  if (ref === undefined || ref.trim() === "") {
    throw new UsageError(`Scope "${word}" needs an id or exact name, e.g. ${word} "Chemistry"`);
  }
  return { kind, ref };
}

/** True when `ref` has the shape of an AS id of `prefix` (`org`, `unit`, `product`). */
export function looksLikeId(prefix: string, ref: string): boolean {
  return new RegExp(`^${prefix}-${UUID}$`).test(ref);
}

/** Where scope resolution sends its requests: the AS client, through a counting caller. */
export interface ScopeSource {
  calls: ApiCaller;
  api: ChargesApi;
}

/**
 * Resolves `scope` to ids and names and lists its products: 1 request for `all` and a
 * product id or name, 2 for an organisation or unit.
 *
 * @throws {UsageError} for an unknown id or name, or a name shared by several candidates
 * (the message lists them).
 */
export async function resolveScope(
  source: ScopeSource,
  scope: ScopeRequest,
): Promise<ResolvedScope> {
  const { calls, api } = source;
  switch (scope.kind) {
    case "all": {
      const list = await calls.call("List products", (t) => api.getAvailableProducts(t));
      return { kind: "all", id: "", name: "all organisations", products: list.products };
    }
    case "organisation":
      return await resolveOrganisation(calls, api, scope.ref ?? "");
    case "unit":
      return await resolveUnit(calls, api, scope.ref ?? "");
    case "product":
      return await resolveProduct(calls, api, scope.ref ?? "");
  }
}

async function resolveOrganisation(
  calls: ApiCaller,
  api: ChargesApi,
  ref: string,
): Promise<ResolvedScope> {
  let org: OrganisationDetail;
  if (looksLikeId("org", ref)) {
    org = await unknownOn404(
      calls.call(`Get organisation ${ref}`, (t) => api.getOrganisation(t, { orgId: ref })),
      `Unknown organisation id "${ref}": check the id, or give the exact name`,
    );
  } else {
    const list = await calls.call("List organisations", (t) => api.getOrganisations(t));
    org = pickOne(list.organisations, {
      what: "organisation",
      ref,
      label: (o) => `${o.name} (${o.id})`,
    });
  }
  const products = await calls.call(
    `List products of organisation ${org.id}`,
    (t) => api.getProductsForOrganisation(t, { orgId: org.id }),
  );
  return {
    kind: "organisation",
    id: org.id,
    name: org.name,
    organisation: { id: org.id, name: org.name },
    products: products.products,
  };
}

async function resolveUnit(calls: ApiCaller, api: ChargesApi, ref: string): Promise<ResolvedScope> {
  // GET /unit gives every visible unit with its organisation in one call (GET /unit/{id}
  // does not name the organisation), so ids and names are both resolved from it.
  const groups = await calls.call("List units", (t) => api.getUnits(t));
  const all: (UnitDetail & { org: OrganisationDetail })[] = [];
  for (const g of groups.units) for (const u of g.units) all.push({ ...u, org: g.organisation });
  const byId = all.filter((u) => u.id === ref);
  const unit = byId.length === 1 ? byId[0] : pickOne(all, {
    what: "unit",
    ref,
    label: (u) => `${u.name} (${u.id}, organisation ${u.org.name})`,
  });
  const products = await calls.call(
    `List products of unit ${unit.id}`,
    (t) => api.getProductsForUnit(t, { unitId: unit.id }),
  );
  return {
    kind: "unit",
    id: unit.id,
    name: unit.name,
    organisation: { id: unit.org.id, name: unit.org.name },
    unit: { id: unit.id, name: unit.name, billingDay: unit.billing_day },
    products: products.products,
  };
}

async function resolveProduct(
  calls: ApiCaller,
  api: ChargesApi,
  ref: string,
): Promise<ResolvedScope> {
  let product: AnyProduct;
  if (looksLikeId("product", ref)) {
    const body = await unknownOn404(
      calls.call(`Get product ${ref}`, (t) => api.getProduct(t, { productId: ref })),
      `Unknown product id "${ref}": check the id, or give the exact name`,
    );
    product = body.product;
  } else {
    const list = await calls.call("List products", (t) => api.getAvailableProducts(t));
    product = pickOne(list.products, {
      what: "product",
      ref,
      label: (p) => `${productName(p)} (${p.product.id}, unit ${p.unit.name})`,
      nameOf: productName,
    });
  }
  return {
    kind: "product",
    id: product.product.id,
    // A product without a name (`name?` in the schema) is named by its id in the report.
    name: product.product.name === undefined ? product.product.id : product.product.name,
    organisation: { id: product.organisation.id, name: product.organisation.name },
    unit: { id: product.unit.id, name: product.unit.name, billingDay: product.unit.billing_day },
    products: [product],
  };
}

/** Options of {@link pickOne}. */
export interface PickOptions<T> {
  /** What the items are, for messages: "organisation", "unit", "product". */
  what: string;
  /** The exact name asked for. */
  ref: string;
  /** How a candidate is shown in messages (name and id). */
  label: (item: T) => string;
  /** The item's name. @default `item.name` */
  nameOf?: (item: T) => string;
}

/**
 * Picks the one item whose name is exactly `ref`.
 *
 * @throws {UsageError} listing the candidates when none or several match.
 */
export function pickOne<T>(items: readonly T[], options: PickOptions<T>): T {
  const { what, ref, label } = options;
  const nameOf = options.nameOf ?? ((item: T) => (item as { name: string }).name);
  const exact = items.filter((i) => nameOf(i) === ref);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) {
    throw new UsageError(
      `The ${what} name "${ref}" is ambiguous (${exact.length} match): give the id instead, one of ${
        listOf(exact.map(label))
      }`,
    );
  }
  // Nearest first, the same ranking onboarding uses (reports/_names.ts): same but for case,
  // then containing, then typos and shared words, then the rest.
  const candidates = rankByName(ref, items, nameOf).map((r) => label(r.item));
  const known = candidates.length > 0
    ? `; candidates: ${listOf(candidates)}`
    : "; none is visible to you";
  throw new UsageError(
    `Unknown ${what} "${ref}": give an exact name (case matters) or an id${known}`,
  );
}

function listOf(labels: string[]): string {
  const shown = labels.slice(0, MAX_CANDIDATES).map((l) => `"${l}"`).join(", ");
  return labels.length > MAX_CANDIDATES
    ? `${shown} and ${labels.length - MAX_CANDIDATES} more`
    : shown;
}

async function unknownOn404<T>(pending: Promise<T>, message: string): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      throw new UsageError(message, { cause: error });
    }
    throw error;
  }
}

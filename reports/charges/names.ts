/**
 * Finding names: the organisations, units and products an account can see, with their ids,
 * for `deno task charges --list organisations|units|products [ID-OR-NAME]`. Units can be
 * listed within one organisation, products within one organisation or unit (given by id or
 * exact name; an unknown name lists the closest candidates, as the export's scopes do).
 *
 * @module
 */

import { UsageError } from "../../client/errors.ts";
import type { AnyProduct, OrganisationDetail, UnitDetail } from "../../client/types.ts";
import type { ApiCaller } from "./calls.ts";
import type { ChargesApi } from "./collect_types.ts";
import { productName } from "./rows.ts";
import { looksLikeId, pickOne } from "./scope.ts";

/** What `--list` lists. */
export type ListKind = "organisations" | "units" | "products";

/** One organisation, unit or product found, with where it belongs. */
export interface NameEntry {
  /** `organisation`, `unit` or `product`. */
  kind: "organisation" | "unit" | "product";
  /** Its name (a product without one: its id). */
  name: string;
  /** Its id (`org-…`, `unit-…`, `product-…`). */
  id: string;
  /** The organisation it belongs to (units and products). */
  organisation?: { id: string; name: string };
  /** The unit it belongs to (products), with its billing day. */
  unit?: { id: string; name: string; billingDay: number };
  /** The unit's billing day (units), 1..28. */
  billingDay?: number;
  /** The product's type (products), e.g. `DATA_MANAGER_STORAGE_SUBSCRIPTION`. */
  type?: string;
}

/** The result of {@link listNames}. */
export interface NameList {
  /** What was listed. */
  kind: ListKind;
  /** The organisation or unit the list is limited to, when one was given. */
  within?: { kind: "organisation" | "unit"; id: string; name: string };
  /** The entries, sorted by organisation, unit and name. */
  entries: NameEntry[];
}

const KINDS: Record<string, ListKind> = {
  org: "organisations",
  orgs: "organisations",
  organisation: "organisations",
  organisations: "organisations",
  organization: "organisations",
  organizations: "organisations",
  unit: "units",
  units: "units",
  product: "products",
  products: "products",
};

/**
 * Reads the word after `--list` (`organisations`, `units`, `products`, singular or `org`).
 *
 * @throws {UsageError} for any other word, and for `organisations` with a ref.
 */
export function parseListKind(word: string, ref: string | undefined): ListKind {
  const kind = KINDS[word.trim().toLowerCase()];
  if (!kind) {
    throw new UsageError(
      `Cannot list "${word}": use --list organisations, --list units [ORG] or --list products [ORG|UNIT]`,
    );
  }
  if (kind === "organisations" && ref !== undefined) {
    throw new UsageError(
      `--list organisations takes no name, got "${ref}": to see one organisation's units, use --list units "${ref}"`,
    );
  }
  return kind;
}

/**
 * Lists the organisations, units or products visible to the account, units optionally
 * within organisation `ref`, products within organisation or unit `ref` (id or exact
 * name). 1 or 2 requests.
 *
 * @throws {UsageError} for an unknown or ambiguous `ref` (the message lists candidates).
 */
export async function listNames(
  source: { calls: ApiCaller; api: ChargesApi },
  kind: ListKind,
  ref?: string,
): Promise<NameList> {
  const { calls, api } = source;
  if (kind === "organisations") {
    const list = await calls.call("List organisations", (t) => api.getOrganisations(t));
    return { kind, entries: sortEntries(list.organisations.map(orgEntry)) };
  }
  if (kind === "units") {
    const groups = await calls.call("List units", (t) => api.getUnits(t));
    let within: NameList["within"];
    let shown = groups.units;
    if (ref !== undefined) {
      const org = pickOrganisation(groups.units.map((g) => g.organisation), ref);
      within = { kind: "organisation", id: org.id, name: org.name };
      shown = groups.units.filter((g) => g.organisation.id === org.id);
    }
    const entries = shown.flatMap((g) => g.units.map((u) => unitEntry(u, g.organisation)));
    return { kind, ...(within ? { within } : {}), entries: sortEntries(entries) };
  }
  const products = await calls.call("List products", (t) => api.getAvailableProducts(t));
  let within: NameList["within"];
  let shown = products.products;
  if (ref !== undefined) {
    const groups = await calls.call("List units", (t) => api.getUnits(t));
    within = pickOrgOrUnit(groups.units, ref);
    const id = within.id;
    shown = shown.filter((p) => p.organisation.id === id || p.unit.id === id);
  }
  return { kind, ...(within ? { within } : {}), entries: sortEntries(shown.map(productEntry)) };
}

function pickOrganisation(orgs: readonly OrganisationDetail[], ref: string): OrganisationDetail {
  const byId = orgs.find((o) => o.id === ref);
  if (byId) return byId;
  if (looksLikeId("org", ref)) {
    throw new UsageError(`Unknown organisation id "${ref}": list them with --list organisations`);
  }
  return pickOne(orgs, { what: "organisation", ref, label: (o) => `${o.name} (${o.id})` });
}

function pickOrgOrUnit(
  groups: readonly { organisation: OrganisationDetail; units: UnitDetail[] }[],
  ref: string,
): { kind: "organisation" | "unit"; id: string; name: string } {
  type Candidate = { kind: "organisation" | "unit"; id: string; name: string; label: string };
  const candidates: Candidate[] = [];
  for (const g of groups) {
    const o = g.organisation;
    candidates.push({ kind: "organisation", id: o.id, name: o.name, label: `${o.name} (${o.id})` });
    for (const u of g.units) {
      candidates.push({
        kind: "unit",
        id: u.id,
        name: u.name,
        label: `${u.name} (${u.id}, unit of ${o.name})`,
      });
    }
  }
  const byId = candidates.find((c) => c.id === ref);
  const picked = byId ??
    pickOne(candidates, { what: "organisation or unit", ref, label: (c) => c.label });
  return { kind: picked.kind, id: picked.id, name: picked.name };
}

function orgEntry(o: OrganisationDetail): NameEntry {
  return { kind: "organisation", name: o.name, id: o.id };
}

function unitEntry(u: UnitDetail, o: OrganisationDetail): NameEntry {
  return {
    kind: "unit",
    name: u.name,
    id: u.id,
    organisation: { id: o.id, name: o.name },
    billingDay: u.billing_day,
  };
}

function productEntry(p: AnyProduct): NameEntry {
  return {
    kind: "product",
    name: productName(p),
    id: p.product.id,
    organisation: { id: p.organisation.id, name: p.organisation.name },
    unit: { id: p.unit.id, name: p.unit.name, billingDay: p.unit.billing_day },
    type: p.product.type,
  };
}

function sortEntries(entries: NameEntry[]): NameEntry[] {
  const key = (e: NameEntry) => [e.organisation?.name ?? "", e.unit?.name ?? "", e.name, e.id];
  return entries.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    }
    return 0;
  });
}

/**
 * The list as a plain-text table: a header line, then one line per entry with its name, id
 * and what it belongs to; columns padded to line up.
 */
export function nameTable(list: NameList): string {
  const head = list.kind === "organisations"
    ? ["NAME", "ID"]
    : list.kind === "units"
    ? ["NAME", "ID", "BILLING DAY", "ORGANISATION"]
    : ["NAME", "ID", "TYPE", "UNIT", "ORGANISATION"];
  const rows = list.entries.map((e) =>
    list.kind === "organisations"
      ? [e.name, e.id]
      : list.kind === "units"
      ? [e.name, e.id, String(e.billingDay ?? ""), e.organisation?.name ?? ""]
      : [e.name, e.id, e.type ?? "", e.unit?.name ?? "", e.organisation?.name ?? ""]
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const within = list.within
    ? ` of ${list.within.kind} ${list.within.name} (${list.within.id})`
    : "";
  const count = `${list.entries.length} ${
    list.entries.length === 1 ? list.kind.slice(0, -1) : list.kind
  }${within}`;
  return [line(head), ...rows.map(line), count].join("\n");
}

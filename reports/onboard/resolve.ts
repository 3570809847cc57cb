/**
 * Resolution of the organisation and unit named by onboarding rows: ids or exact names,
 * looked up in one listing of the organisations and one of the units the caller can see,
 * with the Account Server's rules (no personal units, no `Default` organisation, a unit
 * named with its organisation must belong to it).
 *
 * @module
 */

import { unwrap } from "../../client/as/api_rv.ts";
import type { OrganisationDetail, UnitDetail } from "../../client/types.ts";
import type { OnboardRow } from "./csv.ts";
import type { MembershipTarget, OnboardClient } from "./types.ts";

const ORG_ID_RE = /^org-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIT_ID_RE = /^unit-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The Default organisation houses personal units (AS reference §2.7/§2.8); it is named
// `Default` and has no owner. Its id comes from GET /default/organisation when available.
const DEFAULT_ORG_NAME = "Default";

/** What the caller can see: organisations, units with their organisation, the Default id. */
export interface Directory {
  orgs: OrganisationDetail[];
  units: { unit: UnitDetail; org: OrganisationDetail }[];
  defaultOrgId?: string;
}

/** Lists the organisations and units once (three requests); throws `ApiError` on failure. */
export async function loadDirectory(client: OnboardClient): Promise<Directory> {
  const token = await client.tokens.getToken();
  const [orgsRv, unitsRv, defaultRv] = await Promise.all([
    client.api.getOrganisations(token),
    client.api.getUnits(token),
    client.api.getDefaultOrganisation(token),
  ]);
  const orgs = unwrap(orgsRv, "List organisations").organisations;
  const groups = unwrap(unitsRv, "List units").units;
  const units = groups.flatMap((g) => g.units.map((unit) => ({ unit, org: g.organisation })));
  // An older server without /default/organisation (a 404) still names it `Default`; any
  // other failure (a malformed answer, a 5xx, no answer) is not a reason to guess.
  const defaultOrgId = !defaultRv.success && defaultRv.httpStatusCode === 404
    ? undefined
    : unwrap(defaultRv, "Get the default organisation").id;
  return { orgs, units, defaultOrgId };
}

function isDefaultOrg(dir: Directory, org: OrganisationDetail): boolean {
  return dir.defaultOrgId ? org.id === dir.defaultOrgId : org.name === DEFAULT_ORG_NAME;
}

/** The targets of `row` in order (organisation, unit), or why the row cannot be applied. */
export function resolveRow(dir: Directory, row: OnboardRow): MembershipTarget[] | string {
  const targets: MembershipTarget[] = [];
  let org: OrganisationDetail | undefined;
  if (row.organisation !== "") {
    const found = pickOne(dir.orgs, row.organisation, ORG_ID_RE, "organisation");
    if (typeof found === "string") return found;
    org = found;
    if (isDefaultOrg(dir, org)) {
      return `organisation "${row.organisation}" is the Default organisation, which only holds personal units; users cannot be added to it, name another organisation`;
    }
    targets.push({ kind: "organisation", id: org.id, name: org.name });
  }
  if (row.unit !== "") {
    const byId = UNIT_ID_RE.test(row.unit);
    const pool = org && !byId ? dir.units.filter((u) => u.org.id === org.id) : dir.units;
    const where = org && !byId ? ` in organisation "${org.name}"` : "";
    const found = pickOne(pool.map((u) => u.unit), row.unit, UNIT_ID_RE, "unit", where);
    if (typeof found === "string") return found;
    const home = dir.units.find((u) => u.unit.id === found.id)!.org;
    if (isDefaultOrg(dir, home)) {
      return `unit "${row.unit}" is a personal unit (organisation "${home.name}"); users cannot be added to or removed from personal units, name a shared unit`;
    }
    if (org && home.id !== org.id) {
      return `unit "${row.unit}" belongs to organisation "${home.name}" (${home.id}), not "${org.name}"; correct the organisation or the unit`;
    }
    targets.push({ kind: "unit", id: found.id, name: found.name });
  }
  return targets;
}

function pickOne<T extends { id: string; name: string }>(
  items: T[],
  value: string,
  idPattern: RegExp,
  kind: string,
  where = "",
): T | string {
  if (idPattern.test(value)) {
    const byId = items.find((i) => i.id.toLowerCase() === value.toLowerCase());
    return byId ??
      `${kind} id "${value}" is unknown or not visible to you; check the id (or use the exact name)`;
  }
  const matches = items.filter((i) => i.name === value);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const ids = matches.map((m) => m.id).join(", ");
    return `${kind} name "${value}"${where} is ambiguous (${ids}); use the id instead`;
  }
  const near = items.find((i) => i.name.toLowerCase() === value.toLowerCase());
  const hint = near ? `; did you mean "${near.name}"? Names are case-sensitive` : "";
  return `no ${kind} named "${value}"${where} is visible to you${
    hint || "; check the name or use the id"
  }`;
}

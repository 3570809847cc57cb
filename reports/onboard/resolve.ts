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
import { closestNames, type RankedName } from "../_names.ts";
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
  // Suggestions offer only what a row can name: no Default organisation, no personal unit.
  const shared = dir.units.filter((u) => !isDefaultOrg(dir, u.org));
  if (row.organisation !== "") {
    const found = pickOne(dir.orgs, row.organisation, {
      idPattern: ORG_ID_RE,
      kind: "organisation",
      suggestFrom: dir.orgs.filter((o) => !isDefaultOrg(dir, o)),
      listCommand: "list them all with: deno task charges --list organisations",
      otherKind: { kind: "unit", column: "unit", items: shared.map((u) => u.unit) },
    });
    if (typeof found === "string") return found;
    org = found;
    if (isDefaultOrg(dir, org)) {
      return `organisation "${row.organisation}" is the Default organisation, which only holds personal units; users cannot be added to it, name another organisation`;
    }
    targets.push({ kind: "organisation", id: org.id, name: org.name });
  }
  if (row.unit !== "") {
    const byId = UNIT_ID_RE.test(row.unit);
    const inOrg = org !== undefined && !byId;
    const pool = inOrg ? dir.units.filter((u) => u.org.id === org!.id) : dir.units;
    // A unit looked up across organisations is shown with its organisation.
    const orgOf = new Map(pool.map((u) => [u.unit.id, u.org.name]));
    const found = pickOne(pool.map((u) => u.unit), row.unit, {
      idPattern: UNIT_ID_RE,
      kind: "unit",
      where: inOrg ? ` in organisation "${org!.name}"` : "",
      suggestFrom: pool.filter((u) => !isDefaultOrg(dir, u.org)).map((u) => u.unit),
      listCommand: `list them all with: deno task charges --list units${
        inOrg ? ` ${shellQuote(org!.name)}` : ""
      }`,
      label: inOrg ? undefined : (u) => `"${u.name}" (organisation "${orgOf.get(u.id)}")`,
      otherKind: inOrg
        ? undefined
        : { kind: "organisation", column: "organisation", items: dir.orgs },
    });
    if (typeof found === "string") {
      const elsewhere = inOrg
        ? dir.units.filter((u) => u.unit.name === row.unit && u.org.id !== org!.id)
        : [];
      if (elsewhere.length === 0) return found;
      const homes = elsewhere.map((u) => `"${u.org.name}" (${u.unit.id})`).join(", ");
      return `unit "${row.unit}" is not in organisation "${
        org!.name
      }" but in ${homes}; correct the organisation or the unit`;
    }
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

/** How many near names an "unknown name" message lists. */
const SUGGESTIONS = 5;

/** How {@link pickOne} looks a value up and words its messages. */
interface PickOptions<T> {
  /** The shape of an id of this kind: such a value is looked up by id, never by name. */
  idPattern: RegExp;
  /** "organisation" or "unit", for messages. */
  kind: string;
  /** Where the name was looked for, e.g. ` in organisation "Acme"`. */
  where?: string;
  /** The candidates offered when the name is unknown (default: all items). */
  suggestFrom?: T[];
  /** How a candidate is shown (default: its name in quotes). */
  label?: (item: T) => string;
  /** The command that lists every candidate, shown when not all of them are. */
  listCommand: string;
  /** Names of the other kind, to notice a name given in the wrong column. */
  otherKind?: { kind: string; column: string; items: { name: string }[] };
}

function pickOne<T extends { id: string; name: string }>(
  items: T[],
  value: string,
  options: PickOptions<T>,
): T | string {
  const { kind, where = "" } = options;
  if (options.idPattern.test(value)) {
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
  const label = options.label ?? ((item: T) => `"${item.name}"`);
  const pool = options.suggestFrom ?? items;
  const near = closestNames(value, pool, (i) => i.name, { limit: SUGGESTIONS });
  return `no ${kind} named "${value}"${where} is visible to you${
    wrongColumn(value, near[0], options.otherKind)
  }; ${suggest(near, pool.length, label, options.listCommand)}`;
}

/**
 * A note when the name is (nearly) one of the other kind, e.g. an organisation's name in the
 * unit column: only when that name is nearer than any of this kind (or the same but for case).
 */
function wrongColumn(
  value: string,
  best: RankedName<unknown> | undefined,
  other: PickOptions<unknown>["otherKind"],
): string {
  if (!other) return "";
  const [match] = closestNames(value, other.items, (i) => i.name, { limit: 1 });
  if (!match || match.tier > 1) return "";
  const nearer = !best || match.tier === 0 || match.tier < best.tier ||
    (match.tier === best.tier && match.distance < best.distance);
  if (!nearer) return "";
  const article = other.kind === "organisation" ? "an" : "a";
  return ` (${article} ${other.kind} is named "${match.name}": ${other.kind}s go in the "${other.column}" column)`;
}

/**
 * What to do about an unknown name, given the nearest candidates of `total`: "did you mean"
 * when only letter case (or accents or punctuation) differ, else the nearest names, nearest
 * first (reports/_names.ts), and how to list them all when not all are shown.
 */
function suggest<T>(
  near: RankedName<T>[],
  total: number,
  label: (item: T) => string,
  listCommand: string,
): string {
  if (near.length === 0) return "check the name or use the id (none is visible to you)";
  if (near[0].tier === 0) {
    return `did you mean ${label(near[0].item)}? Names are case-sensitive`;
  }
  const more = total > near.length ? `, and ${total - near.length} more (${listCommand})` : "";
  return `check the name or use the id; nearest names: ${
    near.map((n) => label(n.item)).join(", ")
  }${more}`;
}

/** `text` as one shell word: in single quotes, with any single quote written `'\''`. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

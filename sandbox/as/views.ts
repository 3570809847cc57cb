/**
 * Organisation and unit records turned into the AS response shapes (reference §3.3, §3.4).
 *
 * @module
 */

import type {
  OrganisationAllDetail,
  OrganisationDetail,
  UnitAllDetail,
  UnitDetail,
  UserDetail,
} from "../../client/types.ts";
import type { OrgRecord, UnitRecord } from "../state.ts";
import type { Access } from "./access.ts";

/** Listed members as `UserDetail`s, sorted by username (owners are not listed). */
export function usersOf(members: Set<string>): UserDetail[] {
  return [...members].sort().map((id) => ({ id }));
}

/** `OrganisationDetail`; the Default organisation has no `owner_id`. */
export function orgDetail(org: OrgRecord, access: Access): OrganisationDetail {
  const detail: OrganisationDetail = {
    caller_is_member: access.isOrgMember(org),
    id: org.id,
    name: org.name,
    private: org.private,
    created: org.created,
    default_product_privacy: org.defaultProductPrivacy,
  };
  if (org.ownerId !== undefined) detail.owner_id = org.ownerId;
  return detail;
}

/**
 * `OrganisationAllDetail`: the detail plus the listed users. Unit listings and products
 * embed their organisation even for members of the unit only; those callers may not see
 * the organisation itself, so they get its name and id but an empty `users` list.
 */
export function orgAllDetail(org: OrgRecord, access: Access): OrganisationAllDetail {
  return { ...orgDetail(org, access), users: access.canSeeOrg(org) ? usersOf(org.members) : [] };
}

/** `UnitDetail`. */
export function unitDetail(unit: UnitRecord, access: Access): UnitDetail {
  return {
    caller_is_member: access.isUnitMember(unit),
    id: unit.id,
    name: unit.name,
    owner_id: unit.ownerId,
    private: unit.private,
    created: unit.created,
    billing_day: unit.billingDay,
    default_product_privacy: unit.defaultProductPrivacy,
  };
}

/** `UnitAllDetail`: the detail plus the listed users. */
export function unitAllDetail(unit: UnitRecord, access: Access): UnitAllDetail {
  return { ...unitDetail(unit, access), users: usersOf(unit.members) };
}

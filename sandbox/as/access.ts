/**
 * Who may see what, per request. Rules (reference §2.7, §2.8, §4): admins see everything;
 * owners and listed members of an organisation see it, its units and their products;
 * members of a unit see the unit and its products but NOT its organisation; the Default
 * organisation may be read by anyone, but only admins count as its members.
 *
 * @module
 */

import type { OrgRecord, Principal, ProductRecord, SandboxState, UnitRecord } from "../state.ts";
import { forbidden, notFound } from "./http.ts";

/** The access rules bound to one caller. */
export interface Access {
  /** The sandbox state. */
  readonly state: SandboxState;
  /** The caller. */
  readonly principal: Principal;
  /** True for the admin realm role. */
  readonly isAdmin: boolean;
  /** Owner or listed member (for the Default organisation: admins only). */
  isOrgMember(org: OrgRecord): boolean;
  /** Admins, members, and anyone for the Default organisation. */
  canSeeOrg(org: OrgRecord): boolean;
  /** Owner or listed member of the unit. */
  isUnitMember(unit: UnitRecord): boolean;
  /** Admins, unit members and members of the unit's organisation. */
  canSeeUnit(unit: UnitRecord): boolean;
  /** Organisation by id: 404 when unknown, 403 when not visible. */
  org(id: string): OrgRecord;
  /** Unit by id: 404 when unknown, 403 when not visible. */
  unit(id: string): UnitRecord;
  /** Product by id: 404 when unknown, 403 when its unit is not visible. */
  product(id: string): ProductRecord;
}

/** Binds the access rules to `principal`. */
export function createAccess(state: SandboxState, principal: Principal): Access {
  const isAdmin = state.isAdmin(principal);
  const me = principal.username;
  const isOrgMember = (org: OrgRecord) =>
    org.isDefault ? isAdmin : org.ownerId === me || org.members.has(me);
  const isUnitMember = (unit: UnitRecord) => unit.ownerId === me || unit.members.has(me);
  const canSeeOrg = (org: OrgRecord) => isAdmin || org.isDefault || isOrgMember(org);
  const canSeeUnit = (unit: UnitRecord) => {
    if (isAdmin || isUnitMember(unit)) return true;
    const org = state.orgs.get(unit.orgId);
    return !unit.personal && org !== undefined && isOrgMember(org);
  };
  return {
    state,
    principal,
    isAdmin,
    isOrgMember,
    canSeeOrg,
    isUnitMember,
    canSeeUnit,
    org(id) {
      const org = state.orgs.get(id);
      if (!org) {
        throw notFound(`Organisation "${id}" does not exist: list yours with GET /organisation`);
      }
      if (!canSeeOrg(org)) {
        throw forbidden(`You are not a member of organisation "${id}": ask its owner to add you`);
      }
      return org;
    },
    unit(id) {
      const unit = state.units.get(id);
      if (!unit) throw notFound(`Unit "${id}" does not exist: list yours with GET /unit`);
      if (!canSeeUnit(unit)) {
        throw forbidden(
          `You are not a member of unit "${id}" or its organisation: ask its owner to add you`,
        );
      }
      return unit;
    },
    product(id) {
      const product = state.products.get(id);
      if (!product) throw notFound(`Product "${id}" does not exist: list yours with GET /product`);
      const unit = state.units.get(product.unitId)!;
      if (!canSeeUnit(unit)) {
        throw forbidden(
          `You are not a member of the unit or organisation of product "${id}": ask the unit owner to add you`,
        );
      }
      return product;
    },
  };
}

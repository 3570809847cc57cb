/**
 * Unit routes (reference §2.7): list (grouped per organisation), get, create in an
 * organisation, patch, delete, and users (list, add, remove).
 *
 * Choices: unit names are unique within their organisation; units of the Default
 * organisation are personal units, managed only through `/personal-unit` (400 here); a unit
 * with products cannot be deleted (400); membership changes follow the organisation rules
 * (already a member: 200 no-op; new: 201; not a member: 404; the owner cannot be removed).
 * Changes need an admin, a unit member or a member of the unit's organisation.
 *
 * @module
 */

import type { Hono } from "hono";
import type { SandboxState, UnitRecord } from "../state.ts";
import { type Access, createAccess } from "./access.ts";
import {
  type AsContext,
  type AsEnv,
  badRequest,
  checkBillingDay,
  checkName,
  checkPrivacy,
  empty,
  forbidden,
  principalOf,
  readJsonObject,
} from "./http.ts";
import { addMember, removeMember } from "./members.ts";
import { orgAllDetail, unitAllDetail, unitDetail, usersOf } from "./views.ts";

/** The unit if the caller may change it; personal units only when `personalOk`. */
function changeableUnit(access: Access, id: string, personalOk = false): UnitRecord {
  const unit = access.unit(id);
  if (unit.personal && !personalOk) {
    throw badRequest(
      `Unit "${id}" is a personal unit: manage it with /personal-unit (it has no other users)`,
    );
  }
  // Seeing a non-personal unit already means admin, unit member or organisation member.
  if (unit.personal && !access.isAdmin && !access.isUnitMember(unit)) {
    throw forbidden(`Unit "${id}" is someone else's personal unit`);
  }
  return unit;
}

/** Registers the unit routes on `app`. */
export function registerUnitRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  const access = (c: AsContext) => createAccess(state, principalOf(c));

  app.get("/unit", (c) => {
    const a = access(c);
    const name = c.req.query("name");
    const groups = [];
    for (const org of state.orgs.values()) {
      const units = state.unitsOf(org.id).filter((u) =>
        a.canSeeUnit(u) && (name === undefined || u.name === name)
      );
      if (units.length === 0) continue;
      groups.push({
        count: units.length,
        organisation: orgAllDetail(org, a),
        units: units.map((u) => unitAllDetail(u, a)),
      });
    }
    return c.json({ units: groups });
  });

  app.get("/unit/:id", (c) => {
    const a = access(c);
    return c.json(unitAllDetail(a.unit(c.req.param("id")), a));
  });

  app.get("/organisation/:id/unit", (c) => {
    const a = access(c);
    const org = a.org(c.req.param("id"));
    const units = state.unitsOf(org.id).filter((u) => a.canSeeUnit(u));
    return c.json({
      count: units.length,
      organisation: orgAllDetail(org, a),
      units: units.map((u) => unitAllDetail(u, a)),
    });
  });

  app.post("/organisation/:id/unit", async (c) => {
    const a = access(c);
    const org = a.org(c.req.param("id"));
    if (org.isDefault) {
      throw badRequest(
        `Organisation "${org.id}" is the Default organisation: create a personal unit with PUT /personal-unit`,
      );
    }
    if (!a.isAdmin && !a.isOrgMember(org)) {
      throw forbidden(`You are not a member of organisation "${org.id}": ask its owner to add you`);
    }
    const body = await readJsonObject(c);
    const name = checkName(body.name);
    const billingDay = checkBillingDay(body.billing_day);
    const privacy = checkPrivacy(body.default_product_privacy) ?? org.defaultProductPrivacy;
    if (state.unitsOf(org.id).some((u) => u.name === name)) {
      throw badRequest(
        `Organisation "${org.id}" already has a unit called "${name}": choose another name`,
      );
    }
    const unit: UnitRecord = {
      id: state.newId("unit"),
      orgId: org.id,
      name,
      ownerId: a.principal.username,
      created: state.nowIso(),
      billingDay,
      defaultProductPrivacy: privacy,
      private: false,
      members: new Set(),
      personal: false,
    };
    state.units.set(unit.id, unit);
    state.recordAction("UNIT_CREATED", {
      fields: { name, billing_day: billingDay },
      unitId: unit.id,
      orgId: org.id,
    });
    return c.json({ id: unit.id }, 201);
  });

  app.patch("/unit/:id", async (c) => {
    const unit = changeableUnit(access(c), c.req.param("id"), true);
    const body = await readJsonObject(c);
    const name = body.name === undefined ? undefined : checkName(body.name);
    const privacy = checkPrivacy(body.default_product_privacy);
    if (
      name !== undefined && state.unitsOf(unit.orgId).some((u) => u.name === name && u !== unit)
    ) {
      throw badRequest(`The organisation already has a unit called "${name}": choose another name`);
    }
    if (name !== undefined) unit.name = name;
    if (privacy !== undefined) unit.defaultProductPrivacy = privacy;
    return empty(200);
  });

  app.delete("/unit/:id", (c) => {
    const unit = changeableUnit(access(c), c.req.param("id"));
    const products = state.productsOf(unit.id).length;
    if (products > 0) {
      throw badRequest(`Unit "${unit.id}" still has ${products} product(s): delete them first`);
    }
    state.units.delete(unit.id);
    state.recordAction("UNIT_DELETED", {
      fields: { name: unit.name },
      unitId: unit.id,
      orgId: unit.orgId,
    });
    return empty(204);
  });

  app.get("/unit/:id/user", (c) => {
    const a = access(c);
    const unit = a.unit(c.req.param("id"));
    const users = usersOf(unit.members);
    return c.json({ count: users.length, unit: unitDetail(unit, a), users });
  });

  app.put("/unit/:id/user/:username", (c) => {
    const unit = changeableUnit(access(c), c.req.param("id"));
    const username = c.req.param("username");
    return addMember(unit, username, () => {
      state.recordAction("UNIT_USER_ADDED", { fields: { username }, unitId: unit.id });
    });
  });

  app.delete("/unit/:id/user/:username", (c) => {
    const unit = changeableUnit(access(c), c.req.param("id"));
    const username = c.req.param("username");
    return removeMember(unit, username, {
      owner:
        `User "${username}" owns unit "${unit.id}" and cannot be removed from it: delete the unit instead`,
      notMember:
        `User "${username}" is not a member of unit "${unit.id}": list members with GET /unit/{id}`,
    }, () => {
      state.recordAction("UNIT_USER_REMOVED", { fields: { username }, unitId: unit.id });
    });
  });
}

/**
 * Personal-unit routes (reference §2.7): `GET`, `PUT` and `DELETE /personal-unit`. A
 * personal unit lives in the Default organisation, has one owner and no other users; each
 * user has at most one.
 *
 * The deprecated `PUT /unit` and `DELETE /unit` do the same.
 *
 * Choices: a second `PUT` is a 400 naming the existing unit (it would otherwise silently
 * ignore a different billing day); deleting one that still has products is a 400.
 *
 * @module
 */

import type { Hono } from "hono";
import type { SandboxState, UnitRecord } from "../state.ts";
import {
  type AsContext,
  type AsEnv,
  badRequest,
  checkBillingDay,
  empty,
  notFound,
  principalOf,
  readJsonObject,
} from "./http.ts";
import { createAccess } from "./access.ts";
import { unitAllDetail } from "./views.ts";

/** Registers the personal-unit routes on `app`. */
export function registerPersonalUnitRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  const mine = (username: string) => {
    const unit = state.personalUnitOf(username);
    if (!unit) {
      throw notFound(
        `You have no personal unit: create one with PUT /personal-unit {"billing_day": 1..28}`,
      );
    }
    return unit;
  };

  app.get("/personal-unit", (c) => {
    const principal = principalOf(c);
    return c.json(unitAllDetail(mine(principal.username), createAccess(state, principal)));
  });

  const create = async (c: AsContext) => {
    const me = principalOf(c).username;
    const body = await readJsonObject(c);
    const billingDay = checkBillingDay(body.billing_day);
    const existing = state.personalUnitOf(me);
    if (existing) {
      throw badRequest(
        `You already have a personal unit ("${existing.id}"): a user may have only one`,
      );
    }
    const org = state.defaultOrg();
    const unit: UnitRecord = {
      id: state.newId("unit"),
      orgId: org.id,
      name: `Personal unit of ${me}`,
      ownerId: me,
      created: state.nowIso(),
      billingDay,
      defaultProductPrivacy: org.defaultProductPrivacy,
      private: false,
      members: new Set(),
      personal: true,
    };
    state.units.set(unit.id, unit);
    state.recordAction("PERSONAL_UNIT_CREATED", {
      fields: { owner: me },
      unitId: unit.id,
      orgId: org.id,
    });
    return c.json({ organisation_id: org.id, id: unit.id }, 201);
  };

  const remove = (c: AsContext) => {
    const unit = mine(principalOf(c).username);
    const products = state.productsOf(unit.id).length;
    if (products > 0) {
      throw badRequest(`Your personal unit still has ${products} product(s): delete them first`);
    }
    state.units.delete(unit.id);
    state.recordAction("PERSONAL_UNIT_DELETED", {
      fields: { owner: unit.ownerId },
      unitId: unit.id,
    });
    return empty(204);
  };

  app.put("/personal-unit", create);
  app.delete("/personal-unit", remove);
  // The deprecated spellings of AS < 4 (Python client 4.x-6.x) still work.
  app.put("/unit", create);
  app.delete("/unit", remove);
}

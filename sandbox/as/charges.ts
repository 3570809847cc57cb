/**
 * Charges routes: `GET /charges/product/{id}`, `/charges/unit/{id}`,
 * `/charges/organisation/{id}` and the admin-only `GET /charges` (reference §2.6, §4).
 *
 * Who may read (reference §4): product and unit charges need membership of the unit or of
 * its organisation; organisation charges need membership of the organisation, and the
 * Default organisation's charges are refused (403) for everyone: ask for each personal
 * unit's charges instead; `/charges` needs the admin role.
 *
 * @module
 */

import type { Hono } from "hono";
import type { SandboxState } from "../state.ts";
import { createAccess } from "./access.ts";
import {
  allChargesBody,
  orgChargesBody,
  productChargesBody,
  unitChargesBody,
} from "./charges_summary.ts";
import { readChargeWindow } from "./charges_query.ts";
import { type AsContext, type AsEnv, forbidden, principalOf } from "./http.ts";

/** Access and window of a charges request. */
function contextOf(c: AsContext, state: SandboxState) {
  const access = createAccess(state, principalOf(c));
  const window = readChargeWindow((name) => c.req.query(name));
  return { access, window };
}

/** Registers the charges routes on `app`. */
export function registerChargesRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  app.get("/charges", (c) => {
    const ctx = contextOf(c, state);
    if (!ctx.access.isAdmin) {
      throw forbidden(
        "Charges of all organisations need the account-server-admin role: ask per organisation instead",
      );
    }
    return c.json(allChargesBody(ctx));
  });
  app.get("/charges/organisation/:id", (c) => {
    const ctx = contextOf(c, state);
    const org = ctx.access.org(c.req.param("id"));
    if (org.isDefault) {
      throw forbidden(
        `Organisation "${org.id}" is the Default organisation, which has no charges of its own: ask for each personal unit's charges`,
      );
    }
    if (!ctx.access.isAdmin && !ctx.access.isOrgMember(org)) {
      throw forbidden(`You are not a member of organisation "${org.id}": ask its owner to add you`);
    }
    return c.json(orgChargesBody(org, ctx));
  });
  app.get("/charges/unit/:id", (c) => {
    const ctx = contextOf(c, state);
    return c.json(unitChargesBody(ctx.access.unit(c.req.param("id")), ctx));
  });
  app.get("/charges/product/:id", (c) => {
    const ctx = contextOf(c, state);
    return c.json(productChargesBody(ctx.access.product(c.req.param("id")), ctx));
  });
}

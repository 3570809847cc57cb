/**
 * The sandbox Account Server: a Hono app serving every AS 4.4 endpoint (reference §2) from a
 * {@link SandboxState}. Paths are relative to the AS base (`/version`, `/organisation`,
 * `/charges/product/:id`, ...); `sandbox/mod.ts` mounts it under `/account-server-api`.
 *
 * Authentication is delegated: `authenticate` maps a request to a principal (or null). No
 * token, or an invalid one, is a 401 with `{"error": ...}`; a principal without any AS realm
 * role is a 403. `GET /version` and `GET /event-stream/version` need no token.
 *
 * @module
 */

import { Hono } from "hono";
import { ROLE_ADMIN, ROLE_EVALUATOR, ROLE_USER } from "../data/users.ts";
import type { Principal, SandboxState } from "../state.ts";
import { registerActionRoutes } from "./actions.ts";
import { registerAssetRoutes } from "./assets.ts";
import { registerChargesRoutes } from "./charges.ts";
import { registerDefaultStorageCostRoutes } from "./default_storage_cost.ts";
import { registerEventStreamRoutes } from "./event_streams.ts";
import { type AsEnv, AsHttpError } from "./http.ts";
import { registerMerchantRoutes } from "./merchants.ts";
import { registerOrganisationRoutes } from "./organisations.ts";
import { registerPersonalUnitRoutes } from "./personal_units.ts";
import { registerProductTypeRoutes } from "./product_types.ts";
import { registerProductRoutes } from "./products.ts";
import { registerUnitRoutes } from "./units.ts";
import { registerUserAccountRoutes } from "./user_account.ts";
import { registerVersionRoutes } from "./version.ts";

/** Options of {@link createAsApp}. */
export interface AsAppOptions {
  /** The caller of a request (from its bearer token), or null when it has no valid token. */
  authenticate(request: Request): Promise<Principal | null>;
  /**
   * Told about unexpected errors (sandbox bugs) answered with a 500; by default they are
   * not logged, since the body already names the route.
   */
  onInternalError?(error: unknown): void;
}

const AS_ROLES = [ROLE_ADMIN, ROLE_USER, ROLE_EVALUATOR];

/** Builds the AS app over `state`. */
export function createAsApp(state: SandboxState, options: AsAppOptions): Hono {
  const app = new Hono<AsEnv>();
  app.onError((err, c) => {
    if (err instanceof AsHttpError) return c.json({ error: err.message }, err.status);
    // Never echo internals (they could carry request data); the message names the route.
    options.onInternalError?.(err);
    return c.json({
      error: `The sandbox failed on ${c.req.method} ${c.req.path}: this is a sandbox bug`,
    }, 500);
  });
  registerVersionRoutes(app);
  app.use("*", async (c, next) => {
    const principal = await options.authenticate(c.req.raw);
    if (!principal) {
      c.header("WWW-Authenticate", 'Bearer realm="account-server-api"');
      return c.json({
        error: "No valid access token: send Authorization: Bearer <token> from Keycloak",
      }, 401);
    }
    if (!principal.roles.some((r) => AS_ROLES.includes(r))) {
      return c.json({
        error:
          `User "${principal.username}" has no Account Server role: ask an admin for account-server-user`,
      }, 403);
    }
    c.set("principal", principal);
    await next();
  });
  registerUserAccountRoutes(app, state);
  registerOrganisationRoutes(app, state);
  registerUnitRoutes(app, state);
  registerPersonalUnitRoutes(app, state);
  registerProductTypeRoutes(app);
  registerDefaultStorageCostRoutes(app);
  registerProductRoutes(app, state);
  registerChargesRoutes(app, state);
  registerMerchantRoutes(app, state);
  registerAssetRoutes(app, state);
  registerEventStreamRoutes(app, state);
  registerActionRoutes(app, state);
  app.notFound((c) =>
    c.json({
      error: `There is no ${c.req.method} ${c.req.path} in the Account Server API: check the path`,
    }, 404)
  );
  return app as unknown as Hono;
}

/**
 * `GET /user/account` (reference §3.2): the caller, whether they are an admin, and their
 * Account Server realm roles (other Keycloak roles are left out).
 *
 * @module
 */

import type { Hono } from "hono";
import type { UserAccountDetail } from "../../client/types.ts";
import type { SandboxState } from "../state.ts";
import { type AsEnv, principalOf } from "./http.ts";

/** Registers `GET /user/account` on `app`. */
export function registerUserAccountRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  app.get("/user/account", (c) => {
    const principal = principalOf(c);
    const body: UserAccountDetail = {
      user: { id: principal.username },
      caller_has_admin_privilege: state.isAdmin(principal),
      account_server_roles: principal.roles.filter((r) => r.startsWith("account-server-")),
    };
    return c.json(body);
  });
}

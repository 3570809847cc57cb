/**
 * `GET /version` and `GET /event-stream/version`: the two routes that need no token.
 *
 * @module
 */

import type { Hono } from "hono";
import type { AsEnv } from "./http.ts";

/** The AS version the sandbox imitates (spec 4.4). */
export const SANDBOX_AS_VERSION = "4.4.0";

/** Registers the token-free version routes (call before the authentication middleware). */
export function registerVersionRoutes(app: Hono<AsEnv>): void {
  app.get("/version", (c) => c.json({ version: SANDBOX_AS_VERSION }));
  app.get(
    "/event-stream/version",
    (c) =>
      c.json({ version: "1.0.0", protocol: "WEBSOCKET", name: "Sandbox event stream (no socket)" }),
  );
}

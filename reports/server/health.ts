/**
 * `GET /healthz`, without credentials: whether the Account Server answers `GET /version`.
 * 200 with `{status: "ok"}` or 503 with `{status: "unavailable"}` and a reason (`no answer`,
 * `unreachable`, `HTTP <status>`, or `malformed answer` for a body that does not fit its
 * schema), JSON either way.
 *
 * @module
 */

import type { Hono } from "hono";
import { ProtocolError } from "../../client/errors.ts";
import type { ServerContext } from "./context.ts";

/** Adds `GET /healthz`. */
export function addHealthRoute(app: Hono, ctx: ServerContext): void {
  app.get("/healthz", async (c) => {
    c.header("Cache-Control", "no-store");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ctx.healthTimeoutMs);
    });
    try {
      const rv = await Promise.race([ctx.api.getVersion().catch(() => null), deadline]);
      if (rv && rv.success) {
        return c.json({ status: "ok", accountServer: { ok: true, version: rv.msg.version } });
      }
      const reason = rv === null
        ? "no answer"
        : rv.error instanceof ProtocolError
        ? "malformed answer"
        : rv.httpStatusCode === 0
        ? "unreachable"
        : `HTTP ${rv.httpStatusCode}`;
      return c.json({ status: "unavailable", accountServer: { ok: false, reason } }, 503);
    } finally {
      clearTimeout(timer);
    }
  });
}

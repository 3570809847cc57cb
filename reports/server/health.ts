/**
 * `GET /healthz`, open to anyone: whether the Account Server answers `GET /version`.
 * 200 with `{"status":"ok"}` or 503 with `{"status":"unavailable"}`, JSON either way. Only a
 * caller with credentials (the same as for every other route) also gets `accountServer`:
 * its version, or the reason it is unavailable (`no answer`, `unreachable`, `HTTP <status>`,
 * or `malformed answer` for a body that does not fit its schema).
 *
 * @module
 */

import type { Context, Hono } from "hono";
import { ProtocolError } from "../../client/errors.ts";
import type { ServerContext } from "./context.ts";
import type { Principal } from "./auth.ts";

/** Adds `GET /healthz`; `who` tells whether the caller may see the details. */
export function addHealthRoute(
  app: Hono,
  ctx: ServerContext,
  who: (c: Context) => Promise<Principal | null>,
): void {
  app.get("/healthz", async (c) => {
    const detailed = (await who(c)) !== null;
    c.header("Cache-Control", "no-store");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ctx.healthTimeoutMs);
    });
    try {
      const rv = await Promise.race([ctx.api.getVersion().catch(() => null), deadline]);
      if (rv && rv.success) {
        return c.json(
          detailed
            ? { status: "ok", accountServer: { ok: true, version: rv.msg.version } }
            : { status: "ok" },
        );
      }
      const reason = rv === null
        ? "no answer"
        : rv.error instanceof ProtocolError
        ? "malformed answer"
        : rv.httpStatusCode === 0
        ? "unreachable"
        : `HTTP ${rv.httpStatusCode}`;
      return c.json(
        detailed
          ? { status: "unavailable", accountServer: { ok: false, reason } }
          : { status: "unavailable" },
        503,
      );
    } finally {
      clearTimeout(timer);
    }
  });
}

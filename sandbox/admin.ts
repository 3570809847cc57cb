/**
 * The sandbox's admin routes, mounted under `/_sandbox` and guarded by the
 * `X-Sandbox-Admin-Key` header (compared in constant time; 401 without the right key):
 *
 * - `GET /_sandbox/faults`: the current fault configuration.
 * - `PUT /_sandbox/faults`: replace it (JSON body, see `FaultsConfig`); 400 when invalid.
 * - `GET /_sandbox/stats`: request counts (see `SandboxStats`).
 * - `POST /_sandbox/stats/reset`: zero them; answers the fresh counts.
 * - `GET /_sandbox/clock`, `PUT /_sandbox/clock` (`{"now": "<ISO date-time>"}`): the data
 *   clock that places charges in billing periods (token expiry uses real time).
 *
 * @module
 */

import { Hono } from "hono";
import { isBillingError } from "../client/errors.ts";
import type { FaultInjector } from "./faults.ts";
import type { StatsCounter } from "./stats.ts";
import { timingSafeEqual } from "../client/secrets.ts";

/** The header carrying the admin key. */
export const ADMIN_KEY_HEADER = "X-Sandbox-Admin-Key";

/** The data clock the admin routes read and set (the sandbox state). */
export interface AdminClock {
  /** The current data time. */
  now(): Date;
  /** Moves the data clock. */
  setNow(now: Date): void;
}

/** Options of {@link createAdminApp}. */
export interface AdminAppOptions {
  /** The key every admin request must carry. */
  adminKey: string;
  /** The live fault injector. */
  faults: FaultInjector;
  /** The live request counters. */
  stats: StatsCounter;
  /** The data clock; the clock routes answer 404 without it. */
  clock?: AdminClock;
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return Symbol.for("invalid");
  }
}

/** Builds the admin app; mount it under `/_sandbox`. */
export function createAdminApp(options: AdminAppOptions): Hono {
  const app = new Hono();

  app.use("*", async (c, next) => {
    const given = c.req.header(ADMIN_KEY_HEADER) ?? "";
    if (!timingSafeEqual(given, options.adminKey)) {
      return c.json({
        error: `Missing or wrong ${ADMIN_KEY_HEADER} header: send the admin key the sandbox ` +
          `printed at start (RunningSandbox.adminKey)`,
      }, 401);
    }
    await next();
  });

  app.get("/faults", (c) => c.json(options.faults.config()));

  app.put("/faults", async (c) => {
    const body = await jsonBody(c.req.raw);
    if (typeof body === "symbol") {
      return c.json({ error: "Invalid JSON body: send a FaultsConfig object as JSON" }, 400);
    }
    try {
      options.faults.set(body);
    } catch (error) {
      if (!isBillingError(error)) throw error;
      return c.json({ error: error.message }, 400);
    }
    return c.json(options.faults.config());
  });

  app.get("/stats", (c) => c.json(options.stats.snapshot()));

  app.post("/stats/reset", (c) => {
    options.stats.reset();
    return c.json(options.stats.snapshot());
  });

  app.get("/clock", (c) => {
    if (!options.clock) return c.json({ error: "This sandbox has no data clock" }, 404);
    return c.json({ now: options.clock.now().toISOString() });
  });

  app.put("/clock", async (c) => {
    const clock = options.clock;
    if (!clock) return c.json({ error: "This sandbox has no data clock" }, 404);
    const body = await jsonBody(c.req.raw) as { now?: unknown };
    const when = typeof body === "object" && body !== null && typeof body.now === "string"
      ? new Date(body.now)
      : undefined;
    if (!when || Number.isNaN(when.getTime())) {
      return c.json({
        error:
          `Invalid clock body ${JSON.stringify(body === Symbol.for("invalid") ? null : body)}:` +
          ` send {"now": "2026-01-31T12:00:00Z"}`,
      }, 400);
    }
    clock.setNow(when);
    return c.json({ now: clock.now().toISOString() });
  });

  return app;
}

/**
 * The simulated XQ validation service (`/validation/v2/...`): storing packets and fetching
 * keys by locator token (reference §4c, §4d).
 *
 * @module
 */

import { Hono } from "hono";
import { bearer, readJson } from "./parse.ts";
import { guard } from "./guard.ts";
import { XqRefusal, type XqStore } from "./store.ts";

/** Builds the validation routes over `store` (the API key is checked by the caller). */
export function createValidationRoutes(store: XqStore): Hono {
  const app = new Hono();

  app.post(
    "/packet",
    guard(async (c) => {
      const session = store.session(bearer(c));
      // The packet travels as a raw body; SDKs label it text/plain, JSON or nothing.
      const packet = await c.req.text();
      if (!packet.trim()) throw new XqRefusal(400, "Missing packet: send the packet text as body");
      return c.text(store.storePacket(session, packet));
    }),
  );

  app.get(
    "/key/:token",
    guard((c) => {
      const session = store.session(bearer(c));
      return c.text(store.fetchKey(session, c.req.param("token") ?? ""));
    }),
  );

  app.delete(
    "/key/:token",
    guard((c) => {
      store.revokeKey(store.session(bearer(c)), c.req.param("token") ?? "");
      return c.body(null, 204);
    }),
  );

  app.post(
    "/keys",
    guard(async (c) => {
      const session = store.session(bearer(c));
      const body: unknown = await readJsonArray(c);
      // The reply lists only the keys this reader may have; refused, expired or unknown
      // tokens are left out (the reference shows only the success shape).
      const exported: Record<string, string>[] = [];
      for (const token of body as unknown[]) {
        try {
          exported.push({ [String(token)]: store.fetchKey(session, String(token)) });
        } catch (error) {
          if (!(error instanceof XqRefusal)) throw error;
        }
      }
      return c.json({ exported });
    }),
  );

  return app;
}

async function readJsonArray(c: Parameters<typeof readJson>[0]): Promise<unknown[]> {
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value)) {
    throw new XqRefusal(400, "Request body must be a JSON array of locator tokens");
  }
  return value;
}

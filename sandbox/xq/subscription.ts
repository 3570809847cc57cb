/**
 * The simulated XQ subscription service (`/subscription/v2/...`): API key check, PIN access
 * requests, exchange, alias users, and key packets (reference §2).
 *
 * @module
 */

import { Hono } from "hono";
import {
  bearer,
  parseKey,
  parseNotifications,
  parsePacketFields,
  parseUser,
  readJson,
} from "./parse.ts";
import { guard } from "./guard.ts";
import { XqRefusal, type XqStore } from "./store.ts";

/** The scopes `GET /apikey` reports, as in the reference's fixture. */
const SCOPES = [
  "authorize",
  "combine",
  "exchange",
  "packet",
  "key",
  "revoke",
  "delegate",
  "subscriber",
  "read:apikey",
];

/** Builds the subscription routes over `store` (the API key is checked by the caller). */
export function createSubscriptionRoutes(store: XqStore): Hono {
  const app = new Hono();

  app.get("/apikey", (c) => c.json({ scopes: SCOPES, status: "OK" }));

  app.post(
    "/authorize",
    guard(async (c) => {
      const body = await readJson(c);
      const user = parseUser(body.user);
      parseNotifications(body.notifications);
      return c.text(store.authorize(user));
    }),
  );

  app.get(
    "/codevalidation",
    guard((c) => {
      const pin = c.req.query("pin");
      if (!pin) throw new XqRefusal(400, "Missing pin: send ?pin=<the code from the email>");
      const preAuth = bearer(c);
      if (!preAuth) throw new XqRefusal(401, "Missing authorization: send the pre-auth token");
      store.validatePin(preAuth, pin);
      return c.body(null, 204);
    }),
  );

  app.get(
    "/exchange",
    guard((c) => {
      const preAuth = bearer(c);
      if (!preAuth) throw new XqRefusal(401, "Missing authorization: send the pre-auth token");
      // `b` scopes the token to a business; Python's old `b=None` literal means no business.
      const b = c.req.query("b");
      return c.text(store.exchange(preAuth, b && b !== "None" ? b : undefined));
    }),
  );

  app.post(
    "/authorizealias",
    guard(async (c) => {
      const body = await readJson(c);
      const user = typeof body.user === "string" ? body.user.trim().toLowerCase() : "";
      if (!user || /\s/.test(user)) {
        throw new XqRefusal(400, `Invalid user "${user}": expected an alias id or email`);
      }
      return c.text(store.authorizeAlias(user));
    }),
  );

  app.post(
    "/packet",
    guard(async (c) => {
      const session = store.session(bearer(c));
      const body = await readJson(c);
      const fields = parsePacketFields(body);
      return c.text(store.createPacket(session, { ...fields, key: parseKey(body.key) }));
    }),
  );

  app.post(
    "/packet/add",
    guard(async (c) => {
      const session = store.session(bearer(c));
      const body = await readJson(c);
      const fields = parsePacketFields(body);
      if (Array.isArray(body.keys)) {
        const keys = body.keys.map(parseKey);
        if (keys.length === 0) throw new XqRefusal(400, "Empty keys: send at least one key");
        // One single-pair object per key, key -> locator token, in input order (§3.4).
        const tokens = keys.map((key) => ({ [key]: store.addKey(session, { ...fields, key }) }));
        return c.json({ tokens });
      }
      return c.text(store.addKey(session, { ...fields, key: parseKey(body.key) }));
    }),
  );

  return app;
}

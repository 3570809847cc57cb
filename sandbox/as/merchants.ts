/**
 * Merchant routes (reference §2.4): `GET /merchant` and `GET /merchant/{id}`; any caller
 * with an AS role may read them. Ids are integers: a non-integer id is a 400.
 *
 * @module
 */

import type { Hono } from "hono";
import type { MerchantDetail } from "../../client/types.ts";
import type { MerchantRecord, SandboxState } from "../state.ts";
import { type AsEnv, badRequest, notFound } from "./http.ts";

/** `MerchantDetail` of a record. */
export function merchantDetail(m: MerchantRecord): MerchantDetail {
  return { id: m.id, created: m.created, kind: m.kind, name: m.name, api_hostname: m.apiHostname };
}

/** The merchant with the integer id in `text`: 400 when not an integer, 404 when unknown. */
export function merchantById(state: SandboxState, text: string): MerchantRecord {
  if (!/^\d+$/.test(text)) {
    throw badRequest(
      `The merchant id "${text}" is not a whole number: use an id from GET /merchant`,
    );
  }
  const merchant = state.merchants.find((m) => m.id === Number(text));
  if (!merchant) throw notFound(`Merchant ${text} does not exist: use an id from GET /merchant`);
  return merchant;
}

/** Registers the merchant routes on `app`. */
export function registerMerchantRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  app.get(
    "/merchant",
    (c) =>
      c.json({ count: state.merchants.length, merchants: state.merchants.map(merchantDetail) }),
  );
  app.get("/merchant/:id", (c) => c.json(merchantDetail(merchantById(state, c.req.param("id")))));
}

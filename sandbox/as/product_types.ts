/**
 * `GET /product-type`: the product types a unit may subscribe to (reference §3.5).
 *
 * @module
 */

import type { Hono } from "hono";
import type { ProductType } from "../../client/types.ts";
import type { AsEnv } from "./http.ts";
import { FLAVOURS } from "./product_rules.ts";

/** Every project-tier flavour, then the storage subscription (which has no flavour). */
export function productTypes(): ProductType[] {
  return [
    ...FLAVOURS.map((flavour): ProductType => ({
      type: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
      flavour,
      service_kind: "DATA_MANAGER",
    })),
    { type: "DATA_MANAGER_STORAGE_SUBSCRIPTION", service_kind: "DATA_MANAGER" },
  ];
}

/** Registers `GET /product-type` on `app`. */
export function registerProductTypeRoutes(app: Hono<AsEnv>): void {
  app.get("/product-type", (c) => {
    const types = productTypes();
    return c.json({ count: types.length, product_types: types });
  });
}

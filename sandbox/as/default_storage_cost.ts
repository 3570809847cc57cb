/**
 * `GET /product-default-storage-cost` (reference §3.5): the coins charged per storage unit
 * of a day's peak storage, the same figure the generated storage items use.
 *
 * @module
 */

import type { Hono } from "hono";
import { STORAGE_UNIT_COST } from "../data/charges.ts";
import type { AsEnv } from "./http.ts";

/** Registers `GET /product-default-storage-cost` on `app`. */
export function registerDefaultStorageCostRoutes(app: Hono<AsEnv>): void {
  app.get("/product-default-storage-cost", (c) =>
    c.json({
      default_storage_cost: {
        cost: STORAGE_UNIT_COST,
        units: "GiB",
        description: "Coins per day for each GiB (or part of one) of the day's peak storage",
      },
    }));
}

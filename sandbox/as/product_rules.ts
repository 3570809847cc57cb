/**
 * Validation of product create and patch bodies (reference §2.5): names up to 80
 * characters; storage subscriptions need an allowance (>= 1), may have a limit (>= 1, not
 * below the allowance, default the allowance) and have no flavour; project-tier
 * subscriptions need a flavour and take no allowance or limit (they are built in); patches
 * may not reduce the allowance or limit. Evaluators may only create EVALUATION products in
 * their own personal unit.
 *
 * @module
 */

import type { FlavourEnum, ProductTypeEnum } from "../../client/types.ts";
import { FLAVOUR_ALLOWANCES } from "../data/demo.ts";
import { ROLE_ADMIN, ROLE_USER } from "../data/users.ts";
import type { Principal, ProductRecord, UnitRecord } from "../state.ts";
import { badRequest, checkName, forbidden } from "./http.ts";

/** The product types. */
export const PRODUCT_TYPES: readonly ProductTypeEnum[] = [
  "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
  "DATA_MANAGER_STORAGE_SUBSCRIPTION",
];
/** The project-tier flavours. */
export const FLAVOURS: readonly FlavourEnum[] = ["EVALUATION", "BRONZE", "SILVER", "GOLD"];

/** A positive integer field, or a 400 naming it. */
function positiveInt(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw badRequest(
      `The ${field} ${JSON.stringify(value)} is invalid: give a whole number of coins, 1 or more`,
    );
  }
  return value;
}

/** What a valid create body describes. */
export interface NewProduct {
  name: string;
  type: ProductTypeEnum;
  flavour?: FlavourEnum;
  allowance: number;
  limit: number;
}

/** Validates a create body for `unit` by `principal`. */
export function checkNewProduct(
  body: Record<string, unknown>,
  ctx: { unit: UnitRecord; principal: Principal },
): NewProduct {
  const name = checkName(body.name);
  const type = body.type as ProductTypeEnum;
  if (!PRODUCT_TYPES.includes(type)) {
    throw badRequest(
      `The product type ${JSON.stringify(body.type) ?? "(missing)"} is invalid: use ${
        PRODUCT_TYPES.join(" or ")
      }`,
    );
  }
  const roles = ctx.principal.roles;
  const evaluatorOnly = !roles.includes(ROLE_USER) && !roles.includes(ROLE_ADMIN);
  if (type === "DATA_MANAGER_STORAGE_SUBSCRIPTION") {
    if (body.flavour !== undefined) {
      throw badRequest(
        `Storage subscriptions have no flavour (got ${
          JSON.stringify(body.flavour)
        }): leave flavour out`,
      );
    }
    if (evaluatorOnly) {
      throw forbidden("Evaluators may only create EVALUATION project-tier products");
    }
    if (body.allowance === undefined) {
      throw badRequest("Storage subscriptions need an allowance: give allowance >= 1");
    }
    const allowance = positiveInt(body.allowance, "allowance");
    const limit = body.limit === undefined ? allowance : positiveInt(body.limit, "limit");
    if (limit < allowance) {
      throw badRequest(
        `The limit ${limit} is below the allowance ${allowance}: give a limit of at least ${allowance}`,
      );
    }
    return { name, type, allowance, limit };
  }
  const flavour = body.flavour as FlavourEnum;
  if (!FLAVOURS.includes(flavour)) {
    throw badRequest(
      `The flavour ${
        JSON.stringify(body.flavour) ?? "(missing)"
      } is invalid: project-tier products need one of ${FLAVOURS.join(", ")}`,
    );
  }
  if (body.allowance !== undefined || body.limit !== undefined) {
    throw badRequest(
      "Project-tier products have a built-in allowance and limit: leave allowance and limit out",
    );
  }
  if (evaluatorOnly) {
    if (flavour !== "EVALUATION") {
      throw forbidden(`Evaluators may only create EVALUATION products, not ${flavour}`);
    }
    if (!ctx.unit.personal || ctx.unit.ownerId !== ctx.principal.username) {
      throw forbidden("Evaluators may only create products in their own personal unit");
    }
  }
  return { name, type, flavour, ...FLAVOUR_ALLOWANCES[flavour] };
}

/** Validates a patch body against `product` and returns the changes. */
export function checkProductPatch(
  body: Record<string, unknown>,
  product: ProductRecord,
): Partial<NewProduct> {
  const changes: Partial<NewProduct> = {};
  if (body.name !== undefined) changes.name = checkName(body.name);
  if (body.allowance === undefined && body.limit === undefined) return changes;
  if (product.type !== "DATA_MANAGER_STORAGE_SUBSCRIPTION") {
    throw badRequest(
      `Product "${product.id}" is a project-tier product: its allowance and limit are built in`,
    );
  }
  const allowance = body.allowance === undefined
    ? product.allowance
    : positiveInt(body.allowance, "allowance");
  const limit = body.limit === undefined ? product.limit : positiveInt(body.limit, "limit");
  if (allowance < product.allowance) {
    throw badRequest(
      `The allowance cannot be reduced (from ${product.allowance} to ${allowance}): give ${product.allowance} or more`,
    );
  }
  if (limit < product.limit) {
    throw badRequest(
      `The limit cannot be reduced (from ${product.limit} to ${limit}): give ${product.limit} or more`,
    );
  }
  if (limit < allowance) {
    throw badRequest(
      `The limit ${limit} is below the allowance ${allowance}: give a limit of at least ${allowance}`,
    );
  }
  changes.allowance = allowance;
  changes.limit = limit;
  return changes;
}
